"""The heartbeat thread: a thin driver of :class:`~.heartbeat_state.HeartbeatState`.

It runs on its own thread (``consumer-<name>-heartbeat``) so a slow request never delays data
processing. It reads the shards still held through ``holding()`` (a snapshot the loop thread
publishes) and hands every verdict to ``on_verdict(verdict, assigned, error)``, which the worker
forwards to its loop thread. Every failure is logged; the thread never spins: after a failure
it waits at least a fraction of the interval.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Callable, Optional

from ..logexception import LogException
from .consumer_client import ConsumerClient
from .heartbeat_state import EXPIRED, FATAL, LOST, HeartbeatState

__all__ = ["HeartbeatThread"]

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
            shards = self.client.heartbeat(body)
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
