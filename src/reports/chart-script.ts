/**
 * The inline script of a report: draws its SVG charts from the JSON data embedded in the page.
 * Written for any current browser, no library, no network. Text goes into the DOM only through
 * `textContent`, never as markup, so record content cannot inject anything.
 */

/** Source of the chart script (placed inside a `<script>` element of the report). */
export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('report-data').textContent);

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) node.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, attrs) {
    var t = el('text', Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = content;
    return t;
  }
  function tip(node, content) {
    var t = el('title', {}, node);
    t.textContent = content;
  }
  function svgIn(id, width, height, label) {
    var host = document.getElementById(id);
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' }, host);
    return svg;
  }
  function niceMax(v) {
    if (v <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }
  function fmtSeconds(s) {
    if (!isFinite(s)) return '-';
    if (s === 0) return '0';
    if (s < 0.001) return (s * 1e6).toFixed(0) + ' µs';
    if (s < 1) return (s * 1000).toFixed(1) + ' ms';
    return s.toFixed(3) + ' s';
  }
  // cuts the text of an SVG <text> element (with an ellipsis) until it is at most maxWidth wide
  function fitText(node, full, maxWidth) {
    var chars = Array.from(full), n = chars.length;
    while (n > 1 && node.getComputedTextLength() > maxWidth) {
      n = Math.max(1, Math.min(n - 1, Math.floor((n * maxWidth) / node.getComputedTextLength())));
      node.textContent = chars.slice(0, n).join('') + '\u2026';
    }
  }
  function axis(svg, left, top, width, height, max, fmt) {
    for (var i = 0; i <= 4; i++) {
      var y = top + height - (height * i) / 4;
      el('line', { x1: left, x2: left + width, y1: y, y2: y, class: 'grid' }, svg);
      text(svg, left - 6, y + 4, fmt((max * i) / 4), { class: 'axis-label', 'text-anchor': 'end' });
    }
  }

  function timeline() {
    var buckets = data.timeline;
    var W = 900, H = 300, L = 50, T = 20, R = 10, B = 50;
    var svg = svgIn('chart-timeline', W, H, 'Events over time');
    var max = niceMax(Math.max.apply(null, buckets.map(function (b) { return b.events; }).concat([0])));
    var cw = (W - L - R) / buckets.length, ch = H - T - B;
    axis(svg, L, T, W - L - R, ch, max, function (v) { return String(Math.round(v)); });
    buckets.forEach(function (b, i) {
      var x = L + i * cw + cw * 0.12, w = cw * 0.76;
      var h = (b.events / max) * ch, he = (b.errors / max) * ch;
      var ok = el('rect', { x: x, y: T + ch - h, width: w, height: Math.max(0, h - he), class: 'bar bar-events', 'data-count': b.events - b.errors }, svg);
      tip(ok, b.label + ': ' + b.events + ' events, ' + b.errors + ' errors');
      var bad = el('rect', { x: x, y: T + ch - he, width: w, height: he, class: 'bar bar-errors', 'data-count': b.errors }, svg);
      tip(bad, b.label + ': ' + b.errors + ' errors');
      var every = buckets.length > 12 ? 3 : 1;
      if (i % every === 0) text(svg, x + w / 2, H - B + 18, b.label, { class: 'axis-label', 'text-anchor': 'middle' });
    });
    var legend = [['bar-events', 'events'], ['bar-errors', 'errors']];
    legend.forEach(function (item, i) {
      el('rect', { x: L + i * 100, y: H - 18, width: 12, height: 12, class: item[0] }, svg);
      text(svg, L + i * 100 + 18, H - 8, item[1], { class: 'axis-label' });
    });
  }

  function funnel() {
    var stages = data.funnel;
    var W = 480, rowH = 40, L = 100, R = 110, T = 6;
    var H = T * 2 + stages.length * rowH;
    var svg = svgIn('chart-funnel', W, H, 'Lead funnel');
    var max = Math.max.apply(null, stages.map(function (s) { return s.leads; }).concat([1]));
    var full = W - L - R;
    stages.forEach(function (s, i) {
      var w = (s.leads / max) * full, y = T + i * rowH;
      text(svg, L - 10, y + rowH / 2 + 5, s.label, { class: 'funnel-label', 'text-anchor': 'end' });
      var bar = el('rect', { x: L + (full - w) / 2, y: y + 6, width: Math.max(w, 1), height: rowH - 12, rx: 4, class: 'funnel-bar', 'data-stage': s.key, 'data-leads': s.leads }, svg);
      tip(bar, s.label + ': ' + s.leads + ' leads');
      text(svg, W - R + 10, y + rowH / 2 + 5, s.leads + ' (' + s.share + ')', { class: 'funnel-value' });
    });
  }

  function latency() {
    var ops = Object.keys(data.latency);
    var host = document.getElementById('chart-latency');
    if (ops.length === 0) { host.textContent = 'No performance records in this period.'; return; }
    var keys = ['p50', 'p95', 'p99', 'max'];
    var W = 900, L = 190, R = 90, T = 10, barH = 9, gap = 14, B = 46;
    var groupH = keys.length * barH + gap;
    var H = T + ops.length * groupH + B;
    var svg = svgIn('chart-latency', W, H, 'Latency percentiles per operation');
    var max = niceMax(Math.max.apply(null, ops.map(function (o) { return data.latency[o].max; })));
    var full = W - L - R, bottom = T + ops.length * groupH;
    for (var i = 0; i <= 4; i++) {
      var x = L + (full * i) / 4;
      el('line', { x1: x, x2: x, y1: T, y2: bottom, class: 'grid' }, svg);
      text(svg, x, bottom + 16, fmtSeconds((max * i) / 4), { class: 'axis-label', 'text-anchor': 'middle' });
    }
    ops.forEach(function (op, i) {
      var stats = data.latency[op], y0 = T + i * groupH;
      // long operation names are cut to fit left of the bars; the full name is the tooltip
      var label = text(svg, L - 8, y0 + (keys.length * barH) / 2 + 4, op, { class: 'funnel-label latency-label', 'text-anchor': 'end' });
      fitText(label, op, L - 14);
      tip(label, op);
      keys.forEach(function (k, j) {
        var w = (stats[k] / max) * full;
        var bar = el('rect', { x: L, y: y0 + j * barH, width: Math.max(w, 1), height: barH - 1, class: 'latency-bar lat-' + k, 'data-op': op, 'data-stat': k }, svg);
        tip(bar, op + ' ' + k + ': ' + fmtSeconds(stats[k]));
      });
      text(svg, W - R + 6, y0 + 2 * barH + 4, 'p95 ' + fmtSeconds(stats.p95), { class: 'axis-label' });
    });
    keys.forEach(function (k, i) {
      el('rect', { x: L + i * 80, y: H - 12, width: 12, height: 10, class: 'lat-' + k }, svg);
      text(svg, L + i * 80 + 18, H - 3, k, { class: 'axis-label' });
    });
  }

  timeline();
  funnel();
  latency();
  document.documentElement.setAttribute('data-charts', 'rendered');
})();
`;
