// The dashboard's charts, drawn from the JSON the page carries (no inline script).
(function () {
  'use strict';

  var source = document.getElementById('dashboard-data');
  if (!source || typeof Chart === 'undefined') { return; }
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang;

  var usage = document.getElementById('usage-chart');
  if (usage) {
    new Chart(usage, {
      type: 'bar',
      data: {
        labels: data.usage.labels,
        datasets: [
          { label: data.usage.usedLabel, data: data.usage.used, backgroundColor: '#2f6fed' },
          { label: data.usage.remainingLabel, data: data.usage.remaining, backgroundColor: '#9ec5fe' }
        ]
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        locale: locale,
        scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  var forecast = document.getElementById('forecast-chart');
  if (forecast) {
    new Chart(forecast, {
      data: {
        labels: data.forecast.labels,
        datasets: [
          { type: 'bar', label: data.forecast.coveredLabel, data: data.forecast.covered, backgroundColor: '#2f6fed', stack: 'due' },
          { type: 'bar', label: data.forecast.shortLabel, data: data.forecast.shortBy, backgroundColor: '#dc3545', stack: 'due' },
          { type: 'line', label: data.forecast.leftLabel, data: data.forecast.left, borderColor: '#198754', backgroundColor: '#198754', yAxisID: 'left', tension: 0.2 }
        ]
      },
      options: {
        maintainAspectRatio: false,
        locale: locale,
        scales: {
          x: { stacked: true, title: { display: true, text: data.forecast.weekLabel } },
          y: { stacked: true, beginAtZero: true, position: 'left' },
          left: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } }
        },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }
})();
