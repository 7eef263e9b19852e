// The dashboard's charts, drawn from the JSON the page carries (no inline script).
(function () {
  'use strict';

  var source = document.getElementById('dashboard-data');
  if (!source || typeof Chart === 'undefined') { return; }
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang;
  var numbers = new Intl.NumberFormat(locale);
  var percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  var measure = document.createElement('canvas').getContext('2d');

  function font(options) {
    return Chart.helpers.toFont(options).string;
  }

  function width(text, fontString) {
    measure.font = fontString;
    return measure.measureText(text).width;
  }

  function fill(template, values) {
    return template.replace(/\{(\d+)\}/g, function (all, i) { return values[i]; });
  }

  // Cuts a label to maxWidth pixels with an ellipsis; names run to 200 characters and would squeeze the plot.
  function truncate(text, maxWidth, fontString) {
    if (width(text, fontString) <= maxWidth) { return text; }
    var chars = Array.from(text);
    var low = 0;
    var high = chars.length;
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      if (width(chars.slice(0, mid).join('') + '…', fontString) <= maxWidth) { low = mid; } else { high = mid - 1; }
    }
    return chars.slice(0, low).join('').trimEnd() + '…';
  }

  // Breaks a long name into lines for a tooltip, which Chart.js does not wrap itself: between words where it can,
  // inside a word (or a run of Chinese) that is wider than a line.
  function wrap(text, maxWidth, fontString) {
    var lines = [];
    var line = '';
    function push() {
      if (line.trim()) { lines.push(line.trim()); }
      line = '';
    }
    text.split(/(\s+)/).forEach(function (part) {
      if (!part || width(line + part, fontString) <= maxWidth) { line += part; return; }
      push();
      if (!part.trim()) { return; }
      Array.from(part).forEach(function (c) {
        if (line && width(line + c, fontString) > maxWidth) { push(); }
        line += c;
      });
    });
    push();
    return lines;
  }

  // On a phone the legend wraps to several rows and would squeeze the bars: the box grows by what the plot lacks.
  function keepPlotHeight(minHeight) {
    var base = null;
    return {
      id: 'keepPlotHeight',
      afterLayout: function (chart) {
        var box = chart.canvas.parentNode;
        base = base || box.clientHeight;
        var wanted = Math.max(base, Math.round(chart.height + minHeight - chart.chartArea.height));
        if (Math.abs(wanted - box.clientHeight) > 1) { box.style.height = wanted + 'px'; }
      }
    };
  }

  function tooltipWidth(chart) {
    return Math.max(120, Math.min(320, chart.width - 40));
  }

  var usage = document.getElementById('usage-chart');
  if (usage) {
    var u = data.usage;
    // The labels take a fixed share of the width, whatever the names: the bars keep the rest.
    var labelWidth = function (chart) { return Math.min(160, Math.round(chart.width * 0.35)); };
    var tickFont = function () { return font(Chart.defaults.font); };
    new Chart(usage, {
      type: 'bar',
      data: {
        labels: u.names,
        datasets: [
          { label: u.usedLabel, data: u.usedPercent, backgroundColor: '#2f6fed', maxBarThickness: 36 },
          { label: u.remainingLabel, data: u.remainingPercent, backgroundColor: '#9ec5fe', maxBarThickness: 36 }
        ]
      },
      plugins: [keepPlotHeight(160)],
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        locale: locale,
        interaction: { mode: 'index', axis: 'y', intersect: false },
        scales: {
          x: {
            stacked: true,
            min: 0,
            max: 100,
            ticks: { callback: function (value) { return percents.format(value / 100); } }
          },
          y: {
            stacked: true,
            ticks: {
              autoSkip: false,
              callback: function (value, index) { return truncate(u.names[index], labelWidth(this.chart), tickFont()); }
            },
            afterFit: function (scale) { scale.width = labelWidth(scale.chart) + 12; }
          }
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                var chart = items[0].chart;
                return wrap(u.names[items[0].dataIndex], tooltipWidth(chart), font(chart.options.plugins.tooltip.titleFont));
              },
              label: function (item) {
                var i = item.dataIndex;
                return item.datasetIndex === 0
                  ? fill(u.usedTooltip, [numbers.format(u.used[i]), numbers.format(u.total[i]), percents.format(u.usedPercent[i] / 100)])
                  : fill(u.remainingTooltip, [numbers.format(u.remaining[i]), numbers.format(u.total[i]), percents.format(u.remainingPercent[i] / 100)]);
              }
            }
          }
        }
      }
    });
  }

  var forecast = document.getElementById('forecast-chart');
  if (forecast) {
    var f = data.forecast;
    var shortColors = ['#dc3545', '#fd7e14', '#842029', '#d63384'];
    var datasets = [{ label: f.coveredLabel, data: f.covered, backgroundColor: '#9ec5fe', stack: 'due' }];
    f.shortfalls.forEach(function (s, i) {
      datasets.push({
        label: s.label,
        data: s.data,
        backgroundColor: s.productKey === null ? '#f1aeb5' : shortColors[i % shortColors.length],
        stack: 'due',
        productKey: s.productKey,
        productName: s.name
      });
    });
    new Chart(forecast, {
      type: 'bar',
      data: { labels: f.labels, datasets: datasets },
      plugins: [keepPlotHeight(180)],
      options: {
        maintainAspectRatio: false,
        locale: locale,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, title: { display: true, text: f.weekLabel } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: {
              boxWidth: 12,
              generateLabels: function (chart) {
                var max = Math.min(240, chart.width - 40);
                var labelFont = font(chart.options.plugins.legend.labels.font || Chart.defaults.font);
                return Chart.defaults.plugins.legend.labels.generateLabels(chart).map(function (item) {
                  item.text = truncate(item.text, max, labelFont);
                  return item;
                });
              }
            }
          },
          tooltip: {
            // A week's tooltip lists only what happens in it: nothing short, no line for that product.
            filter: function (item) { return item.raw > 0; },
            callbacks: {
              title: function (items) { return fill(f.weekTooltip, [items[0].label]); },
              label: function (item) {
                var dataset = item.dataset;
                var text = dataset.productName === undefined
                  ? fill(f.coveredTooltip, [numbers.format(item.raw)])
                  : fill(f.shortTooltip, [dataset.productName, numbers.format(item.raw)]);
                return wrap(text, tooltipWidth(item.chart), font(item.chart.options.plugins.tooltip.bodyFont));
              },
              footer: function (items) {
                return items.length ? fill(f.dueTooltip, [numbers.format(f.due[items[0].dataIndex])]) : '';
              }
            }
          }
        }
      }
    });
  }
})();
