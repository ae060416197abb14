// Builds static/vendor/plotly/plotly-samenspel.min.js from static-src/plotly-samenspel.js
// with the plotly.js and esbuild pinned in package-lock.json: `npm run build:plotly`.
// The same inputs give the same bytes; tests/test_plotly_bundle.py checks the committed file.
// `node static-src/build-plotly.js OUTFILE` writes elsewhere (the test does).
"use strict";

const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const outfile = process.argv[2] || path.join(root, "static", "vendor", "plotly", "plotly-samenspel.min.js");

const traces = "scatter, scatterpolar, bar, box";
const dist = fs.readFileSync(require.resolve("plotly.js/dist/plotly.min.js"), "utf8");
const header = dist.slice(0, dist.indexOf("*/") + 2);

// plotly's registry loads maplibre's stylesheet only when a map trace registers; we have
// none, and a stylesheet import would make esbuild write a .css file beside the bundle.
const noMapStyles = {
  name: "no-map-styles",
  setup(build) {
    build.onResolve({ filter: /^maplibre-gl\/dist\/maplibre-gl\.css$/ }, () => ({
      path: "maplibre-gl.css",
      namespace: "no-map-styles",
    }));
    build.onLoad({ filter: /.*/, namespace: "no-map-styles" }, () => ({ contents: "", loader: "js" }));
  },
};

esbuild
  .build({
    entryPoints: [path.join(__dirname, "plotly-samenspel.js")],
    outfile,
    bundle: true,
    minify: true,
    format: "iife",
    globalName: "Plotly",
    // As plotly.js's own build (its esbuild-config.js): browser globals, no AMD.
    define: { global: "window", "define.amd": "false" },
    target: "es2016",
    // plotly.js's own header, naming the version (tests compare it with the Python wheel's).
    banner: { js: header.replace(/^\* plotly\.js v\S+/m, (line) => `${line} (samenspel: ${traces})`) },
    plugins: [noMapStyles],
    logLevel: "warning",
  })
  .catch(() => process.exit(1));
