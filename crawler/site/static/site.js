/* sonocat static site: search, filters, sortable columns and live counts for the catalogue tables.
 *
 * Plain JavaScript, no library and no network: the rows are in the page (so the tables work and are
 * indexable without JavaScript) and carry what the filters need as data-* attributes. Filter state is
 * kept in the URL fragment (#q=...&tier=...) so a filtered view can be linked.
 */
(function () {
  "use strict";

  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var FILTERS = ["q", "kind", "anatomy", "tier", "access", "task"];
  var shown = document.getElementById("shown");
  var none = document.getElementById("none");
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  var tables = Array.prototype.map.call(document.querySelectorAll("table.entries"), function (table) {
    var section = table.closest("section");
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (tr, index) {
      return {
        tr: tr,
        index: index,
        kind: tr.dataset.kind,
        groups: (tr.dataset.groups || "").split("|"),
        tier: tr.dataset.tier || "",
        access: tr.dataset.access || "",
        tasks: (tr.dataset.tasks || "").split("|"),
        search: tr.dataset.search || ""
      };
    });
    return {
      table: table,
      body: body,
      rows: rows,
      section: section,
      counter: section.querySelector(".table-count"),
      sort: null
    };
  });

  function values() {
    var out = {};
    FILTERS.forEach(function (name) {
      out[name] = (form.elements[name].value || "").trim();
    });
    return out;
  }

  function matches(row, f, terms) {
    if (f.kind && row.kind !== f.kind) return false;
    if (f.anatomy && row.groups.indexOf(f.anatomy) < 0) return false;
    if (f.tier && row.tier !== f.tier) return false;
    if (f.access && row.access !== f.access) return false;
    if (f.task && row.tasks.indexOf(f.task) < 0) return false;
    for (var i = 0; i < terms.length; i++) {
      if (row.search.indexOf(terms[i]) < 0) return false;
    }
    return true;
  }

  function apply() {
    var f = values();
    var terms = f.q.toLowerCase().split(/\s+/).filter(Boolean);
    var total = 0;
    tables.forEach(function (t) {
      var visible = 0;
      t.rows.forEach(function (row) {
        var ok = matches(row, f, terms);
        if (row.tr.hidden === ok) row.tr.hidden = !ok; /* touch the DOM only where something changes */
        if (ok) visible++;
      });
      total += visible;
      t.section.hidden = visible === 0 || (f.kind !== "" && t.section.dataset.kind !== f.kind);
      if (t.counter) t.counter.textContent = "(" + visible + " of " + t.rows.length + ")";
    });
    shown.textContent = String(total);
    none.hidden = total !== 0;
    remember(f);
  }

  function remember(f) {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      if (f[name]) params.set(name, f[name]);
    });
    var hash = params.toString();
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (err) {
      /* some browsers refuse history changes on file:// pages; the filters still work */
    }
  }

  function restore() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    FILTERS.forEach(function (name) {
      var value = params.get(name);
      if (value === null) return;
      var element = form.elements[name];
      if (element.tagName === "SELECT" && !Array.prototype.some.call(element.options, function (o) { return o.value === value; })) {
        return;
      }
      element.value = value;
    });
  }

  function cellKey(tr, column, type) {
    var cell = tr.cells[column];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") return null;
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return raw;
  }

  function sortTable(t, column, direction) {
    var th = t.table.tHead.rows[0].cells[column];
    var type = th.dataset.type || "text";
    var factor = direction === "ascending" ? 1 : -1;
    var keyed = t.rows.map(function (row) {
      return { row: row, key: cellKey(row.tr, column, type) };
    });
    keyed.sort(function (a, b) {
      if (a.key === null && b.key === null) return a.row.index - b.row.index;
      if (a.key === null) return 1; /* empty cells last, whatever the direction */
      if (b.key === null) return -1;
      var c = type === "number" ? a.key - b.key : collator.compare(a.key, b.key);
      return c !== 0 ? c * factor : a.row.index - b.row.index;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) {
      fragment.appendChild(k.row.tr);
    });
    t.body.appendChild(fragment);
    Array.prototype.forEach.call(t.table.tHead.rows[0].cells, function (cell, i) {
      if (i === column) {
        cell.setAttribute("aria-sort", direction);
      } else {
        cell.removeAttribute("aria-sort");
      }
    });
    t.sort = { column: column, direction: direction };
  }

  tables.forEach(function (t) {
    Array.prototype.forEach.call(t.table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.title = "Sort by this column";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = t.sort && t.sort.column === column && t.sort.direction === "ascending" ? "descending" : "ascending";
        sortTable(t, column, next);
      });
    });
  });

  /* With thousands of rows, filter once typing pauses rather than on every key. */
  var rowCount = tables.reduce(function (n, t) { return n + t.rows.length; }, 0);
  var pending = null;
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "SELECT") return; /* selects are handled on "change" */
    if (rowCount < 2000) {
      apply();
      return;
    }
    window.clearTimeout(pending);
    pending = window.setTimeout(apply, 150);
  });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  window.addEventListener("hashchange", function () {
    restore();
    apply();
  });

  form.hidden = false;
  restore();
  apply();
})();
