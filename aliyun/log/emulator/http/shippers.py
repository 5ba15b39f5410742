"""HTTP handlers of the shipper calls."""

from __future__ import annotations

from ..errors import bad_request
from ..service.paging import parse_int
from . import shapes
from .context import Context, Reply

_INVALID = "ParameterInvalid"


def create_shipper(ctx: Context) -> Reply:
    ctx.service.resources.shippers.create(ctx.project, ctx.segments["logstore"], ctx.json(_INVALID))
    return Reply.empty()


def update_shipper(ctx: Context) -> Reply:
    ctx.service.resources.shippers.update(
        ctx.project, ctx.segments["logstore"], ctx.segments["shipper"], ctx.json(_INVALID)
    )
    return Reply.empty()


def get_shipper(ctx: Context) -> Reply:
    return Reply.json(
        ctx.service.resources.shippers.get(ctx.project, ctx.segments["logstore"], ctx.segments["shipper"])
    )


def delete_shipper(ctx: Context) -> Reply:
    ctx.service.resources.shippers.delete(ctx.project, ctx.segments["logstore"], ctx.segments["shipper"])
    return Reply.empty()


def list_shippers(ctx: Context) -> Reply:
    found = ctx.service.resources.shippers.list(ctx.project, ctx.segments["logstore"], ctx.page_request())
    return Reply.json(shapes.listing("shipper", found))


def shipper_tasks(ctx: Context) -> Reply:
    begin, end = ctx.param("from"), ctx.param("to")
    if begin in (None, "") or end in (None, ""):
        raise bad_request(_INVALID, "from and to are required")
    found = ctx.service.resources.shippers.tasks(
        ctx.project,
        ctx.segments["logstore"],
        ctx.segments["shipper"],
        parse_int(begin, "from", 0),
        parse_int(end, "to", 0),
        ctx.param("status"),
        ctx.page_request(),
    )
    return Reply.json(shapes.shipper_task_page(found))


def retry_tasks(ctx: Context) -> Reply:
    ctx.service.resources.shippers.retry(
        ctx.project, ctx.segments["logstore"], ctx.segments["shipper"], ctx.json(_INVALID)
    )
    return Reply.empty()


ROUTES = {
    "CreateShipper": create_shipper,
    "UpdateShipper": update_shipper,
    "GetShipper": get_shipper,
    "DeleteShipper": delete_shipper,
    "ListShipper": list_shippers,
    "GetShipperTasks": shipper_tasks,
    "RetryShipperTasks": retry_tasks,
}
