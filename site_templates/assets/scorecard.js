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

  /* Small tables (Business units): sorted in the page by their cells' data-value or text. */
  /* Each chart's data as a CSV file, made in the browser from the chart's own payload. A text value that a
   * spreadsheet would read as a formula (= + - @, tab, return) is prefixed with ' so that it stays text. */
  function csvCell(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return String(value);
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function chartCsv(payload) {
    var name = Object.keys(payload.datasets)[0], data = rows(payload.datasets[name] || []);
    var keys = data.length ? Object.keys(data[0]) : [];
    return [keys.map(csvCell).join(",")].concat(data.map(function (row) {
      return keys.map(function (k) { return csvCell(row[k]); }).join(",");
    })).join("\r\n") + "\r\n";
  }

  function downloads() {
    document.querySelectorAll(".sc-figure").forEach(function (figure) {
      var button = figure.querySelector(".sc-chart__download"), data = figure.querySelector(".sc-chart-data");
      if (!button || !data || button.dataset.scReady) return;
      button.dataset.scReady = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var payload = JSON.parse(data.content ? data.content.textContent : data.textContent);
        var blob = new Blob([chartCsv(payload)], {type: "text/csv;charset=utf-8"});
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = (payload.title || payload.chart).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") + ".csv";
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
      });
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

  /* The initiative tables: every row from one JSON file (columns of values), filtered by facets and words,
   * sorted and paged here, the state kept in the URL's query so that a link shows the same rows. Rows are
   * built from text nodes and attributes only: no value from an initiative file is ever parsed as HTML. */
  var tableData = {};

  function load(url) {
    if (!tableData[url]) {
      tableData[url] = fetch(url, {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      }).then(prepare);
    }
    return tableData[url];
  }

  var FACETS = [["unit", "Business unit", "All business units"], ["stage", "Stage", "All stages"],
                ["verdict", "Verdict", "All verdicts"], ["risk", "Risk tier", "All risk tiers"],
                ["model", "Operating model", "All operating models"]];
  var NONE = {verdict: "none", model: "not set", kpi: "–"};

  function prepare(data) {
    var c = data.rows, n = c.id.length, rows = [];
    var money = "stake" in c;  /* a public build that withholds money sends no money columns */
    /* the organisation's own fields that the tables filter by (choice fields, text fields with few values) */
    var extra = (data.facets || []).filter(function (f) {
      return !FACETS.some(function (g) { return g[0] === f[0]; });
    });
    FACETS = FACETS.concat(extra);
    var rank = {};
    ["verdict", "stage", "kpi"].forEach(function (key) {
      rank[key] = {};
      data.order[key].forEach(function (value, i) { rank[key][value] = i; });
    });
    for (var i = 0; i < n; i++) {
      var unit = data.units[c.unit[i]];
      var row = {id: c.id[i], name: c.name[i], unit: unit[0], slug: unit[1], stage: c.stage[i],
                 verdict: c.verdict[i] || "", was: c.was[i], overdue: c.overdue[i] === 1,
                 stake: money ? c.stake[i] : null, stake_text: money ? c.stake_text[i] : "",
                 net: money ? c.net[i] : null, net_text: money ? c.net_text[i] : "",
                 payback: money ? c.payback[i] : null, payback_text: money ? c.payback_text[i] : "",
                 projected: money && c.projected[i] === 1,
                 kpi: c.kpi[i], risk: c.risk[i], model: c.model[i], index: i};
      (data.facets || []).forEach(function (f) { row[f[0]] = c[f[0]][i]; });
      row.text = [row.name, row.id, row.unit, row.stage, row.verdict || "none", c.words ? c.words[i] : ""].join(" ").toLowerCase();
      row.keys = {
        name: row.name.toLowerCase(), unit: row.unit.toLowerCase(),
        verdict: row.verdict in rank.verdict ? rank.verdict[row.verdict] : 99,
        stage: row.stage in rank.stage ? rank.stage[row.stage] : 99,
        kpi: row.kpi in rank.kpi ? rank.kpi[row.kpi] : 99,
        stake: row.stake, net: row.net, payback: row.payback
      };
      rows.push(row);
    }
    data.list = rows;
    return data;
  }

  function compare(key, ascending) {
    return function (a, b) {
      var x = a.keys[key], y = b.keys[key];
      if (x === null || x === undefined || y === null || y === undefined) {  /* no value: last, either way */
        if (x === y || (x == null && y == null)) return a.index - b.index;
        return x == null ? 1 : -1;
      }
      var order = x < y ? -1 : x > y ? 1 : 0;
      return (ascending ? order : -order) || a.index - b.index;
    };
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function verdictBadge(row) {
    var out = [];
    out.push(row.verdict ? el("span", {"class": "sc-verdict sc-verdict--" + row.verdict}, [row.verdict])
                         : el("span", {"class": "sc-muted"}, ["none"]));
    if (row.overdue) {
      out.push(" ");
      out.push(el("span", {"class": "sc-flag", title: "the decision is overdue"}, ["overdue"]));
    }
    if (row.was !== "") {
      out.push(el("br"));
      out.push(el("span", {"class": "sc-moved"}, ["moved, was " + (row.was || "none")]));
    }
    return out;
  }

  function renderRow(row, table) {
    var cells = [
      el("td", {"data-label": "Initiative"}, [el("a", {href: table.href.replace("__id__", encodeURIComponent(row.id))}, [row.name])]),
      el("td", {"data-label": "Verdict"}, verdictBadge(row))
    ];
    if (table.money) {  /* a public build that withholds money has no money columns at all */
      cells.push(el("td", {"class": "sc-num", "data-label": "At stake a month"}, [row.stake_text]),
        el("td", {"class": "sc-num", "data-label": "Net"}, [row.net_text]),
        el("td", {"data-label": "Payback"}, [row.projected ? el("span", {title: "projected from the latest three months"}, ["~" + row.payback_text])
                                              : row.payback ? row.payback_text : el("span", {"class": "sc-muted"}, ["none"])]));
    }
    cells.push(
      el("td", {"data-label": "Primary KPI"}, [row.kpi ? el("span", {"class": "sc-status sc-status--" + row.kpi}, [table.data.status[row.kpi] || row.kpi]) : "–"]),
      el("td", {"data-label": "Stage"}, [row.stage]));
    if (!table.unit) {
      cells.push(el("td", {"data-label": "Business unit"}, [el("a", {href: table.unitHref.replace("__slug__", encodeURIComponent(row.slug))}, [row.unit])]));
    }
    return el("tr", {}, cells);
  }

  function readState(table) {
    var q = new URLSearchParams(window.location.search), state = {q: q.get("q") || "", page: parseInt(q.get("page"), 10) || 1};
    var sort = q.get("sort"), dir = q.get("dir");
    state.sort = table.keys.indexOf(sort) >= 0 ? sort : "verdict";
    state.ascending = dir !== "desc";
    FACETS.forEach(function (f) { state[f[0]] = q.has(f[0]) ? q.get(f[0]) : null; });
    if (table.unit) state.unit = table.unit;
    return state;
  }

  function writeState(table) {
    var s = table.state, q = new URLSearchParams(window.location.search);
    var set = function (key, value, fallback) { if (value === null || value === fallback) q.delete(key); else q.set(key, value); };
    set("q", s.q, "");
    FACETS.forEach(function (f) { if (!(table.unit && f[0] === "unit")) set(f[0], s[f[0]], null); });
    set("sort", s.sort, "verdict");
    set("dir", s.ascending ? null : "desc", null);
    set("page", s.page > 1 ? String(s.page) : null, null);
    var query = q.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function matches(row, state, words, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var key = FACETS[i][0];
      if (key !== skip && state[key] !== null && row[key] !== state[key]) return false;
    }
    for (var w = 0; w < words.length; w++) if (row.text.indexOf(words[w]) === -1) return false;
    return true;
  }

  function label(key, value) { return value === "" ? (NONE[key] || "none") : value; }

  function renderFacets(table, words) {
    var s = table.state, box = table.facets;
    FACETS.forEach(function (f) {
      var key = f[0];
      if (table.unit && key === "unit") return;
      var counts = {}, order = [];
      table.data.list.forEach(function (row) {
        if (!matches(row, s, words, key)) return;
        if (!(row[key] in counts)) { counts[row[key]] = 0; order.push(row[key]); }
        counts[row[key]] += 1;
      });
      if (s[key] !== null && !(s[key] in counts)) { counts[s[key]] = 0; order.push(s[key]); }
      var ranks = table.data.order[key];
      order.sort(function (a, b) {
        if (ranks) return (ranks.indexOf(a) + 1 || 99) - (ranks.indexOf(b) + 1 || 99);
        return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
      });
      var select = table.selects[key];
      if (!select) {
        var id = "sc-facet-" + key + "-" + table.n;
        select = el("select", {id: id, "data-facet": key});
        box.appendChild(el("label", {"for": id, "class": "sc-facet"}, [el("span", {}, [f[1]]), select]));
        table.selects[key] = select;
      }
      var total = order.reduce(function (sum, v) { return sum + counts[v]; }, 0);
      var options = [el("option", {value: ""}, [f[2] + " (" + total.toLocaleString("en-US") + ")"])];
      order.forEach(function (v) {
        var option = el("option", {value: "=" + v}, [label(key, v) + " (" + counts[v].toLocaleString("en-US") + ")"]);
        if (s[key] === v) option.selected = true;
        options.push(option);
      });
      select.replaceChildren.apply(select, options);
      select.value = s[key] === null ? "" : "=" + s[key];
    });
  }

  function render(table) {
    var s = table.state, words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    var list = table.data.list.filter(function (row) { return matches(row, s, words, null); });
    list.sort(compare(s.sort, s.ascending));
    var pages = Math.max(1, Math.ceil(list.length / table.size));
    s.page = Math.min(Math.max(1, s.page), pages);
    var first = (s.page - 1) * table.size, shown = list.slice(first, first + table.size);
    table.body.replaceChildren.apply(table.body, shown.map(function (row) { return renderRow(row, table); }));
    table.heads.forEach(function (th) {
      if (th.getAttribute("data-key") === s.sort) th.setAttribute("aria-sort", s.ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    var all = table.unit ? table.data.list.filter(function (r) { return r.unit === table.unit; }).length : table.data.list.length;
    var fmt = function (n) { return n.toLocaleString("en-US"); };
    var text = list.length === 0 ? ""
      : (pages > 1 ? "Showing " + fmt(first + 1) + "–" + fmt(first + shown.length) + " of " : "") + fmt(list.length) +
        (list.length === 1 ? " initiative" : " initiatives") + (list.length < all ? " (filtered from " + fmt(all) + ")" : "") + ".";
    table.count.textContent = text;
    table.count.hidden = list.length === 0;
    table.empty.hidden = list.length > 0;
    table.wrap.hidden = list.length === 0;
    renderPager(table, pages);
    renderFacets(table, words);
    table.search.value = s.q;
    writeState(table);
    scrollHints();
  }

  function renderPager(table, pages) {
    var s = table.state, pager = table.pager;
    pager.hidden = pages <= 1;
    if (pages <= 1) { pager.replaceChildren(); return; }
    var button = function (text, page, disabled, labelText) {
      var b = el("button", {type: "button", "data-page": String(page), "aria-label": labelText}, [text]);
      b.disabled = disabled;
      return b;
    };
    pager.replaceChildren(
      button("← Previous", s.page - 1, s.page <= 1, "Previous page"),
      el("span", {"class": "sc-pager__at"}, ["Page " + s.page + " of " + pages]),
      button("Next →", s.page + 1, s.page >= pages, "Next page"));
  }

  var tableCount = 0;

  function setUpTable(box) {
    if (box.dataset.scReady) return;
    box.dataset.scReady = "1";
    var tableEl = box.querySelector("table");
    var table = {
      box: box, n: ++tableCount, unit: box.getAttribute("data-unit"), size: parseInt(box.getAttribute("data-page-size"), 10) || 50,
      href: box.getAttribute("data-href"), unitHref: box.getAttribute("data-unit-href"), money: box.getAttribute("data-money") !== "withheld",
      body: tableEl.tBodies[0], heads: Array.prototype.slice.call(tableEl.querySelectorAll("th[data-key]")),
      facets: box.querySelector(".sc-facets"), count: box.querySelector(".sc-count"), pager: box.querySelector(".sc-pager"),
      empty: box.querySelector(".sc-empty"), wrap: box.querySelector(".sc-table-wrap"), selects: {}
    };
    table.keys = table.heads.map(function (th) { return th.getAttribute("data-key"); });
    table.search = el("input", {"class": "sc-filter", type: "search", placeholder: "Filter by name, unit, stage or verdict",
                                "aria-label": "Filter initiatives by words"});
    table.facets.appendChild(table.search);
    table.heads.forEach(function (th) {
      th.tabIndex = 0;
      var sort = function () {
        var key = th.getAttribute("data-key"), s = table.state;
        s.ascending = s.sort === key ? !s.ascending : true;
        s.sort = key;
        s.page = 1;
        timed(table, "sort");
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
    table.search.addEventListener("input", function () { table.state.q = table.search.value; table.state.page = 1; timed(table, "filter"); });
    table.facets.addEventListener("change", function (e) {
      var key = e.target.getAttribute && e.target.getAttribute("data-facet");
      if (!key) return;
      table.state[key] = e.target.value === "" ? null : e.target.value.slice(1);
      table.state.page = 1;
      timed(table, "filter");
    });
    table.pager.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-page]");
      if (!b || b.disabled) return;
      table.state.page = parseInt(b.getAttribute("data-page"), 10);
      timed(table, "page");
      table.box.scrollIntoView({block: "start"});
    });
    box.querySelector(".sc-clear").addEventListener("click", function () {
      FACETS.forEach(function (f) { if (!(table.unit && f[0] === "unit")) table.state[f[0]] = null; });
      table.state.q = "";
      table.state.page = 1;
      timed(table, "filter");
    });
    load(box.getAttribute("data-src")).then(function (data) {
      table.data = data;
      table.state = readState(table);
      timed(table, "load");
      box.classList.add("sc-itable--live");
    }).catch(function (error) { console.error("scorecard: the table's data failed to load:", error); });
  }

  /* Each render is timed (performance.measure "scorecard:sort" and so on): the benchmarks read them. */
  function timed(table, what) {
    var start = performance.now();
    render(table);
    performance.measure("scorecard:" + what, {start: start, end: performance.now()});
  }

  document.addEventListener("click", function (event) {
    var th = event.target.closest && event.target.closest("table.sc-sortable th[data-sort]");
    if (th) sortBy(th);
  });
  document.addEventListener("keydown", function (event) {
    var th = event.target.closest && event.target.closest("table.sc-sortable th[data-sort]");
    if (th && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); sortBy(th); }
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
    document.querySelectorAll(".sc-itable").forEach(setUpTable);
    downloads();
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
