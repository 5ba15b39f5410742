// Charts drawn as plain SVG: the search histogram, and line or bar charts of SQL answers.
import { svg, formatTime } from "./dom.js";

const W = 900;
const PAD = { left: 48, right: 12, top: 10, bottom: 26 };

function niceMax(value) {
  if (value <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function yAxis(root, max, height) {
  const inner = height - PAD.top - PAD.bottom;
  for (const fraction of [0, 0.5, 1]) {
    const y = PAD.top + inner * (1 - fraction);
    root.append(svg("line", { class: "grid", x1: PAD.left, x2: W - PAD.right, y1: y, y2: y }));
    root.append(svg("text", { class: "tick", x: PAD.left - 6, y: y + 4, "text-anchor": "end" }, formatNumber(max * fraction)));
  }
}

function formatNumber(n) {
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return String(Number(n.toFixed(2)));
}

/**
 * The histogram of a search: one bar per bucket (empty buckets too, as zero-height bars), a
 * tooltip with the bucket's range and count, and onZoom(from, to) when a bar is clicked.
 */
export function histogram(buckets, onZoom) {
  const height = 140;
  const root = svg("svg", { id: "histogram", class: "chart histogram", viewBox: `0 0 ${W} ${height}`, role: "img",
    "aria-label": "log count per time bucket" });
  const max = niceMax(Math.max(0, ...buckets.map((b) => Number(b.count) || 0)));
  yAxis(root, max, height);
  const inner = height - PAD.top - PAD.bottom;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, buckets.length);
  buckets.forEach((bucket, i) => {
    const count = Number(bucket.count) || 0;
    const h = (inner * count) / max;
    const x = PAD.left + i * slot;
    // A full-height transparent hit area makes empty buckets clickable as well.
    const group = svg("g", { class: "bucket", "data-from": bucket.from, "data-to": bucket.to, "data-count": count },
      svg("title", {}, `${formatTime(bucket.from)} – ${formatTime(bucket.to)}: ${count}`),
      svg("rect", { class: "hit", x, y: PAD.top, width: slot, height: inner }),
      svg("rect", { class: "bar", x: x + slot * 0.1, y: PAD.top + inner - h, width: Math.max(1, slot * 0.8), height: h }));
    group.addEventListener("click", () => onZoom(Number(bucket.from), Number(bucket.to)));
    root.append(group);
  });
  if (buckets.length) {
    const first = buckets[0], last = buckets[buckets.length - 1];
    root.append(svg("text", { class: "tick", x: PAD.left, y: height - 8 }, formatTime(first.from)));
    root.append(svg("text", { class: "tick", x: W - PAD.right, y: height - 8, "text-anchor": "end" }, formatTime(last.to)));
  }
  return root;
}

/** Numbers of a column, or null when some value is not a number. */
export function numericColumn(rows, key) {
  const values = [];
  for (const row of rows) {
    const raw = row[key];
    if (raw === null || raw === undefined || String(raw).trim() === "") return null;
    const n = Number(raw);
    if (!Number.isFinite(n)) return null;
    values.push(n);
  }
  return values;
}

const TIME_NAME = /(^|_)(time|t|ts|timestamp|date|minute|hour|day|__time__)$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?/;

/** Whether a column holds times: an ISO date, or epoch seconds under a time-like name. */
export function isTimeColumn(rows, key, type) {
  if (!rows.length) return false;
  if (type && /timestamp|date/i.test(type)) return true;
  if (rows.every((r) => ISO_DATE.test(String(r[key])))) return true;
  const numbers = numericColumn(rows, key);
  return Boolean(numbers && TIME_NAME.test(key) && numbers.every((n) => n > 1e8 && n < 1e11));
}

function timeValue(raw) {
  const n = Number(raw);
  if (Number.isFinite(n)) return n;
  return Date.parse(String(raw).replace(" ", "T")) / 1000;
}

/**
 * How to chart a SQL answer: {kind: "line"|"bar", x, ys} or null. A time column gives a line
 * chart, a text (category) column a bar chart; the numeric columns are the series.
 */
export function chartPlan(rows, keys, types) {
  if (!rows.length || keys.length < 2) return null;
  const typeOf = (k) => (types && types[keys.indexOf(k)]) || "";
  const timeKey = keys.find((k) => isTimeColumn(rows, k, typeOf(k)));
  const numeric = keys.filter((k) => k !== timeKey && numericColumn(rows, k) !== null);
  if (timeKey && numeric.length) return { kind: "line", x: timeKey, ys: numeric };
  const category = keys.find((k) => numericColumn(rows, k) === null);
  if (category && numeric.length) return { kind: "bar", x: category, ys: numeric };
  return null;
}

/** Draw a plan made by chartPlan. */
export function sqlChart(rows, plan) {
  const height = 240;
  const root = svg("svg", { id: "sql-chart", class: `chart ${plan.kind}`, "data-kind": plan.kind,
    viewBox: `0 0 ${W} ${height}`, role: "img", "aria-label": `${plan.kind} chart of ${plan.ys.join(", ")} by ${plan.x}` });
  const series = plan.ys.map((k) => numericColumn(rows, k));
  const max = niceMax(Math.max(0, ...series.flat()));
  yAxis(root, max, height);
  const inner = height - PAD.top - PAD.bottom;
  const width = W - PAD.left - PAD.right;
  const yOf = (v) => PAD.top + inner - (inner * Math.max(0, v)) / max;
  if (plan.kind === "line") {
    const points = rows.map((r, i) => ({ t: timeValue(r[plan.x]), i })).sort((a, b) => a.t - b.t);
    const t0 = points[0].t, t1 = points[points.length - 1].t;
    const xOf = (t) => PAD.left + (t1 > t0 ? (width * (t - t0)) / (t1 - t0) : width / 2);
    series.forEach((values, s) => {
      const d = points.map((p, j) => `${j ? "L" : "M"}${xOf(p.t).toFixed(1)},${yOf(values[p.i]).toFixed(1)}`).join(" ");
      root.append(svg("path", { class: `series s${s % 6}`, d }));
      for (const p of points) {
        root.append(svg("circle", { class: `point s${s % 6}`, cx: xOf(p.t), cy: yOf(values[p.i]), r: 3 },
          svg("title", {}, `${rows[p.i][plan.x]}: ${plan.ys[s]} = ${values[p.i]}`)));
      }
    });
    const label = (raw) => (Number.isFinite(Number(raw)) ? formatTime(raw) : String(raw));
    root.append(svg("text", { class: "tick", x: PAD.left, y: height - 8 }, label(rows[points[0].i][plan.x])));
    root.append(svg("text", { class: "tick", x: W - PAD.right, y: height - 8, "text-anchor": "end" },
      label(rows[points[points.length - 1].i][plan.x])));
  } else {
    const slot = width / rows.length;
    const bar = (slot * 0.8) / series.length;
    rows.forEach((row, i) => {
      series.forEach((values, s) => {
        const x = PAD.left + i * slot + slot * 0.1 + s * bar;
        root.append(svg("rect", { class: `bar s${s % 6}`, x, y: yOf(values[i]), width: Math.max(1, bar),
          height: PAD.top + inner - yOf(values[i]) },
          svg("title", {}, `${row[plan.x]}: ${plan.ys[s]} = ${values[i]}`)));
      });
      const label = String(row[plan.x]);
      root.append(svg("text", { class: "tick", x: PAD.left + (i + 0.5) * slot, y: height - 8, "text-anchor": "middle" },
        label.length > 14 ? label.slice(0, 13) + "…" : label));
    });
  }
  const legend = svg("g", { class: "legend" });
  plan.ys.forEach((k, s) => {
    legend.append(svg("rect", { class: `swatch s${s % 6}`, x: W - PAD.right - 140, y: PAD.top + s * 16, width: 10, height: 10 }));
    legend.append(svg("text", { class: "tick", x: W - PAD.right - 124, y: PAD.top + 9 + s * 16 }, k));
  });
  root.append(legend);
  return root;
}
