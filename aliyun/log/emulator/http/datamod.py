"""HTTP handlers of the calls that change stored logs, and of asynchronous SQL.

Answer shapes (docs/changing-data.md):

* CreateDeleteLogsTask — ``{"taskId"}``; GetDeleteLogsStatus — the task (``taskId``,
  ``progress`` ...); ListDeleteLogsTasks — ``{"count", "total", "tasks"}``;
* DeleteLogs / UpdateLogs — ``{"affected_rows": n}`` and the same count in ``x-log-affectedrows``;
* the asynchronous SQL calls — an ``AsyncSqlResponsePB`` when the client accepts
  ``application/x-protobuf`` (compressed as ``Accept-Encoding`` asks, like PullLogs), the same
  fields as JSON otherwise (the generated OpenAPI SDKs read JSON).
"""

from __future__ import annotations

import json
from typing import Any

from ...async_sql_pb2 import AsyncSqlResponsePB
from ..service.paging import parse_int
from . import shapes
from .context import Context, Reply
from .encoding import encoded

__all__ = ["ROUTES"]


def _service(ctx: Context) -> Any:
    return ctx.service.datamod


# -- soft delete ------------------------------------------------------------------------------


def create_delete_task(ctx: Context) -> Reply:
    task = _service(ctx).create_delete_task(ctx.project, ctx.segments["logstore"], ctx.json())
    return Reply.json({"taskId": task["taskId"]})


def get_delete_status(ctx: Context) -> Reply:
    return Reply.json(_service(ctx).delete_task(ctx.project, ctx.segments["logstore"], ctx.segments["task"]))


def list_delete_tasks(ctx: Context) -> Reply:
    found = _service(ctx).list_delete_tasks(ctx.project, ctx.segments["logstore"], ctx.params, ctx.page_request())
    return Reply.json(shapes.document_listing(found))


# -- row-level changes ------------------------------------------------------------------------


def _affected(count: int) -> Reply:
    return Reply.json({"affected_rows": count}, {"x-log-affectedrows": str(count)})


def delete_logs(ctx: Context) -> Reply:
    return _affected(_service(ctx).delete_logs(ctx.project, ctx.segments["logstore"], ctx.json()))


def update_logs(ctx: Context) -> Reply:
    return _affected(_service(ctx).update_logs(ctx.project, ctx.segments["logstore"], ctx.json()))


def enable_modify(ctx: Context) -> Reply:
    _service(ctx).enable_modify(ctx.project, ctx.segments["logstore"], ctx.json())
    return Reply.empty()


# -- asynchronous SQL -------------------------------------------------------------------------


def _protobuf(answer: dict[str, Any]) -> bytes:
    message = AsyncSqlResponsePB()
    message.id = answer["id"]
    message.state = answer["state"]
    meta = answer.get("meta")
    if meta is not None:
        for name, value in meta.items():
            if name == "keys":
                message.meta.keys.extend(value)
            else:
                setattr(message.meta, name, value)
    for row in answer.get("rows", ()):
        message.rows.add().columns.extend(row)
    for name in ("error_code", "error_message"):
        if answer.get(name) is not None:
            setattr(message, name, answer[name])
    return bytes(message.SerializeToString())


def _async_reply(ctx: Context, answer: dict[str, Any]) -> Reply:
    if "application/x-protobuf" in (ctx.header("accept", "") or ""):
        body, headers = encoded(_protobuf(answer), ctx.header("accept-encoding", "") or "")
        return Reply(200, body, headers, "application/x-protobuf")
    view = {k: v for k, v in answer.items() if k != "meta"}
    if "meta" in answer:
        view["async_sql_meta_pb"] = answer["meta"]
    return Reply(200, json.dumps(view, ensure_ascii=False).encode("utf-8"))


def submit_async_sql(ctx: Context) -> Reply:
    return _async_reply(ctx, ctx.service.async_sql.submit(ctx.project, ctx.json()))


def get_async_sql(ctx: Context) -> Reply:
    first = parse_int(ctx.param("offset"), "offset", 0, minimum=-(2**63))
    size = parse_int(ctx.param("line"), "line", 100, minimum=-(2**63))
    answer = ctx.service.async_sql.get(ctx.project, ctx.segments["query_id"], first, size)
    return _async_reply(ctx, answer)


def delete_async_sql(ctx: Context) -> Reply:
    return _async_reply(ctx, ctx.service.async_sql.delete(ctx.project, ctx.segments["query_id"]))


ROUTES = {
    "CreateDeleteLogsTask": create_delete_task,
    "GetDeleteLogsStatus": get_delete_status,
    "ListDeleteLogsTasks": list_delete_tasks,
    "DeleteLogs": delete_logs,
    "UpdateLogs": update_logs,
    "EnableLogStoreModify": enable_modify,
    "SubmitAsyncSql": submit_async_sql,
    "GetAsyncSql": get_async_sql,
    "DeleteAsyncSql": delete_async_sql,
}
