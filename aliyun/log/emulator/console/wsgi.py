"""Serving the console: its static files and JSON endpoint under ``/console/``, beside the SLS API.

No SLS path starts with ``/console`` (the operation table's paths are ``/``, ``/logs``,
``/logstores/...``, ``/configs/...``, ``/machinegroups/...``), and the router sends a request to
the console only when it is addressed to the emulator itself — its ``Host`` is an IP address or
one of the emulator's host names, never ``<project>.<host>`` — so every SLS request, signed or not,
reaches the API exactly as before. Requiring a known ``Host`` also keeps pages of other sites
from reading the console through DNS rebinding.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl

from .api import ConsoleAPI, ConsoleError

__all__ = ["PREFIX", "ConsoleApp", "ConsoleRouter"]

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

#: where the console lives on the emulator's port
PREFIX = "/console/"
_STATIC = Path(__file__).resolve().parent / "static"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# Scripts and styles come from the console's own files only: even a rendering mistake cannot run
# a script that arrived inside a log value.
_SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
]
_STATUS = {200: "OK", 301: "Moved Permanently", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


def _static_files() -> dict[str, Path]:
    """The shipped files by name; only these are ever served (no path reaches the disk)."""
    return {path.name: path for path in sorted(_STATIC.iterdir()) if path.suffix in _TYPES and path.is_file()}


class ConsoleApp:
    """WSGI application of ``/console/...``: ``index.html`` and its assets, and ``api/<action>``.

    :param api: answers the JSON endpoint (see :class:`~aliyun.log.emulator.console.api.ConsoleAPI`).
    """

    def __init__(self, api: ConsoleAPI) -> None:
        self.api = api
        self.files = _static_files()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        name = environ.get("PATH_INFO", "")[len(PREFIX) :]
        if method not in ("GET", "HEAD"):
            # The console only reads: nothing it serves changes the emulator's data.
            return self._json(start_response, 405, ConsoleError(405, "MethodNotAllowed", "the console is read-only"))
        if name.startswith("api/"):
            return self._call_api(environ, start_response, name[4:])
        path = self.files.get(name or "index.html")
        if path is None:
            error = ConsoleError(404, "InvalidRequestURI", f"the console has no file {name!r}")
            return self._json(start_response, 404, error)
        body = path.read_bytes()
        headers = [("Content-Type", _TYPES[path.suffix]), ("Content-Length", str(len(body))), *_SECURITY_HEADERS]
        start_response("200 OK", headers)
        return [b"" if method == "HEAD" else body]

    def _call_api(self, environ: dict[str, Any], start_response: StartResponse, action: str) -> Iterable[bytes]:
        params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        try:
            answer: Any = self.api.call(action, params)
        except ConsoleError as error:
            logger.debug("console %s failed: %s %s", action, error.code, error.message)
            return self._json(start_response, error.status, error)
        return self._json(start_response, 200, answer)

    @staticmethod
    def _json(start_response: StartResponse, status: int, value: Any) -> Iterable[bytes]:
        if isinstance(value, ConsoleError):
            value = value.to_json()
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *_SECURITY_HEADERS,
        ]
        start_response(f"{status} {_STATUS.get(status, 'Error')}", headers)
        return [body]


class ConsoleRouter:
    """WSGI application in front of the emulator: ``/console/...`` on a known host to the console,
    everything else to the SLS API unchanged.

    :param api_app: the emulator's SLS application.
    :param console: the console application.
    :param hosts: host names the emulator is reached as (IP addresses are always accepted).
    """

    def __init__(self, api_app: WsgiApp, console: WsgiApp, hosts: Iterable[str]) -> None:
        self.api_app = api_app
        self.console = console
        self.hosts = {h.lower() for h in hosts}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if (path == PREFIX[:-1] or path.startswith(PREFIX)) and self.is_own_host(environ.get("HTTP_HOST", "")):
            if path == PREFIX[:-1]:
                start_response("301 Moved Permanently", [("Location", PREFIX), ("Content-Length", "0")])
                return [b""]
            return self.console(environ, start_response)
        return self.api_app(environ, start_response)

    def is_own_host(self, host_header: str) -> bool:
        """Whether ``Host`` names the emulator itself (an IP address or a known name, any port)."""
        host = host_header.strip().lower()
        if host.startswith("["):
            host = host[1:].partition("]")[0]
        elif host.count(":") == 1:
            host = host.partition(":")[0]
        if host in self.hosts:
            return True
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False
        return True
