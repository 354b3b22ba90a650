// Warns before an idle session ends (rutan.accounts.middleware.IdleSessionMiddleware) and
// offers "Tetap masuk", which restarts the server's idle clock without leaving the page.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog) return;
  var warnMs = Number(dialog.dataset.warn) * 1000;
  var deadline = Date.now() + Number(dialog.dataset.remaining) * 1000;
  var countdown = dialog.querySelector("[data-countdown]");
  var form = dialog.querySelector("form");

  function format(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) {
      // The server signs the session out and shows the login page with a message.
      window.location.reload();
      return;
    }
    if (left <= warnMs) {
      countdown.textContent = format(left);
      if (!dialog.open) dialog.showModal();
    }
    window.setTimeout(tick, 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        deadline = Date.now() + data.remaining * 1000;
        dialog.close();
      })
      .catch(function () {
        window.location.reload();
      });
  });

  tick();
})();
