"""HTTP handlers of the index and query calls.

Answer shapes the SDKs depend on (docs/protocol.md "Bodies", docs/query.md "Reading results"):

* GetLogs (POST) — ``{"meta": {...}, "data": [...]}``, compressed as the client accepts
  (:mod:`.encoding`: ``x-log-compresstype`` + the uncompressed ``x-log-bodyrawsize``);
* GetLogs (GET form), GetProjectLogs — the bare row array, meta facts in ``x-log-*`` headers;
* GetHistograms — the bare bucket array, ``x-log-progress`` and ``x-log-count``;
* ListTopics — the bare topic array, ``x-log-count`` and ``x-log-nexttoken``;
* GetContextLogs — ``{"total_lines", "back_lines", "forward_lines", "progress", "logs"}``.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from ..errors import bad_request
from ..query import QueryResult
from . import shapes
from .context import Context, Reply
from .encoding import encoded

# -- index ------------------------------------------------------------------------------------


def create_index(ctx: Context) -> Reply:
    ctx.service.indexes.create(ctx.project, ctx.segments["logstore"], ctx.json("IndexInfoInvalid"))
    return Reply.empty()


def update_index(ctx: Context) -> Reply:
    ctx.service.indexes.update(ctx.project, ctx.segments["logstore"], ctx.json("IndexInfoInvalid"))
    return Reply.empty()


def get_index(ctx: Context) -> Reply:
    # The current API reference spells GetHistograms as ``GET /logstores/{ls}/index?type=histogram``.
    if ctx.param("type") == "histogram":
        return get_histograms(ctx)
    return Reply.json(ctx.service.indexes.get(ctx.project, ctx.segments["logstore"]))


def delete_index(ctx: Context) -> Reply:
    ctx.service.indexes.delete(ctx.project, ctx.segments["logstore"])
    return Reply.empty()


# -- GetLogs ----------------------------------------------------------------------------------


def get_logs(ctx: Context) -> Reply:
    body = ctx.json()
    if not isinstance(body, dict):
        raise bad_request("ParameterInvalid", "GetLogs body must be a JSON object")
    result = ctx.service.queries.get_logs(ctx.project, ctx.segments["logstore"], body)
    raw = json.dumps({"meta": shapes.query_meta(result), "data": result.rows}, ensure_ascii=False).encode("utf-8")
    body, headers = encoded(raw, ctx.header("accept-encoding", "") or "")
    return Reply(200, body, headers)


def _header_text(value: Any) -> str:
    """A header-safe rendering: no line breaks; non-ASCII percent-encoded (WSGI headers are latin-1)."""
    text = " ".join(str(value).splitlines())
    try:
        text.encode("ascii")
    except UnicodeEncodeError:
        text = urllib.parse.quote(text, safe=" !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~")
    return text


def _v1_reply(result: QueryResult) -> Reply:
    """The GET-form answer: bare rows, meta in headers."""
    meta = shapes.query_meta(result)
    rows = result.rows
    if meta.get("hasSQL"):
        # GET-form SQL rows carry __time__/__source__ too; 0.6 clients read __time__ from every row.
        rows = [{"__time__": "0", "__source__": "", **row} for row in rows]
    query_info: dict[str, Any] = {"mode": meta.get("mode", 0), "scanBytes": meta.get("scanBytes", 0)}
    if "phraseQueryInfo" in meta:
        # Header form: every value as text. The official client reads scanAll as "not the text
        # 'false'", so a JSON false would end its paging after the first page.
        query_info["phraseQueryInfo"] = {
            key: ("true" if value else "false") if isinstance(value, bool) else str(value)
            for key, value in meta["phraseQueryInfo"].items()
        }
    headers = {
        "x-log-progress": str(meta.get("progress", "Complete")),
        "x-log-count": str(len(rows)),
        "x-log-processed-rows": str(meta.get("processedRows", 0)),
        "x-log-elapsed-millisecond": str(meta.get("elapsedMillisecond", 0)),
        "x-log-has-sql": "true" if meta.get("hasSQL") else "false",
        "x-log-where-query": _header_text(meta.get("whereQuery", "")),
        "x-log-agg-query": _header_text(meta.get("aggQuery", "")),
        "x-log-cpu-sec": str(meta.get("cpuSec", 0)),
        "x-log-cpu-cores": str(meta.get("cpuCores", 0)),
        "x-log-query-info": json.dumps(query_info, separators=(",", ":")),
    }
    return Reply.json(rows, headers)


def get_logs_v1(ctx: Context) -> Reply:
    return _v1_reply(ctx.service.queries.get_logs(ctx.project, ctx.segments["logstore"], ctx.params))


def get_project_logs(ctx: Context) -> Reply:
    return _v1_reply(ctx.service.queries.get_project_logs(ctx.project, ctx.param("query")))


# -- histograms and topics --------------------------------------------------------------------


def get_histograms(ctx: Context) -> Reply:
    buckets = ctx.service.queries.get_histograms(ctx.project, ctx.segments["logstore"], ctx.params)
    complete = all(b.get("progress") == "Complete" for b in buckets)
    headers = {
        "x-log-progress": "Complete" if complete else "Incomplete",
        "x-log-count": str(sum(int(b["count"]) for b in buckets)),
    }
    return Reply.json(buckets, headers)


def get_context_logs(ctx: Context) -> Reply:
    return Reply.json(ctx.service.queries.get_context_logs(ctx.project, ctx.segments["logstore"], ctx.params))


def list_topics(ctx: Context) -> Reply:
    topics, next_token = ctx.service.queries.list_topics(
        ctx.project, ctx.segments["logstore"], ctx.param("token"), ctx.param("line")
    )
    return Reply.json(topics, {"x-log-count": str(len(topics)), "x-log-nexttoken": next_token})


ROUTES = {
    "CreateIndex": create_index,
    "UpdateIndex": update_index,
    "GetIndex": get_index,
    "DeleteIndex": delete_index,
    "GetLogs": get_logs,
    "GetLogsV1": get_logs_v1,
    "GetProjectLogs": get_project_logs,
    "GetHistograms": get_histograms,
    "ListTopics": list_topics,
    "GetContextLogs": get_context_logs,
}
