// The search page: query box, time range, histogram, matching logs or a SQL table and chart.
import { api, el, errorBox, fill, formatTime, table } from "./dom.js";
import { chartPlan, histogram, sqlChart } from "./charts.js";

export const PAGE_SIZE = 20;
const RANGES = [
  ["5m", "Last 5 minutes", 300], ["15m", "Last 15 minutes", 900], ["1h", "Last hour", 3600],
  ["4h", "Last 4 hours", 14400], ["1d", "Last day", 86400], ["7d", "Last 7 days", 604800],
  ["30d", "Last 30 days", 2592000], ["abs", "Absolute…", 0],
];

/** The search statement of a query: what comes before the first "|" outside quotes. */
export function searchPart(query) {
  let quote = null;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "|") {
      return { search: query.slice(0, i).trim() || "*", sql: query.slice(i + 1).trim() };
    }
  }
  return { search: query.trim() || "*", sql: "" };
}

/** [from, to) in Unix seconds for the page's state. */
export function timeRange(state, now) {
  if (state.range === "abs") {
    const from = Number(state.from), to = Number(state.to);
    if (Number.isFinite(from) && Number.isFinite(to) && to > from) return [from, to];
  }
  const span = (RANGES.find((r) => r[0] === state.range) || RANGES[1])[2] || 900;
  const end = Math.floor(now / 1000) + 1; // "to" is exclusive: include this second
  return [end - span, end];
}

function toLocalInput(seconds) {
  const d = new Date(seconds * 1000);
  const pad = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fromLocalInput(value) {
  const t = new Date(value).getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : NaN;
}

/** Render the search page of a logstore; navigate(state) moves to another state (via the URL). */
export async function searchPage(main, project, logstore, state, navigate) {
  const [from, to] = timeRange(state, Date.now());
  const query = state.query || "";
  const queryBox = el("input", { id: "query", type: "search", class: "query", value: query, spellcheck: "false",
    placeholder: 'search: level:ERROR and "timeout"   SQL: * | select level, count(*) as n group by level',
    "aria-label": "query" });
  const rangeBox = el("select", { id: "range", "aria-label": "time range" },
    RANGES.map(([value, label]) => el("option", { value, selected: value === (state.range || "15m") }, label)));
  const fromBox = el("input", { id: "from", type: "datetime-local", step: "1", value: toLocalInput(from), "aria-label": "from" });
  const toBox = el("input", { id: "to", type: "datetime-local", step: "1", value: toLocalInput(to), "aria-label": "to" });
  const absolute = el("span", { class: "absolute", hidden: rangeBox.value !== "abs" }, fromBox, " – ", toBox);
  rangeBox.addEventListener("change", () => { absolute.hidden = rangeBox.value !== "abs"; });
  const form = el("form", { id: "search-form", class: "search-form" }, queryBox, rangeBox, absolute,
    el("button", { id: "run", type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = { query: queryBox.value, range: rangeBox.value, page: 1 };
    if (next.range === "abs") {
      next.from = fromLocalInput(fromBox.value);
      next.to = fromLocalInput(toBox.value);
    }
    navigate(next);
  });
  const results = el("div", { id: "results" }, el("p", { class: "muted" }, "Searching…"));
  fill(main,
    el("h1", {}, "Search ", el("span", { class: "name" }, logstore)),
    form,
    el("p", { class: "muted range-text", id: "range-text" }, `${formatTime(from)} – ${formatTime(to)}`),
    results);

  const parts = searchPart(query);
  const base = { project, logstore, from, to };
  const page = Math.max(1, Number(state.page) || 1);
  try {
    const [hist, logs] = await Promise.all([
      api("histograms", { ...base, query: parts.search }),
      api("logs", parts.sql
        ? { ...base, query }
        : { ...base, query, line: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, reverse: "true" }),
    ]);
    const zoom = (bucketFrom, bucketTo) => navigate({ query, range: "abs", from: bucketFrom, to: bucketTo, page: 1 });
    const children = [
      el("p", { class: "count" }, el("span", { id: "count" }, String(hist.total)), " log(s) match",
        hist.complete ? "" : " (incomplete)"),
      histogram(hist.buckets, zoom),
    ];
    if (parts.sql) children.push(...sqlResult(logs));
    else children.push(...logList(logs.rows, hist.total, page, (p) => navigate({ ...state, page: p })));
    fill(results, ...children);
  } catch (error) {
    fill(results, errorBox(error));
  }
}

function orderedFields(row) {
  const keys = Object.keys(row).filter((k) => k !== "__time__" && k !== "__time_ns_part__");
  const meta = (k) => (k.startsWith("__") ? 1 : 0);
  return keys.sort((a, b) => meta(a) - meta(b));
}

function logEntry(row) {
  const fields = orderedFields(row);
  const summary = fields.filter((k) => !k.startsWith("__")).map((k) => `${k}=${row[k]}`).join("  ");
  const toggle = el("button", { class: "toggle", type: "button", "aria-expanded": "false", title: "show fields" }, "▸");
  const detail = el("table", { class: "fields", hidden: true },
    el("tbody", {}, fields.map((k) => el("tr", {}, el("td", { class: "field-key" }, k),
      el("td", { class: "field-value" }, String(row[k]))))));
  const item = el("li", { class: "log" },
    el("div", { class: "log-head" }, toggle,
      el("span", { class: "log-time" }, formatTime(row.__time__)),
      el("span", { class: "log-summary" }, summary.length > 400 ? summary.slice(0, 399) + "…" : summary)),
    detail);
  item.querySelector(".log-head").addEventListener("click", () => {
    detail.hidden = !detail.hidden;
    toggle.textContent = detail.hidden ? "▸" : "▾";
    toggle.setAttribute("aria-expanded", String(!detail.hidden));
    item.classList.toggle("open", !detail.hidden);
  });
  return item;
}

function logList(rows, total, page, goTo) {
  if (!rows.length) return [el("p", { class: "empty", id: "logs" }, "No log matches in this time range.")];
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pager = el("div", { class: "pager", id: "pager" },
    el("button", { type: "button", id: "prev", disabled: page <= 1, onclick: () => goTo(page - 1) }, "‹ Newer"),
    el("span", { id: "page" }, `page ${page} of ${pages}`),
    el("button", { type: "button", id: "next", disabled: page >= pages, onclick: () => goTo(page + 1) }, "Older ›"));
  return [el("ol", { id: "logs", class: "logs" }, rows.map(logEntry)), pager];
}

function sqlResult(answer) {
  const rows = answer.rows;
  const keys = answer.meta.keys || (rows.length ? Object.keys(rows[0]) : []);
  const out = [el("p", { class: "muted", id: "sql-count" }, `${rows.length} row(s)`)];
  const plan = chartPlan(rows, keys, answer.meta.columnTypes);
  if (plan) out.push(sqlChart(rows, plan));
  out.push(rows.length
    ? table(keys, rows.map((row) => keys.map((k) => (row[k] === null || row[k] === undefined ? "null" : String(row[k])))),
      { id: "sql-table", class: "grid-table mono" })
    : el("p", { class: "empty", id: "sql-table" }, "The statement returned no row."));
  return out;
}
