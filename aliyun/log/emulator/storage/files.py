"""A bounded pool of open file descriptors shared by every shard log of one emulator.

A shard log has one segment file per 64 MiB of data and every shard has a segment it writes
to, so holding a descriptor per segment for the life of the process runs out of descriptors
(256 by default on macOS) after about a hundred logstores. Instead each read or write borrows
the descriptor of its file from this pool (:meth:`FilePool.use`), which keeps at most
``max_open`` files open and closes the least recently used idle one to make room.

A borrowed descriptor is pinned: it is never closed under a reader or writer (a pool whose
files are all pinned opens more than ``max_open`` for a moment rather than failing). Closing a
file descriptor loses nothing: data written through it is in the operating system's cache, and
a later ``fsync`` on another descriptor of the same file flushes it.
"""

from __future__ import annotations

import errno
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["DEFAULT_MAX_OPEN", "FilePool", "Handle", "default_max_open"]

#: descriptors a pool keeps open when the process may open many (see :func:`default_max_open`)
DEFAULT_MAX_OPEN = 128
_OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE)


def default_max_open() -> int:
    """A pool size that leaves room for sockets and databases under the process's descriptor limit.

    One eighth of the soft ``RLIMIT_NOFILE`` (32 under the common 256), at most
    :data:`DEFAULT_MAX_OPEN`, at least 4.
    """
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # no resource module (Windows)
        return DEFAULT_MAX_OPEN
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return DEFAULT_MAX_OPEN
    return max(4, min(DEFAULT_MAX_OPEN, soft // 8))


class Handle:
    """A pinned descriptor of a :class:`FilePool` (``fd``)."""

    __slots__ = ("doomed", "fd", "pins")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pins = 0
        self.doomed = False  # forgotten while pinned: close when the last user is done


class FilePool:
    """Open files by path, at most ``max_open`` of them idle at a time (thread-safe)."""

    def __init__(self, max_open: int = DEFAULT_MAX_OPEN) -> None:
        if max_open < 1:
            raise ValueError("max_open must be positive")
        self.max_open = max_open
        self._lock = threading.Lock()
        self._open: OrderedDict[Path, Handle] = OrderedDict()

    @property
    def open_count(self) -> int:
        """Descriptors open right now."""
        with self._lock:
            return len(self._open)

    @contextmanager
    def use(self, path: Path, *, create: bool = False) -> Iterator[int]:
        """Borrow a read-write descriptor of ``path`` (created when ``create``; else it must exist)."""
        handle = self.acquire(path, create=create)
        try:
            yield handle.fd
        finally:
            self.release(handle)

    def acquire(self, path: Path, *, create: bool = False) -> Handle:
        """Pin ``path``'s descriptor (``handle.fd``) until :meth:`release` (the hot-path form of :meth:`use`)."""
        with self._lock:
            handle = self._open.get(path)
            if handle is None:
                handle = Handle(self._open_fd(path, create))
                self._open[path] = handle
            else:
                self._open.move_to_end(path)
            handle.pins += 1
            return handle

    def release(self, handle: Handle) -> None:
        """Unpin a descriptor from :meth:`acquire`."""
        with self._lock:
            handle.pins -= 1
            if handle.pins == 0:
                if handle.doomed:
                    _close(handle.fd)
                elif len(self._open) > self.max_open:
                    self._trim()

    def forget(self, path: Path) -> None:
        """Close ``path``'s descriptor (the file is being deleted or its log closed)."""
        with self._lock:
            handle = self._open.pop(path, None)
            if handle is None:
                return
            if handle.pins:
                handle.doomed = True
            else:
                _close(handle.fd)

    def close(self) -> None:
        """Close every idle descriptor (pinned ones close when their user is done)."""
        with self._lock:
            for path in list(self._open):
                handle = self._open.pop(path)
                if handle.pins:
                    handle.doomed = True
                else:
                    _close(handle.fd)

    def _open_fd(self, path: Path, create: bool) -> int:
        flags = os.O_RDWR | (os.O_CREAT if create else 0)
        self._trim(room_for=1)
        try:
            return os.open(path, flags, 0o644)
        except OSError as exc:
            if exc.errno not in _OUT_OF_DESCRIPTORS:
                raise
        # The process is out of descriptors (sockets or databases took them): give back every
        # idle one of ours and try once more; the caller reports a second failure.
        self._trim(keep=0)
        return os.open(path, flags, 0o644)

    def _trim(self, room_for: int = 0, keep: int = -1) -> None:
        """Close least recently used idle descriptors down to ``max_open - room_for`` (or ``keep``)."""
        limit = self.max_open - room_for if keep < 0 else keep
        if len(self._open) <= limit:
            return
        for path in list(self._open):
            if len(self._open) <= limit:
                return
            handle = self._open[path]
            if handle.pins == 0:
                del self._open[path]
                _close(handle.fd)


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass
