// Draws the report's charts offline: plotly.js is inlined once, gzip-compressed and base64-encoded; the browser
// inflates it (DecompressionStream), runs it, and draws each chart from the JSON beside its <div>. No request is made.
(function () {
  "use strict";
  var body = document.body;

  function failed() {
    var divs = document.querySelectorAll("div.chart[data-figure]");
    for (var k = 0; k < divs.length; k++) {
      var p = document.createElement("p");
      p.className = "chart-wait";
      p.textContent = body.getAttribute("data-msg-failed");
      divs[k].replaceChildren(p);
    }
    body.setAttribute("data-charts", "failed");
  }

  async function loadPlotly() {
    if (window.Plotly) return;
    var raw = atob(document.getElementById("plotly-js-gz").textContent.trim());
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    var script = document.createElement("script");
    script.textContent = await new Response(stream).text();
    document.head.appendChild(script);
  }

  function json(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  async function draw() {
    var template = json("plotly-template");
    var config = json("plotly-config");
    var divs = document.querySelectorAll("div.chart[data-figure]");
    for (var k = 0; k < divs.length; k++) {
      var figure = json(divs[k].getAttribute("data-figure"));
      figure.layout = figure.layout || {};
      if (!figure.layout.template) figure.layout.template = template;
      divs[k].replaceChildren();
      await window.Plotly.newPlot(divs[k], figure.data || [], figure.layout, config);
    }
    body.setAttribute("data-charts", "drawn");
  }

  function resize() {
    if (!window.Plotly) return;
    var plots = document.querySelectorAll("div.chart.js-plotly-plot");
    for (var k = 0; k < plots.length; k++) window.Plotly.Plots.resize(plots[k]);
  }

  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  if (window.matchMedia) window.matchMedia("print").addEventListener("change", resize);
  loadPlotly().then(draw).catch(failed);
})();
