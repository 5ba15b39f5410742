"""The emulator's HTTP listener: waitress, guarded against idle connections and descriptor exhaustion.

Plain waitress stops accepting at its connection limit until a connection closes, which an
idle keep-alive connection does only after ``channel_timeout``; and when ``accept()`` fails
for lack of file descriptors it logs a traceback and tries again at once, forever, because
the listening socket stays readable. Here:

* **At the connection limit** the least recently active idle connection (no request being
  read or served, nothing left to send, quiet for :data:`MIN_IDLE_SECONDS`) is closed to make
  room, so a thousand forgotten keep-alive connections cannot lock new clients out.
  Connections busy with a request are never closed; when all are busy, new connections wait
  in the listen backlog.
* **Idle connections** are closed after ``idle_timeout`` seconds (waitress's
  ``channel_timeout``), checked every few seconds.
* **Out of descriptors** (``EMFILE``/``ENFILE`` from ``accept()``): one log line a minute, not
  one per attempt; accepting pauses for :data:`ACCEPT_PAUSE_SECONDS` and idle connections are
  shed to give descriptors back.
"""

from __future__ import annotations

import errno
import logging
import time
from typing import Any, Callable, Optional

from waitress.server import TcpWSGIServer

__all__ = [
    "ACCEPT_PAUSE_SECONDS",
    "DEFAULT_IDLE_TIMEOUT",
    "MIN_IDLE_SECONDS",
    "GuardedServer",
    "default_connection_limit",
]

logger = logging.getLogger(__name__)

#: seconds an idle keep-alive connection is kept open (clients reconnect transparently)
DEFAULT_IDLE_TIMEOUT = 60
#: an idle connection is closed to make room for a new one only after this much quiet
MIN_IDLE_SECONDS = 1.0
#: accepting pauses this long after ``accept()`` ran out of descriptors
ACCEPT_PAUSE_SECONDS = 0.5
_LOG_INTERVAL = 60.0
_OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE)


def default_connection_limit() -> int:
    """Half the process's descriptor limit (128 under the common 256), at most 1000, at least 16.

    The other half stays free for shard segments (see
    :func:`~aliyun.log.emulator.storage.files.default_max_open`), the metadata and index
    databases and the interpreter itself.
    """
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return 1000
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return 1000
    return max(16, min(1000, soft // 2))


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    """A waitress TCP server with the guards of the module doc (same keyword adjustments)."""

    _accept_paused_until = 0.0
    next_channel_cleanup: float = 0.0
    _last_log: dict[str, float]
    _suppressed: dict[str, int]

    def __init__(self, application: Callable[..., Any], **adjustments: Any) -> None:
        self._last_log = {}
        self._suppressed = {}
        super().__init__(application, **adjustments)

    @property
    def connection_count(self) -> int:
        """Client connections open now."""
        return len(self.active_channels)

    def readable(self) -> bool:
        if not self.accepting:
            return False
        now = time.time()
        if now >= float(self.next_channel_cleanup):
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        if time.monotonic() < self._accept_paused_until:
            return False
        if len(self._map) >= self.adj.connection_limit:
            # Full: make room by closing the connection idle the longest; accept once it is gone.
            if self._shed_idle(1, now) == 0:
                self._log("connection-limit", "connection limit (%d) reached with every connection busy", self.limit)
            return False
        return True

    @property
    def limit(self) -> int:
        """Client connections allowed at once."""
        return int(self.adj.connection_limit) - 2  # waitress counts its listener and trigger too

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError as exc:
            if exc.errno in _OUT_OF_DESCRIPTORS:
                self._accept_paused_until = time.monotonic() + ACCEPT_PAUSE_SECONDS
                shed = self._shed_idle(max(1, self.connection_count // 10), time.time())
                self._log(
                    "descriptors",
                    "cannot accept connections: out of file descriptors (%s); %d idle connection(s) closed,"
                    " %d open; raise the limit (ulimit -n) or lower the connection limit",
                    exc.strerror,
                    shed,
                    self.connection_count,
                )
            else:
                self._log("accept", "accept() failed: %s", exc)
            return
        if accepted is None:
            return
        conn, addr = accepted
        try:
            self.set_socket_options(conn)
        except OSError:  # the peer went away already
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def _shed_idle(self, count: int, now: float) -> int:
        """Mark up to ``count`` idle connections to close (oldest activity first); how many were."""
        idle = [
            channel
            for channel in self.active_channels.values()
            if not channel.requests
            and channel.request is None
            and not channel.total_outbufs_len
            and not channel.will_close
            and not channel.close_when_flushed
            and now - channel.last_activity >= MIN_IDLE_SECONDS
        ]
        idle.sort(key=lambda channel: channel.last_activity)
        for channel in idle[:count]:
            channel.will_close = True  # closed by the loop on its next pass (writable() says so)
        return min(count, len(idle))

    def _log(self, cause: str, text: str, *args: Any) -> None:
        """At most one warning per cause a minute; the next one says how many were held back."""
        now = time.monotonic()
        last: Optional[float] = self._last_log.get(cause)
        if last is not None and now - last < _LOG_INTERVAL:
            self._suppressed[cause] = self._suppressed.get(cause, 0) + 1
            return
        self._last_log[cause] = now
        held = self._suppressed.pop(cause, 0)
        if held:
            logger.warning(text + " [%d more since the last report]", *args, held)
        else:
            logger.warning(text, *args)
