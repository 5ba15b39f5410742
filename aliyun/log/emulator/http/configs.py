"""HTTP handlers of the logtail config calls."""

from __future__ import annotations

from . import shapes
from .context import Context, Reply

_INVALID = "InvalidParameter"


def create_config(ctx: Context) -> Reply:
    ctx.service.resources.configs.create(ctx.project, ctx.json(_INVALID))
    return Reply.empty()


def update_config(ctx: Context) -> Reply:
    ctx.service.resources.configs.update(ctx.project, ctx.segments["config"], ctx.json(_INVALID))
    return Reply.empty()


def get_config(ctx: Context) -> Reply:
    return Reply.json(ctx.service.resources.configs.get(ctx.project, ctx.segments["config"]))


def delete_config(ctx: Context) -> Reply:
    ctx.service.resources.configs.delete(ctx.project, ctx.segments["config"])
    return Reply.empty()


def list_configs(ctx: Context) -> Reply:
    found = ctx.service.resources.configs.list(
        ctx.project, ctx.page_request(), ctx.param("logstoreName") or "", ctx.param("configName") or ""
    )
    return Reply.json(shapes.listing("configs", found))


def applied_machine_groups(ctx: Context) -> Reply:
    return Reply.json(ctx.service.resources.configs.applied_groups(ctx.project, ctx.segments["config"]))


ROUTES = {
    "CreateConfig": create_config,
    "UpdateConfig": update_config,
    "GetConfig": get_config,
    "DeleteConfig": delete_config,
    "ListConfig": list_configs,
    "GetAppliedMachineGroups": applied_machine_groups,
}
