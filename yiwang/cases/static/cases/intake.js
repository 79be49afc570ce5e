// The staff intake form: the party fields that apply, and "add another" (loaded by cases/intake.html).
// A person has an ID number; an organisation a credit code and a legal representative: show the fields
// that apply (without JavaScript every field stays visible).
function showKind(fieldset) {
  var kind = fieldset.querySelector("select[name$='-kind']");
  if (kind) { fieldset.dataset.kind = kind.value; }
}
document.addEventListener("change", function (event) {
  if (event.target.matches("fieldset.party select[name$='-kind']")) { showKind(event.target.closest("fieldset")); }
});
document.querySelectorAll("fieldset.party").forEach(showKind);
// "Add another": copy the blank party form and renumber it (no library, works offline).
document.querySelectorAll("[data-formset]").forEach(function (section) {
  var prefix = section.dataset.formset;
  var total = section.querySelector("input[name=" + prefix + "-TOTAL_FORMS]");
  section.querySelector("[data-add]").addEventListener("click", function () {
    var html = section.querySelector("template").innerHTML.replace(/__prefix__/g, total.value);
    section.querySelector("[data-forms]").insertAdjacentHTML("beforeend", html);
    showKind(section.querySelector("[data-forms] fieldset.party:last-child"));
    total.value = parseInt(total.value, 10) + 1;
  });
});
