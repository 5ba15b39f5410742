"""Storage failures as SLS answers, and damage found at start-up as a report.

A full disk or a process out of file descriptors must not turn every request into a bare
"internal error" with a traceback in the log. Service operations that write run inside
:meth:`StorageFaults.guard`: an ``OSError`` there becomes ``500 InternalServerError`` with a
message that names the cause (``InternalServerError`` is the code SLS answers for its own
failures; clients retry it). Because the service persists a change before applying it, the
answer also means that nothing changed.

Logging is rate-limited per cause: the first failure logs one line, later ones within
:data:`LOG_INTERVAL` seconds are only counted, and the next line says how many there were.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from ..errors import SLSError

__all__ = ["LOG_INTERVAL", "StorageFaults"]

logger = logging.getLogger(__name__)

#: at most one log line per cause in this many seconds
LOG_INTERVAL = 60.0
_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_NO_DESCRIPTORS = (errno.EMFILE, errno.ENFILE)


class StorageFaults:
    """Turns storage errors into SLS errors (logged sparingly) and keeps the damage report.

    :param report_file: where the report is appended (``None``: kept in memory only).
    """

    def __init__(self, report_file: Optional[Path], *, interval: float = LOG_INTERVAL) -> None:
        self.report_file = report_file
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        #: every damaged resource found since this emulator started (also in the report file)
        self.damage: list[dict[str, Any]] = []

    # -- failures while serving ---------------------------------------------------------------

    @contextmanager
    def guard(self, action: str) -> Iterator[None]:
        """Run a storage-touching step of ``action``; an ``OSError`` answers a clear SLS error."""
        try:
            yield
        except OSError as exc:
            raise self.error(exc, action) from None

    def error(self, exc: OSError, action: str) -> SLSError:
        """The SLS error for a storage failure of ``action`` (logs it, rate-limited)."""
        reason = exc.strerror or str(exc)
        if exc.errno in _DISK_FULL:
            cause = "disk-full"
            message = (
                f"{action} failed: the disk holding the emulator's data directory is full ({reason}); "
                "nothing was changed, retry once space is freed"
            )
        elif exc.errno in _NO_DESCRIPTORS:
            cause = "descriptors"
            message = (
                f"{action} failed: the emulator is out of file descriptors ({reason}); "
                "nothing was changed: close idle connections or raise the limit (ulimit -n)"
            )
        else:
            cause = f"errno-{exc.errno}"
            message = f"{action} failed: storage error of the emulator ({reason}); nothing was changed"
        self.log(cause, "%s (%s)", message, exc)
        return SLSError("InternalServerError", message, 500)

    def log(self, cause: str, text: str, *args: Any, exc_info: bool = False) -> None:
        """Log ``text`` at error level unless ``cause`` was logged less than ``interval`` ago.

        :param exc_info: add the traceback of the exception being handled (to the lines that
            are logged, not to the ones held back).
        """
        now = time.monotonic()
        with self._lock:
            last = self._last.get(cause)
            if last is not None and now - last < self.interval:
                self._suppressed[cause] = self._suppressed.get(cause, 0) + 1
                return
            self._last[cause] = now
            suppressed = self._suppressed.pop(cause, 0)
        if suppressed:
            logger.error(text + " [%d more like this since the last report]", *args, suppressed, exc_info=exc_info)
        else:
            logger.error(text, *args, exc_info=exc_info)

    # -- damage found at start-up --------------------------------------------------------------

    def report(self, kind: str, resource: str, detail: Any) -> None:
        """Record damage: one error line, an entry in :attr:`damage` and in the report file."""
        entry = {"time": int(time.time()), "kind": kind, "resource": resource, "detail": detail}
        self.damage.append(entry)
        logger.error("damaged %s %s: %s", kind, resource, detail)
        if self.report_file is None:
            return
        try:
            with open(self.report_file, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            logger.warning("cannot write the damage report: %s", exc)
