// Draw every [data-figure] element from the JSON figure in the <script> of that id.
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false, displayModeBar: false };

  function draw(element) {
    if (element.dataset.drawn) return;
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var width = element.clientWidth;
    if (figure.layout.polar && width < 576) {
      // On a phone the radar fills the width; its labels get smaller, the margins tighter.
      figure.layout.height = width + 160;
      figure.layout.margin = { l: 72, r: 72, t: 30, b: 10 };
      figure.layout.polar.angularaxis.tickfont = { size: 9 };
      figure.layout.legend.y = -0.05;
    }
    element.dataset.drawn = "true";
    window.Plotly.newPlot(element, figure.data, figure.layout, config);
  }

  document.querySelectorAll("[data-figure]").forEach(function (element) {
    // Charts in closed <details> are drawn when opened: plotly needs a visible width.
    var details = element.closest("details");
    if (details && !details.open) {
      details.addEventListener("toggle", function () { if (details.open) draw(element); });
    } else {
      draw(element);
    }
  });

  printing();

  // Print (the button or Ctrl+P): open the distributions and draw them now, as the browser
  // lays out the printed page right after beforeprint, and make every chart as wide as the
  // A4 page; afterwards close what was closed and fit the charts to the screen again.
  function printing() {
    var PRINT_WIDTH = 700; // px: A4's 210 mm less the @page margins in samenspel.css
    var opened = [];
    window.addEventListener("beforeprint", function () {
      if (!window.Plotly) return;
      document.querySelectorAll("details.distribution").forEach(function (details) {
        if (!details.open) {
          details.open = true;
          opened.push(details);
        }
      });
      document.querySelectorAll("[data-figure]").forEach(function (element) {
        draw(element);
        if (!element.dataset.drawn) return;
        // data-print-width: the part of the page's width the chart takes in print (the
        // distributions stand two side by side); data-print-height: its height, shrunk;
        // data-print-layout: more of plotly's layout for print, such as a smaller font.
        var update = { width: Math.floor(PRINT_WIDTH * (parseFloat(element.dataset.printWidth) || 1)) };
        if (element.dataset.printHeight && element.layout.height) {
          element.dataset.screenHeight = element.layout.height;
          update.height = Math.round(element.layout.height * parseFloat(element.dataset.printHeight));
        }
        if (element.dataset.printLayout) Object.assign(update, JSON.parse(element.dataset.printLayout));
        window.Plotly.relayout(element, update);
      });
    });
    window.addEventListener("afterprint", function () {
      if (!window.Plotly) return;
      opened.forEach(function (details) { details.open = false; });
      opened = [];
      document.querySelectorAll("[data-figure][data-drawn]").forEach(function (element) {
        var update = { width: null };
        if (element.dataset.screenHeight) update.height = parseFloat(element.dataset.screenHeight);
        window.Plotly.relayout(element, update).then(function () {
          if (element.offsetParent) window.Plotly.Plots.resize(element);
        });
      });
    });
  }
})();
