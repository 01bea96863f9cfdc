// Draws each dashboard chart from the JSON block next to it. The table under every chart
// holds the same figures, so a page without JavaScript (or a screen reader) misses nothing.
"use strict";

(function () {
  const colours = ["#1a5a8c", "#e0a100", "#5a9e3a", "#b3261e", "#6b4fa0", "#4b4b4b"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const round = data.type === "doughnut";
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
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
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
