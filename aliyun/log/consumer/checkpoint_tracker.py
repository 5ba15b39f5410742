"""The checkpoint tracker handed to ``process()`` and ``shutdown()``: where a shard's consumption stands.

Three values, per shard:

* ``cursor``: where the batch being processed ends (set by the worker before ``process()``);
* the *pending* checkpoint: what the processor declared done (``save_check_point``);
* the *persisted* checkpoint: what the server has.

``save_check_point(True)`` writes the pending value at once; ``save_check_point(False)`` keeps it in
memory and the worker writes it later (at the latest after ``flush_interval``, at once when the shard
has no new data, and on shutdown). Writes are serialised per shard, so an older value never
overwrites a newer one.

Thread safety: called from the thread running ``process()``/``shutdown()`` (a pool thread) and by
the worker's I/O threads; every method is safe from any thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..logexception import LogException
from .exceptions import CheckPointException

__all__ = ["ConsumerCheckpointTracker"]

logger = logging.getLogger(__name__)

#: ``commit(shard_id, cursor)`` writes a checkpoint to the server (raises ``LogException``)
Commit = Callable[[int, str], None]


@dataclass(frozen=True)
class TrackerSnapshot:
    """The in-memory values, taken before a batch so a failed batch can be undone."""

    cursor: str
    pending: str


class ConsumerCheckpointTracker:
    """Checkpoint bookkeeping of one shard.

    :param loghub_client_adapter: writes checkpoints: a ``commit(shard_id, cursor)`` callable, or
        (the official form) a client with ``update_check_point(shard, consumer, check_point)``,
        kept as :attr:`consumer_group_client`.
    :param consumer_name: this consumer's name.
    :param shard_id: the shard.
    :param flush_interval: seconds after which :meth:`flush_check` writes a pending value.
    :param clock: monotonic time source (tests).
    """

    def __init__(
        self,
        loghub_client_adapter: Any,
        consumer_name: str,
        shard_id: int,
        *,
        flush_interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        #: the client given in the official form (``None`` when a commit callable was given)
        self.consumer_group_client: Any = None
        update = getattr(loghub_client_adapter, "update_check_point", None)
        if callable(update):
            self.consumer_group_client = loghub_client_adapter
            self._commit: Commit = lambda shard, cursor: update(shard, consumer_name, cursor)
        else:
            self._commit = loghub_client_adapter
        self.consumer_name = consumer_name
        self.shard_id = shard_id
        self.flush_interval = flush_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._cursor = ""
        self._pending = ""
        self._persisted = ""
        self._last_flush = clock()
        self._detached = False

    # -- what the processor uses ------------------------------------------------------------------

    def get_cursor(self) -> str:
        """Where the batch being processed ends (the checkpoint ``save_check_point()`` saves)."""
        with self._lock:
            return self._cursor

    def set_cursor(self, cursor: str) -> None:
        """Set where the current batch ends (done by the worker before each ``process()``)."""
        with self._lock:
            self._cursor = cursor

    def get_check_point(self) -> str:
        """The pending checkpoint (saved, maybe not yet written to the server)."""
        with self._lock:
            return self._pending

    def save_check_point(self, persistent: bool, cursor: Optional[str] = None) -> None:
        """Declare everything before ``cursor`` (default: the end of the current batch) consumed.

        Call it only once the batch is fully handled: a crash after this point does not bring
        the data back. With ``persistent`` the value is written to the server now; a failed
        write is logged and retried by the worker later (it does not raise here, so a processed
        batch is not reported as failed).
        """
        with self._lock:
            if self._detached:
                logger.debug("shard %d: checkpoint save ignored: the shard was given up", self.shard_id)
                return
            self._pending = self._cursor if cursor is None else cursor
        if persistent:
            try:
                self.flush_check_point()
            except CheckPointException as exc:
                logger.warning("shard %d: checkpoint write failed, will retry: %s", self.shard_id, exc.__cause__ or exc)

    def set_memory_check_point(self, cursor: str) -> None:
        """Set the pending checkpoint without writing it."""
        with self._lock:
            self._pending = cursor

    def set_persistent_check_point(self, cursor: str) -> None:
        """Record that the server already holds ``cursor`` (at start, from GetCheckPoint)."""
        with self._lock:
            self._persisted = cursor

    def flush_check_point(self) -> None:
        """Write the pending checkpoint if it differs from the server's.

        :raises CheckPointException: the write failed (the value stays pending).
        """
        self._flush(ignore_detached=False)

    def _flush(self, ignore_detached: bool) -> None:
        with self._write_lock:
            with self._lock:
                pending, persisted, detached = self._pending, self._persisted, self._detached
            if (detached and not ignore_detached) or not pending or pending == persisted:
                return
            try:
                self._commit(self.shard_id, pending)
            except LogException as exc:
                raise CheckPointException(
                    "CheckPointException", f"failed to save checkpoint of shard {self.shard_id}: {exc}"
                ) from exc
            with self._lock:
                self._persisted = pending
                self._last_flush = self._clock()

    def flush_check(self) -> None:
        """Write the pending checkpoint if the last write is older than ``flush_interval``."""
        with self._lock:
            due = self._clock() - self._last_flush >= self.flush_interval
        if due:
            self.flush_check_point()

    # -- what the worker uses ---------------------------------------------------------------------

    def has_unflushed(self) -> bool:
        """Whether a saved checkpoint still waits to be written."""
        with self._lock:
            return bool(self._pending) and self._pending != self._persisted and not self._detached

    def persisted(self) -> str:
        """The checkpoint the server holds (as far as this tracker knows)."""
        with self._lock:
            return self._persisted

    def snapshot(self) -> TrackerSnapshot:
        """The in-memory values, to undo a failed batch."""
        with self._lock:
            return TrackerSnapshot(self._cursor, self._pending)

    def restore(self, snapshot: TrackerSnapshot) -> None:
        """Undo what a failed batch changed in memory (a value it already wrote stays written)."""
        with self._lock:
            self._cursor = snapshot.cursor
            self._pending = snapshot.pending

    def abandon(self, snapshot: TrackerSnapshot) -> None:
        """Give the shard up while a batch is still running: undo that batch, ignore every later save
        from it, and write what was saved before it.

        :raises CheckPointException: the write failed.
        """
        with self._lock:
            self._detached = True
            self._cursor = snapshot.cursor
            self._pending = snapshot.pending
        self._flush(ignore_detached=True)
