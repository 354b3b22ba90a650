// A table wider than its box (a phone) says so: a line above it ("Geser ke samping…") and a
// strong edge on the side that hides columns, updated as it scrolls, when the page is swapped
// (htmx) and when the screen turns. Tables that become cards (.table-cards) never scroll.
(function () {
  "use strict";
  var hint = document.body.getAttribute("data-scroll-hint") || "";
  function mark(wrap) {
    var more = wrap.scrollWidth - wrap.clientWidth > 2;
    wrap.classList.toggle("scrolls", more);
    wrap.classList.toggle("more-right", more && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 2);
    wrap.classList.toggle("more-left", more && wrap.scrollLeft > 2);
    var note = wrap.previousElementSibling;
    var has = note && note.classList.contains("scroll-hint");
    if (more && !has && hint) {
      note = document.createElement("p");
      note.className = "scroll-hint";
      note.textContent = hint + " →";
      wrap.parentNode.insertBefore(note, wrap);
    } else if (!more && has) {
      note.remove();
    }
  }
  function all() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (!wrap.dataset.scrollWatched) {
        wrap.dataset.scrollWatched = "1";
        wrap.addEventListener("scroll", function () { mark(wrap); }, { passive: true });
      }
      mark(wrap);
    });
  }
  all();
  window.addEventListener("resize", all);
  document.body.addEventListener("htmx:afterSettle", all);
})();
