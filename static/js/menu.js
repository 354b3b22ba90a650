// The main menu on a phone: folded behind the "Menu" button, opened and closed by it.
// Without this script the menu stays one row that scrolls sideways.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  function set(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.hidden = false;
  header.classList.add("menu-ready");
  set(false);
  button.addEventListener("click", function () {
    set(!header.classList.contains("menu-open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      set(false);
      button.focus();
    }
  });
})();
