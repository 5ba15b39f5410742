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
"""

from __future__ import annotations

import time
from typing import Any, Callable, ClassVar, Optional

from .checkpoint_tracker import ConsumerCheckpointTracker

__all__ = [
    "LOG_GROUP_LIST",
    "FLAT_JSON",
    "ConsumerJsonProcessorBase",
    "ConsumerProcessorAdaptor",
    "ConsumerProcessorBase",
    "data_format_of",
]

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
