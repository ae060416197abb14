// Draw every [data-figure] element from the JSON figure in the <script> of that id.
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false, displayModeBar: false };

  // How far the radar's dimension names stick out of the chart on each side, in pixels.
  function overhang(element) {
    var svg = element.querySelector("svg.main-svg");
    var out = { l: 0, r: 0, t: 0, b: 0 };
    if (!svg) return out;
    var box = svg.getBoundingClientRect();
    element.querySelectorAll(".angularaxistick text").forEach(function (text) {
      var label = text.getBoundingClientRect();
      out.l = Math.max(out.l, box.left - label.left);
      out.r = Math.max(out.r, label.right - box.right);
      out.t = Math.max(out.t, box.top - label.top);
      out.b = Math.max(out.b, label.bottom - box.bottom);
    });
    return out;
  }

  // Polar charts have no automargin: widen the margins until every name fits inside.
  function fitLabels(element, tries) {
    var out = overhang(element);
    if (tries <= 0 || (out.l <= 0 && out.r <= 0 && out.t <= 0 && out.b <= 0)) return;
    var margin = element.layout.margin;
    var pad = 4;
    window.Plotly.relayout(element, {
      "margin.l": margin.l + (out.l > 0 ? out.l + pad : 0),
      "margin.r": margin.r + (out.r > 0 ? out.r + pad : 0),
      "margin.t": margin.t + (out.t > 0 ? out.t + pad : 0),
      "margin.b": margin.b + (out.b > 0 ? out.b + pad : 0)
    }).then(function () { fitLabels(element, tries - 1); });
  }

  // The words of a label wrapped by charts.wrap, broken again at `width` characters; the
  // space before each break stays, as in charts.wrap.
  function rewrap(label, width) {
    var words = label.split(" <br>").join(" ").split(" ");
    var lines = [];
    words.forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines.join(" <br>");
  }

  function draw(element) {
    if (element.dataset.drawn) return;
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var width = element.clientWidth;
    if (figure.layout.polar && width < 576) {
      // On a phone the radar fills the width; its labels get smaller, the margins tighter
      // (fitLabels widens them again where a name would stick out).
      figure.layout.height = width + 90;
      figure.layout.margin = { l: 60, r: 60, t: 50, b: 10 };
      figure.layout.polar.angularaxis.tickfont = { size: 9 };
      figure.layout.legend.y = -0.08;
    }
    if (figure.layout.grid && width < 576) {
      // Small multiples: two in a row on a phone.
      var count = figure.data.length;
      figure.layout.grid.columns = 2;
      figure.layout.grid.rows = Math.ceil(count / 2);
      figure.layout.height = 110 + figure.layout.grid.rows * 190;
      figure.layout.annotations.forEach(function (note) { note.font.size = 10; });
    }
    if (figure.layout.barmode === "stack" && width < 576) {
      // On a phone the statements wrap narrower, so the bars keep most of the width.
      var lines = 1;
      figure.data.forEach(function (trace) {
        trace.y = trace.y.map(function (label) {
          var wrapped = rewrap(label, 22);
          lines = Math.max(lines, wrapped.split("<br>").length);
          return wrapped;
        });
      });
      figure.layout.height = 140 + figure.data[0].y.length * Math.max(52, lines * 14 + 10);
    }
    element.dataset.drawn = "true";
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      if (figure.layout.polar) fitLabels(element, 3);
    });
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
