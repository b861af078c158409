/* Dashboard charts (Chart.js, served from static/vendor/).
 *
 * No inline script: every <canvas class="sakip-chart"> carries its data as JSON in
 * data-chart = {label: [...], nilai: [...], kumulatif: [...], target: n|null,
 * satuan: "%"|"Rp"|unit, judul: "..."}. Bars: the value of each period (an empty period
 * stays empty: it is not a zero); line: the realisation to date after each period;
 * dashed line: the target. The numbers are computed on the server.
 */
(function () {
  "use strict";

  var angka = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });
  // Axis ticks of rupiah: "12 M", "500 jt" (a full 12.000.000.000 took a third of the chart).
  var ringkas = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });
  // Legible at 1366 px and on a phone: 12 px text, month labels kept level (every other one
  // is left out when the box is too narrow, never slanted and shrunk).
  var HURUF = { size: 12 };

  function tulis(value, satuan) {
    if (value === null || value === undefined) {
      return "-";
    }
    if (satuan === "Rp") {
      return "Rp " + angka.format(value);
    }
    if (satuan === "%") {
      return angka.format(value) + "%";
    }
    return angka.format(value) + (satuan ? " " + satuan : "");
  }

  function gambar(canvas) {
    var data;
    try {
      data = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (e) {
      return;
    }
    var datasets = [
      { type: "bar", label: "Per periode", data: data.nilai, backgroundColor: "rgba(220, 53, 69, 0.55)", order: 2 },
      { type: "line", label: "S.d. periode", data: data.kumulatif, borderColor: "#343a40", backgroundColor: "#343a40",
        spanGaps: true, tension: 0, pointRadius: 2, order: 1 }
    ];
    if (data.target !== null && data.target !== undefined) {
      datasets.push({ type: "line", label: "Target", data: data.label.map(function () { return data.target; }),
        borderColor: "#28a745", borderDash: [6, 4], pointRadius: 0, fill: false, order: 0 });
    }
    new window.Chart(canvas, {
      data: { labels: data.label, datasets: datasets },
      options: {
        // Sized by its box (.grafik in sakip.css) when it has one; a bare canvas keeps its attributes.
        responsive: canvas.parentNode.classList.contains("grafik"),
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: true, position: "bottom", labels: { boxWidth: 12, font: HURUF } },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + tulis(ctx.parsed.y, data.satuan); } } }
        },
        scales: {
          x: { ticks: { font: HURUF, maxRotation: 0, minRotation: 0, autoSkip: true, autoSkipPadding: 6 } },
          y: { beginAtZero: true, ticks: { font: HURUF, maxTicksLimit: 5, callback: function (v) {
            // The unit is in the tooltip and the table beside it: on every tick it took the months' room.
            return data.satuan === "Rp" ? ringkas.format(v) : tulis(v, data.satuan === "%" ? "%" : ""); } } }
        }
      }
    });
  }

  function mulai() {
    if (!window.Chart) {
      return;
    }
    var canvases = document.querySelectorAll("canvas.sakip-chart[data-chart]");
    for (var i = 0; i < canvases.length; i++) {
      gambar(canvases[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mulai);
  } else {
    mulai();
  }
})();
