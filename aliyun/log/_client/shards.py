"""Shard calls of ``LogClient``."""

from __future__ import annotations

from .. import _ops as ops
from ..shard_response import DeleteShardResponse, ListShardResponse
from .core import ClientCore

__all__ = ["ShardsMixin"]


class ShardsMixin(ClientCore):
    """List, split, merge and delete shards."""

    def list_shards(self, project_name: str, logstore_name: str) -> ListShardResponse:
        """List the shards of a logstore, read-only ones included.

        :type project_name: string
        :type logstore_name: string
        """
        data, headers = self._call_json(ops.LIST_SHARDS, project_name, logstore=logstore_name)
        return ListShardResponse(data, headers)

    def split_shard(self, project_name: str, logstore_name: str, shardId: int, split_hash: str) -> ListShardResponse:
        """Split a read-write shard at ``split_hash`` (32 hex digits inside its key range).

        The shard becomes read-only (its data stays readable) and two new read-write shards
        take its range. Returns the three shards.

        :type project_name: string
        :type logstore_name: string
        :type shardId: int
        :type split_hash: string
        """
        data, headers = self._call_json(
            ops.SPLIT_SHARD, project_name, params={"key": split_hash}, logstore=logstore_name, shard=shardId
        )
        return ListShardResponse(data, headers)

    def merge_shard(self, project_name: str, logstore_name: str, shardId: int) -> ListShardResponse:
        """Merge a read-write shard with its right-hand neighbour; returns the new shard and the two old ones.

        :type project_name: string
        :type logstore_name: string
        :type shardId: int
        """
        data, headers = self._call_json(ops.MERGE_SHARDS, project_name, logstore=logstore_name, shard=shardId)
        return ListShardResponse(data, headers)

    def delete_shard(self, project_name: str, logstore_name: str, shardId: int) -> DeleteShardResponse:
        """Delete a read-only shard and its data.

        :type project_name: string
        :type logstore_name: string
        :type shardId: int
        """
        _, headers = self._call_json(ops.DELETE_SHARD, project_name, logstore=logstore_name, shard=shardId)
        return DeleteShardResponse(headers)
