// A <select data-autosubmit> sends its form as soon as it changes (the filters above lists, the language
// switch). Loaded by base.html; a page's own script is a file too, as the Content-Security-Policy allows
// no inline script.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]") && event.target.form) { event.target.form.submit(); }
});
