"""HTTP handlers of PutLogs, cursors and PullLogs."""

from __future__ import annotations

from .context import Context, Reply
from .encoding import encoded, request_body


def put_logs(ctx: Context) -> Reply:
    ctx.service.data.put_logs(
        ctx.project,
        ctx.segments["logstore"],
        request_body(ctx.body, ctx.header("x-log-compresstype"), ctx.header("x-log-bodyrawsize")),
        hash_key=ctx.param("key") if ctx.path.endswith("/route") else None,
        client_ip=ctx.remote_addr,
    )
    return Reply.empty()


def get_cursor(ctx: Context) -> Reply:
    cursor = ctx.service.data.get_cursor(
        ctx.project, ctx.segments["logstore"], ctx.segments["shard"], ctx.param("from")
    )
    return Reply.json({"cursor": cursor})


def get_cursor_time(ctx: Context) -> Reply:
    when = ctx.service.data.get_cursor_time(
        ctx.project, ctx.segments["logstore"], ctx.segments["shard"], ctx.param("cursor")
    )
    return Reply.json({"cursor_time": when})


def pull_logs(ctx: Context) -> Reply:
    result = ctx.service.data.pull(
        ctx.project,
        ctx.segments["logstore"],
        ctx.segments["shard"],
        ctx.param("cursor"),
        ctx.param("count"),
        ctx.param("end_cursor"),
        query=ctx.param("query"),
        processor=ctx.param("processor"),
    )
    raw_size = len(result.body)
    try:
        body, encoding = encoded(result.body, ctx.header("accept-encoding", "") or "")
    finally:  # the body is bytes of its own now: the pooled buffer can serve the next answer
        result.release()
    headers = {
        "x-log-cursor": result.next_cursor,
        "x-log-count": str(result.group_count),
        # the real length whenever there is a body, compressed or not (0.9.x clients need it)
        "x-log-bodyrawsize": str(raw_size),
        **encoding,
    }
    if result.raw is not None:
        headers["x-log-rawdatacount"], headers["x-log-rawdatasize"] = map(str, result.raw)
    return Reply(200, body, headers, "application/x-protobuf")


ROUTES = {
    "PutLogs": put_logs,
    "PutLogsRoute": put_logs,
    "GetCursor": get_cursor,
    "GetCursorTime": get_cursor_time,
    "PullLogs": pull_logs,
    "PullLogsAlias": pull_logs,
}
