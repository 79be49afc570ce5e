// The type suggestion beside a form's facts and claims: after the writer pauses, post the text to the
// triage endpoint and offer the top three types as buttons; a click fills in the type field, nothing
// is chosen without one. No library, nothing fetched from elsewhere.
(function () {
  "use strict";
  var box = document.querySelector(".triage-suggest");
  if (!box) return;
  var form = box.closest("form");
  var facts = form.querySelector("[name=facts]"), claims = form.querySelector("[name=claims]");
  var select = form.querySelector("[name=dispute_type]");
  var choices = box.querySelector(".triage-choices");
  var token = form.querySelector("[name=csrfmiddlewaretoken]");
  var timer = null, last = "";

  function show(suggestions) {
    choices.textContent = "";
    suggestions.forEach(function (s) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "triage-choice";
      button.dataset.id = s.id;
      button.textContent = s.name + " " + Math.round(s.score * 100) + "%";
      button.addEventListener("click", function () {
        select.value = String(s.id);
        select.dispatchEvent(new Event("change", {bubbles: true}));
      });
      choices.appendChild(button);
    });
    box.hidden = suggestions.length === 0;
  }

  function ask() {
    var text = ((facts && facts.value) || "") + "\n" + ((claims && claims.value) || "");
    if (text.trim().length < 8 || text === last) return;
    last = text;
    var headers = {"Content-Type": "application/json", "Accept": "application/json"};
    if (token && box.dataset.public !== "1") headers["X-CSRFToken"] = token.value;
    fetch(box.dataset.url, {method: "POST", headers: headers, credentials: "same-origin",
                            body: JSON.stringify({text: text.slice(0, 4000)})})
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (data) { show(data.suggestions || []); })
      .catch(function () { box.hidden = true; });
  }

  [facts, claims].forEach(function (field) {
    if (!field) return;
    field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 700); });
  });
  ask();
})();
