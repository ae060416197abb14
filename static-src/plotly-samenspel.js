// The plotly.js the results and compare pages load: its core (which holds the scatter
// trace) and only the other trace types assessment/results/charts.py draws. A chart of a
// new type needs it added here and `npm run build:plotly`, or the chart stays empty.
"use strict";

var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/scatterpolar"), // radar (results) and overlay (compare)
  require("plotly.js/lib/bar"), // sectors, answer distributions
  require("plotly.js/lib/box"), // spread across teams (compare)
]);

module.exports = Plotly;
