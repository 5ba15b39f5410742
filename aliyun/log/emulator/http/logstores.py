"""HTTP handlers of the logstore calls."""

from __future__ import annotations

from . import shapes
from .context import Context, Reply


def create_logstore(ctx: Context) -> Reply:
    ctx.service.logstores.create(ctx.project, ctx.json("LogStoreInfoInvalid"))
    return Reply.empty()


def get_logstore(ctx: Context) -> Reply:
    return Reply.json(ctx.service.logstores.get(ctx.project, ctx.segments["logstore"]))


def update_logstore(ctx: Context) -> Reply:
    ctx.service.logstores.update(ctx.project, ctx.segments["logstore"], ctx.json("LogStoreInfoInvalid"))
    return Reply.empty()


def delete_logstore(ctx: Context) -> Reply:
    ctx.service.logstores.delete(ctx.project, ctx.segments["logstore"])
    return Reply.empty()


def list_logstores(ctx: Context) -> Reply:
    # 0.9 clients filter with ``logstoreName``, 0.6 clients with ``logstorename``.
    name_filter = ctx.param("logstoreName") or ctx.param("logstorename") or ""
    found = ctx.service.logstores.list_names(ctx.project, name_filter, ctx.page_request())
    return Reply.json(shapes.listing("logstores", found))


ROUTES = {
    "CreateLogStore": create_logstore,
    "GetLogStore": get_logstore,
    "UpdateLogStore": update_logstore,
    "DeleteLogStore": delete_logstore,
    "ListLogStores": list_logstores,
}
