/* scorecard: draw the charts of a page and make its tables sortable and filterable.
 * Chart specs come from specs.js (window.scorecardSpecs), the drawing code from the
 * bundled vega-embed (window.vegaEmbed); nothing is fetched from another host.
 * Each chart's data sit in a <template> next to it (JSON with <, > and & escaped) and
 * are read with JSON.parse, never evaluated. Not a <script type="application/json">:
 * Material's instant navigation re-creates inline scripts without their type and
 * would run the JSON as JavaScript. */
(function () {
  "use strict";
  var views = [];

  function cssVar(style, name, fallback) {
    var value = style.getPropertyValue(name).trim();
    return value || fallback;
  }

  function theme() {
    var style = getComputedStyle(document.body);
    var fg = cssVar(style, "--md-default-fg-color", "#222");
    var muted = cssVar(style, "--md-default-fg-color--light", "#666");
    var faint = cssVar(style, "--md-default-fg-color--lightest", "#ddd");
    var accent = cssVar(style, "--md-typeset-a-color", "#3f51b5");
    var font = cssVar(style, "--md-text-font-family", "") || "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif";
    return {
      background: null, font: font,
      view: {stroke: null},
      axis: {labelColor: muted, titleColor: fg, gridColor: faint, domainColor: muted, tickColor: muted, labelFontSize: 11},
      legend: {labelColor: fg, titleColor: fg, labelFontSize: 11},
      title: {color: fg, anchor: "start", fontSize: 13, fontWeight: 600, offset: 8},
      text: {color: fg}, rule: {color: muted},
      line: {color: accent}, area: {color: accent}, point: {color: accent}, bar: {color: accent}
    };
  }

  /* A dataset arrives as rows, or as columns {field: [values]} (half the bytes): make rows. */
  function rows(data) {
    if (Array.isArray(data)) return data;
    var keys = Object.keys(data), n = keys.length ? data[keys[0]].length : 0, out = [];
    for (var i = 0; i < n; i++) {
      var row = {};
      keys.forEach(function (k) { row[k] = data[k][i]; });
      out.push(row);
    }
    return out;
  }

  function draw() {
    views.forEach(function (view) { view.finalize(); });
    views = [];
    if (!window.vegaEmbed || !window.scorecardSpecs) return;
    var config = theme();
    document.querySelectorAll(".sc-figure").forEach(function (figure) {
      var target = figure.querySelector(".sc-chart");
      var data = figure.querySelector(".sc-chart-data");
      if (!target || !data) return;
      var payload = JSON.parse(data.content ? data.content.textContent : data.textContent);
      var base = window.scorecardSpecs[payload.chart];
      if (!base) return;
      var spec = JSON.parse(JSON.stringify(base));
      spec.datasets = {};
      Object.keys(payload.datasets).forEach(function (name) { spec.datasets[name] = rows(payload.datasets[name]); });
      if (spec.layer) {  /* a layer without data (no payback month yet, say) is left out, not drawn empty */
        spec.layer = spec.layer.filter(function (layer) {
          return !layer.data || !layer.data.name || (spec.datasets[layer.data.name] || []).length > 0;
        });
      }
      spec.title = payload.title;
      spec.config = Object.assign({}, spec.config, config);
      window.vegaEmbed(target, spec, {actions: false, renderer: "svg"})
        .then(function (result) { views.push(result.view); })
        .catch(function (error) { console.error("scorecard: chart '" + payload.chart + "' failed:", error); });
    });
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return numeric ? -Infinity : "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(th) {
    var table = th.closest("table");
    var body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-sort") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    th.parentNode.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.addEventListener("click", function (event) {
    var th = event.target.closest && event.target.closest("table.sc-sortable th[data-sort]");
    if (th) sortBy(th);
  });
  document.addEventListener("keydown", function (event) {
    var th = event.target.closest && event.target.closest("table.sc-sortable th[data-sort]");
    if (th && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); sortBy(th); }
  });
  document.addEventListener("input", function (event) {
    if (!event.target.classList || !event.target.classList.contains("sc-filter")) return;
    var words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    var table = event.target.parentNode.querySelector("table");
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  });

  /* A table wider than its box gets a visible "scroll sideways" hint above it (and loses it at the end). */
  function scrollHints() {
    document.querySelectorAll(".sc-table-wrap").forEach(function (wrap) {
      var hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains("sc-scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "sc-scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = "Scroll sideways for more columns \u2192";
        wrap.parentNode.insertBefore(hint, wrap);
      }
      var update = function () {
        var more = wrap.scrollWidth > wrap.clientWidth + 1 && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1;
        hint.classList.toggle("sc-shown", more);
      };
      if (!wrap.dataset.scHint) {
        wrap.dataset.scHint = "1";
        wrap.addEventListener("scroll", update, {passive: true});
      }
      update();
    });
  }
  window.addEventListener("resize", scrollHints);

  function ready() {
    scrollHints();
    document.querySelectorAll("table.sc-sortable th[data-sort]").forEach(function (th) { th.tabIndex = 0; });
    /* Material's search is a role="dialog" without a name: screen readers announce an unnamed dialog */
    var search = document.querySelector(".md-search[role='dialog']");
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    draw();
  }

  /* Redraw when the reader switches Material's light / dark palette. */
  new MutationObserver(function (changes) {
    if (changes.some(function (c) { return c.attributeName === "data-md-color-scheme"; })) draw();
  }).observe(document.body, {attributes: true});

  /* Material's instant navigation swaps pages without reloading scripts: document$ emits on each. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(ready);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
