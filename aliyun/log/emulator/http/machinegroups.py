"""HTTP handlers of the machine group calls."""

from __future__ import annotations

from . import shapes
from .context import Context, Reply

_INVALID = "InvalidParameter"


def create_group(ctx: Context) -> Reply:
    ctx.service.resources.machinegroups.create(ctx.project, ctx.json(_INVALID))
    return Reply.empty()


def update_group(ctx: Context) -> Reply:
    ctx.service.resources.machinegroups.update(ctx.project, ctx.segments["group"], ctx.json(_INVALID))
    return Reply.empty()


def get_group(ctx: Context) -> Reply:
    return Reply.json(ctx.service.resources.machinegroups.get(ctx.project, ctx.segments["group"]))


def delete_group(ctx: Context) -> Reply:
    ctx.service.resources.machinegroups.delete(ctx.project, ctx.segments["group"])
    return Reply.empty()


def list_groups(ctx: Context) -> Reply:
    found = ctx.service.resources.machinegroups.list(ctx.project, ctx.page_request())
    return Reply.json(shapes.listing("machinegroups", found))


def list_machines(ctx: Context) -> Reply:
    found = ctx.service.resources.machinegroups.machines(ctx.project, ctx.segments["group"], ctx.page_request())
    return Reply.json(shapes.listing("machines", found))


def applied_configs(ctx: Context) -> Reply:
    return Reply.json(ctx.service.resources.machinegroups.applied_configs(ctx.project, ctx.segments["group"]))


def apply_config(ctx: Context) -> Reply:
    ctx.service.resources.machinegroups.apply(ctx.project, ctx.segments["group"], ctx.segments["config"])
    return Reply.empty()


def remove_config(ctx: Context) -> Reply:
    ctx.service.resources.machinegroups.remove(ctx.project, ctx.segments["group"], ctx.segments["config"])
    return Reply.empty()


ROUTES = {
    "CreateMachineGroup": create_group,
    "UpdateMachineGroup": update_group,
    "GetMachineGroup": get_group,
    "DeleteMachineGroup": delete_group,
    "ListMachineGroup": list_groups,
    "ListMachines": list_machines,
    "GetAppliedConfigs": applied_configs,
    "ApplyConfigToMachineGroup": apply_config,
    "RemoveConfigFromMachineGroup": remove_config,
}
