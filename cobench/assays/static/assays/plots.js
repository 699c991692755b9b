// SAR plots: potency against a property, over time, and matched pairs, from the API's
// sar/plot (which follows the sharing rules: a binned assay comes as categories only).
// Hovering a point shows the compound's picture; clicking points or dragging a box around
// them lists them in the table beside the plot, and "Show selected in the SAR table" opens
// the table filtered to exactly their rows (`compounds`, registry ids), with the columns,
// sort and preview the table had. The page opened with `compounds` selects them again.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("sar-plots");
  if (!root || typeof Chart === "undefined") return;
  const NIL = "00000000-0000-0000-0000-000000000000";
  const $ = (id) => document.getElementById(id);
  const view = $("plot-view"), assaySelect = $("plot-assay"), xSelect = $("plot-x");
  const canvas = $("plot-canvas"), area = $("plot-area"), tip = $("plot-tooltip"), box = $("plot-box");
  const message = $("plot-message");
  let data = null, chart = null;
  const selected = new Set();
  const registryIds = new Map(); // compound id → registry id, of every point seen
  const maxSelected = Number(root.dataset.maxSelected) || 300;
  const MAX_ADDRESS = 3800; // the web server reads about 4,000 characters of a request line
  const opened = new URLSearchParams(window.location.search);
  let wanted = new Set(opened.getAll("compounds").flatMap((t) => t.split(/[,\s]+/)).filter(Boolean));

  const picture = (id) => root.dataset.picture.replace(NIL, id);
  const compoundUrl = (id) => root.dataset.compound.replace(NIL, id);
  const assay = () => data && data.assays.find((a) => a.id === data.assay);
  const binned = () => assay() && assay().mode === "binned";
  const byId = () => new Map(data.points.map((p) => [p.id, p]));

  function el(tag, text, attrs = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  }

  function categories() {
    const known = (assay() && assay().categories) || [];
    const extra = data.points.map((p) => p.category).filter((c) => c && !known.includes(c));
    return [...known, ...new Set(extra)];
  }

  function yOf(p) {
    return binned() ? p.category : p.y;
  }

  function xOf(p) {
    return view.value === "time" ? Date.parse(p.registered) : p[xSelect.value];
  }

  function datasets() {
    if (view.value === "pairs") {
      const pairs = (data.pairs || []).filter((q) => q.a_y !== null && q.b_y !== null);
      return [{
        label: "Matched pairs (A → B)",
        data: pairs.map((q) => ({ x: q.a_y, y: q.b_y, ids: [q.a, q.b], pair: q })),
        pointBackgroundColor: pairs.map((q) => (selected.has(q.a) || selected.has(q.b) ? "#e08a00" : "#1d5fa8")),
      }];
    }
    const points = data.points.filter((p) => yOf(p) !== null && yOf(p) !== undefined);
    return [{
      label: assay() ? assay().name : "",
      data: points.map((p) => ({ x: xOf(p), y: yOf(p), ids: [p.id], point: p })),
      pointStyle: points.map((p) => (p.qualifier === ">" || p.qualifier === "<" ? "triangle" : "circle")),
      pointRadius: points.map((p) => (selected.has(p.id) ? 6 : 4)),
      pointBackgroundColor: points.map((p) => (selected.has(p.id) ? "#e08a00" : "#1d5fa8")),
    }];
  }

  function scales() {
    const a = assay();
    const y = binned()
      ? { type: "category", labels: categories().slice().reverse(), title: { display: true, text: a.axis } }
      : { type: "linear", title: { display: true, text: a ? a.axis : "" } };
    if (view.value === "pairs") {
      return {
        x: { type: "linear", title: { display: true, text: `A: ${a ? a.axis : ""}` } },
        y: { type: "linear", title: { display: true, text: `B: ${a ? a.axis : ""}` } },
      };
    }
    const x = view.value === "time"
      ? { type: "linear", title: { display: true, text: "Registered" },
          ticks: { callback: (v) => new Date(v).toISOString().slice(0, 10) } }
      : { type: "linear", title: { display: true, text: data.properties[xSelect.value] } };
    return { x, y };
  }

  function showTooltip(context) {
    const t = context.tooltip;
    if (t.opacity === 0 || !t.dataPoints || !t.dataPoints.length) {
      tip.hidden = true;
      return;
    }
    const raw = t.dataPoints[0].raw;
    const points = byId();
    tip.replaceChildren();
    for (const id of raw.ids) {
      const p = points.get(id);
      if (!p) continue;
      if (!p.coded) tip.append(el("img", null, { src: picture(id), alt: p.registry_id, width: 240, height: 160 }));
      tip.append(el("div", `${p.registry_id}: ${p.text}`));
    }
    if (raw.pair && raw.pair.delta !== null) tip.append(el("div", `Δ ${raw.pair.delta.toFixed(2)}`));
    tip.hidden = false;
    const left = Math.min(t.caretX + 12, area.clientWidth - 260);
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, t.caretY - 80)}px`;
  }

  function draw() {
    if (chart) chart.destroy();
    chart = null;
    tip.hidden = true;
    const pairs = view.value === "pairs";
    $("plot-x-label").hidden = view.value !== "property";
    $("plot-pairs").hidden = !pairs;
    if (!data || !assay()) {
      message.textContent = "No assay values you may see in this project yet.";
      renderSelection();
      return;
    }
    const notes = [];
    if (data.truncated) notes.push(`The first ${data.compounds.toLocaleString()} compounds are plotted.`);
    if (pairs && binned()) notes.push("This assay is shared as categories: the pairs are listed, not plotted.");
    message.textContent = notes.join(" ");
    if (pairs) renderPairs();
    if (!(pairs && binned())) {
      chart = new Chart(canvas, {
        type: "scatter",
        data: { datasets: datasets() },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: scales(),
          plugins: { legend: { display: false }, tooltip: { enabled: false, external: showTooltip } },
          onClick: (event, elements) => {
            for (const e of elements) toggle(chart.data.datasets[e.datasetIndex].data[e.index].ids);
            refresh();
          },
        },
      });
    }
    renderSelection();
  }

  function toggle(ids) {
    const all = ids.every((id) => selected.has(id));
    for (const id of ids) (all ? selected.delete(id) : selected.add(id));
  }

  function refresh() {
    if (chart) {
      const fresh = datasets()[0];
      Object.assign(chart.data.datasets[0], fresh);
      chart.update("none");
    }
    if (view.value === "pairs") renderPairs();
    renderSelection();
  }

  function renderSelection() {
    const body = $("plot-selection").querySelector("tbody");
    body.replaceChildren();
    const points = data ? byId() : new Map();
    $("plot-selection-x").textContent = view.value === "time" ? "Registered"
      : (data ? data.properties[xSelect.value] : "x");
    for (const id of selected) {
      const p = points.get(id);
      if (!p) continue;
      const row = el("tr", null, { "data-id": id, class: "selected" });
      const link = el("a", p.registry_id, { href: compoundUrl(id) });
      const cell = el("td");
      cell.append(link);
      const x = view.value === "time" ? p.registered.slice(0, 10) : String(p[xSelect.value]);
      row.append(cell, el("td", x), el("td", p.text));
      body.append(row);
    }
    $("plot-selected-count").textContent = `(${body.children.length})`;
    renderTableLink();
  }

  // The link to the SAR table: its view (columns, sort, preview) and the selection.
  function renderTableLink() {
    const link = $("plot-to-table"), note = $("plot-to-table-note");
    const ids = [...selected].map((id) => registryIds.get(id)).filter(Boolean);
    const view = root.dataset.tableQuery;
    // commas stay readable: registry ids are letters, digits, "-", "_" and "."
    const compounds = ids.map(encodeURIComponent).join(",");
    const href = `${root.dataset.table}?${view ? `${view}&` : ""}compounds=${compounds}`;
    const tooMany = ids.length > maxSelected || href.length > MAX_ADDRESS;
    note.hidden = !tooMany;
    const limit = ids.length > maxSelected ? `at most ${maxSelected.toLocaleString()}` : "their ids make too long an address";
    note.textContent = tooMany
      ? `${ids.length.toLocaleString()} compounds are selected, too many to open in the table at once (${limit}). Select fewer (a smaller box), or Clear and start again.`
      : "";
    const usable = ids.length > 0 && !tooMany;
    link.setAttribute("aria-disabled", String(!usable));
    if (usable) link.href = href;
    else link.removeAttribute("href");
  }

  function renderPairs() {
    const body = $("plot-pairs-table").querySelector("tbody");
    body.replaceChildren();
    for (const q of data.pairs || []) {
      const row = el("tr", null, (selected.has(q.a) || selected.has(q.b)) ? { class: "selected" } : {});
      const a = el("td"), b = el("td"), change = el("td");
      a.append(el("a", q.a_registry_id, { href: compoundUrl(q.a) }));
      b.append(el("a", q.b_registry_id, { href: compoundUrl(q.b) }));
      change.append(el("code", q.a_part), " → ", el("code", q.b_part));
      row.append(a, b, change, el("td", q.a_text), el("td", q.b_text),
        el("td", q.delta === null ? "–" : (q.delta > 0 ? "+" : "") + q.delta.toFixed(2)));
      row.addEventListener("click", (event) => {
        if (event.target.tagName === "A") return;
        toggle([q.a, q.b]);
        refresh();
      });
      body.append(row);
    }
  }

  // Box selection: drag on the plot; every point inside the box is selected.
  let start = null;
  canvas.addEventListener("mousedown", (event) => {
    start = { x: event.offsetX, y: event.offsetY };
  });
  canvas.addEventListener("mousemove", (event) => {
    if (!start) return;
    const [x0, x1] = [start.x, event.offsetX].sort((m, n) => m - n);
    const [y0, y1] = [start.y, event.offsetY].sort((m, n) => m - n);
    if (x1 - x0 < 5 && y1 - y0 < 5) return;
    Object.assign(box.style, { left: `${x0}px`, top: `${y0}px`, width: `${x1 - x0}px`, height: `${y1 - y0}px` });
    box.hidden = false;
  });
  window.addEventListener("mouseup", (event) => {
    if (!start || !chart) {
      start = null;
      return;
    }
    const rect = canvas.getBoundingClientRect();
    const end = { x: event.clientX - rect.left, y: event.clientY - rect.top };
    const [x0, x1] = [start.x, end.x].sort((m, n) => m - n);
    const [y0, y1] = [start.y, end.y].sort((m, n) => m - n);
    start = null;
    box.hidden = true;
    if (x1 - x0 < 5 && y1 - y0 < 5) return; // a click: Chart.js's onClick handles it
    const meta = chart.getDatasetMeta(0);
    meta.data.forEach((element, i) => {
      if (element.x >= x0 && element.x <= x1 && element.y >= y0 && element.y <= y1) {
        for (const id of chart.data.datasets[0].data[i].ids) selected.add(id);
      }
    });
    refresh();
  });

  async function load() {
    const params = new URLSearchParams();
    if (root.dataset.asPartner) params.set("as_partner", root.dataset.asPartner);
    if (assaySelect.value) params.set("assay", assaySelect.value);
    if (view.value === "pairs") params.set("pairs", "true");
    message.textContent = view.value === "pairs" ? "Finding matched pairs…" : "Loading…";
    const response = await fetch(`${root.dataset.api}?${params}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      message.textContent = "The plot data could not be loaded.";
      return;
    }
    data = await response.json();
    for (const p of data.points) registryIds.set(p.id, p.registry_id);
    for (const q of data.pairs || []) {
      registryIds.set(q.a, q.a_registry_id);
      registryIds.set(q.b, q.b_registry_id);
    }
    if (wanted.size) { // the selection the page was opened with, once
      for (const p of data.points) if (wanted.has(p.registry_id)) selected.add(p.id);
      wanted = new Set();
    }
    if (!assaySelect.options.length) {
      for (const a of data.assays) {
        assaySelect.append(el("option", a.mode === "binned" ? `${a.name} (categories)` : a.name, { value: a.id }));
      }
      if (data.assay) assaySelect.value = data.assay;
    }
    draw();
  }

  view.addEventListener("change", load);
  assaySelect.addEventListener("change", load);
  xSelect.addEventListener("change", draw);
  $("plot-clear").addEventListener("click", () => {
    selected.clear();
    refresh();
  });
  load();
});
