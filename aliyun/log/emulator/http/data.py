"""HTTP handlers of PutLogs, cursors and PullLogs."""

from __future__ import annotations

from .context import Context, Reply


def put_logs(ctx: Context) -> Reply:
    ctx.service.data.put_logs(
        ctx.project,
        ctx.segments["logstore"],
        ctx.body,
        compress_type=ctx.header("x-log-compresstype"),
        raw_size=ctx.header("x-log-bodyrawsize"),
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
        ctx.header("accept-encoding", "") or "",
        query=ctx.param("query"),
        processor=ctx.param("processor"),
    )
    headers = {
        "x-log-cursor": result.next_cursor,
        "x-log-count": str(result.group_count),
        "x-log-bodyrawsize": str(result.raw_size),
    }
    if result.raw is not None:
        headers["x-log-rawdatacount"], headers["x-log-rawdatasize"] = map(str, result.raw)
    if result.compress_type:
        headers["x-log-compresstype"] = result.compress_type
    return Reply(200, result.body, headers, "application/x-protobuf")


ROUTES = {
    "PutLogs": put_logs,
    "PutLogsRoute": put_logs,
    "GetCursor": get_cursor,
    "GetCursorTime": get_cursor_time,
    "PullLogs": pull_logs,
    "PullLogsAlias": pull_logs,
}
