"""``ConsumerWorker``: one consumer of a consumer group, consuming the shards the server assigns.

Threads (each callback's docstring names the thread it runs on):

* the worker thread (``ConsumerWorker.run``, the "loop"): owns every state machine; applies task
  outcomes and heartbeat answers it receives through a queue, and starts new tasks;
* the heartbeat thread (:mod:`.heart_beat`);
* the I/O pool: init, fetch and checkpoint writes;
* the processing pool (``worker_pool_size`` threads, or ``shared_executor``): ``process()`` and
  the processor's ``shutdown()``.

See ``docs/consumer.md`` for the guarantees.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, Callable, Optional

from ..logclient import LogClient
from ._log_prefix import IdentityLoggerAdapter
from .config import ConsumerStatus, LogHubConfig
from .consumer_client import ConsumerClient
from .exceptions import ClientWorkerException
from .heart_beat import HeartbeatThread
from .heartbeat_state import EXPIRED, FATAL, LOST, OK, HeartbeatState
from .shard_state import ShardSettings
from .shard_worker import ShardConsumer

__all__ = ["ConsumerWorker", "ConsumerWorkerLoggerAdapter"]

logger = logging.getLogger(__name__)


class ConsumerWorkerLoggerAdapter(IdentityLoggerAdapter):
    """Prefixes messages with ``[project/logstore/group/consumer]`` of ``extra["consumer_worker"].option``."""

    role = "consumer_worker"

    def identity(self, subject: Any) -> list[object]:
        option = subject.option
        return [option.project, option.logstore, option.consumer_group_name, option.consumer_name]


_local = threading.local()
#: extra time after the shutdown deadline for the final checkpoint writes
_FLUSH_GRACE = 10.0


class ConsumerWorker(threading.Thread):
    """A consumer of a consumer group.

    :param make_processor: called (with ``*args, **kwargs``) once per shard this worker is given;
        returns the processor (usually a :class:`~aliyun.log.consumer.ConsumerProcessorBase`
        subclass, so passing the class itself works). If it raises, the worker stops.
    :param consumer_option: a :class:`~aliyun.log.consumer.LogHubConfig`.
    :param args: positional arguments for ``make_processor``.
    :param kwargs: keyword arguments for ``make_processor``.
    :param client: keyword-only; a ready :class:`~aliyun.log.LogClient` to use instead of building
        one from the option (tests, the in-process emulator).

    ``start()`` joins the group (creating it if needed) and returns; ``shutdown()`` stops with a
    deadline. Construction does no I/O.

    Events users can wait on: :attr:`stopped` (the worker has stopped, for any reason) and
    :attr:`reached_end` (with ``cursor_end_time``: every shard reached it; the worker then stops
    by itself). :attr:`error` holds what made the worker stop on its own, if anything.
    """

    def __init__(
        self,
        make_processor: Callable[..., Any],
        consumer_option: LogHubConfig,
        args: Optional[Iterable[Any]] = None,
        kwargs: Optional[dict[str, Any]] = None,
        *,
        client: Optional[LogClient] = None,
    ) -> None:
        super().__init__(name=f"consumer-{consumer_option.consumer_name}")
        self.option = consumer_option
        self.logger = ConsumerWorkerLoggerAdapter(logger, {"consumer_worker": self})
        self.make_processor = make_processor
        self._processor_args = tuple(args or ())
        self._processor_kwargs = dict(kwargs or {})
        self._client = ConsumerClient(consumer_option, client=client)
        self._clock: Callable[[], float] = time.monotonic
        self._events: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._consumers: dict[int, ShardConsumer] = {}
        self._assigned: frozenset[int] = frozenset()
        self._holding: frozenset[int] = frozenset()
        self._settings = ShardSettings(
            fetch_interval=float(consumer_option.data_fetch_interval),
            max_fetch=consumer_option.max_fetch_log_group_size,
            flush_interval=consumer_option.flush_interval,
            retry=consumer_option.process_retry,
        )
        self._heartbeat: Optional[HeartbeatThread] = None
        self._io_pool: Optional[ThreadPoolExecutor] = None
        self._process_pool: Optional[Executor] = None
        self._own_process_pool = consumer_option.shared_executor is None
        self._stopping = False
        self._deadline: Optional[float] = None
        self._abandoned = False
        self._end_check_running = False
        self._next_end_check = 0.0
        self._ended_locally_since: Optional[float] = None
        self._launched = False
        #: set once the worker has stopped (shutdown, cursor_end_time reached, or a fatal error)
        self.stopped = threading.Event()
        #: set when every shard reached ``cursor_end_time`` (the worker then stops by itself)
        self.reached_end = threading.Event()
        #: the error that made the worker stop on its own (``None`` otherwise)
        self.error: Optional[BaseException] = None

    # -- public API -------------------------------------------------------------------------------------

    @property
    def executor(self) -> Optional[Executor]:
        """The pool running ``process()`` (``None`` before ``start()``)."""
        return self._process_pool

    @property
    def heartbeat_error(self) -> Optional[BaseException]:
        """The last heartbeat failure, ``None`` while heartbeats succeed."""
        return self._heartbeat.state.last_error if self._heartbeat is not None else None

    @property
    def shards(self) -> frozenset[int]:
        """Shards this worker currently holds (including ones being released)."""
        return self._holding

    def start(self, join: bool = False) -> None:
        """Join the consumer group and start consuming.

        The group is created (timeout = twice the heartbeat interval, order = ``in_order``) or, if it
        exists, updated to these values, before this returns.

        :param join: block until the worker stops; Ctrl-C then shuts it down cleanly.
        :raises LogException: the group cannot be created or updated (missing logstore, access denied).
        """
        if self._launched:
            raise RuntimeError("a ConsumerWorker can be started only once")
        self._client.ensure_group()  # raises to the caller, who may call start() again
        self._launched = True
        option = self.option
        name = option.consumer_name
        self._io_pool = ThreadPoolExecutor(
            max(8, 2 * option.worker_pool_size), thread_name_prefix=f"consumer-{name}-io"
        )
        self._process_pool = option.shared_executor or ThreadPoolExecutor(
            max(1, option.worker_pool_size), thread_name_prefix=f"consumer-{name}-process"
        )
        state = HeartbeatState(float(option.heartbeat_interval), float(option.consumer_group_time_out), self._clock())
        self._heartbeat = HeartbeatThread(
            self._client, state, lambda: self._holding, self._on_heartbeat, self._clock, f"consumer-{name}-heartbeat"
        )
        self._heartbeat.start()
        super().start()
        logger.info(
            "consumer %s joined group %s of %s/%s", name, option.consumer_group_name, option.project, option.logstore
        )
        if join:
            try:
                while not self.stopped.wait(0.5):
                    pass
            except KeyboardInterrupt:
                logger.info("interrupted: shutting down")
                self.shutdown()

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        """Stop consuming and leave the group, within ``timeout`` seconds.

        Running ``process()`` calls may finish until the deadline; those still running then are
        given up (their batches are read again by the next owner). Then every shard's processor
        ``shutdown()`` runs and checkpoints are written; only after that do heartbeats stop, so the
        server never hands a shard to another consumer before its checkpoint is written.

        Called from inside a processor (a worker thread), it only starts the shutdown.

        :param timeout: deadline in seconds (default: the option's ``shutdown_timeout``, 30 s).
        :return: whether the worker stopped with every batch finished (``False`` if work was
            given up or the worker had not stopped when waiting ended).
        """
        seconds = self.option.shutdown_timeout if timeout is None else float(timeout)
        if not self._launched:
            self.stopped.set()
            return True
        self._events.put(lambda: self._begin_stop(seconds))
        if getattr(_local, "worker", None) is self or threading.current_thread() is self:
            return False
        self.stopped.wait(seconds + _FLUSH_GRACE)
        return self.stopped.is_set() and not self._abandoned

    def shutdown_and_wait(self, timeout: Optional[float] = None) -> bool:
        """Same as :meth:`shutdown` (which already waits)."""
        return self.shutdown(timeout)

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until the worker has stopped; whether it has."""
        return self.stopped.wait(timeout)

    def clean_shard_consumer(self, owned_shards: Iterable[int]) -> None:
        """Release every shard not in ``owned_shards`` (normally driven by heartbeats)."""
        owned = frozenset(int(s) for s in owned_shards)
        self._events.put(lambda: self._release_except(owned))

    # -- the loop (worker thread) -----------------------------------------------------------------------

    def run(self) -> None:
        """The worker thread: applies outcomes and starts tasks until stopped."""
        try:
            self._loop()
        except BaseException as exc:  # a bug here must still stop the worker visibly
            logger.exception("consumer %s: worker loop failed", self.option.consumer_name)
            self.error = self.error or exc
        finally:
            self._cleanup()

    def _loop(self) -> None:
        while True:
            now = self._clock()
            self._reconcile(now)
            for consumer in list(self._consumers.values()):
                consumer.step(now)
                if consumer.state.fatal is not None and not self._stopping:
                    self.error = ClientWorkerException(
                        "ClientWorkerException", f"process() gave up on shard {consumer.shard_id}"
                    )
                    self.error.__cause__ = consumer.state.fatal
                    self._begin_stop(self.option.shutdown_timeout)
            self._retire()
            if self._stopping:
                if not self._consumers:
                    return
                if self._deadline is not None and now > self._deadline + _FLUSH_GRACE:
                    logger.error(
                        "consumer %s: shards %s not released in time; stopping anyway",
                        self.option.consumer_name,
                        sorted(self._consumers),
                    )
                    self._abandoned = True
                    return
            else:
                self._check_end(now)
            self._wait(now)

    def _wait(self, now: float) -> None:
        wakeups = [w for w in (c.state.next_wakeup(now) for c in self._consumers.values()) if w is not None]
        if self._deadline is not None:
            wakeups.append(self._deadline + _FLUSH_GRACE)
        timeout = min([1.0, *(w - now for w in wakeups)])
        try:
            event = self._events.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return
        event()
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            event()

    def _reconcile(self, now: float) -> None:
        """Create consumers for assigned shards, release the others (worker thread)."""
        for shard_id, consumer in self._consumers.items():
            if shard_id not in self._assigned and consumer.state.status not in (
                ConsumerStatus.SHUTTING_DOWN,
                ConsumerStatus.SHUTDOWN_COMPLETE,
            ):
                logger.info("shard %d: no longer assigned to %s; releasing", shard_id, self.option.consumer_name)
                consumer.state.request_shutdown(now, None)
        if self._stopping:
            return
        for shard_id in sorted(self._assigned - set(self._consumers)):
            try:
                processor = self.make_processor(*self._processor_args, **self._processor_kwargs)
            except Exception as exc:
                logger.exception("consumer %s: the processor factory failed", self.option.consumer_name)
                self.error = ClientWorkerException("ClientWorkerException", f"processor factory failed: {exc!r}")
                self.error.__cause__ = exc
                self._begin_stop(self.option.shutdown_timeout)
                return
            logger.info("shard %d: assigned to %s", shard_id, self.option.consumer_name)
            assert self._io_pool is not None and self._process_pool is not None
            self._consumers[shard_id] = ShardConsumer(
                shard_id,
                processor,
                self._client,
                self.option,
                self._settings,
                self._events.put,
                self._submit,
                self._io_pool,
                self._process_pool,
                self._clock,
            )
        self._publish()

    def _retire(self) -> None:
        """Drop consumers that finished releasing their shard (worker thread)."""
        done = [s for s, c in self._consumers.items() if c.state.done]
        for shard_id in done:
            if self._consumers[shard_id].abandoned:
                self._abandoned = True
            del self._consumers[shard_id]
        if done:
            self._publish()
            if self._heartbeat is not None and not self._stopping:
                self._heartbeat.kick()

    def _publish(self) -> None:
        self._holding = frozenset(self._consumers)

    def _release_except(self, owned: frozenset[int]) -> None:
        self._assigned = owned

    def _begin_stop(self, seconds: float) -> None:
        """Start shutting down with a deadline (worker thread)."""
        now = self._clock()
        deadline = now + max(seconds, 0.0)
        if self._stopping and self._deadline is not None and self._deadline <= deadline:
            return
        if not self._stopping:
            logger.info("consumer %s: shutting down (deadline in %.1fs)", self.option.consumer_name, seconds)
        self._stopping = True
        self._deadline = deadline
        for consumer in self._consumers.values():
            consumer.state.request_shutdown(now, deadline)

    # -- heartbeat outcomes -----------------------------------------------------------------------------

    def _on_heartbeat(self, verdict: str, assigned: frozenset[int], error: Optional[BaseException]) -> None:
        """Called on the heartbeat thread: forward to the worker thread."""
        self._events.put(lambda: self._apply_heartbeat(verdict, assigned, error))

    def _apply_heartbeat(self, verdict: str, assigned: frozenset[int], error: Optional[BaseException]) -> None:
        """A heartbeat outcome (worker thread)."""
        if verdict == OK or verdict in (LOST, EXPIRED):
            self._assigned = assigned
        elif verdict == FATAL and not self._stopping:
            self.error = ClientWorkerException("ClientWorkerException", f"consumer group unusable: {error}")
            self.error.__cause__ = error
            self._begin_stop(self.option.shutdown_timeout)

    # -- cursor_end_time ----------------------------------------------------------------------------------

    def _check_end(self, now: float) -> None:
        """With ``cursor_end_time``: stop once every shard reached it (worker thread)."""
        if self.option.cursor_end_time is None or self._end_check_running or now < self._next_end_check:
            return
        if self._heartbeat is None or self._heartbeat.state.last_success is None:
            return
        local_done = all(c.state.reached_end and not c.state.busy for c in self._consumers.values())
        if not local_done or set(self._consumers) != set(self._assigned):
            self._ended_locally_since = None
            return
        if self._ended_locally_since is None:
            self._ended_locally_since = now
        self._end_check_running = True
        waited = now - self._ended_locally_since
        patience = float(self.option.consumer_group_time_out) + float(self.option.heartbeat_interval)

        def check() -> None:
            try:
                reached = self._client.all_reached(self.option.cursor_end_time)
            except Exception as exc:
                logger.warning("consumer %s: end check failed: %r", self.option.consumer_name, exc)
                reached = False
            self._events.put(lambda: self._apply_end_check(reached, waited >= patience))

        assert self._io_pool is not None
        self._submit(self._io_pool, check)

    def _apply_end_check(self, reached: bool, out_of_patience: bool) -> None:
        self._end_check_running = False
        self._next_end_check = self._clock() + min(float(self.option.heartbeat_interval), 5.0)
        if self._stopping:
            return
        if not reached and not out_of_patience:
            return
        if not reached:
            logger.warning(
                "consumer %s: own shards reached cursor_end_time but other shards' checkpoints do not show it; "
                "stopping anyway",
                self.option.consumer_name,
            )
        logger.info("consumer %s: every shard reached cursor_end_time; stopping", self.option.consumer_name)
        self.reached_end.set()
        self._begin_stop(self.option.shutdown_timeout)

    # -- plumbing -----------------------------------------------------------------------------------------

    def _submit(self, pool: Executor, func: Callable[[], None]) -> None:
        """Run ``func`` on ``pool``, marking the thread as ours while it runs (any thread)."""

        def marked() -> None:
            _local.worker = self
            try:
                func()
            except BaseException:
                logger.exception("consumer %s: task failed", self.option.consumer_name)
            finally:
                _local.worker = None

        try:
            pool.submit(marked)
        except RuntimeError:
            logger.warning("consumer %s: pool closed; task dropped", self.option.consumer_name)

    def _cleanup(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop(timeout=float(self.option.heartbeat_interval) + 1)
        if self._io_pool is not None:
            self._io_pool.shutdown(wait=False)
        if self._own_process_pool and self._process_pool is not None:
            self._process_pool.shutdown(wait=False)
        self._client.close()
        self._holding = frozenset()
        logger.info("consumer %s stopped", self.option.consumer_name)
        self.stopped.set()
