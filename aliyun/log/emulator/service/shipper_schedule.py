"""The simulated run schedule of a shipper's tasks: pure functions of the clock, no I/O.

The emulator ships nothing anywhere; it reports tasks as if a shipper ran every
``bufferInterval`` seconds, deterministically, so tests can rely on what they see:

* Task ``i`` (``i = 0, 1, 2 ...``) starts at ``createTime + i * bufferInterval``; it exists once
  that moment has come, so a new shipper has one task at once.
* A task is ``running`` for one ``bufferInterval`` after its start; it then ends ``success``,
  except every fifth task (``i % 5 == 4``), which ends ``fail`` with a message saying so.
* ``RetryShipperTasks`` on a failed task makes it ``running`` again for one ``bufferInterval``
  from the retry, after which it is ``success``. Retrying a task that is not failed changes
  nothing.
* ``taskCreateTime`` is the start, ``taskFinishTime`` the end (``0`` while running), and
  ``taskLastDataReceiveTime`` the end of the data window (the start while running).
* Task ids are ``<16 hex digits>-<i>``, the hex digits taken from the shipper's project,
  logstore, name and creation time: stable across restarts, different for a re-created shipper.

The interval is read from ``targetConfiguration.bufferInterval`` (300 s for OSS, 1800 s for
MaxCompute when absent); changing it with an update re-times the whole schedule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Optional

__all__ = [
    "FAIL_EVERY",
    "Schedule",
    "SimulatedTask",
    "default_interval",
]

FAIL_EVERY = 5
FAIL_MESSAGE = "simulated failure: the emulator fails every 5th task; retry it with RetryShipperTasks"
_DEFAULT_INTERVALS = {"oss": 300, "odps": 1800}


def default_interval(target_type: str) -> int:
    """``bufferInterval`` used when the target configuration has none."""
    return _DEFAULT_INTERVALS.get(target_type, 300)


@dataclass(frozen=True)
class SimulatedTask:
    """One task as the API shows it."""

    index: int
    task_id: str
    status: str
    message: str
    create_time: int
    last_data_receive_time: int
    finish_time: int


@dataclass(frozen=True)
class Schedule:
    """The tasks of one shipper.

    :param identity: ``project/logstore/name`` of the shipper.
    :param create_time: the shipper's creation time (seconds).
    :param interval: seconds between task starts (at least 1).
    :param retries: task index → time of its last retry.
    """

    identity: str
    create_time: int
    interval: int
    retries: Mapping[int, int]

    @property
    def id_prefix(self) -> str:
        """The shared part of this shipper's task ids."""
        seed = f"{self.identity}/{self.create_time}".encode()
        return hashlib.md5(seed, usedforsecurity=False).hexdigest()[:16]

    def task_id(self, index: int) -> str:
        """The id of task ``index``."""
        return f"{self.id_prefix}-{index}"

    def index_of(self, task_id: str) -> Optional[int]:
        """The index a task id names, or ``None`` when it is not an id of this shipper."""
        prefix, _, number = task_id.rpartition("-")
        if prefix != self.id_prefix or not number.isdigit():
            return None
        return int(number)

    def exists(self, index: int, now: int) -> bool:
        """Whether task ``index`` has started by ``now``."""
        return index >= 0 and self.create_time + index * self.interval <= now

    def task(self, index: int, now: int) -> SimulatedTask:
        """Task ``index`` as seen at ``now`` (it must exist)."""
        start = self.create_time + index * self.interval
        end = start + self.interval
        retried = self.retries.get(index)
        if retried is not None:
            retry_end = retried + self.interval
            if now < retry_end:
                return SimulatedTask(index, self.task_id(index), "running", "", start, start, 0)
            return SimulatedTask(index, self.task_id(index), "success", "", start, end, retry_end)
        if now < end:
            return SimulatedTask(index, self.task_id(index), "running", "", start, start, 0)
        if index % FAIL_EVERY == FAIL_EVERY - 1:
            return SimulatedTask(index, self.task_id(index), "fail", FAIL_MESSAGE, start, end, end)
        return SimulatedTask(index, self.task_id(index), "success", "", start, end, end)

    def tasks_between(self, begin: int, end: int, now: int) -> Iterator[SimulatedTask]:
        """Tasks that started in ``[begin, end]`` and by ``now``, oldest first."""
        last_time = min(end, now)
        if last_time < self.create_time or last_time < begin:
            return
        first = max(0, -(-(begin - self.create_time) // self.interval))
        last = (last_time - self.create_time) // self.interval
        for index in range(first, last + 1):
            yield self.task(index, now)
