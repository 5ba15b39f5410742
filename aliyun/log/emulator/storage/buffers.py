"""Reusable byte buffers for answers that are built, used once and dropped (PullLogs bodies).

A PullLogs answer of 100 groups is a few megabytes. A fresh buffer of that size per answer costs
more than filling it: the C allocator hands memory that large back to the kernel when it is
freed, so the next answer faults every page in again (thousands of page faults per answer, a
few microseconds each on a virtual machine). A pool keeps a few such buffers and lends them out.

A lent buffer belongs to its borrower until :meth:`BufferPool.give_back`; views of it must not be
used afterwards (they would see the next borrower's bytes).
"""

from __future__ import annotations

import threading

__all__ = ["BufferPool"]


class BufferPool:
    """At most ``keep`` idle buffers of at most ``max_bytes`` each; larger ones are not kept.

    :param keep: idle buffers held for reuse.
    :param max_bytes: a buffer that grew past this is dropped when given back, so one huge answer
        does not pin its memory for the life of the process.
    """

    def __init__(self, keep: int = 2, max_bytes: int = 16 * 1024 * 1024) -> None:
        self.keep = keep
        self.max_bytes = max_bytes
        self._idle: list[bytearray] = []
        self._lock = threading.Lock()

    def borrow(self) -> bytearray:
        """An idle buffer (its old contents are garbage), or a new empty one."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return bytearray()

    def give_back(self, buffer: bytearray) -> None:
        """Return ``buffer``; nothing may use it (or views of it) afterwards."""
        if len(buffer) > self.max_bytes:
            return
        try:  # a view still open would make the next borrower's resize fail: do not keep it
            buffer.append(0)
            del buffer[-1]
        except BufferError:
            return
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(buffer)

    def idle(self) -> int:
        """Buffers waiting to be lent (for tests)."""
        with self._lock:
            return len(self._idle)
