"""How one pulled batch is written to the target: copied group by group, or transformed."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any, Callable, Optional

from ..logitem import LogItem
from ..putlogsrequest import PutLogsRequest

__all__ = ["BatchCounts", "copy_groups", "transform_events"]

logger = logging.getLogger(__name__)
# logs per PutLogs request (the service's own limit is 4096)
_PUT_CHUNK = 4096
_TAG = "__tag__:"


class BatchCounts:
    """What one batch did: logs read, written, removed (dropped by the script), failed."""

    __slots__ = ("failed", "read", "removed", "written")

    def __init__(self) -> None:
        self.read = self.written = self.removed = self.failed = 0


def copy_groups(
    groups: Any,
    put_raw: Callable[[Any], Any],
    new_topic: Optional[str],
    new_source: Optional[str],
) -> BatchCounts:
    """Write each non-empty protobuf ``LogGroup`` as it is (topic/source replaced when given)."""
    counts = BatchCounts()
    for group in groups:
        if not group.Logs:
            continue
        if new_topic is not None:
            group.Topic = new_topic
        if new_source is not None:
            group.Source = new_source
        put_raw(group)
        counts.read += len(group.Logs)
        counts.written += len(group.Logs)
    return counts


def _split_meta(
    event: dict[str, Any], default_time: int
) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], LogItem]:
    topic = str(event.pop("__topic__", "") or "")
    source = str(event.pop("__source__", "") or "")
    try:
        timestamp = int(event.pop("__time__", default_time))
    except (TypeError, ValueError):
        timestamp = default_time
    tags = tuple(sorted((k[len(_TAG) :], str(event.pop(k))) for k in [k for k in event if k.startswith(_TAG)]))
    contents = [(str(k), v if isinstance(v, (str, bytes)) else str(v)) for k, v in event.items()]
    return (topic, source, tags), LogItem(timestamp, contents)


def transform_events(
    events: list[dict[str, Any]],
    runner: Callable[[dict[str, Any]], Any],
    put: Callable[[PutLogsRequest], Any],
    project: str,
    logstore: str,
) -> BatchCounts:
    """Run every event through ``runner`` and write the results, grouped by topic, source and tags.

    ``__time__`` becomes the log's time, ``__topic__``/``__source__``/``__tag__:*`` its group's
    meta; a result that is not a dict (or a list of dicts) counts as failed.
    """
    counts = BatchCounts()
    default_time = int(time.time())
    grouped: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[LogItem]] = defaultdict(list)
    for event in events:
        counts.read += 1
        result = runner(event)
        if result is None:
            counts.removed += 1
            continue
        for item in result if isinstance(result, (list, tuple)) else (result,):
            if not isinstance(item, dict):
                logger.warning("transform_data: the script returned %s, not an event; skipped", type(item).__name__)
                counts.failed += 1
                continue
            key, log = _split_meta(dict(item), default_time)
            grouped[key].append(log)
    for (topic, source, tags), items in grouped.items():
        for start in range(0, len(items), _PUT_CHUNK):
            chunk = items[start : start + _PUT_CHUNK]
            put(PutLogsRequest(project, logstore, topic, source, chunk, logtags=list(tags) or None))
            counts.written += len(chunk)
    return counts
