""":class:`FetchedLogGroup`: one fetched batch of a shard, as the official module names it."""

from __future__ import annotations

from typing import Any

__all__ = ["FetchedLogGroup"]


class FetchedLogGroup:
    """A batch read from a shard: the preprocessed data, the cursor after it and its size.

    :param shard_id: the shard read.
    :param data: what the preprocessor made of the PullLogs answer (see
        :mod:`aliyun.log.consumer.preprocessor`).
    :param end_cursor: the cursor after the batch (where the next fetch starts).
    :param log_group_count: log groups in the batch.
    :param raw_size: uncompressed bytes of the batch on the wire (``0`` when unknown).
    """

    __slots__ = ("_data", "_end_cursor", "_log_group_count", "_raw_size", "_shard_id")

    def __init__(self, shard_id: int, data: Any, end_cursor: str, log_group_count: int, *, raw_size: int = 0) -> None:
        self._shard_id = shard_id
        self._data = data
        self._end_cursor = end_cursor
        self._log_group_count = log_group_count
        self._raw_size = raw_size

    @property
    def shard_id(self) -> int:
        """The shard read."""
        return self._shard_id

    @property
    def data(self) -> Any:
        """The preprocessed batch."""
        return self._data

    @property
    def end_cursor(self) -> str:
        """The cursor after the batch."""
        return self._end_cursor

    @property
    def log_group_size(self) -> int:
        """Log groups in the batch."""
        return self._log_group_count

    @property
    def raw_size(self) -> int:
        """Uncompressed bytes of the batch on the wire."""
        return self._raw_size

    def __repr__(self) -> str:
        return f"FetchedLogGroup(shard_id={self._shard_id}, log_group_count={self._log_group_count})"
