"""The emulator's clock, replaceable so tests can move time (TTL, consumer timeouts) without waiting."""

from __future__ import annotations

import threading
import time

__all__ = ["Clock", "ManualClock", "SystemClock"]


class Clock:
    """Source of the current time in Unix seconds (float)."""

    def now(self) -> float:
        """Current Unix time."""
        raise NotImplementedError


class SystemClock(Clock):
    """The machine's wall clock, optionally shifted by ``offset`` seconds."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def now(self) -> float:
        return time.time() + self.offset


class ManualClock(Clock):
    """A clock that moves only when told (tests)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        with self._lock:
            self._now += seconds

    def set(self, when: float) -> None:
        """Jump to ``when``."""
        with self._lock:
            self._now = when
