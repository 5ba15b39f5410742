"""The processor classes users derive from: :class:`ConsumerProcessorBase` and friends.

A processor handles the data of one shard. The worker creates one per shard it is given (with the
factory passed to :class:`~aliyun.log.consumer.ConsumerWorker`) and calls, always one at a time:

* ``initialize(shard_id)`` once, on a worker I/O thread;
* ``process(data, check_point_tracker)`` for every non-empty batch, in order, on a thread of the
  processing pool (``worker_pool_size`` threads or ``shared_executor``). ``data`` is a protobuf
  ``LogGroupList`` (``data.LogGroups``, ``group.Logs``, ``log.Contents``, ``content.Key``/``Value``,
  ``group.Topic``/``Source``) or, for :class:`ConsumerJsonProcessorBase`, a list of flat dicts.
  Raising retries the batch (see :class:`~aliyun.log.consumer.policy.ProcessRetryPolicy`);
  returning a cursor string rewinds the shard to that cursor;
* ``shutdown(check_point_tracker)`` once when the shard is released or the worker stops, on a
  thread of the processing pool, after the last ``process()`` returned.

The module also has the official consumer's task functions and their results
(:func:`consumer_initialize_task`, :func:`consumer_fetch_task`, :func:`consumer_process_task`,
:func:`consumer_shutdown_task`; :class:`TaskResult` and its subclasses), for code that drives a
shard by hand. Each runs one step against a
:class:`~aliyun.log.consumer.consumer_client.ConsumerClient` (or an object with its official
methods) and returns a result instead of raising; :class:`ConsumerWorker` does not use them (it
runs the state machine of :mod:`.shard_state`).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, ClassVar, Optional

from ..logexception import LogException
from .checkpoint_tracker import ConsumerCheckpointTracker
from .config import start_position
from .cursors import rejects_cursor, restart_point

__all__ = [
    "LOG_GROUP_LIST",
    "FLAT_JSON",
    "ConsumerJsonProcessorBase",
    "ConsumerProcessorAdaptor",
    "ConsumerProcessorBase",
    "FetchTaskResult",
    "InitTaskResult",
    "ProcessTaskResult",
    "TaskResult",
    "consumer_fetch_task",
    "consumer_initialize_task",
    "consumer_process_task",
    "consumer_shutdown_task",
    "data_format_of",
]

logger = logging.getLogger(__name__)

#: ``process()`` receives a protobuf ``LogGroupList``
LOG_GROUP_LIST = "log_group_list"
#: ``process()`` receives a list of flat dicts (one per log)
FLAT_JSON = "flat_json"
_DEFAULT_CHECKPOINT_TIMEOUT = 3


class ConsumerProcessorBase:
    """Base class of shard processors: override :meth:`process` (and optionally the others).

    Subclasses may define ``__init__`` without calling this one; every attribute is looked up
    with a default.
    """

    #: what ``process()`` receives
    data_format: ClassVar[str] = LOG_GROUP_LIST

    def __init__(self) -> None:
        self.shard_id = -1
        self.last_check_time = 0.0
        self.checkpoint_timeout = _DEFAULT_CHECKPOINT_TIMEOUT

    def save_checkpoint(self, tracker: ConsumerCheckpointTracker, force: bool = False) -> None:
        """Save the end of the current batch as checkpoint: written to the server if ``force`` or if
        the last write from here is older than ``checkpoint_timeout`` (3 s), otherwise kept in memory
        (the worker writes it later)."""
        now = time.time()
        last = getattr(self, "last_check_time", 0.0)
        timeout = getattr(self, "checkpoint_timeout", _DEFAULT_CHECKPOINT_TIMEOUT)
        if force or now - last > timeout:
            tracker.save_check_point(True)
            self.last_check_time = now
        else:
            tracker.save_check_point(False)

    def initialize(self, shard: int) -> None:
        """Called once before the first batch of ``shard``."""
        self.shard_id = shard

    def process(self, log_groups: Any, check_point_tracker: ConsumerCheckpointTracker) -> Optional[str]:
        """Handle one batch; save the checkpoint once it is fully handled.

        :return: ``None``, or a cursor to rewind the shard to.
        """
        raise NotImplementedError("override process()")

    def shutdown(self, check_point_tracker: ConsumerCheckpointTracker) -> None:
        """Called once when the shard is released; by default writes the checkpoint."""
        self.save_checkpoint(check_point_tracker, force=True)


class ConsumerJsonProcessorBase(ConsumerProcessorBase):
    """Like :class:`ConsumerProcessorBase`, but ``process()`` receives a list of flat dicts, one per
    log (``__time__``, ``__topic__``, ``__source__``, tags and contents)."""

    data_format: ClassVar[str] = FLAT_JSON

    def process(self, flattern_json_list: Any, check_point_tracker: ConsumerCheckpointTracker) -> Optional[str]:
        """Handle one batch of flat dicts."""
        raise NotImplementedError("override process()")


class ConsumerProcessorAdaptor(ConsumerProcessorBase):
    """Turns a function ``func(shard_id, log_group_list)`` into a processor.

    The checkpoint is saved after every batch (written at most every 3 s) unless ``func`` returns
    ``False``.
    """

    def __init__(self, func: Callable[[int, Any], Any]) -> None:
        super().__init__()
        self.func = func

    def process(self, log_groups: Any, check_point_tracker: ConsumerCheckpointTracker) -> Optional[str]:
        if self.func(getattr(self, "shard_id", -1), log_groups) is not False:
            self.save_checkpoint(check_point_tracker)
        return None


def data_format_of(processor: Any) -> str:
    """What a processor's ``process()`` wants (duck-typed processors get a ``LogGroupList``)."""
    value = getattr(processor, "data_format", LOG_GROUP_LIST)
    return value if value in (LOG_GROUP_LIST, FLAT_JSON) else LOG_GROUP_LIST


# -- the official task functions and their results -------------------------------------------------


class TaskResult:
    """Outcome of one task: :meth:`get_exception` is the error it ended with, ``None`` on success."""

    def __init__(self, task_exception: Optional[BaseException]) -> None:
        self.task_exception = task_exception

    def get_exception(self) -> Optional[BaseException]:
        """The error the task ended with (``None``: it succeeded)."""
        return self.task_exception

    @property
    def exc_info(self) -> Optional[BaseException]:
        """The error, in the form ``logger.warning(..., exc_info=result.exc_info)`` takes."""
        return self.task_exception


class ProcessTaskResult(TaskResult):
    """``process()`` returned; :meth:`get_rollback_check_point` is the cursor it asked to rewind to."""

    def __init__(self, rollback_check_point: Optional[str]) -> None:
        super().__init__(None)
        self.rollback_check_point = rollback_check_point

    def get_rollback_check_point(self) -> Optional[str]:
        """The cursor ``process()`` returned (``None``: go on after the batch)."""
        return self.rollback_check_point


class InitTaskResult(TaskResult):
    """The shard's start cursor (its checkpoint when ``cursor_persistent``) and optional end cursor."""

    def __init__(self, cursor: str, cursor_persistent: bool, end_cursor: Optional[str]) -> None:
        super().__init__(None)
        self.cursor = cursor
        self.cursor_persistent = cursor_persistent
        self._end_cursor = end_cursor

    def get_cursor(self) -> str:
        """Where consumption starts."""
        return self.cursor

    @property
    def end_cursor(self) -> Optional[str]:
        """Where it stops (``None``: it does not)."""
        return self._end_cursor

    def is_cursor_persistent(self) -> bool:
        """Whether the start is the checkpoint stored on the server."""
        return self.cursor_persistent


class FetchTaskResult(TaskResult):
    """One PullLogs: the preprocessed data, how many log groups, and the cursor to read next.

    With a query or SPL processor the server filters; ``raw_*_before_query`` then count what it
    read before filtering (what throttling should go by), otherwise they are 0.
    """

    def __init__(
        self,
        data: Any,
        log_group_count: int,
        cursor: str,
        raw_size: int,
        raw_size_before_query: int,
        raw_log_group_count_before_query: int,
    ) -> None:
        super().__init__(None)
        self._data = data
        self._log_group_count = log_group_count
        self._cursor = cursor
        self._raw_size = raw_size
        self._raw_size_before_query = raw_size_before_query
        self._raw_log_group_count_before_query = raw_log_group_count_before_query

    def get_data(self) -> Any:
        """What the preprocessor made of the answer."""
        return self._data

    def get_cursor(self) -> str:
        """The cursor after the batch (the fetch cursor itself when the server gave none)."""
        return self._cursor

    def get_log_group_count(self) -> int:
        """Log groups in the batch."""
        return self._log_group_count

    def get_raw_size(self) -> int:
        """Uncompressed bytes of the batch."""
        return self._raw_size

    def get_raw_size_before_query(self) -> int:
        """Uncompressed bytes the server read before filtering (0 without a query)."""
        return self._raw_size_before_query

    def get_raw_log_group_count_before_query(self) -> int:
        """Log groups the server read before filtering (0 without a query)."""
        return self._raw_log_group_count_before_query


def consumer_process_task(processor: Any, log_groups: Any, check_point_tracker: Any) -> TaskResult:
    """Run ``processor.process`` on a batch, then write the checkpoint if it is due
    (``check_point_tracker.flush_check()``).

    :return: :class:`ProcessTaskResult`, or a :class:`TaskResult` with the error ``process()``
        (or the checkpoint write) raised.
    """
    try:
        rollback = processor.process(log_groups, check_point_tracker)
        check_point_tracker.flush_check()
    except Exception as exc:
        return TaskResult(exc)
    return ProcessTaskResult(rollback if isinstance(rollback, str) and rollback else None)


def consumer_initialize_task(
    processor: Any,
    consumer_client: Any,
    shard_id: int,
    cursor_position: Any,
    cursor_start_time: Any,
    cursor_end_time: Any = None,
) -> TaskResult:
    """Call ``processor.initialize(shard_id)`` and find where the shard starts: its stored checkpoint,
    or else ``cursor_position`` (``cursor_start_time`` for a time start); with ``cursor_end_time``
    also where it ends.

    :return: :class:`InitTaskResult`, or a :class:`TaskResult` with the error.
    """
    try:
        processor.initialize(shard_id)
        stored = consumer_client.get_check_point(shard_id).get("checkpoint") or ""
        if stored:
            cursor, persistent = str(stored), True
        else:
            start = start_position(cursor_position, cursor_start_time)
            if start == "begin":
                cursor = consumer_client.get_begin_cursor(shard_id)
            elif start == "end":
                cursor = consumer_client.get_end_cursor(shard_id)
            else:
                cursor = consumer_client.get_cursor(shard_id, start)
            persistent = False
        end_cursor = None if cursor_end_time is None else consumer_client.get_cursor(shard_id, cursor_end_time)
    except Exception as exc:
        return TaskResult(exc)
    return InitTaskResult(cursor, persistent, end_cursor)


def consumer_fetch_task(
    loghub_client_adapter: Any,
    preprocessor: Callable[[Any], Any],
    shard_id: int,
    cursor: str,
    max_fetch_log_group_size: int = 1000,
    end_cursor: Optional[str] = None,
    query: Optional[str] = None,
    consume_processor: Optional[str] = None,
) -> TaskResult:
    """PullLogs once from ``cursor`` and preprocess the answer.

    A cursor the server rejects as invalid is replaced once, by the shard's oldest cursor if it was
    older (its data expired) or its end cursor if it was beyond the end, and the pull repeated.

    :return: :class:`FetchTaskResult`, or a :class:`TaskResult` with the
        :class:`~aliyun.log.LogException`; other errors (a failing preprocessor) are raised.
    """
    filtered = bool(query or consume_processor)
    for attempt in (1, 2):
        try:
            answer = loghub_client_adapter.pull_logs(
                shard_id,
                cursor,
                count=max_fetch_log_group_size,
                end_cursor=end_cursor,
                query=query,
                processor=consume_processor,
            )
        except LogException as exc:
            restart = None
            if attempt == 1 and rejects_cursor(exc):
                restart = restart_point(loghub_client_adapter, shard_id, cursor)
            if restart is None:
                return TaskResult(exc)
            logger.warning("shard %s: cursor %s rejected (%s); resuming at %s", shard_id, cursor, exc, restart)
            cursor = restart
            continue
        return FetchTaskResult(
            preprocessor(answer),
            answer.get_loggroup_count(),
            answer.get_next_cursor() or cursor,
            answer.get_raw_size(),
            max(answer.get_raw_size_before_query(), 0) if filtered else 0,
            max(answer.get_raw_log_group_count_before_query(), 0) if filtered else 0,
        )
    raise AssertionError("unreachable")  # pragma: no cover


def consumer_shutdown_task(processor: Any, check_point_tracker: Any) -> TaskResult:
    """Call ``processor.shutdown(check_point_tracker)``, then write the pending checkpoint.

    Both always run; a failure of either is logged and returned in the :class:`TaskResult`
    (the first one when both fail).
    """
    error: Optional[BaseException] = None
    try:
        processor.shutdown(check_point_tracker)
    except Exception as exc:
        logger.exception("processor shutdown() failed")
        error = exc
    try:
        check_point_tracker.flush_check_point()
    except Exception as exc:
        logger.error("final checkpoint write failed: %s", exc)
        error = error or exc
    return TaskResult(error)
