"""One shard's consumption as a pure state machine: no I/O, no threads, time passed in.

The worker's loop thread owns one :class:`ShardConsumerState` per shard. It calls :meth:`poll`
to learn which tasks to start (:class:`Init`, :class:`Fetch`, :class:`Process`, :class:`Flush`,
:class:`Finish`), runs them on its pools, and feeds their outcomes back (``on_*``). Between
events it sleeps until :meth:`next_wakeup`.

Life cycle (``status``)::

    INITIALIZING --init ok--> PROCESSING --release/stop--> SHUTTING_DOWN --Finish done--> SHUTDOWN_COMPLETE
         |  (init failed: retried after a backoff)               ^
         +-----------------------release/stop---------------------+

While PROCESSING, the next batch is fetched while the current one is processed (one fetch and one
process in flight at most, one fetched batch waiting). Batches are processed strictly in order.

Guarantees kept here:

* a batch is handed to ``process()`` only after every earlier batch succeeded (or was skipped by
  an explicit policy);
* a failed batch is fetched again from its first cursor after the policy's backoff; the batch
  fetched ahead of it is dropped;
* shutting down waits for the running ``process()`` (or abandons it at the deadline), then asks
  for one :class:`Finish` that runs the processor's ``shutdown()`` and writes the checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from .config import ConsumerStatus
from .policy import RETRY, SKIP, STOP, ProcessRetryPolicy

__all__ = [
    "Action",
    "Batch",
    "Fetch",
    "Finish",
    "Flush",
    "Init",
    "Process",
    "ShardConsumerState",
    "ShardSettings",
]


# -- tasks the state machine asks for ---------------------------------------------------------------


@dataclass(frozen=True)
class Init:
    """Run ``processor.initialize``, find the start (checkpoint or configured position) and end cursors."""


@dataclass(frozen=True)
class Fetch:
    """PullLogs from ``cursor``; ``epoch`` must be handed back with the result."""

    cursor: str
    end_cursor: Optional[str]
    epoch: int


@dataclass(frozen=True)
class Batch:
    """Fetched data: ``count`` log groups from ``cursor`` up to ``next_cursor``."""

    cursor: str
    next_cursor: str
    count: int
    data: Any = None
    raw_size: int = 0


@dataclass(frozen=True)
class Process:
    """Run ``processor.process`` on ``batch`` (tracker cursor = ``batch.next_cursor``)."""

    batch: Batch


@dataclass(frozen=True)
class Flush:
    """Write the pending checkpoint to the server."""


@dataclass(frozen=True)
class Finish:
    """Last task of the shard: with ``abandon`` a ``process()`` is still running and is given up
    (its batch undone in the tracker, later saves ignored); otherwise ``processor.shutdown()`` runs.
    Either way the checkpoint is written."""

    abandon: bool
    initialized: bool


Action = Union[Init, Fetch, Process, Flush, Finish]


@dataclass(frozen=True)
class ShardSettings:
    """Timing and limits of one shard consumer.

    :param fetch_interval: wait before fetching again after an empty fetch.
    :param max_fetch: log groups per fetch (a full batch is followed by an immediate fetch).
    :param flush_interval: longest time a processed checkpoint stays unwritten while data flows.
    :param retry: what to do when ``process()`` raises.
    :param io_retry_base: first backoff after a failed init or fetch.
    :param io_retry_max: longest backoff after failed inits or fetches.
    """

    fetch_interval: float = 2.0
    max_fetch: int = 1000
    flush_interval: float = 60.0
    retry: ProcessRetryPolicy = field(default_factory=ProcessRetryPolicy)
    io_retry_base: float = 0.5
    io_retry_max: float = 10.0


def _throttle(count: int, settings: ShardSettings) -> float:
    """Pause before the next fetch after one that returned ``count`` (> 0) log groups.

    A full batch means more is waiting: fetch at once. A small one means we are at the head of
    the shard: pause a little so a trickle of data does not turn into a request storm.
    """
    if count >= settings.max_fetch:
        return 0.0
    if count < 100:
        return min(0.5, settings.fetch_interval)
    if count < 500:
        return min(0.2, settings.fetch_interval)
    return min(0.05, settings.fetch_interval)


class ShardConsumerState:
    """Consumption state of one shard (used by the worker's loop thread only)."""

    def __init__(self, shard_id: int, settings: ShardSettings, now: float) -> None:
        self.shard_id = shard_id
        self.settings = settings
        self.status = ConsumerStatus.INITIALIZING
        #: end cursor (``cursor_end_time``), known after init
        self.end_cursor: Optional[str] = None
        #: where the next fetch starts
        self.fetch_cursor: Optional[str] = None
        self.ready: Optional[Batch] = None
        self.processing: Optional[Batch] = None
        self.reached_end = False
        #: set when the retry policy says ``stop``: the worker must stop
        self.fatal: Optional[BaseException] = None
        #: batches skipped by the retry policy: ``(batch, error)``
        self.skipped: list[tuple[Batch, BaseException]] = []
        self._initialized = False
        self._init_running = False
        self._init_failures = 0
        self._fetching = False
        self._fetch_failures = 0
        self._epoch = 0
        self._flushing = False
        self._finishing = False
        self._deadline: Optional[float] = None
        self._not_before = now  # init or fetch may start at or after this time
        self._failed_batch: Optional[str] = None  # first cursor of the batch that last failed
        self._attempts = 0  # failures of that batch
        self._processed_since_flush = False
        self._last_flush = now
        self._flush_retry_at = now
        self._flush_failures = 0
        self._idle = False

    # -- queries ------------------------------------------------------------------------------------

    @property
    def done(self) -> bool:
        """Whether the shard was fully shut down."""
        return self.status == ConsumerStatus.SHUTDOWN_COMPLETE

    @property
    def busy(self) -> bool:
        """Whether a task of this shard is running."""
        return self._init_running or self._fetching or self.processing is not None or self._flushing or self._finishing

    @property
    def failed_attempts(self) -> int:
        """Consecutive failures of the batch being retried."""
        return self._attempts

    def next_wakeup(self, now: float) -> Optional[float]:
        """Latest time :meth:`poll` should be called again even if no task finished (``None``: never)."""
        times: list[float] = []
        if self.status == ConsumerStatus.INITIALIZING and not self._init_running:
            times.append(self._not_before)
        elif self.status == ConsumerStatus.PROCESSING:
            if self._can_fetch():
                times.append(self._not_before)
            if self.ready is not None and self.processing is None:
                times.append(now)
            if self._processed_since_flush and not self._flushing:
                due = self._flush_retry_at if self._idle else self._last_flush + self.settings.flush_interval
                times.append(max(due, self._flush_retry_at))
        elif self.status == ConsumerStatus.SHUTTING_DOWN and not self._finishing:
            if self._deadline is not None:
                times.append(self._deadline)
        return min(times) if times else None

    # -- deciding what to run -----------------------------------------------------------------------

    def _can_fetch(self) -> bool:
        return (
            self.status == ConsumerStatus.PROCESSING
            and not self._fetching
            and self.ready is None
            and not self.reached_end
            and self.fetch_cursor is not None
            and self.fatal is None
        )

    def poll(self, now: float) -> list[Action]:
        """Tasks to start now (each returned task is considered running until its ``on_*`` call)."""
        actions: list[Action] = []
        if self.status == ConsumerStatus.INITIALIZING:
            if not self._init_running and now >= self._not_before:
                self._init_running = True
                actions.append(Init())
        elif self.status == ConsumerStatus.PROCESSING:
            if self.processing is None and self.ready is not None:
                self.processing, self.ready = self.ready, None
                actions.append(Process(self.processing))
            if self._can_fetch() and now >= self._not_before:
                assert self.fetch_cursor is not None
                self._fetching = True
                actions.append(Fetch(self.fetch_cursor, self.end_cursor, self._epoch))
            if self._processed_since_flush and not self._flushing and now >= self._flush_retry_at:
                if self._idle or now - self._last_flush >= self.settings.flush_interval:
                    self._flushing = True
                    self._processed_since_flush = False
                    actions.append(Flush())
        elif self.status == ConsumerStatus.SHUTTING_DOWN and not self._finishing:
            waiting = self._init_running or self.processing is not None
            expired = self._deadline is not None and now >= self._deadline
            if not waiting or expired:
                self._finishing = True
                actions.append(Finish(abandon=waiting, initialized=self._initialized))
        return actions

    # -- outcomes -----------------------------------------------------------------------------------

    def on_init_done(self, now: float, start_cursor: str, end_cursor: Optional[str]) -> None:
        """Init succeeded: consumption starts at ``start_cursor``."""
        self._init_running = False
        self._initialized = True
        self._init_failures = 0
        if self.status != ConsumerStatus.INITIALIZING:
            return  # shutting down meanwhile
        self.status = ConsumerStatus.PROCESSING
        self.fetch_cursor = start_cursor
        self.end_cursor = end_cursor or None
        self._not_before = now

    def on_init_failed(self, now: float, error: BaseException) -> None:
        """Init failed: try again after a backoff."""
        self._init_running = False
        self._init_failures += 1
        self._not_before = now + self._io_backoff(self._init_failures)

    def on_fetch_done(self, now: float, epoch: int, batch: Batch) -> None:
        """A fetch returned (``batch.count`` may be 0)."""
        self._fetching = False
        self._fetch_failures = 0
        if epoch != self._epoch or self.status != ConsumerStatus.PROCESSING:
            return  # rewound or shutting down meanwhile: the data is not wanted
        if batch.count > 0:
            self.ready = batch
            self.fetch_cursor = batch.next_cursor
            self._idle = False
            self._not_before = now + _throttle(batch.count, self.settings)
        else:
            self._idle = True
            self.fetch_cursor = batch.next_cursor or batch.cursor
            if self.end_cursor is not None:
                self.reached_end = True
            self._not_before = now + self.settings.fetch_interval

    def on_fetch_failed(self, now: float, epoch: int, error: BaseException, restart_at: Optional[str] = None) -> None:
        """A fetch failed; with ``restart_at`` (the cursor was out of range) fetching resumes there."""
        self._fetching = False
        if epoch != self._epoch:
            return
        self._fetch_failures += 1
        if restart_at:
            self.fetch_cursor = restart_at
        self._not_before = now + self._io_backoff(self._fetch_failures)

    def on_process_done(self, now: float, rollback: Optional[str] = None) -> None:
        """``process()`` returned; ``rollback`` is a cursor it asked to rewind to."""
        batch = self.processing
        self.processing = None
        if batch is None:
            return
        self._attempts = 0
        self._failed_batch = None
        self._processed_since_flush = True
        if rollback:
            self._rewind(rollback, now)

    def on_process_failed(self, now: float, error: BaseException) -> str:
        """``process()`` raised; returns the policy's verdict (``retry``, ``skip`` or ``stop``)."""
        batch = self.processing
        self.processing = None
        if batch is None:
            return RETRY
        if self._failed_batch != batch.cursor:
            self._failed_batch = batch.cursor
            self._attempts = 0
        self._attempts += 1
        verdict = self.settings.retry.decide(self._attempts)
        if verdict == SKIP:
            self.skipped.append((batch, error))
            self._attempts = 0
            self._failed_batch = None
            self._processed_since_flush = True
            return SKIP
        if verdict == STOP:
            self.fatal = error
            self._rewind(batch.cursor, now)
            return STOP
        self._rewind(batch.cursor, now + self.settings.retry.delay(self._attempts))
        return RETRY

    def on_flush_done(self, now: float, ok: bool) -> None:
        """A checkpoint write finished (``ok=False``: it failed and is retried later)."""
        self._flushing = False
        if ok:
            self._last_flush = now
            self._flush_failures = 0
        else:
            self._processed_since_flush = True
            self._flush_failures += 1
            self._flush_retry_at = now + self._io_backoff(self._flush_failures)

    def request_shutdown(self, now: float, deadline: Optional[float] = None) -> None:
        """Stop consuming: no new fetch or batch; a running ``process()`` may finish until ``deadline``."""
        if self.status in (ConsumerStatus.SHUTTING_DOWN, ConsumerStatus.SHUTDOWN_COMPLETE):
            if deadline is not None and (self._deadline is None or deadline < self._deadline):
                self._deadline = deadline
            return
        self.status = ConsumerStatus.SHUTTING_DOWN
        self._deadline = deadline
        self.ready = None
        self._epoch += 1

    def cancel_fetch(self) -> None:
        """Forget a fetched batch not handed to ``process()`` yet and any fetch in flight (its
        answer will be ignored): the next fetch reads again from where that batch started."""
        if self.ready is not None:
            self.fetch_cursor = self.ready.cursor
            self.ready = None
            self.reached_end = False
        if self._fetching:
            # The answer in flight will be ignored; the next fetch starts once it is back.
            self._epoch += 1

    def on_finish_done(self, now: float) -> None:
        """The final task ran: the shard is released."""
        self._finishing = False
        self.status = ConsumerStatus.SHUTDOWN_COMPLETE

    # -- helpers ------------------------------------------------------------------------------------

    def _rewind(self, cursor: str, not_before: float) -> None:
        self.fetch_cursor = cursor
        self.ready = None
        self.reached_end = False
        self._epoch += 1
        self._not_before = max(self._not_before, not_before)
        self._idle = False

    def _io_backoff(self, failures: int) -> float:
        exponent = min(max(failures - 1, 0), 20)
        return float(min(self.settings.io_retry_max, self.settings.io_retry_base * (2**exponent)))
