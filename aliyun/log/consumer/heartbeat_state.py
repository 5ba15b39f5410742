"""The heartbeat as a pure state machine: what to send, when, and what an answer or failure means.

The heartbeat thread (:mod:`.heart_beat`) asks :meth:`HeartbeatState.due` / :meth:`body`, sends, and
reports :meth:`on_success` or :meth:`on_failure`; the verdict tells the worker what to do:

* ``ok``: the answer is the set of shards this consumer should hold;
* ``transient``: keep the shards, try again soon (every failure is logged by the thread);
* ``lost``: no successful heartbeat for longer than the group timeout: the server has dropped this
  consumer and may have given its shards to others, so it must release them at once;
* ``expired``: the server says it does not know this consumer (``NotExistConsumerWithBody``): same
  as ``lost``, and the next heartbeat registers anew with an empty list;
* ``fatal``: the group, logstore or project is gone; the worker stops with the error.

Rules for the body: a consumer lists every shard it still holds, including shards it is releasing
(still finishing a batch or writing its checkpoint) and shards just assigned but not started yet,
so the server gives none of them to another consumer before this one has let go.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

__all__ = ["EXPIRED", "FATAL", "FATAL_CODES", "LOST", "OK", "TRANSIENT", "HeartbeatState"]

OK = "ok"
TRANSIENT = "transient"
LOST = "lost"
EXPIRED = "expired"
FATAL = "fatal"

#: error codes after which heartbeating is pointless
FATAL_CODES = frozenset({"ConsumerGroupNotExist", "LogStoreNotExist", "ProjectNotExist"})
_EXPIRED_CODES = frozenset({"NotExistConsumerWithBody", "ConsumerNotExsit", "ConsumerNotExist"})


class HeartbeatState:
    """Heartbeat bookkeeping of one consumer.

    :param interval: seconds between heartbeats.
    :param timeout: the group's timeout in seconds (the server drops a consumer silent that long).
    :param now: current monotonic time.
    """

    def __init__(self, interval: float, timeout: float, now: float) -> None:
        self.interval = interval
        self.timeout = timeout
        #: shards the server assigned in its last answer
        self.assigned: frozenset[int] = frozenset()
        self.last_success: Optional[float] = None
        self.consecutive_failures = 0
        self.last_error: Optional[BaseException] = None
        self._started = now
        self._next_due = now
        self._sent_at = now
        self._must_register = False

    def due(self, now: float) -> bool:
        """Whether a heartbeat should be sent now."""
        return now >= self._next_due

    def next_due(self) -> float:
        """When the next heartbeat is due."""
        return self._next_due

    def body(self, holding: Iterable[int]) -> list[int]:
        """Shards to list: those still held plus those assigned (``[]`` when registering anew)."""
        if self._must_register:
            return []
        return sorted(set(holding) | self.assigned)

    def on_sent(self, now: float) -> None:
        """A heartbeat is being sent (the interval counts from here)."""
        self._sent_at = now

    def on_success(self, now: float, shards: Iterable[int]) -> str:
        """The server answered with the shards to hold."""
        self.assigned = frozenset(int(s) for s in shards)
        # The server saw us no earlier than the send time: count silence from there.
        self.last_success = self._sent_at
        self.consecutive_failures = 0
        self.last_error = None
        self._must_register = False
        self._next_due = self._sent_at + self.interval
        return OK

    def on_failure(self, now: float, error: BaseException, code: str = "") -> str:
        """A heartbeat failed with ``error`` (SLS error ``code`` if any); returns the verdict."""
        self.consecutive_failures += 1
        self.last_error = error
        if code in FATAL_CODES:
            self._next_due = now + self.interval
            return FATAL
        if code in _EXPIRED_CODES:
            self.assigned = frozenset()
            self._must_register = True
            self._next_due = now  # the next body is empty, which cannot fail this way again
            return EXPIRED
        # Retry sooner than the interval, but never in a tight loop.
        self._next_due = now + max(min(self.interval / 2, 2.0), 0.05)
        silent_since = self.last_success if self.last_success is not None else self._started
        if now - silent_since > self.timeout:
            self.assigned = frozenset()
            return LOST
        return TRANSIENT

    def silent_for(self, now: float) -> float:
        """Seconds since the last successful heartbeat (since start if none yet)."""
        return now - (self.last_success if self.last_success is not None else self._started)
