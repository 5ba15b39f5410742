"""Progress of a copy or transform job: snapshots for callbacks, and a bar for terminals."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from typing import IO, Any, Optional

__all__ = ["Progress", "TerminalBar"]


@dataclasses.dataclass(frozen=True)
class Progress:
    """The job after one more batch.

    ``shard`` is the shard that just finished a batch; the counts are totals over the job
    (including what a resumed job had done before).
    """

    shard: int
    batches: int
    read: int
    written: int
    removed: int
    failed: int
    shards_done: int
    shards_total: int


class TerminalBar:
    """One self-rewriting line on a terminal: shards done, logs read and written, rate.

    Redraws at most every ``interval`` seconds; :meth:`close` prints the final line.
    """

    def __init__(self, stream: Optional[IO[str]] = None, interval: float = 0.2) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self._started = time.monotonic()
        self._last = 0.0
        self._line = ""
        self._lock = threading.Lock()

    def _render(self, p: Progress) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        done = p.shards_done / p.shards_total if p.shards_total else 1.0
        filled = int(done * 20)
        return (
            f"\r[{'#' * filled}{'.' * (20 - filled)}] shards {p.shards_done}/{p.shards_total}  "
            f"read {p.read:,}  written {p.written:,}  removed {p.removed:,}  {p.read / elapsed:,.0f} logs/s"
        )

    def __call__(self, progress: Progress) -> None:
        with self._lock:
            self._line = self._render(progress)
            now = time.monotonic()
            if now - self._last >= self.interval or progress.shards_done == progress.shards_total:
                self._last = now
                self.stream.write(self._line)
                self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        with self._lock:
            if self._line:
                self.stream.write(self._line + "\n")
                self.stream.flush()


def stderr_is_terminal() -> bool:
    """Is standard error an interactive terminal (where a bar makes sense)?"""
    isatty: Any = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
