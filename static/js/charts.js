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

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.distribution").forEach(function (details) {
      details.open = true;
    });
  });
})();
