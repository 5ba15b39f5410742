"""Responses of the shard calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .logresponse import LogResponse

__all__ = ["DeleteShardResponse", "ListShardResponse"]


class ListShardResponse(LogResponse):
    """Answer of ``list_shards``, ``split_shard`` and ``merge_shard``: a list of shard dicts.

    Each shard is ``{"shardID": int, "status": "readwrite"|"readonly", "inclusiveBeginKey": hex,
    "exclusiveEndKey": hex, "createTime": int}``.
    """

    def __init__(self, resp: Sequence[Mapping[str, Any]], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self._shards: list[dict[str, Any]] = [dict(s) for s in (resp or [])]

    def get_shards_info(self) -> list[dict[str, Any]]:
        """The shards."""
        return self._shards

    @property
    def shards(self) -> list[dict[str, Any]]:
        """The shards."""
        return self._shards

    @property
    def count(self) -> int:
        """Number of shards."""
        return len(self._shards)

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("shards", self._shards)]


class DeleteShardResponse(LogResponse):
    """Answer of ``delete_shard``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)
