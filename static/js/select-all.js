// A list of checkboxes with "select all" and a running count (the bulk enrolment form).
// Without this script every box still works; only the shortcut and the count are missing.
(function () {
  "use strict";
  document.querySelectorAll("form[data-select-all]").forEach(function (form) {
    var toggle = form.querySelector("[data-select-all-toggle]");
    var count = form.querySelector("[data-select-all-count]");
    var items = Array.prototype.slice.call(form.querySelectorAll("[data-select-all-item]"));
    function update() {
      var chosen = items.filter(function (box) { return box.checked; }).length;
      if (count) count.textContent = count.dataset.template.replace("#", chosen);
      if (toggle) {
        toggle.checked = items.length > 0 && chosen === items.length;
        toggle.indeterminate = chosen > 0 && chosen < items.length;
      }
    }
    if (toggle && items.length) {
      toggle.closest("label").hidden = false;
      toggle.addEventListener("change", function () {
        items.forEach(function (box) { box.checked = toggle.checked; });
        update();
      });
    }
    if (count) count.hidden = false;
    items.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });
})();
