"""HTTP handlers of the shard calls."""

from __future__ import annotations

from . import shapes
from .context import Context, Reply


def list_shards(ctx: Context) -> Reply:
    return Reply.json([shapes.shard(s) for s in ctx.service.shards.list_shards(ctx.project, ctx.segments["logstore"])])


def split_shard(ctx: Context) -> Reply:
    key = ctx.param("key") or ctx.param("splitKey")
    shards = ctx.service.shards.split(ctx.project, ctx.segments["logstore"], ctx.segments["shard"], key)
    return Reply.json([shapes.shard(s) for s in shards])


def merge_shards(ctx: Context) -> Reply:
    shards = ctx.service.shards.merge(ctx.project, ctx.segments["logstore"], ctx.segments["shard"])
    return Reply.json([shapes.shard(s) for s in shards])


def delete_shard(ctx: Context) -> Reply:
    ctx.service.shards.delete(ctx.project, ctx.segments["logstore"], ctx.segments["shard"])
    return Reply.empty()


ROUTES = {
    "ListShards": list_shards,
    "SplitShard": split_shard,
    "MergeShards": merge_shards,
    "DeleteShard": delete_shard,
}
