// The citizen filing page: the sea fields only for a maritime dispute type (loaded by online/file.html).
(function () {
  var sea = document.querySelector("fieldset[data-maritime-types]"), type = document.querySelector("select[name=dispute_type]");
  if (!sea || !type) { return; }
  var ids = sea.dataset.maritimeTypes.split(",");
  function show() { var on = ids.indexOf(type.value) >= 0; sea.hidden = !on; sea.disabled = !on; }
  type.addEventListener("change", show);
}());
