"""In-process transport: hands requests straight to a WSGI application (the emulator).

No sockets, so tests run fast and deterministic, yet every byte still goes through the same
signing, compression and parsing code as over the network.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from typing import Any, Callable, Optional

from . import HttpRequest, HttpResponse, TransportError

__all__ = ["WsgiTransport"]

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class WsgiTransport:
    """Calls ``app`` for every request, as a WSGI server would."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        path, _, query = request.target.partition("?")
        from urllib.parse import unquote

        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, encoding="latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": request.host,
            "SERVER_PORT": str(request.port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": request.scheme,
            "wsgi.input": io.BytesIO(request.body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(request.body)),
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key == "CONTENT_LENGTH":
                continue
            else:
                environ[f"HTTP_{key}"] = value
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Optional[Any] = None) -> Any:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers
            return lambda data: None

        chunks = self._app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers = dict(captured["headers"])
        declared = next((v for k, v in headers.items() if k.lower() == "content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) != len(body):
            # What a socket shows as a connection closed mid-answer (the emulator's injected drops).
            raise TransportError(f"answer cut short: {len(body)} of {declared} bytes", sent=True)
        return HttpResponse(captured["status"], headers, body)

    def close(self) -> None:
        return None
