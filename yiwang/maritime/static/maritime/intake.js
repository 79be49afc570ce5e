// The vessel and sea-area fields of the staff intake form: shown, and sent, only while the dispute type
// chosen is a maritime one (a disabled fieldset submits nothing). Without this script the fields stay
// visible and the server ignores them for a dispute on land.
(function () {
  "use strict";
  var sea = document.querySelector("fieldset.maritime[data-maritime-types]");
  var type = sea && sea.form ? sea.form.querySelector("select[name=dispute_type]") : null;
  if (!type) { return; }
  var ids = sea.dataset.maritimeTypes.split(",");
  function show() {
    var on = ids.indexOf(type.value) >= 0;
    sea.hidden = !on;
    sea.disabled = !on;
  }
  type.addEventListener("change", show);
  show();
}());
