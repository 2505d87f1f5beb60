// The dashboard's chart: endings per day, stacked, from the data-series attribute (the same numbers are in the
// table below it). No inline script: the page's Content-Security-Policy allows scripts from this site only.
(function () {
  'use strict';
  function draw() {
    var canvas = document.getElementById('by-day');
    if (!canvas || typeof Chart === 'undefined') { return; }
    var data = JSON.parse(canvas.getAttribute('data-series'));
    // colours apart for colour-blind readers and at least 3:1 against white
    var colours = { confirmed: '#1a7f37', assumed: '#5a9bd4', escalated: '#b35900', unresolved: '#c62828',
      abandoned: '#6e6e6e' };
    var keys = ['confirmed', 'assumed', 'escalated', 'unresolved', 'abandoned'];
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.days.map(function (d) { return d.day; }),
        datasets: keys.map(function (k) {
          return { label: data.labels[k], data: data.days.map(function (d) { return d[k]; }),
            backgroundColor: colours[k], stack: 'endings' };
        })
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', draw); } else { draw(); }
})();
