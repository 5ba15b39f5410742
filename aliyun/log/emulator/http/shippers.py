"""HTTP handlers of the shipper calls."""

from __future__ import annotations

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
    return Reply.json(
        shapes.shipper_task_page(
            ctx.service.resources.shippers.tasks(
                ctx.project,
                ctx.segments["logstore"],
                ctx.segments["shipper"],
                ctx.param("from"),
                ctx.param("to"),
                ctx.param("status"),
                ctx.page_request(),
            )
        )
    )


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
