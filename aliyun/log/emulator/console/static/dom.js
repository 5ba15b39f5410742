// DOM and API helpers shared by the pages.
// Every piece of data reaches the page through textContent or an attribute set by setAttribute:
// log values are hostile input, and nothing here ever parses data as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Build an element: el("td", {class: "x"}, "text", child, ...). Strings become text nodes. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Build an SVG element the same way. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace the children of a node. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A link to a console route (hash), with its parts URI-encoded. */
export function routeLink(text, ...parts) {
  return el("a", { href: route(...parts) }, text);
}

export function route(...parts) {
  return "#/" + parts.map((p) => encodeURIComponent(p)).join("/");
}

/** An error answered by the API (or a failure to reach it), with the SLS code and message. */
export class ApiError extends Error {
  constructor(code, message, requestId, status) {
    super(`${code}: ${message}`);
    this.code = code;
    this.errorMessage = message;
    this.requestId = requestId || "";
    this.status = status || 0;
  }
}

/** Call the console's JSON endpoint: resolves with its answer, rejects with an ApiError. */
export async function api(action, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null) query.set(k, String(v));
  }
  let response;
  try {
    response = await fetch(`api/${encodeURIComponent(action)}?${query}`, { headers: { Accept: "application/json" } });
  } catch (e) {
    throw new ApiError("NetworkError", `the emulator did not answer (${e.message})`, "", 0);
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError("InvalidResponse", `answer ${response.status} is not JSON`, "", response.status);
  }
  if (!response.ok) {
    throw new ApiError(body.errorCode || "Error", body.errorMessage || `HTTP ${response.status}`, body.requestId, response.status);
  }
  return body;
}

/** The block an error is shown in, as SLS shows it: code, message, request id. */
export function errorBox(error) {
  const code = error instanceof ApiError ? error.code : "ConsoleError";
  const message = error instanceof ApiError ? error.errorMessage : String(error && error.message ? error.message : error);
  return el("div", { class: "error", role: "alert", id: "error" },
    el("strong", { class: "error-code" }, code),
    el("span", { class: "error-message" }, message),
    error && error.requestId ? el("span", { class: "error-request" }, `request id ${error.requestId}`) : null);
}

/** A table from header names and rows of cell values (strings or nodes). */
export function table(headers, rows, attrs) {
  return el("table", attrs || {},
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell) => el("td", {}, cell))))));
}

/** "2024-05-01 12:00:00" in local time from Unix seconds. */
export function formatTime(seconds) {
  const n = Number(seconds);
  if (!Number.isFinite(n)) return String(seconds);
  const d = new Date(n * 1000);
  const pad = (x) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
