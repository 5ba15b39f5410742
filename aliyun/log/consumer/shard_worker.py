"""Thin driver of one shard: runs the tasks :class:`~.shard_state.ShardConsumerState` asks for.

Threads: :meth:`ShardConsumer.step` and every ``_apply_*`` method run on the worker's loop thread
(the only thread touching the state machine). ``_run_*`` methods run on a pool: init, fetch,
flush and abandon on the I/O pool; ``process()`` and the processor's ``shutdown()`` on the
processing pool. A ``_run_*`` method never changes the state machine; it posts an ``_apply_*``
call to the loop thread with its outcome.

:class:`ShardConsumerWorker` is the official consumer's per-shard class, for code that drives
the official internals itself: its owner calls :meth:`~ShardConsumerWorker.consume` over and over
on one thread (that thread is then the loop thread), then :meth:`~ShardConsumerWorker.shut_down`
and :meth:`~ShardConsumerWorker.is_shutdown` until it is true.
"""

from __future__ import annotations

import copy
import logging
import queue
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial
from typing import Any, Callable, Optional

from ..logexception import LogException
from ._log_prefix import IdentityLoggerAdapter, client_identity
from .checkpoint_tracker import ConsumerCheckpointTracker, TrackerSnapshot
from .config import ConsumerStatus, CursorPosition, LogHubConfig
from .consumer_client import ConsumerClient
from .cursors import rejects_cursor
from .exceptions import CheckPointException
from .policy import RETRY, SKIP
from .preprocessor import preprocessor_of
from .shard_state import Action, Batch, Fetch, Finish, Flush, Init, Process, ShardConsumerState, ShardSettings

__all__ = ["ShardConsumer", "ShardConsumerWorker", "ShardConsumerWorkerLoggerAdapter"]

logger = logging.getLogger(__name__)

#: hands a callable to the loop thread
Post = Callable[[Callable[[], None]], None]
#: runs a callable on a pool (returns nothing; errors are handled inside the callable)
Submit = Callable[[Executor, Callable[[], None]], None]


class ShardConsumer:
    """One shard being consumed by this worker.

    :param shard_id: the shard.
    :param processor: the user's processor for it.
    :param client: requests.
    :param option: settings.
    :param settings: state machine settings.
    :param post: hands outcomes to the loop thread.
    :param submit: starts a callable on a pool.
    :param io_pool: pool for requests.
    :param process_pool: pool for the processor's methods.
    :param clock: monotonic time.
    """

    def __init__(
        self,
        shard_id: int,
        processor: Any,
        client: ConsumerClient,
        option: LogHubConfig,
        settings: ShardSettings,
        post: Post,
        submit: Submit,
        io_pool: Executor,
        process_pool: Executor,
        clock: Callable[[], float],
    ) -> None:
        self.shard_id = shard_id
        self.processor = processor
        self.client = client
        self.option = option
        self.state = ShardConsumerState(shard_id, settings, clock())
        # Checkpoints are written as ``option.consumer_name`` (a ShardConsumerWorker may name a
        # consumer other than its client's, as the official one may).
        self.tracker = ConsumerCheckpointTracker(
            client, option.consumer_name, shard_id, flush_interval=option.flush_interval, clock=clock
        )
        self._post = post
        self._submit = submit
        self._io = io_pool
        self._proc = process_pool
        self._clock = clock
        self._preprocessor = preprocessor_of(processor)
        self._initialized = False
        self._before_batch: Optional[TrackerSnapshot] = None
        #: whether a running ``process()`` was given up at a shutdown deadline
        self.abandoned = False

    # -- loop thread --------------------------------------------------------------------------------

    def step(self, now: float) -> None:
        """Start whatever the state machine wants now."""
        for action in self.state.poll(now):
            self._start(action)

    def _start(self, action: Action) -> None:
        if isinstance(action, Init):
            self._submit(self._io, self._run_init)
        elif isinstance(action, Fetch):
            self._submit(self._io, lambda: self._run_fetch(action))
        elif isinstance(action, Process):
            batch = action.batch
            self._before_batch = self.tracker.snapshot()
            self.tracker.set_cursor(batch.next_cursor)
            self._submit(self._proc, lambda: self._run_process(batch))
        elif isinstance(action, Flush):
            self._submit(self._io, self._run_flush)
        elif isinstance(action, Finish):
            if action.abandon:
                self.abandoned = True
                snapshot = self._before_batch or self.tracker.snapshot()
                self._submit(self._io, lambda: self._run_abandon(snapshot))
            else:
                self._submit(self._proc, lambda: self._run_finish(action.initialized))

    def _apply(self, func: Callable[[float], None]) -> None:
        self._post(lambda: func(self._clock()))

    # -- init -----------------------------------------------------------------------------------------

    def _run_init(self) -> None:
        """Init task (I/O pool): ``initialize()``, start and end cursors."""
        try:
            if not self._initialized:
                initialize = getattr(self.processor, "initialize", None)
                if callable(initialize):
                    initialize(self.shard_id)
                self._initialized = True
            start = self.client.get_checkpoint(self.shard_id)
            if start:
                self.tracker.set_persistent_check_point(start)
            else:
                start = self.client.cursor(self.shard_id, self.option.start_position())
                # Fix the start as the checkpoint right away: a restart then resumes here even if
                # nothing was processed (an END or time start would otherwise move), and a read-only
                # shard with nothing to read counts as finished for the server.
                self.client.commit(self.shard_id, start)
                self.tracker.set_persistent_check_point(start)
            self.tracker.set_memory_check_point(start)
            self.tracker.set_cursor(start)
            end = None
            if self.option.cursor_end_time is not None:
                end = self.client.cursor(self.shard_id, self.option.cursor_end_time)
        except Exception as exc:
            logger.warning("shard %d: initialisation failed, will retry: %r", self.shard_id, exc)
            self._apply(partial(self.state.on_init_failed, error=exc))
            return
        logger.info("shard %d: consuming from cursor %s", self.shard_id, start)
        self._apply(lambda now: self.state.on_init_done(now, start, end))

    # -- fetch ----------------------------------------------------------------------------------------

    def _run_fetch(self, action: Fetch) -> None:
        """Fetch task (I/O pool): PullLogs and decoding."""
        try:
            fetched = self.client.fetch(
                self.shard_id, action.cursor, action.end_cursor, self._preprocessor, self.option
            )
        except LogException as exc:
            restart = self._restart_point(action.cursor) if rejects_cursor(exc) else None
            logger.warning("shard %d: fetch at %s failed: %s", self.shard_id, action.cursor, exc)
            self._apply(partial(self.state.on_fetch_failed, epoch=action.epoch, error=exc, restart_at=restart))
            return
        except Exception as exc:
            logger.warning("shard %d: fetch at %s failed: %r", self.shard_id, action.cursor, exc)
            self._apply(partial(self.state.on_fetch_failed, epoch=action.epoch, error=exc))
            return
        batch = Batch(action.cursor, fetched.end_cursor, fetched.log_group_size, fetched.data, fetched.raw_size)
        self._apply(lambda now: self.state.on_fetch_done(now, action.epoch, batch))

    def _restart_point(self, cursor: str) -> Optional[str]:
        """Where to go on when ``cursor`` is outside the shard (``None``: retry as is)."""
        restart = self.client.restart_point(self.shard_id, cursor)
        if restart is not None:
            logger.error("shard %d: cursor %s is outside its data; resuming at %s", self.shard_id, cursor, restart)
        return restart

    # -- process --------------------------------------------------------------------------------------

    def _run_process(self, batch: Batch) -> None:
        """Process task (processing pool): the user's ``process()``."""
        try:
            result = self.processor.process(batch.data, self.tracker)
        except Exception as exc:
            self._apply(partial(self._apply_process_failed, batch=batch, exc=exc))
            return
        rollback = result if isinstance(result, str) and result else None
        self._apply(lambda now: self._apply_process_done(now, rollback))

    def _apply_process_done(self, now: float, rollback: Optional[str]) -> None:
        """Worker thread."""
        if rollback:
            logger.info("shard %d: processor rewound to %s", self.shard_id, rollback)
        self.state.on_process_done(now, rollback)

    def _apply_process_failed(self, now: float, batch: Batch, exc: Exception) -> None:
        """Worker thread: ask the policy, undo the batch in the tracker unless it is skipped, log."""
        verdict = self.state.on_process_failed(now, exc)
        attempts = self.state.failed_attempts
        if verdict == SKIP:
            logger.error(
                "shard %d: process() failed; skipping %d log groups from %s to %s as the retry policy says",
                self.shard_id,
                batch.count,
                batch.cursor,
                batch.next_cursor,
                exc_info=exc,
            )
            return
        if self._before_batch is not None:
            self.tracker.restore(self._before_batch)
        if verdict == RETRY:
            show_trace = attempts == 1 or attempts % 10 == 0
            logger.warning(
                "shard %d: process() failed on the batch at %s (attempt %d); retrying in %.1fs: %r",
                self.shard_id,
                batch.cursor,
                attempts,
                self.state.settings.retry.delay(attempts),
                exc,
                exc_info=exc if show_trace else None,
            )
        else:
            logger.error(
                "shard %d: process() failed %d times on the batch at %s; stopping the worker as the retry policy says",
                self.shard_id,
                attempts,
                batch.cursor,
                exc_info=exc,
            )

    # -- checkpoints and the end ----------------------------------------------------------------------

    def _run_flush(self) -> None:
        """Flush task (I/O pool): write the pending checkpoint."""
        try:
            self.tracker.flush_check_point()
            ok = True
        except CheckPointException as exc:
            logger.warning("shard %d: %s", self.shard_id, exc.__cause__ or exc)
            ok = False
        self._apply(lambda now: self.state.on_flush_done(now, ok))

    def _run_finish(self, initialized: bool) -> None:
        """Last task (processing pool): the user's ``shutdown()``, then the final checkpoint write."""
        if initialized:
            shutdown = getattr(self.processor, "shutdown", None)
            try:
                if callable(shutdown):
                    shutdown(self.tracker)
            except Exception:
                logger.exception("shard %d: processor shutdown() failed", self.shard_id)
        try:
            self.tracker.flush_check_point()
        except CheckPointException as exc:
            logger.error(
                "shard %d: final checkpoint write failed; the next owner re-reads from %s: %s",
                self.shard_id,
                self.tracker.persisted() or "its start",
                exc.__cause__ or exc,
            )
        logger.info("shard %d: released", self.shard_id)
        self._apply(self.state.on_finish_done)

    def _run_abandon(self, snapshot: TrackerSnapshot) -> None:
        """Last task when a ``process()`` overran the deadline (I/O pool): undo its batch, write, detach."""
        logger.warning(
            "shard %d: process() still running at the shutdown deadline; giving it up (its batch will be read again)",
            self.shard_id,
        )
        try:
            self.tracker.abandon(snapshot)
        except CheckPointException as exc:
            logger.error("shard %d: final checkpoint write failed: %s", self.shard_id, exc.__cause__ or exc)
        self._apply(self.state.on_finish_done)


class ShardConsumerWorkerLoggerAdapter(IdentityLoggerAdapter):
    """Prefixes messages with ``[project/logstore/group/consumer/shard]`` of
    ``extra["shard_consumer_worker"]``."""

    role = "shard_consumer_worker"

    def identity(self, subject: Any) -> list[object]:
        return [*client_identity(subject.log_client), subject.shard_id]


class ShardConsumerWorker:
    """One shard consumed with the official per-shard interface (a :class:`ShardConsumer` inside).

    Each :meth:`consume` call applies what finished since the last call and starts what is due:
    initialisation (checkpoint, else ``cursor_position``/``cursor_start_time``), fetches of up to
    ``max_fetch_log_group_size`` log groups, the processor's ``process()`` with
    :attr:`checkpoint_tracker`, checkpoint writes, and after :meth:`shut_down` the processor's
    ``shutdown()`` and the final checkpoint write. Requests and ``process()`` run on ``executor``
    (by default a two-thread pool of its own, closed once the shard is shut down).

    :param log_client: a :class:`~.consumer_client.ConsumerClient` (its settings give the
        endpoint, group and intervals).
    :param consume_processor: an SPL processor applied by the server on each fetch.
    """

    def __init__(
        self,
        log_client: ConsumerClient,
        shard_id: int,
        consumer_name: str,
        processor: Any,
        cursor_position: Any,
        cursor_start_time: Any,
        max_fetch_log_group_size: int = 1000,
        executor: Optional[Executor] = None,
        cursor_end_time: Any = None,
        query: Optional[str] = None,
        consume_processor: Optional[str] = None,
    ) -> None:
        self.log_client = log_client
        self.shard_id = shard_id
        self.consumer_name = consumer_name
        self.processor = processor
        self.cursor_position = cursor_position
        self.cursor_start_time = cursor_start_time
        self.cursor_end_time = cursor_end_time or None
        self.max_fetch_log_group_size = max_fetch_log_group_size
        self.query = query
        self.consume_processor = consume_processor
        self.preprocessor = preprocessor_of(processor)
        self.logger = ShardConsumerWorkerLoggerAdapter(logger, {"shard_consumer_worker": self})
        #: set by :meth:`shut_down`
        self.shutdown = False
        self._own_executor = executor is None
        self.executor: Executor = executor or ThreadPoolExecutor(2, thread_name_prefix=f"shard-{shard_id}")
        self._outcomes: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        option = copy.copy(log_client.option)
        option.consumer_name = consumer_name
        option.cursor_position = cursor_position or CursorPosition.BEGIN_CURSOR
        option.cursor_start_time = cursor_start_time
        option.cursor_end_time = self.cursor_end_time
        option.max_fetch_log_group_size = max_fetch_log_group_size
        option.query = query
        option.processor = consume_processor
        settings = ShardSettings(
            fetch_interval=float(option.data_fetch_interval),
            max_fetch=max_fetch_log_group_size,
            flush_interval=option.flush_interval,
            retry=option.process_retry,
        )
        self._consumer = ShardConsumer(
            shard_id,
            processor,
            log_client,
            option,
            settings,
            self._outcomes.put,
            self._submit,
            self.executor,
            self.executor,
            time.monotonic,
        )
        self.checkpoint_tracker = self._consumer.tracker

    @property
    def consumer_status(self) -> ConsumerStatus:
        """Where the shard is: initialising, processing, shutting down, shut down."""
        return self._consumer.state.status

    @property
    def next_fetch_cursor(self) -> Optional[str]:
        """Where the next fetch starts (``None`` before initialisation)."""
        return self._consumer.state.fetch_cursor

    @property
    def fetch_end_cursor(self) -> Optional[str]:
        """The cursor of ``cursor_end_time`` once known."""
        return self._consumer.state.end_cursor

    def consume(self) -> None:
        """Apply the outcomes of finished tasks, then start the tasks that are due (never blocks)."""
        while True:
            try:
                outcome = self._outcomes.get_nowait()
            except queue.Empty:
                break
            outcome()
        if not self._consumer.state.done:
            self._consumer.step(time.monotonic())

    def fetch_data(self) -> None:
        """Start a fetch if one is due (the same step as :meth:`consume`)."""
        self.consume()

    def check_and_generate_next_task(self) -> None:
        """Collect finished tasks and start the next (the same step as :meth:`consume`)."""
        self.consume()

    @staticmethod
    def get_task_result(task_future: Optional[Future[Any]]) -> Any:
        """The result of a finished future; ``None`` while it runs or when it raised (logged)."""
        if task_future is None or not task_future.done():
            return None
        try:
            return task_future.result()
        except Exception:
            logger.exception("consumer task failed")
            return None

    def cancel_current_fetch(self) -> None:
        """Drop a fetched batch not processed yet (and ignore a fetch in flight): the next fetch
        reads it again."""
        self._consumer.state.cancel_fetch()

    def shut_down(self) -> None:
        """Stop consuming: a running ``process()`` finishes, then the processor's ``shutdown()``
        runs and the checkpoint is written. Follow with :meth:`is_shutdown` until it is true."""
        self.shutdown = True
        self._consumer.state.request_shutdown(time.monotonic())
        self.consume()

    def is_shutdown(self) -> bool:
        """Whether the shard is fully shut down (drives it on first, like :meth:`consume`)."""
        self.consume()
        done = self._consumer.state.done
        if done and self._own_executor:
            self.executor.shutdown(wait=False)
        return done

    def _submit(self, pool: Executor, func: Callable[[], None]) -> None:
        def logged() -> None:
            try:
                func()
            except BaseException:
                self.logger.exception("task failed")

        try:
            pool.submit(logged)
        except RuntimeError:
            self.logger.warning("executor closed; task dropped")
