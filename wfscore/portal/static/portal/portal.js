// The self-check table: every change is saved as a draft, and the server's check
// (the same as wfscore collect's) is shown beside the field. No inline script: the
// page's Content-Security-Policy allows only this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("values");
  if (!form) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};
  function save(input) {
    var body = new URLSearchParams();
    body.append("indicator", input.dataset.indicator);
    body.append("text", input.value);
    var msg = document.getElementById("msg-" + input.dataset.indicator);
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"X-CSRFToken": token, "Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (res) {
        var j = res[1];
        if (res[0] !== 200) { msg.textContent = j.error || ""; msg.className = "check bad"; return; }
        var p = j.problems.length ? j.problems[0].message : "";
        msg.textContent = p;
        msg.className = p ? "check bad" : "check ok";
        input.setAttribute("aria-invalid", p ? "true" : "false");
        input.dataset.saved = "1";
      })
      .catch(function () { msg.textContent = "⚠"; msg.className = "check bad"; });
  }
  form.querySelectorAll("input[data-indicator]").forEach(function (input) {
    if (input.readOnly) return;
    input.addEventListener("input", function () {
      clearTimeout(timers[input.name]);
      timers[input.name] = setTimeout(function () { save(input); }, 400);
    });
    input.addEventListener("change", function () { clearTimeout(timers[input.name]); save(input); });
  });
});
