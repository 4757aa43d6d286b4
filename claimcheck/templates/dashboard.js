// Sorts and filters the stories table; a click on a "flags by kind" bar filters by kind.
(() => {
  "use strict";
  const tbody = document.querySelector("#stories tbody");
  const rows = Array.from(tbody.rows);
  const text = new Map(rows.map((r) => [r, r.textContent.toLowerCase()]));
  const heads = Array.from(document.querySelectorAll("#stories th[data-key]"));
  const $ = (id) => document.getElementById(id);

  // Each column's sort keys, read from the rows once: sorting 2,225 rows stays quick.
  const columns = {};
  function column(key, numeric) {
    if (!columns[key]) {
      columns[key] = rows.map((row) => {
        const v = row.dataset[key];
        return [numeric ? (v === "" ? null : parseFloat(v)) : v.toLowerCase(), row];
      });
    }
    return columns[key];
  }

  function sortBy(th, dir) {
    const sign = dir === "ascending" ? 1 : -1;
    const sorted = column(th.dataset.key, th.dataset.type === "number").slice().sort(([x], [y]) => {
      if (x === null || y === null) return (x === null) - (y === null); // blanks last
      return (x < y ? -1 : x > y ? 1 : 0) * sign; // stable: ties keep the page's order
    });
    for (const h of heads) h.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir);
    const frag = document.createDocumentFragment();
    for (const [, row] of sorted) frag.append(row);
    tbody.append(frag);
  }

  for (const th of heads) {
    th.querySelector("button").addEventListener("click", () => {
      sortBy(th, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
    });
  }

  function filter() {
    const q = $("q").value.trim().toLowerCase(), kind = $("kind").value;
    const section = $("section").value, flagged = $("flagged").checked;
    let shown = 0;
    for (const r of rows) {
      const ok = (!q || text.get(r).includes(q))
        && (!kind || r.dataset.kinds.split(" ").includes(kind))
        && (!section || r.dataset.section === section)
        && (!flagged || r.dataset.flags !== "0");
      r.hidden = !ok;
      shown += ok;
    }
    $("count").textContent = shown + " of " + rows.length + " stories";
  }
  for (const id of ["q", "kind", "section", "flagged"]) $(id).addEventListener("input", filter);

  // Charts are drawn while the page is still parsed; fit them to their final cells.
  window.addEventListener("load", () => {
    if (!window.Plotly) return;
    for (const div of document.querySelectorAll(".js-plotly-plot")) window.Plotly.Plots.resize(div);
  });

  const kinds = $("chart-kinds");
  if (kinds && kinds.on) {
    kinds.on("plotly_click", (e) => {
      $("kind").value = e.points[0].customdata;
      filter();
      $("stories").scrollIntoView({ behavior: "smooth" });
    });
  }
})();
