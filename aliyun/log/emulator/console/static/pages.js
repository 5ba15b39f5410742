// Resource pages: projects, a project's logstores, one logstore, its consumer groups.
import { api, el, fill, formatTime, route, routeLink, table } from "./dom.js";

export async function projectsPage(main) {
  const answer = await api("projects", {});
  fill(main,
    el("h1", {}, "Projects"),
    el("p", { class: "muted", id: "project-count" }, `${answer.total} project(s)`),
    answer.projects.length
      ? table(["Project", "Description", "Region", "Created"],
        answer.projects.map((p) => [routeLink(p.projectName, "project", p.projectName), p.description || "", p.region || "",
          p.createTime || ""]), { id: "projects", class: "grid-table" })
      : el("p", { class: "empty" }, "No project yet: create one with LogClient.create_project()."));
}

export async function logstoresPage(main, project) {
  const answer = await api("logstores", { project });
  fill(main,
    el("h1", {}, "Logstores of ", el("span", { class: "name" }, project)),
    el("p", { class: "muted" }, `${answer.total} logstore(s)`),
    answer.logstores.length
      ? table(["Logstore", "", ""], answer.logstores.map((name) => [
        routeLink(name, "project", project, "logstore", name),
        routeLink("Search", "project", project, "logstore", name, "search"),
        routeLink("Consumer groups", "project", project, "logstore", name, "consumers"),
      ]), { id: "logstores", class: "grid-table" })
      : el("p", { class: "empty" }, "No logstore in this project."));
}

function indexSection(index) {
  if (!index) return el("p", { class: "empty", id: "index" }, "No index: searches and SQL answer IndexConfigNotExist.");
  const rows = [];
  if (index.line) {
    rows.push(["(full text)", "text", index.line.caseSensitive ? "yes" : "no", (index.line.token || []).join(" "), ""]);
  }
  for (const [key, conf] of Object.entries(index.keys || {})) {
    rows.push([key, conf.type || "text", conf.caseSensitive ? "yes" : "no", (conf.token || []).join(" "),
      conf.doc_value ? "yes" : "no"]);
  }
  return table(["Field", "Type", "Case sensitive", "Tokens", "Analytics (SQL)"], rows, { id: "index", class: "grid-table" });
}

export async function logstorePage(main, project, logstore) {
  const answer = await api("logstore", { project, logstore });
  const detail = answer.logstore;
  fill(main,
    el("h1", {}, "Logstore ", el("span", { class: "name" }, logstore)),
    el("p", { class: "actions" },
      el("a", { class: "button", href: route("project", project, "logstore", logstore, "search") }, "Search"),
      el("a", { class: "button", href: route("project", project, "logstore", logstore, "consumers") }, "Consumer groups")),
    el("dl", { class: "facts", id: "logstore-facts" },
      el("dt", {}, "TTL"), el("dd", { id: "ttl" }, `${detail.ttl} day(s)`),
      el("dt", {}, "Shards"), el("dd", {}, String(detail.shardCount)),
      el("dt", {}, "Auto split"), el("dd", {}, detail.autoSplit ? `yes, up to ${detail.maxSplitShard}` : "no"),
      el("dt", {}, "Created"), el("dd", {}, formatTime(detail.createTime))),
    el("h2", {}, "Shards"),
    table(["Shard", "Status", "Begin key (inclusive)", "End key (exclusive)", "Created"],
      answer.shards.map((s) => [String(s.shardID), s.status, s.inclusiveBeginKey, s.exclusiveEndKey, formatTime(s.createTime)]),
      { id: "shards", class: "grid-table mono" }),
    el("h2", {}, "Index"),
    indexSection(answer.index));
}

function lagText(shard) {
  if (!shard.checkpoint) return "no checkpoint";
  if (shard.caughtUp) return "caught up";
  const groups = shard.groupsBehind >= 1000 ? "1000+" : String(shard.groupsBehind);
  return `${groups} log group(s), ${shard.lagSeconds} s behind`;
}

export async function consumersPage(main, project, logstore) {
  const answer = await api("consumergroups", { project, logstore });
  const sections = answer.groups.map((group) => el("section", { class: "group", "data-group": group.name },
    el("h2", {}, "Group ", el("span", { class: "name" }, group.name)),
    el("p", { class: "muted" }, `heartbeat timeout ${group.timeout} s, ${group.inOrder ? "in order" : "not in order"}`),
    el("h3", {}, "Members"),
    group.members.length
      ? table(["Consumer", "Shards held"], group.members.map((m) => [m.consumer, m.shards.join(", ")]), { class: "grid-table members" })
      : el("p", { class: "empty" }, "No consumer has written a checkpoint yet."),
    el("h3", {}, "Checkpoints"),
    table(["Shard", "Consumer", "Checkpoint", "Updated", "Lag"], group.shards.map((s) => [
      String(s.shard), s.consumer || "—", s.checkpoint || "—",
      s.updateTime ? formatTime(Math.floor(Number(s.updateTime) / 1e6)) : "—" /* SLS gives microseconds */,
      lagText(s),
    ]), { class: "grid-table checkpoints mono" })));
  fill(main,
    el("h1", {}, "Consumer groups of ", el("span", { class: "name" }, logstore)),
    el("p", { class: "muted", id: "group-count" }, `${answer.groups.length} group(s)`),
    sections.length ? sections : el("p", { class: "empty" }, "No consumer group on this logstore."));
}
