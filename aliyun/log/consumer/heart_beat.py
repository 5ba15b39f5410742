"""The heartbeat thread: a thin driver of :class:`~.heartbeat_state.HeartbeatState`.

It runs on its own thread (``consumer-<name>-heartbeat``) so a slow request never delays data
processing. It reads the shards still held through ``holding()`` (a snapshot the loop thread
publishes) and hands every verdict to ``on_verdict(verdict, assigned, error)``, which the worker
forwards to its loop thread. Every failure is logged; the thread never spins: after a failure
it waits at least a fraction of the interval.

:class:`ConsumerHeatBeat` (sic, the official name) is the official consumer's heartbeat thread,
for code that drives the official internals itself (see docs/consumer.md): it keeps the official
attributes (``mheart_shards`` sent, ``mheld_shards`` answered) and methods, and decides what a
failure means with the same :class:`~.heartbeat_state.HeartbeatState` the worker uses.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any, Callable, Optional

from ..logexception import LogException
from ._log_prefix import IdentityLoggerAdapter, client_identity
from .consumer_client import ConsumerClient
from .exceptions import ClientWorkerException
from .heartbeat_state import EXPIRED, FATAL, LOST, OK, HeartbeatState

__all__ = ["ConsumerHeatBeat", "HeartBeatLoggerAdapter", "HeartbeatThread"]

logger = logging.getLogger(__name__)

OnVerdict = Callable[[str, frozenset[int], Optional[BaseException]], None]


class HeartbeatThread:
    """Sends heartbeats until stopped.

    :param client: requests.
    :param state: the pure heartbeat state.
    :param holding: returns the shards the worker still holds (called on this thread).
    :param on_verdict: receives each outcome (called on this thread).
    :param clock: monotonic time.
    :param name: thread name.
    """

    def __init__(
        self,
        client: ConsumerClient,
        state: HeartbeatState,
        holding: Callable[[], Iterable[int]],
        on_verdict: OnVerdict,
        clock: Callable[[], float],
        name: str,
    ) -> None:
        self.client = client
        self.state = state
        self._holding = holding
        self._on_verdict = on_verdict
        self._clock = clock
        self._wake = threading.Condition()
        self._stopping = False
        self._early = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start sending."""
        self._thread.start()

    def stop(self, timeout: Optional[float] = None) -> None:
        """Stop sending (waits for a heartbeat in flight up to ``timeout``)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def kick(self) -> None:
        """Send the next heartbeat soon (a shard was released: let the server hand it over).
        Called from the loop thread."""
        with self._wake:
            self._early = True
            self._wake.notify_all()

    def _run(self) -> None:
        min_gap = self.state.interval / 5
        last_sent = float("-inf")
        while True:
            with self._wake:
                while not self._stopping:
                    now = self._clock()
                    due = self.state.next_due()
                    if self._early:
                        due = min(due, max(now, last_sent + min_gap))
                    if now >= due:
                        break
                    self._wake.wait(min(due - now, 1.0))
                if self._stopping:
                    return
                self._early = False
            last_sent = self._clock()
            self._beat(last_sent)

    def _beat(self, now: float) -> None:
        body = self.state.body(self._holding())
        self.state.on_sent(now)
        try:
            shards = self.client.assigned_shards(body)
        except Exception as exc:
            code = exc.get_error_code() if isinstance(exc, LogException) else ""
            verdict = self.state.on_failure(self._clock(), exc, code)
            self._report_failure(verdict, exc)
            self._on_verdict(verdict, self.state.assigned, exc)
            return
        verdict = self.state.on_success(self._clock(), shards)
        if self.state.assigned != frozenset(body):
            logger.debug("heartbeat: held %s, assigned %s", body, sorted(self.state.assigned))
        self._on_verdict(verdict, self.state.assigned, None)

    def _report_failure(self, verdict: str, exc: BaseException) -> None:
        failures = self.state.consecutive_failures
        silent = self.state.silent_for(self._clock())
        if verdict == FATAL:
            logger.error("heartbeat: the consumer group cannot be used any more: %s", exc)
        elif verdict == EXPIRED:
            logger.error("heartbeat: the server dropped this consumer (%s); releasing every shard and rejoining", exc)
        elif verdict == LOST:
            logger.error(
                "heartbeat: failing for %.1fs (%d attempts), longer than the group timeout; releasing every shard: %s",
                silent,
                failures,
                exc,
            )
        else:
            logger.warning("heartbeat failed (%d in a row, %.1fs since the last success): %s", failures, silent, exc)


class HeartBeatLoggerAdapter(IdentityLoggerAdapter):
    """Prefixes messages with ``[project/logstore/group/consumer]`` of ``extra["heart_beat"].log_client``."""

    role = "heart_beat"

    def identity(self, subject: Any) -> list[object]:
        return client_identity(subject.log_client)


class ConsumerHeatBeat(threading.Thread):
    """The official heartbeat thread (a daemon): sends ``mheart_shards`` every ``heartbeat_interval``
    seconds and keeps the server's answer in ``mheld_shards``.

    Shards the server assigns are added to ``mheart_shards`` and stay there, so the server keeps
    them for this consumer, until the owner calls :meth:`remove_heart_shard` once it has released
    one. When heartbeats fail for longer than ``consumer_group_time_out`` seconds, or the server
    no longer knows this consumer, ``mheld_shards`` becomes empty (the shards may already belong to
    another consumer) and the next heartbeat registers anew.

    :param log_client: a :class:`~.consumer_client.ConsumerClient`, or any object with the official
        ``heartbeat(shards, responce) -> bool`` and the ``mproject``... attributes.
    :param heartbeat_interval: seconds between heartbeats.
    :param consumer_group_time_out: the group's timeout in seconds.
    """

    def __init__(self, log_client: Any, heartbeat_interval: float, consumer_group_time_out: float) -> None:
        super().__init__(name=f"consumer-{getattr(log_client, 'mconsumer', '')}-heartbeat", daemon=True)
        self.log_client = log_client
        self.heartbeat_interval = heartbeat_interval
        self.consumer_group_time_out = consumer_group_time_out
        #: shards the server assigned in its last answer
        self.mheld_shards: list[int] = []
        #: shards sent in each heartbeat
        self.mheart_shards: list[int] = []
        self.shut_down_flag = False
        self.lock = threading.RLock()
        #: wall time of the last successful heartbeat (sic, the official name)
        self.last_hearbeat_successed_unixtime = time.time()
        self.logger = HeartBeatLoggerAdapter(logger, {"heart_beat": self})
        self._state = HeartbeatState(float(heartbeat_interval), float(consumer_group_time_out), time.monotonic())
        self._wake = threading.Event()

    def run(self) -> None:
        """Send heartbeats until :meth:`shutdown`."""
        while not self.shut_down_flag:
            self.beat()
            while not self.shut_down_flag:
                remaining = self._state.next_due() - time.monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(remaining)
        self.logger.info("heartbeat stopped")

    def beat(self) -> str:
        """Send one heartbeat now and apply the answer; the verdict (``ok``, ``transient``,
        ``lost``, ``expired`` or ``fatal``, see :mod:`.heartbeat_state`)."""
        with self.lock:
            body = self._state.body(self.mheart_shards)
        self._state.on_sent(time.monotonic())
        try:
            assigned = self._send(body)
        except Exception as exc:
            code = exc.get_error_code() if isinstance(exc, LogException) else ""
            verdict = self._state.on_failure(time.monotonic(), exc, code)
            if verdict in (LOST, EXPIRED, FATAL):
                with self.lock:
                    self.mheld_shards = []
                self.logger.error("heartbeat failed (%s); holding no shard: %s", verdict, exc)
            else:
                self.logger.warning("heartbeat failed: %s", exc)
            return verdict
        self._state.on_success(time.monotonic(), assigned)
        self.last_hearbeat_successed_unixtime = time.time()
        with self.lock:
            added = sorted(set(assigned) - set(self.mheld_shards))
            removed = sorted(set(self.mheld_shards) - set(assigned))
            self.mheld_shards = sorted(set(assigned))
            self.mheart_shards = sorted(set(self.mheart_shards) | set(assigned))
        if added:
            self.logger.info("shards assigned: %s", added)
        if removed:
            self.logger.info("shards taken away: %s", removed)
        return OK

    def _send(self, body: list[int]) -> list[int]:
        assigned_shards = getattr(self.log_client, "assigned_shards", None)
        if callable(assigned_shards):
            return [int(shard) for shard in assigned_shards(body)]
        answer: list[int] = []
        if not self.log_client.heartbeat(body, answer):
            raise ClientWorkerException("heartbeat failed")
        return [int(shard) for shard in answer]

    def get_held_shards(self) -> list[int]:
        """The shards the server assigned in its last answer (a copy)."""
        with self.lock:
            return list(self.mheld_shards)

    def shutdown(self) -> None:
        """Stop after the heartbeat in flight, if any (does not wait)."""
        self.shut_down_flag = True
        self._wake.set()

    def remove_heart_shard(self, shard: int) -> None:
        """Stop listing ``shard`` in heartbeats (call once it is released)."""
        with self.lock:
            if shard in self.mheart_shards:
                self.mheart_shards.remove(shard)
            if shard in self.mheld_shards:
                self.mheld_shards.remove(shard)
