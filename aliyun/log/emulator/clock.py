"""The emulator's clock, replaceable so tests can move time (TTL, consumer timeouts) without waiting."""

from __future__ import annotations

import threading
import time
from typing import Optional

__all__ = ["Clock", "ControlledClock", "ManualClock", "SystemClock"]


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


class ControlledClock(Clock):
    """The clock of a running emulator: follows ``base`` until a test freezes, sets or advances it.

    Every time-dependent rule of the emulator reads this one clock (receive times, cursor times,
    TTL expiry, consumer heartbeat expiry, shipper schedules, creation times), so a test moves
    them all at once and waits for none of them. ``set`` and ``advance`` on a running clock shift
    it by an offset and it keeps ticking from there; on a frozen clock they move the frozen
    instant.

    :param base: where time comes from while not frozen (the wall clock by default).
    """

    def __init__(self, base: Optional[Clock] = None) -> None:
        self.base = base if base is not None else SystemClock()
        self._offset = 0.0
        self._frozen: Optional[float] = None
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return self.base.now() + self._offset

    @property
    def frozen(self) -> bool:
        """Whether time stands still."""
        with self._lock:
            return self._frozen is not None

    def freeze(self, at: Optional[float] = None) -> float:
        """Stop time at ``at`` (default: now); returns the frozen instant."""
        with self._lock:
            if at is None:
                at = self._frozen if self._frozen is not None else self.base.now() + self._offset
            self._frozen = float(at)
            return self._frozen

    def resume(self) -> None:
        """Let a frozen clock tick again, from the instant it was frozen at."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - self.base.now()
                self._frozen = None

    def set(self, when: float) -> None:
        """Jump to ``when`` (Unix seconds), frozen or not."""
        with self._lock:
            if self._frozen is not None:
                self._frozen = float(when)
            else:
                self._offset = float(when) - self.base.now()

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds`` (negative values are refused); returns the new time."""
        if seconds < 0:
            raise ValueError("the emulator's clock never goes back; use set() to jump")
        with self._lock:
            if self._frozen is not None:
                self._frozen += seconds
                return self._frozen
            self._offset += seconds
            return self.base.now() + self._offset

    def reset(self) -> None:
        """Follow ``base`` again with no offset."""
        with self._lock:
            self._offset = 0.0
            self._frozen = None
