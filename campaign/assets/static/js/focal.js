// Crop cover images around their focal point (the CSP forbids inline style attributes).
(function () {
  "use strict";
  document.querySelectorAll("img[data-focal-x]").forEach(function (img) {
    var x = parseFloat(img.getAttribute("data-focal-x")) * 100;
    var y = parseFloat(img.getAttribute("data-focal-y")) * 100;
    if (!isNaN(x) && !isNaN(y)) { img.style.objectPosition = x + "% " + y + "%"; }
  });
})();

// After a failed submit, move focus to the summary of the errors.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
