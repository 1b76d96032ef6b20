// Kit page: follow the progress of a render request. Visual page: a live preview.
(function () {
  "use strict";
  var status = document.querySelector("[data-kit-progress]");
  if (status) {
    var out = document.getElementById("kit-progress");
    var url = status.getAttribute("data-kit-progress");
    var timer = setInterval(function () {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        if (out.textContent !== data.message) { out.textContent = data.message; }
        if (data.status !== "pending" && data.status !== "running") {
          clearInterval(timer);
          if (data.status === "done") { window.location.reload(); }
        }
      }).catch(function () { clearInterval(timer); });
    }, 2000);
    if (!/pending|running/.test(status.textContent) && !document.querySelector(".kit-status .small")) {
      clearInterval(timer);
    }
  }

  var form = document.querySelector("[data-visual-form]");
  var preview = document.querySelector("[data-visual-preview]");
  if (form && preview) {
    var base = preview.getAttribute("data-visual-preview");
    var pending = null;
    form.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var params = new URLSearchParams();
        ["primary", "accent", "headline", "hashtags"].forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          if (input) { params.set(name, input.value); }
        });
        preview.src = base + "?" + params.toString();
      }, 400);
    });
  }
})();
