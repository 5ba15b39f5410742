"""What a logstore holds while it has an index (:attr:`LogstoreState.index`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..query import LogstoreIndex
from .indexer import IndexFeed

__all__ = ["OpenIndex"]


@dataclass
class OpenIndex:
    """A logstore's index: the open engine, how far each shard is indexed, and the stored
    document ``{"config", "createTime", "lastModifyTime", "generation", "shardPositions"}``
    (see :mod:`.index`). Only :class:`~.index.IndexService` sets or replaces it, under the
    logstore's lock."""

    engine: LogstoreIndex
    feed: IndexFeed
    doc: dict[str, Any]

    def close(self) -> None:
        """Stop feeding (waits for a batch in progress), then close the engine."""
        self.feed.close()
        self.engine.close()
