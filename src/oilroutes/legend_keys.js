/* Keyboard use of chart legends that select (Vega-Lite selections bound to the legend).
   Vega draws legend entries as SVG that only a mouse can click. Each entry's label becomes a
   button in the tab order: Enter or Space does what a click on its symbol does, and with Shift
   what a shift-click does (add the entry to the highlight, or take it out). Loaded only on
   pages with such a chart; the build marks those charts with data-legend-keys. */
(function () {
  "use strict";
  function press(target, shift) {
    var r = target.getBoundingClientRect();
    target.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window, shiftKey: shift,
      clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));
  }
  function enhance(chart) {
    // Vega names the legend a graphics-symbol, whose children are presentational: a group may hold buttons
    chart.querySelectorAll(".role-legend[role]").forEach(function (g) {
      if (g.getAttribute("role") !== "group") { g.setAttribute("role", "group"); }
    });
    var symbols = chart.querySelectorAll(".role-legend-symbol path");
    var labels = chart.querySelectorAll(".role-legend-label text");
    for (var i = 0; i < labels.length && i < symbols.length; i++) {
      var label = labels[i];
      if (label.getAttribute("tabindex") === "0") continue;
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      label.setAttribute("aria-label", "Highlight " + label.textContent);
      label.style.outlineOffset = "2px";
      (function (symbol) {
        label.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); press(symbol, e.shiftKey); }
        });
      })(symbols[i]);
    }
  }
  function watch(chart) {
    enhance(chart);
    new MutationObserver(function () { enhance(chart); }).observe(chart, {childList: true, subtree: true});
  }
  function start() { document.querySelectorAll(".oilroutes-chart[data-legend-keys]").forEach(watch); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
