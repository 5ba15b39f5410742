"""Value types exchanged between the emulator service and the query engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


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


@dataclass(frozen=True)
class PhraseScan:
    """Where a phrase search's page stands among the candidate logs (``query/phrase.py``).

    :param begin: candidate offset the page started at.
    :param end: candidate offset the next page starts at.
    :param scan_all: every candidate has been checked.
    :param end_time: the end of the searched range.
    """

    begin: int
    end: int
    scan_all: bool
    end_time: int


@dataclass
class QueryResult:
    """Answer of :meth:`LogstoreIndex.get_logs`; ``http/shapes.py`` renders its facts as the
    GetLogs ``meta`` object (or the GET form's ``x-log-*`` headers).

    :param rows: result rows; every value is a string, as SLS returns them.
    :param processed_rows: logs the statement read (the search's hits for SQL).
    :param elapsed: seconds the query took.
    :param has_sql: whether the statement had an analytic part.
    :param where_query: the search part.
    :param agg_query: the SQL part (empty for a search).
    :param complete: ``False`` when the index lacked the newest logs (indexing them failed).
    :param terms: the search terms, as the ``terms`` of the meta.
    :param keys: SQL column names, in order.
    :param column_types: SQL column types (Presto names), in order.
    :param phrase: set for a phrase search (the meta's ``mode`` 1 and ``phraseQueryInfo``).
    """

    rows: list[dict[str, str]]
    processed_rows: int = 0
    elapsed: float = 0.0
    has_sql: bool = False
    where_query: str = ""
    agg_query: str = ""
    complete: bool = True
    terms: list[Any] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    column_types: list[str] = field(default_factory=list)
    phrase: Optional[PhraseScan] = None
