"""Queries over a store view: its member logstores read as one.

GetLogs and GetHistograms name a logstore; when the name is a store view of type ``logstore``
instead, the emulator builds a temporary in-memory index holding every member's logs of the
requested range that the member's filter (``query``, a search statement) matches, each tagged
with where it came from (:data:`SOURCE_PROJECT_TAG`, :data:`SOURCE_LOGSTORE_TAG`), and runs the
request on it. Searches, SQL and histograms therefore see the union exactly as one logstore
holding those logs would answer. The index's keys are the union of the members' index keys (the
first member that declares a key decides its type) plus the two source tags.

Copying makes a view query cost time and memory in proportion to the logs of its range, so a
query reads at most :data:`MAX_VIEW_LOGS` logs (``ExceedQuota`` beyond, naming the limit).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..errors import SLSError
from ..query import LogstoreIndex, no_index_error
from ..query.limits import QueryLimits
from ..query.records import LogRecord

__all__ = ["MAX_VIEW_LOGS", "SOURCE_LOGSTORE_TAG", "SOURCE_PROJECT_TAG", "ViewRange", "view_index"]

#: the most logs one store view query copies from its members
MAX_VIEW_LOGS = 1_000_000
#: tags (without ``__tag__:``) naming the member each log of a view query came from
SOURCE_PROJECT_TAG = "__project__"
SOURCE_LOGSTORE_TAG = "__logstore__"

#: returns a member's index and whether it holds every stored log (``(None, True)``: no index)
Searchable = Callable[[str, str], tuple[Optional[LogstoreIndex], bool]]


@dataclass(frozen=True)
class ViewRange:
    """The time range a view query reads from its members."""

    from_time: int
    to_time: int
    from_ns: int = 0
    to_ns: int = 0


def _merged_config(configs: list[dict[str, Any]]) -> dict[str, Any]:
    merged = copy.deepcopy(configs[0])
    keys: dict[str, Any] = dict(merged.get("keys") or {})
    for config in configs[1:]:
        for name, spec in (config.get("keys") or {}).items():
            keys.setdefault(name, copy.deepcopy(spec))
        if "line" not in merged and "line" in config:
            merged["line"] = copy.deepcopy(config["line"])
    for tag in (SOURCE_PROJECT_TAG, SOURCE_LOGSTORE_TAG):
        # Indexed (with doc values) so SQL can group by where a log came from; never tokenised.
        keys.setdefault(f"__tag__:{tag}", {"type": "text", "token": [], "doc_value": True})
    merged["keys"] = keys
    return merged


def _tagged(record: LogRecord, project: str, logstore: str) -> LogRecord:
    tags = tuple((k, v) for k, v in record.tags if k not in (SOURCE_PROJECT_TAG, SOURCE_LOGSTORE_TAG))
    return LogRecord(
        time=record.time,
        time_ns=record.time_ns,
        topic=record.topic,
        source=record.source,
        tags=(*tags, (SOURCE_PROJECT_TAG, project), (SOURCE_LOGSTORE_TAG, logstore)),
        contents=record.contents,
        shard_id=record.shard_id,
        receive_time=record.receive_time,
    )


@contextmanager
def view_index(
    view: dict[str, Any], searchable: Searchable, span: ViewRange, limits: QueryLimits
) -> Iterator[tuple[LogstoreIndex, bool]]:
    """A temporary index of the view's members' logs in ``span`` (closed on exit), and whether
    every member's index was complete."""
    members: list[tuple[str, str, str, LogstoreIndex]] = []
    complete = True
    for store in view.get("stores") or []:
        project, name = str(store["project"]), str(store["storeName"])
        try:
            engine, whole = searchable(project, name)
        except SLSError as exc:
            raise SLSError(exc.code, f"store view member {project}/{name}: {exc.message}", exc.status) from None
        if engine is None:
            error = no_index_error()
            raise SLSError(error.code, f"store view member {project}/{name}: {error.message}", error.status)
        members.append((project, name, str(store.get("query") or ""), engine))
        complete = complete and whole
    records: list[LogRecord] = []
    for project, name, search, engine in members:
        room = MAX_VIEW_LOGS - len(records)
        found = engine.matching_records(
            search, span.from_time, span.to_time, from_ns=span.from_ns, to_ns=span.to_ns, limit=room
        )
        if len(found) > room:
            raise SLSError(
                "ExceedQuota",
                f"a store view query reads at most {MAX_VIEW_LOGS} logs of its members; narrow the time range",
                400,
            )
        records.extend(_tagged(record, project, name) for record in found)
    union = LogstoreIndex(_merged_config([engine.config for _, _, _, engine in members]), limits=limits)
    try:
        union.ingest(records)
        yield union, complete
    finally:
        union.close()
