"""HTTP handlers of the consumer group calls (bodies in and out are bare JSON, as the SDKs send them)."""

from __future__ import annotations

from . import shapes
from .context import Context, Reply


def create_consumer_group(ctx: Context) -> Reply:
    ctx.service.consumer_groups.create(ctx.project, ctx.segments["logstore"], ctx.json("JsonInfoInvalid"))
    return Reply.empty()


def update_consumer_group(ctx: Context) -> Reply:
    ctx.service.consumer_groups.update(
        ctx.project, ctx.segments["logstore"], ctx.segments["group"], ctx.json("JsonInfoInvalid")
    )
    return Reply.empty()


def delete_consumer_group(ctx: Context) -> Reply:
    ctx.service.consumer_groups.delete(ctx.project, ctx.segments["logstore"], ctx.segments["group"])
    return Reply.empty()


def list_consumer_groups(ctx: Context) -> Reply:
    groups = ctx.service.consumer_groups.list_groups(ctx.project, ctx.segments["logstore"])
    return Reply.json([shapes.consumer_group(group) for group in groups])


def heartbeat(ctx: Context) -> Reply:
    # An empty body is read as ``[]``; the answer is always a JSON array, never empty.
    body = ctx.json("JsonInfoInvalid") if ctx.body.strip() else []
    shards = ctx.service.consumer_groups.heartbeat(
        ctx.project, ctx.segments["logstore"], ctx.segments["group"], ctx.param("consumer") or "", body
    )
    return Reply.json(shards)


def get_checkpoint(ctx: Context) -> Reply:
    return Reply.json(
        ctx.service.consumer_groups.get_checkpoints(
            ctx.project, ctx.segments["logstore"], ctx.segments["group"], ctx.param("shard")
        )
    )


def update_checkpoint(ctx: Context) -> Reply:
    ctx.service.consumer_groups.update_checkpoint(
        ctx.project,
        ctx.segments["logstore"],
        ctx.segments["group"],
        ctx.param("consumer") or "",
        ctx.flag("forceSuccess", True),
        ctx.json("JsonInfoInvalid"),
    )
    return Reply.empty()


ROUTES = {
    "CreateConsumerGroup": create_consumer_group,
    "UpdateConsumerGroup": update_consumer_group,
    "DeleteConsumerGroup": delete_consumer_group,
    "ListConsumerGroup": list_consumer_groups,
    "ConsumerGroupHeartBeat": heartbeat,
    "ConsumerGroupGetCheckPoint": get_checkpoint,
    "ConsumerGroupUpdateCheckPoint": update_checkpoint,
}
