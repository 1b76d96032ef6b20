// Progressive enhancement for the hero pages: a live counter for the quote, and a focal
// point chosen by clicking the photo (the sliders stay usable with a keyboard).
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!out || !max) { return; }
    var template = out.getAttribute("data-template");
    var timer = null;
    function update(now) {
      var text = template.replace("{n}", String(max - area.value.length));
      if (now) { out.textContent = text; return; }
      // Announce after a pause in typing, not on every key.
      clearTimeout(timer);
      timer = setTimeout(function () { out.textContent = text; }, 400);
    }
    area.addEventListener("input", function () { update(false); });
    update(true);
  });

  document.querySelectorAll("[data-focal-picker]").forEach(function (picker) {
    var image = picker.querySelector("img");
    var marker = picker.querySelector(".focal-marker");
    var x = document.getElementById("focal_x");
    var y = document.getElementById("focal_y");
    if (!image || !marker || !x || !y) { return; }
    function show() {
      marker.style.left = (parseFloat(x.value) * 100) + "%";
      marker.style.top = (parseFloat(y.value) * 100) + "%";
      marker.hidden = false;
    }
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      x.value = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)).toFixed(3);
      y.value = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)).toFixed(3);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  });
})();
