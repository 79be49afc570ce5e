/* The online filing page: the sea fields follow the chosen type; the type search narrows the list as one
   types (the page works without this script: the search is a form, the sea fields come back on submit). */
(function () {
  "use strict";
  var sea = document.querySelector("fieldset[data-maritime-types]");
  var type = document.querySelector("select[name=dispute_type]");
  if (sea && type) {
    var ids = sea.dataset.maritimeTypes.split(",");
    var show = function () { var on = ids.indexOf(type.value) >= 0; sea.hidden = !on; sea.disabled = !on; };
    type.addEventListener("change", show);
  }
  var search = document.getElementById("type-q");
  if (search && type) {
    var options = Array.prototype.slice.call(type.options);
    search.addEventListener("input", function () {
      var q = search.value.trim();
      var first = null;
      options.forEach(function (option) {
        var words = option.text + " " + (option.dataset.synonyms || "");
        var match = !q || !option.value || words.indexOf(q) >= 0;
        option.hidden = !match;
        if (match && option.value && first === null) { first = option; }
      });
      if (q && first && (type.selectedIndex < 0 || type.options[type.selectedIndex].hidden)) {
        type.value = first.value;
        type.dispatchEvent(new Event("change"));
      }
    });
  }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
