"""``EmulatorServer``: the SLS emulator as an object you start, use and stop.

::

    from aliyun.log.emulator import EmulatorServer

    with EmulatorServer(port=0) as server:       # any free port, temporary data directory
        client = server.client()                  # a ready aliyun.log.LogClient
        client.create_project("demo", "my project")

HTTP is served by waitress (a production WSGI server: HTTP/1.1 keep-alive, a thread pool,
bounded request sizes), bound to 127.0.0.1 unless told otherwise, with the guards of
:mod:`.listener` (idle connections make room for new ones; running out of descriptors pauses
accepting instead of flooding the log).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Optional, Union

from .._pipeline.retry import RetryPolicy
from ..logclient import LogClient
from .clock import Clock, ControlledClock
from .controls import EmulatorControls
from .http.app import MAX_BODY, EmulatorApp
from .listener import DEFAULT_IDLE_TIMEOUT, default_connection_limit
from .query.limits import QueryLimits
from .service import EmulatorService

__all__ = [
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "EmulatorServer",
    "QueryLimits",
]

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 18900
DEFAULT_ACCESS_KEY_ID = "emulator-access-key-id"
DEFAULT_ACCESS_KEY_SECRET = "emulator-access-key-secret"
#: a request body or an answer up to this size stays in memory (waitress's defaults: 512 KiB / 1 MiB)
BODY_IN_MEMORY = 16 * 1024 * 1024


class EmulatorServer:
    """An SLS-compatible server in this process.

    :param host: address to bind (``127.0.0.1``; use ``0.0.0.0`` deliberately to expose it).
    :param port: TCP port; ``0`` picks a free one (see :attr:`port` after start).
    :param data_dir: where data lives; ``None`` uses a temporary directory removed on stop.
    :param access_key_id: the one access key the server accepts.
    :param access_key_secret: its secret.
    :param check_signature: verify request signatures and times (default on).
    :param fsync: shard log durability: ``always`` (default, safe), ``interval`` or ``never``.
    :param clock: where time comes from (default: the wall clock); the server wraps it in the
        :class:`~aliyun.log.emulator.clock.ControlledClock` that :attr:`controls` moves.
    :param threads: worker threads serving requests.
    :param listen: serve HTTP on a socket; ``False`` keeps the server in-process only (use
        :meth:`client` with ``in_process=True``).
    :param query_limits: time, memory and size bounds of queries (:class:`QueryLimits`; the
        defaults are listed in docs/emulator.md).
    :param connection_limit: client connections open at once (default: half the process's
        descriptor limit, at most 1000); at the limit the longest idle one is closed for a new one.
    :param idle_timeout: seconds an idle keep-alive connection stays open.
    :param max_open_files: shard segment files kept open at once (default: an eighth of the
        descriptor limit, at most 128); others are opened when read or written.
    :param console: serve the web console at ``/console/`` on the same port (see :attr:`console_url`).
    :param admin: serve the admin HTTP API under ``/_emulator`` (docs/testing.md); ``False``
        refuses it (``403 AdminDisabled``) while :attr:`controls` keeps working in-process.
    :param tls: serve HTTPS with a certificate generated at start, signed by a generated CA
        whose PEM file is :attr:`ca_file` (needs the ``cryptography`` package; see
        :mod:`aliyun.log.emulator.tls`).
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        data_dir: Optional[Union[str, Path]] = None,
        *,
        access_key_id: str = DEFAULT_ACCESS_KEY_ID,
        access_key_secret: str = DEFAULT_ACCESS_KEY_SECRET,
        check_signature: bool = True,
        fsync: str = "always",
        clock: Optional[Clock] = None,
        threads: int = 8,
        listen: bool = True,
        hosts: tuple[str, ...] = (),
        query_limits: Optional[QueryLimits] = None,
        connection_limit: Optional[int] = None,
        idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
        max_open_files: Optional[int] = None,
        console: bool = True,
        admin: bool = True,
        tls: bool = False,
    ) -> None:
        if connection_limit is not None and connection_limit < 1:
            raise ValueError("connection_limit must be positive")
        if idle_timeout < 1:
            raise ValueError("idle_timeout must be at least one second")
        self.host = host
        self.port = port
        self.tls = tls
        self._tls_dir: Optional[Path] = None
        self._frontend: Any = None
        #: the CA certificate (PEM) that signed the HTTPS certificate; ``None`` without ``tls``
        self.ca_file: Optional[Path] = None
        if tls:
            from .tls import generate_certificates

            # First of all, so that a missing dependency fails before anything is opened.
            self._tls_dir = Path(tempfile.mkdtemp(prefix="sls-emulator-tls-"))
            try:
                self._certificates = generate_certificates(self._tls_dir, (host, *hosts))
            except BaseException:
                shutil.rmtree(self._tls_dir, ignore_errors=True)
                raise
            self.ca_file = self._certificates.ca_file
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self._temporary = data_dir is None
        self.data_dir = Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="sls-emulator-"))
        self._listen = listen
        self._threads = threads
        self.connection_limit = connection_limit or default_connection_limit()
        self.idle_timeout = idle_timeout
        self.console = console
        #: the clock every time-dependent rule reads (freeze, set, advance)
        self.clock = clock if isinstance(clock, ControlledClock) else ControlledClock(clock)
        self.service = EmulatorService(
            self.data_dir, clock=self.clock, fsync=fsync, max_open_files=max_open_files, query_limits=query_limits
        )
        self.app = EmulatorApp(
            self.service,
            {access_key_id: access_key_secret},
            check_signature=check_signature,
            hosts=(host, *hosts),
        )
        #: reset, faults and inspection (docs/testing.md)
        self.controls = EmulatorControls(self.service, self.clock, admin=admin)
        self.app.controls = self.controls
        self._server: Any = None
        self._thread: Optional[threading.Thread] = None
        self._stopped = False

    @property
    def endpoint(self) -> str:
        """What to give to ``LogClient``: ``host:port``, or ``https://host:port`` with ``tls``."""
        return f"https://{self.host}:{self.port}" if self.tls else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://host:port`` or ``https://host:port``."""
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def console_url(self) -> Optional[str]:
        """Address of the web console (``None`` when it is off or the server does not listen)."""
        if not (self.console and self._listen):
            return None
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/console/"

    def start(self) -> EmulatorServer:
        """Start serving in a background thread (returns at once, ready for requests)."""
        if not self._listen or self._server is not None:
            return self
        from .listener import GuardedServer

        self._server = GuardedServer(
            self._wsgi(),
            # With TLS, waitress listens privately and the TLS front owns the public port.
            host="127.0.0.1" if self.tls else self.host,
            port=0 if self.tls else self.port,
            threads=self._threads,
            max_request_body_size=MAX_BODY + 1024,
            # Bulk bodies (PutLogs batches, PullLogs answers) in memory: waitress's defaults
            # move a body past 512 KiB (request) or 1 MiB (answer) into a temporary file.
            inbuf_overflow=BODY_IN_MEMORY,
            outbuf_overflow=BODY_IN_MEMORY,
            channel_timeout=self.idle_timeout,
            asyncore_use_poll=True,  # select() cannot watch descriptors above 1023
            cleanup_interval=max(1, min(10, self.idle_timeout // 2)),
            connection_limit=self.connection_limit + 2,  # waitress counts its listener and trigger
            asyncore_loop_timeout=1,
            ident="sls-emulator",
            clear_untrusted_proxy_headers=False,
        )
        from .http.limits import SLSChannel

        # Connections answer waitress's own refusals (an oversize body ...) as SLS errors.
        self._server.channel_class = SLSChannel
        if self.tls:
            from .tls import TlsFrontend

            self._frontend = TlsFrontend(self.host, self.port, int(self._server.effective_port), self._certificates)
            self._frontend.start()
            self.port = self._frontend.port
        else:
            self.port = int(self._server.effective_port)
        self._thread = threading.Thread(target=self._server.run, name="sls-emulator", daemon=True)
        self._thread.start()
        logger.info("SLS emulator listening on %s (data in %s)", self.endpoint, self.data_dir)
        return self

    def _wsgi(self) -> Any:
        """What waitress serves: the SLS API, with the console in front of it unless turned off."""
        if not self.console:
            return self.app
        from .console import with_console

        # In-process: the console's calls are signed and checked like any client's, without a socket.
        return with_console(self.app, self.client(in_process=True, retry=RetryPolicy.disabled()), self.app.hosts)

    def stop(self) -> None:
        """Stop serving, close the data files, and remove a temporary data directory."""
        if self._stopped:
            return
        self._stopped = True
        # Running queries end now (they answer an error) so that waiting for the requests in
        # flight below never waits on a long statement.
        self.service.stop_queries()
        if self._frontend is not None:
            self._frontend.stop()
        server = self._server
        if server is not None:
            from waitress import wasyncore

            trigger = server.trigger

            def close_all() -> None:
                # Runs in the serving thread (woken by the trigger), so no socket is closed
                # under a select() that still watches it; with the map empty the loop returns.
                for channel in list(server._map.values()):
                    if channel is server:
                        wasyncore.dispatcher.close(server)  # its own close() also closes the trigger
                    elif channel is not trigger:
                        channel.close()
                trigger.close()

            if getattr(trigger, "_closed", False):
                # waitress closes its listener and trigger itself after a fatal accept error;
                # then nobody is left to wake, and closing from here is all that remains.
                close_all()
                server.task_dispatcher.shutdown()
            else:
                try:
                    # Stop accepting first, then let requests in flight finish (their answers are
                    # written through the trigger, which must stay open until they are done), and
                    # only then close the connections and the trigger.
                    trigger.pull_trigger(lambda: wasyncore.dispatcher.close(server))
                    server.task_dispatcher.shutdown()
                    trigger.pull_trigger(close_all)
                except OSError:
                    close_all()
                    server.task_dispatcher.shutdown()
            if self._thread is not None:
                self._thread.join(timeout=10)
        self.service.close()
        if self._temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        if self._tls_dir is not None:
            shutil.rmtree(self._tls_dir, ignore_errors=True)

    def client(self, *, in_process: bool = False, **kwargs: Any) -> LogClient:
        """A ``LogClient`` for this server (``in_process`` skips the socket: no HTTP, same bytes)."""
        if in_process or not self._listen:
            from .._transport.wsgi import WsgiTransport

            kwargs.setdefault("transport", WsgiTransport(self.app))
        elif self.ca_file is not None:
            kwargs.setdefault("ca_file", str(self.ca_file))
        return LogClient(self.endpoint, self.access_key_id, self.access_key_secret, **kwargs)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
