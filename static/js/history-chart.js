// /history/: back and hip pain as two lines, with flares and completed stretch
// sessions marked, drawn by Chart.js from the page's JSON island. The table
// under the chart holds the same days, so nothing here is the only way to read them.
(function () {
  "use strict";
  var island = document.getElementById("history-data");
  var canvas = document.getElementById("history-chart");
  if (!island || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(island.textContent);
  var readout = document.getElementById("chart-readout");
  var styles = getComputedStyle(document.documentElement);
  var colour = function (name, fallback) { return styles.getPropertyValue(name).trim() || fallback; };
  var BACK = colour("--back", "#b5482f");
  var HIP = colour("--hip", "#2f5fb5");
  var INK = colour("--ink", "#1b2430");
  var ACCENT = colour("--accent", "#1f6f5c");

  // Marks sit in bands above and below the 0-10 scale, so they never hide a pain point.
  var FLARE_Y = 11;
  var SESSION_Y = -1;
  var dayName = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
  var shortName = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  var day = function (iso) { return new Date(iso + "T00:00:00Z"); };
  var labels = data.dates.map(function (iso) { return shortName.format(day(iso)); });
  var marks = function (counts, y) { return counts.map(function (n) { return n ? y : null; }); };
  // Smaller points as the range grows, so a year stays a line rather than a crowd of dots.
  var pointRadius = data.dates.length <= 30 ? 3 : data.dates.length <= 90 ? 1.8 : 0.8;

  // "Tue 3 Nov: lower back 4, hip 6, 1 flare, 1 stretch session done."
  function describe(index) {
    var parts = [data.back[index] === null ? "no check-in" : "lower back " + data.back[index] + ", hip " + data.hip[index]];
    var flares = data.flares[index], sessions = data.sessions[index];
    if (flares) parts.push(flares + (flares === 1 ? " flare" : " flares"));
    if (sessions) parts.push(sessions + (sessions === 1 ? " stretch session" : " stretch sessions") + " done");
    return dayName.format(day(data.dates[index])) + ": " + parts.join(", ") + ".";
  }

  var chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        {
          label: "Lower back", data: data.back, borderColor: BACK, backgroundColor: BACK,
          borderWidth: 2.5, pointStyle: "circle", pointRadius: pointRadius, spanGaps: false, tension: 0,
        },
        {
          label: "Hip", data: data.hip, borderColor: HIP, backgroundColor: HIP, borderDash: [7, 4],
          borderWidth: 2.5, pointStyle: "rect", pointRadius: pointRadius + 0.5, spanGaps: false, tension: 0,
        },
        {
          label: "Flare", data: marks(data.flares, FLARE_Y), showLine: false, pointStyle: "triangle",
          pointRadius: 5, borderColor: INK, backgroundColor: INK,
        },
        {
          label: "Stretch session done", data: marks(data.sessions, SESSION_Y), showLine: false,
          pointStyle: "rectRot", pointRadius: 5, borderColor: ACCENT, backgroundColor: ACCENT,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: {
          min: SESSION_Y - 0.5, max: FLARE_Y + 0.5,
          // Only the pain scale is labelled; the bands for the marks above and below are not.
          afterBuildTicks: function (axis) {
            axis.ticks = [0, 2, 4, 6, 8, 10].map(function (value) { return { value: value }; });
          },
          title: { display: true, text: "Pain (0-10)" },
        },
        x: { ticks: { autoSkip: true, maxTicksLimit: 6, maxRotation: 0 } },
      },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 10 } },
        tooltip: {
          // One line per day, in words, whatever the marks: the same text the arrow keys read out.
          filter: function (item) { return item.datasetIndex === 0; },
          callbacks: {
            title: function () { return ""; },
            label: function (item) { return describe(item.dataIndex); },
          },
        },
      },
      onClick: function (event, elements) {
        if (elements.length) show(elements[0].index, false);
      },
    },
  });

  // Keyboard: focus the chart, then arrows move a day at a time (Home/End jump).
  var current = data.dates.length - 1;
  function show(index, fromKeyboard) {
    current = Math.max(0, Math.min(data.dates.length - 1, index));
    readout.textContent = describe(current);
    if (fromKeyboard) {
      var point = chart.getDatasetMeta(0).data[current];
      chart.tooltip.setActiveElements([{ datasetIndex: 0, index: current }], { x: point.x, y: point.y });
      chart.setActiveElements([{ datasetIndex: 0, index: current }]);
      chart.update();
    }
  }
  canvas.addEventListener("keydown", function (event) {
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1 };
    if (event.key in moves) show(current + moves[event.key], true);
    else if (event.key === "Home") show(0, true);
    else if (event.key === "End") show(data.dates.length - 1, true);
    else return;
    event.preventDefault();
  });
  canvas.addEventListener("focus", function () { show(current, true); });
  canvas.addEventListener("blur", function () {
    chart.tooltip.setActiveElements([], { x: 0, y: 0 });
    chart.setActiveElements([]);
    chart.update();
  });
})();
