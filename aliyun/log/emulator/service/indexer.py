"""Indexing off the PutLogs path: per-logstore feeds and one background indexer per emulator.

PutLogs stores a group durably in its shard log and only tells the :class:`BackgroundIndexer`
"logstore X has new data". The shard logs themselves are the queue: an :class:`IndexFeed`
remembers, per shard, the sequence number up to which the index holds the logs, and moves it
by reading the stored bytes from the shard log and handing them to the engine in batches
(:meth:`~aliyun.log.emulator.query.LogstoreIndex.ingest_groups`). Nothing is copied or kept
in memory per PutLogs.

When the work is done:

* **queries** catch up first, in the querying thread, to the shard ends they see on arrival
  (read-your-writes: a log acknowledged before the query was sent is searchable);
* **the background thread** indexes once PutLogs has been quiet for :data:`IDLE_SECONDS`, or at
  once when more than :data:`MAX_BACKLOG_LOGS` logs wait. On a machine with few cores (and one
  interpreter lock for the emulator's threads) indexing while a burst of writes is being
  acknowledged only slows both down; the backlog bound keeps the work a query may have to do
  (and the lag of a steady writer) bounded;
* **UpdateIndex, DeleteIndex and shutdown** catch up (or stop) under the feed's lock.

Durability: the engine stores each log with its shard and shard sequence number, so what is
indexed is recorded in the index's own journal, atomically with the logs. On start-up the
positions are read back from the index (see :func:`resume_positions`) and the rest is replayed
from the shard logs.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Optional

from ..query import LogstoreIndex
from ..query.wire import StoredGroup
from .state import LogstoreState, ShardState

__all__ = ["IDLE_SECONDS", "MAX_BACKLOG_LOGS", "BackgroundIndexer", "IndexFeed", "resume_positions"]

logger = logging.getLogger(__name__)

#: the background indexer starts once PutLogs has been quiet this long
IDLE_SECONDS = 0.05
#: ... or at once when this many logs wait to be indexed
MAX_BACKLOG_LOGS = 500_000
#: logs handed to the engine per call (each call is one journal write)
BATCH_LOGS = 20_000
#: groups read from a shard log at a time
_READ_GROUPS = 200
#: how long a query waits for the feed's lock (held by a background batch or a slow ingest)
CATCH_UP_TIMEOUT = 300.0
#: pause before the background thread retries a logstore whose indexing failed
_RETRY_SECONDS = 1.0


class IndexFeed:
    """How far one logstore's index is, per shard, and the work of moving it to the shard ends.

    :param positions: per shard id, the sequence number of the first group not indexed yet.
        Shards missing from it were created after the index: indexed from their beginning.
    """

    def __init__(self, positions: dict[int, int]) -> None:
        self.lock = threading.Lock()
        self.positions = dict(positions)
        self.closed = False

    def behind(self, shards: list[ShardState]) -> bool:
        """True if some shard holds groups the index does not have yet."""
        return any(s.log is not None and s.log.end > self.positions.get(s.shard_id, 0) for s in shards)

    def catch_up(
        self, shards: list[ShardState], engine: LogstoreIndex, targets: Optional[dict[int, int]] = None
    ) -> int:
        """Index every group up to ``targets`` (shard id -> end; default: the current ends).

        The caller holds :attr:`lock`. Positions move only after the engine took a batch, so an
        exception leaves the rest for the next attempt. Returns the number of logs indexed.
        """
        done = 0
        batch: list[StoredGroup] = []
        moved: dict[int, int] = {}
        logs = 0
        for shard in shards:
            log = shard.log
            if log is None or self.closed:
                continue
            position = self.positions.get(shard.shard_id, 0)
            stop = log.end if targets is None else min(log.end, targets.get(shard.shard_id, log.end))
            while position < stop:
                try:
                    records = log.read(max(position, log.begin), _READ_GROUPS, stop)
                except ValueError:  # the shard (or its logstore) was deleted meanwhile
                    break
                if not records:  # expired meanwhile: nothing left to index below ``stop``
                    position = stop
                    moved[shard.shard_id] = position
                    break
                for record in records:
                    batch.append(StoredGroup(record.payload, shard.shard_id, record.seq, record.receive_time))
                    logs += record.log_count
                position = records[-1].seq + 1
                moved[shard.shard_id] = position
                if logs >= BATCH_LOGS:
                    done += self._ingest(engine, batch, moved)
                    batch, moved, logs = [], {}, 0
        if batch or moved:
            done += self._ingest(engine, batch, moved)
        return done

    def _ingest(self, engine: LogstoreIndex, batch: list[StoredGroup], moved: dict[int, int]) -> int:
        if self.closed:
            return 0
        count = engine.ingest_groups(batch)
        self.positions.update(moved)
        return count

    def close(self) -> None:
        """Stop feeding (after the batch in progress): the index is being deleted or closed."""
        with self.lock:
            self.closed = True


def resume_positions(
    engine: LogstoreIndex,
    shards: list[ShardState],
    created: Optional[dict[int, int]],
    *,
    report: Optional[Callable[[str], None]] = None,
    now: int = 0,
) -> dict[int, int]:
    """Feed positions of an index reopened at start-up.

    :param created: shard ends when the index was created (logs before them are never indexed);
        ``None`` for an index stored without them, which then starts at the current ends.
    :param report: told when the index and a shard disagree (see below).
    :param now: receive time given to reserved sequence numbers (the emulator's clock).

    The engine knows the last group it holds per shard; a group it holds only partly (the
    emulator died in the middle of a journal write) is dropped and indexed again. Positions
    never lie beyond what a shard holds: a shard that lost its tail after the index took it has
    the lost sequence numbers reserved (they are never given to new logs, which the index would
    otherwise take for logs it already holds), and a creation position beyond the end is
    clamped to the end.
    """
    by_id = {s.shard_id: s for s in shards}
    if created is None:
        positions = {s.shard_id: s.log.end for s in shards if s.log is not None}
    else:
        positions = dict(created)
        for shard_id, position in created.items():
            shard = by_id.get(shard_id)
            if shard is not None and shard.log is not None and position > shard.log.end:
                positions[shard_id] = shard.log.end
    for shard_id, (gseq, count) in engine.indexed_groups().items():
        shard = by_id.get(shard_id)
        position = gseq + 1
        if shard is not None and shard.log is not None:
            log = shard.log
            if log.begin <= gseq < log.end:
                if count < log.log_count(gseq, gseq + 1):
                    logger.warning("index holds group %d of shard %d only partly; indexing it again", gseq, shard_id)
                    engine.drop_group(shard_id, gseq)
                    position = gseq
            elif gseq >= log.end:
                end = log.end
                log.reserve(position, now)
                if report is not None:
                    report(
                        f"shard {shard_id} ends at {end} but the index holds groups up to {gseq}: the shard lost"
                        f" its tail; sequence numbers up to {gseq} are reserved so new logs are indexed"
                    )
        positions[shard_id] = max(positions.get(shard_id, 0), position)
    return positions


class BackgroundIndexer:
    """The thread that indexes what PutLogs stored, once writes pause (see the module doc).

    :param work: indexes everything pending of one logstore; returns False if it failed (the
        logstore is then retried after a pause). Exceptions are logged, never fatal.
    """

    def __init__(
        self,
        work: Callable[[LogstoreState], bool],
        *,
        idle_seconds: float = IDLE_SECONDS,
        max_backlog: int = MAX_BACKLOG_LOGS,
    ) -> None:
        self._work = work
        self.idle_seconds = idle_seconds
        self.max_backlog = max_backlog
        self._cond = threading.Condition()
        self._dirty: dict[int, LogstoreState] = {}
        self._backlog = 0
        self._last_put = 0.0
        self._paused = False
        self._stopping = False
        self._busy = False
        self._thread: Optional[threading.Thread] = None

    def notify(self, logstore: LogstoreState, logs: int) -> None:
        """PutLogs stored ``logs`` logs in ``logstore`` (cheap: called on every write)."""
        with self._cond:
            if self._stopping:
                return
            first = not self._dirty
            self._dirty[id(logstore)] = logstore
            self._backlog += logs
            self._last_put = time.monotonic()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sls-indexer", daemon=True)
                self._thread.start()
            if first or self._backlog >= self.max_backlog:
                self._cond.notify_all()

    def pause(self) -> None:
        """Hold back the background thread (tests: to look at a backlog); queries still catch up."""
        with self._cond:
            self._paused = True
            while self._busy:
                self._cond.wait()

    def resume(self) -> None:
        """Undo :meth:`pause`."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until nothing is pending or in progress (tests and benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._dirty or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def stop(self) -> None:
        """End the thread (after its current batch); what is pending stays for whoever closes the feeds."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _take(self) -> Optional[list[LogstoreState]]:
        """Wait until there is work and its time has come; None when stopping."""
        with self._cond:
            while True:
                if self._stopping:
                    return None
                if self._paused or not self._dirty:
                    self._cond.wait()
                    continue
                wait = self._last_put + self.idle_seconds - time.monotonic()
                if wait > 0 and self._backlog < self.max_backlog:
                    self._cond.wait(wait)
                    continue
                taken = list(self._dirty.values())
                self._dirty.clear()
                self._backlog = 0
                self._busy = True
                return taken

    def _run(self) -> None:
        while True:
            taken = self._take()
            if taken is None:
                return
            failed = []
            for logstore in taken:
                try:
                    ok = self._work(logstore)
                except Exception:
                    logger.exception("indexing %s/%s failed; will retry", logstore.project, logstore.name)
                    ok = False
                if not ok:
                    failed.append(logstore)
            with self._cond:
                self._busy = False
                for logstore in failed:
                    self._dirty.setdefault(id(logstore), logstore)
                self._cond.notify_all()
                if failed and not self._stopping:
                    self._cond.wait(_RETRY_SECONDS)
