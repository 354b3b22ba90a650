// A form sent back with errors: the summary at its top takes the focus, so a screen reader
// reads every problem and a phone shows them first; each item links to its field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
