// Progressive enhancement: filter the long list of municipalities while typing.
// Without JavaScript the list still works, and typing on the focused list jumps to a name.
(function () {
  "use strict";
  document.querySelectorAll("[data-filter-for]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-filter-for"));
    var input = box.querySelector("input");
    var count = box.querySelector("[aria-live]");
    if (!select || !input) { return; }
    box.hidden = false;
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return { el: group, label: group.label, options: Array.prototype.slice.call(group.querySelectorAll("option")) };
    });
    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }
    function apply() {
      var term = fold(input.value.trim());
      var shown = 0;
      groups.forEach(function (group) {
        var inGroup = 0;
        group.options.forEach(function (option) {
          var match = !term || fold(option.text).indexOf(term) !== -1 || fold(group.label).indexOf(term) !== -1;
          option.hidden = !match;
          option.disabled = !match && !option.selected;
          if (match) { inGroup += 1; }
        });
        group.el.hidden = inGroup === 0;
        shown += inGroup;
      });
      if (term) {
        var template = shown === 1 ? count.getAttribute("data-template-one") : count.getAttribute("data-template-many");
        count.textContent = template.replace("{n}", String(shown));
      } else {
        count.textContent = "";
      }
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter") {
        var first = select.querySelector("option:not([hidden])");
        if (first) {
          event.preventDefault();
          if (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden) { first.selected = true; }
          select.focus();
        }
      }
    });
  });
})();
