// The console's router: the URL hash names the page, so every page can be bookmarked and reloaded.
import { el, errorBox, fill, route } from "./dom.js";
import { consumersPage, logstorePage, logstoresPage, projectsPage } from "./pages.js";
import { searchPage } from "./search.js";

const main = document.getElementById("app");
const crumbs = document.getElementById("crumbs");

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, query] = hash.split("?", 2);
  const parts = path.split("/").filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  return { parts, state: Object.fromEntries(new URLSearchParams(query || "")) };
}

function setCrumbs(project, logstore, leaf) {
  const items = [el("a", { href: "#/" }, "Projects")];
  if (project) items.push(el("a", { href: route("project", project) }, project));
  if (logstore) items.push(el("a", { href: route("project", project, "logstore", logstore) }, logstore));
  if (leaf) items.push(el("span", {}, leaf));
  fill(crumbs, ...items.flatMap((item, i) => (i ? [el("span", { class: "sep" }, "/"), item] : [item])));
}

async function render() {
  const { parts, state } = parseHash();
  const [kind, project, sub, logstore, page] = parts;
  try {
    if (!kind) {
      setCrumbs();
      await projectsPage(main);
    } else if (kind === "project" && project && !sub) {
      setCrumbs(project);
      await logstoresPage(main, project);
    } else if (kind === "project" && project && sub === "logstore" && logstore && !page) {
      setCrumbs(project, logstore);
      await logstorePage(main, project, logstore);
    } else if (kind === "project" && sub === "logstore" && page === "search") {
      setCrumbs(project, logstore, "Search");
      const navigate = (next) => {
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== "") query.set(k, String(v));
        location.hash = route("project", project, "logstore", logstore, "search") + "?" + query;
      };
      await searchPage(main, project, logstore, state, navigate);
    } else if (kind === "project" && sub === "logstore" && page === "consumers") {
      setCrumbs(project, logstore, "Consumer groups");
      await consumersPage(main, project, logstore);
    } else {
      setCrumbs();
      fill(main, el("h1", {}, "Not found"), el("p", {}, "No such page: "), el("a", { href: "#/" }, "back to the projects"));
    }
  } catch (error) {
    fill(main, el("h1", {}, "Error"), errorBox(error));
  }
  document.body.setAttribute("data-ready", location.hash || "#/");
}

window.addEventListener("hashchange", render);
render();
