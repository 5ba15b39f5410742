"""A plain local PutLogs sink: acknowledges every PutLogs call at once; counts its logs afterwards.

For benchmarks whose question is the client's speed, not the server's: the emulator stores,
indexes and fsyncs what it is sent, and on a small machine its ingest can cap every client alike.
The sink does the least a server must: it reads the whole body and answers ``200`` with an
``x-log-requestid``. It keeps the bodies of a logstore as they came and counts their logs when
asked (:meth:`PutLogsSink.logs`: inflate by ``x-log-compresstype``, walk each ``LogGroup``), so
counting costs the clients nothing while they are timed. It checks no signature. HTTP/1.1
keep-alive, one thread per connection, ``127.0.0.1`` only. Requests in proxy form (absolute URI in
the request line, as clients configured with ``HTTP_PROXY`` send them) are understood too.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional
from urllib.parse import urlsplit

from aliyun.log._codec import decompress

__all__ = ["PutLogsSink", "count_logs"]


def count_logs(group: bytes) -> int:
    """Number of ``Logs`` entries (field 1) in a serialized ``LogGroup``.

    Every field of a ``LogGroup`` is length-delimited, so the walk reads a tag and a length and
    skips; a malformed body raises ``ValueError``.
    """
    count = pos = 0
    end = len(group)
    while pos < end:
        tag, pos = _varint(group, pos)
        if tag & 7 != 2:
            raise ValueError(f"LogGroup field with wire type {tag & 7} at {pos}")
        length, pos = _varint(group, pos)
        pos += length
        if pos > end:
            raise ValueError("LogGroup field runs past the body")
        if tag == 0x0A:
            count += 1
    return count


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


class PutLogsSink:
    """``with PutLogsSink() as sink:`` serve on ``sink.endpoint``; ``sink.logs(logstore)`` counts."""

    def __init__(self, port: int = 0) -> None:
        self._bodies: dict[str, list[tuple[str, int, bytes]]] = defaultdict(list)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: Optional[threading.Thread] = None

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def logs(self, logstore: str) -> int:
        """Logs acknowledged so far for ``logstore`` (raises ``ValueError`` for a malformed body)."""
        with self._lock:
            bodies = list(self._bodies[logstore])
        return sum(count_logs(decompress(kind, body, raw_size)) for kind, raw_size, body in bodies)

    def __enter__(self) -> PutLogsSink:
        self._thread = threading.Thread(target=self._server.serve_forever, name="putlogs-sink", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _add(self, logstore: str, kind: str, raw_size: int, body: bytes) -> None:
        with self._lock:
            self._bodies[logstore].append((kind, raw_size, body))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as SLS

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path).path.strip("/").split("/")
                if len(parts) < 3 or parts[0] != "logstores" or parts[2] != "shards":
                    self._answer(404, b'{"errorCode":"NotSupported","errorMessage":"the sink takes PutLogs only"}')
                    return
                kind = self.headers.get("x-log-compresstype", "")
                sink._add(parts[1], kind, int(self.headers.get("x-log-bodyrawsize") or len(body)), body)
                self._answer(200, b"")

            def _answer(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("x-log-requestid", f"SINK{next(sink._ids):020d}")
                self.send_header("Content-Length", str(len(payload)))
                if payload:
                    self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # one line per request would cost more than the request

        return Handler
