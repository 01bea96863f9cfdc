// Draws each dashboard chart from the JSON block next to it. The table under every chart
// holds the same figures, so a page without JavaScript (or a screen reader) misses nothing.
"use strict";

(function () {
  const colours = ["#1a5a8c", "#e0a100", "#5a9e3a", "#b3261e", "#6b4fa0", "#4b4b4b"];

  // Chart.js gives a bar chart's labels at most a third of the width: long ones go on two lines.
  function wrap(label) {
    if (label.length <= 18) {
      return label;
    }
    const middle = label.length / 2;
    let cut = -1;
    for (let i = 0; i < label.length; i += 1) {
      if (label[i] === " " && (cut < 0 || Math.abs(i - middle) < Math.abs(cut - middle))) {
        cut = i;
      }
    }
    return cut < 0 ? label : [label.slice(0, cut), label.slice(cut + 1)];
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const round = data.type === "doughnut";
    if (!round) {
      // Room for every bar and its (two-line) label: set through the CSSOM, which the CSP allows.
      canvas.parentElement.style.height = data.labels.length * 2.6 + 3 + "rem";
    }
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: round ? data.labels : data.labels.map(wrap),
        datasets: [
          {
            label: data.label,
            data: data.values,
            backgroundColor: round ? colours : colours[0],
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: round ? undefined : "y",
        plugins: { legend: { display: round, position: "bottom" } },
        scales: round ? {} : { y: { ticks: { autoSkip: false } } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
