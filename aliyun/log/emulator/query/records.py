"""Value types exchanged between the emulator service and the query engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LogRecord:
    """One log as ingested by PutLogs.

    :param time: ``__time__`` in unix seconds.
    :param time_ns: nanosecond part of the log time (0 when the client sent none).
    :param topic: ``__topic__`` of the log group.
    :param source: ``__source__`` of the log group.
    :param tags: log group tags as ``(key, value)`` pairs, keys without the ``__tag__:`` prefix.
    :param contents: the log's ``(key, value)`` pairs; values already decoded to ``str``.
    :param shard_id: shard the log was written to.
    :param receive_time: server receive time (unix seconds).
    """

    time: int
    time_ns: int
    topic: str
    source: str
    tags: tuple[tuple[str, str], ...]
    contents: tuple[tuple[str, str], ...]
    shard_id: int = 0
    receive_time: int = 0


@dataclass
class QueryResult:
    """Answer of :meth:`LogstoreIndex.get_logs`.

    :param rows: result rows; every value is a string, as SLS returns them.
    :param meta: GetLogs v2 ``meta`` object (``count == len(rows)``).
    """

    rows: list[dict[str, str]]
    meta: dict[str, Any] = field(default_factory=dict)
