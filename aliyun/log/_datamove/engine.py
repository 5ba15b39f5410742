"""Running a copy or transform job: shards in threads, batch by batch, checkpointed."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any, Callable, Optional, Union

from ..errors import BadParameters
from ..logresponse import LogResponse
from .checkpoint import Checkpoint
from .progress import Progress, TerminalBar, stderr_is_terminal
from .writers import BatchCounts, copy_groups, transform_events

__all__ = ["MoveJob", "parse_shard_list", "run_move"]

logger = logging.getLogger(__name__)

#: log groups per pull when ``batch_size`` is not given (memory is bounded by it)
DEFAULT_BATCH_GROUPS = 100
_COUNTS = ("read", "written", "removed", "failed", "batches")


def parse_shard_list(shard_list: Union[str, int, Sequence[Any], None], current: Sequence[int]) -> list[int]:
    """The shards to work on: all of ``current`` when ``shard_list`` is empty, else those of
    ``current`` named by it (``"1,3-5"``, an int, or a list of ints)."""
    if shard_list is None or shard_list == "" or shard_list == []:
        return list(current)
    wanted: list[int] = []
    items: Sequence[Any] = (
        shard_list.split(",")
        if isinstance(shard_list, str)
        else ([shard_list] if isinstance(shard_list, int) else shard_list)
    )
    for item in items:
        text = str(item).strip()
        low, sep, high = text.partition("-")
        try:
            span = range(int(low), int(high) + 1) if sep else range(int(text), int(text) + 1)
        except ValueError as exc:
            raise BadParameters("BadParameters", f"shard_list item {text!r} is not N or N-M") from exc
        wanted.extend(s for s in span if s in current and s not in wanted)
    return wanted


@dataclasses.dataclass
class MoveJob:
    """One copy or transform: where from, where to, and how (``runner`` None: copy groups)."""

    from_client: Any
    from_project: str
    from_logstore: str
    from_time: Any
    to_time: Any
    to_client: Any
    to_project: str
    to_logstore: str
    batch_size: Optional[int] = None
    compress: Optional[bool] = None
    new_topic: Optional[str] = None
    new_source: Optional[str] = None
    runner: Optional[Callable[[dict[str, Any]], Any]] = None

    def identity(self) -> dict[str, Any]:
        """What a checkpoint must match to continue this job."""
        return {
            "from": [self.from_project, self.from_logstore, str(self.from_time)],
            "to": [self.to_project, self.to_logstore, str(self.to_time)],
            "kind": "copy" if self.runner is None else "transform",
        }


class _Tracker:
    """Totals over all shards and the reporting of progress (serialised by a lock)."""

    def __init__(self, shards: list[int], report: Optional[Callable[[Progress], Any]]) -> None:
        self.report = report
        self.lock = threading.Lock()
        self.total = len(shards)
        self.per_shard: dict[int, dict[str, int]] = {s: dict.fromkeys(_COUNTS, 0) for s in shards}
        self.done: set[int] = set()

    def update(self, shard: int, entry: dict[str, Any], done: bool) -> None:
        with self.lock:
            self.per_shard[shard] = {k: int(entry.get(k, 0)) for k in _COUNTS}
            if done:
                self.done.add(shard)
            sums = {k: sum(c[k] for c in self.per_shard.values()) for k in _COUNTS}
            snapshot = Progress(shard=shard, shards_done=len(self.done), shards_total=self.total, **sums)
            if self.report is not None:
                self.report(snapshot)  # may raise: the job stops, the checkpoint is already saved


def _move_shard(job: MoveJob, shard: int, checkpoint: Checkpoint, tracker: _Tracker, stop: threading.Event) -> None:
    src, dst = job.from_client, job.to_client
    entry = checkpoint.shard(shard)
    if entry is None:
        begin = src.get_cursor(job.from_project, job.from_logstore, shard, job.from_time).get_cursor()
        end = src.get_cursor(job.from_project, job.from_logstore, shard, job.to_time).get_cursor()
        entry = {"cursor": begin, "end_cursor": end, "done": False, **dict.fromkeys(_COUNTS, 0)}
        checkpoint.save_shard(shard, entry)
    elif entry.get("done"):
        tracker.update(shard, entry, done=True)
        return
    from ..logclient_operator import put_logs_auto_div  # a cycle at import time otherwise

    count = job.batch_size or DEFAULT_BATCH_GROUPS
    cursor, end = entry["cursor"], entry["end_cursor"]
    while cursor != end and not stop.is_set():
        batch = src.pull_logs(
            job.from_project, job.from_logstore, shard, cursor, count=count, end_cursor=end, compress=job.compress
        )
        next_cursor = batch.get_next_cursor()
        if job.runner is None:
            counts = copy_groups(
                batch.get_loggroup_list().LogGroups,
                lambda group: dst.put_log_raw(job.to_project, job.to_logstore, group, compress=job.compress),
                job.new_topic,
                job.new_source,
            )
        else:
            counts = transform_events(
                batch.get_flatten_logs_json(),
                job.runner,
                lambda request: put_logs_auto_div(dst, request),
                job.to_project,
                job.to_logstore,
            )
        _add(entry, counts)
        finished = next_cursor == end or next_cursor == cursor
        entry["cursor"], entry["done"] = next_cursor, finished
        checkpoint.save_shard(shard, entry)
        tracker.update(shard, entry, done=finished)
        cursor = next_cursor
        if finished:
            return
    if cursor == end and not entry.get("done"):
        entry["done"] = True
        checkpoint.save_shard(shard, entry)
        tracker.update(shard, entry, done=True)


def _add(entry: dict[str, Any], counts: BatchCounts) -> None:
    entry["batches"] = int(entry.get("batches", 0)) + 1
    for name in ("read", "written", "removed", "failed"):
        entry[name] = int(entry.get(name, 0)) + getattr(counts, name)


def run_move(
    job: MoveJob,
    shard_list: Any = None,
    *,
    progress: Union[bool, Callable[[Progress], Any], None] = None,
    checkpoint: Any = None,
    workers: Optional[int] = None,
) -> tuple[dict[int, dict[str, int]], int]:
    """Run ``job`` over its shards; the per-shard counts and the number of shards.

    :param progress: called with a :class:`Progress` after every batch (from the worker
        threads, one call at a time); ``None`` draws a bar when standard error is a terminal,
        ``False`` reports nothing.
    :param checkpoint: a dict or file path to continue from and save to (see :class:`Checkpoint`).
    :param workers: threads (default: one per shard, at most 8).
    :raises: whatever a read, a write or ``progress`` raised, after the other shards stopped
        at their next batch boundary (their positions saved).
    """
    listed = job.from_client.list_shards(job.from_project, job.from_logstore).get_shards_info()
    shards = parse_shard_list(shard_list, [int(s["shardID"]) for s in listed])
    saved = Checkpoint(checkpoint, job.identity())
    bar = TerminalBar() if progress is None and stderr_is_terminal() else None
    report = bar if progress is None else (None if isinstance(progress, bool) else progress)
    tracker = _Tracker(shards, report)
    stop = threading.Event()
    try:
        with ThreadPoolExecutor(
            max_workers=max(1, workers or min(len(shards), 8)), thread_name_prefix="sls-move"
        ) as pool:
            futures = [pool.submit(_move_shard, job, shard, saved, tracker, stop) for shard in shards]
            finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
            if any(f.exception() is not None for f in finished):
                stop.set()
            for future in futures:
                future.result()
    finally:
        if bar is not None:
            bar.close()
    return tracker.per_shard, len(shards)


def summary(per_shard: dict[int, dict[str, int]], transform: bool) -> LogResponse:
    """The answer of ``copy_data``/``transform_data``: official keys plus totals."""
    totals = {k: sum(c[k] for c in per_shard.values()) for k in _COUNTS}
    if transform:
        shards: dict[str, Any] = {
            str(s): {
                "total_count": c["read"],
                "transformed": c["written"],
                "removed": c["removed"],
                "failed": c["failed"],
            }
            for s, c in per_shard.items()
            if c["read"]
        }
    else:
        shards = {str(s): c["read"] for s, c in per_shard.items() if c["read"]}
    body = {
        "total_count": totals["read"],
        "shards": shards,
        **{f"total_{k}": totals[k] for k in _COUNTS if k != "read"},
    }
    logger.info("data job done: %s", body)
    return LogResponse({}, body)
