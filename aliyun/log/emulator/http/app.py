"""The emulator's WSGI application: decode, authenticate, route, call the domain, render.

Handlers only parse and render; the rules live in :mod:`aliyun.log.emulator.service`. Every
answer carries ``x-log-requestid``; every failure is an SLS error JSON with the right status, and
no request can take the server down.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import logging
import os
import time
from collections.abc import Iterable, Mapping
from email.utils import formatdate
from typing import TYPE_CHECKING, Any, Callable, Optional
from urllib.parse import parse_qsl

from ..._auth import AuthFailure, verify_request
from ..._ops import match
from ..controls.admin import ADMIN_API, is_admin_path
from ..controls.admin import handle as handle_admin
from ..controls.faults import DROP_BEFORE
from ..controls.journal import RequestInfo, log_request
from ..errors import SLSError
from ..service import EmulatorService
from .context import Context, Reply
from .routes import HANDLERS
from .tracking import CORS_OPERATIONS, cors_headers

if TYPE_CHECKING:
    from ..controls import EmulatorControls

__all__ = ["MAX_BODY", "EmulatorApp", "error_reply", "render"]

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
#: where SLS serves the Prometheus API of metric stores (``/prometheus/<project>/<store>/...``)
PROMETHEUS_PREFIX = "/prometheus/"
#: largest request body accepted at all (PutLogs bodies are limited further by the domain)
MAX_BODY = 64 * 1024 * 1024
_STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class EmulatorApp:
    """WSGI application serving the SLS REST API.

    :param credentials: access key id → secret.
    :param check_signature: verify v1/v4 signatures and request time (on by default).
    :param hosts: host names the emulator is reached as (``127.0.0.1``, ``localhost`` ...):
        ``<project>.<host>`` addresses a project.
    """

    def __init__(
        self,
        service: EmulatorService,
        credentials: Mapping[str, str],
        *,
        check_signature: bool = True,
        hosts: Iterable[str] = (),
        max_skew: datetime.timedelta = datetime.timedelta(minutes=15),
    ) -> None:
        self.service = service
        self.credentials = dict(credentials)
        self.check_signature = check_signature
        self.hosts = sorted({h.lower() for h in (*hosts, "127.0.0.1", "localhost", "::1")}, key=len, reverse=True)
        self.max_skew = max_skew
        #: test controls (faults, request journal, admin API); set by ``EmulatorServer``
        self.controls: Optional[EmulatorControls] = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        began = time.perf_counter()
        extra: dict[str, str] = {}  # headers every answer to this request carries (CORS)
        info = RequestInfo(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
        try:
            reply = self._handle(environ, extra, info)
        except SLSError as error:
            info.error_code = error.code
            reply = error_reply(error.status, error.code, error.message)
        except RecursionError:
            # Input nested deeper than the explicit limits foresee (a JSON body, a query): the
            # client's doing, so a 400, and the stack is unwound by now.
            logger.info("too deeply nested input in %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            info.error_code = "ParameterInvalid"
            reply = error_reply(400, "ParameterInvalid", "the request is nested too deeply")
        except Exception:  # a bug must not take the server down: answer 500 and log it
            logger.exception(
                "internal error while serving %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            info.error_code = "InternalServerError"
            reply = error_reply(500, "InternalServerError", "internal error of the emulator")
        reply.headers.update(extra)
        status, headers, request_id = render(reply)
        latency_ms = (time.perf_counter() - began) * 1000
        log_request(info, reply.status, latency_ms, request_id)
        if self.controls is not None:
            self.controls.record(info, reply.status, latency_ms, request_id)
        if info.drop is not None:
            # An injected dropped connection: the answer promises a body it never sends, so the
            # server closes the connection and the client cannot read any answer.
            headers = [(n, v) for n, v in headers if n != "Content-Length"] + [
                ("Content-Length", str(len(reply.body) + 1))
            ]
            start_response(status, headers)
            return []
        start_response(status, headers)
        return [reply.body]

    # -- request decoding --------------------------------------------------------------------

    def _handle(self, environ: dict[str, Any], extra: dict[str, str], info: RequestInfo) -> Reply:
        method = environ["REQUEST_METHOD"].upper()
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", errors="replace") or "/"
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        params = dict(pairs)
        headers = {
            key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        project = self._project_of(headers.get("host", ""))
        found = match(method, path, params, project is not None)
        if found is not None and found[0].name in CORS_OPERATIONS:
            # Set before anything can fail, so a browser can read the error answers too.
            extra.update(cors_headers(headers))
        body = _read_body(environ)
        headers["content-length"] = str(len(body))
        if self.check_signature and (found is None or found[0].signed):
            self._authenticate(method, path, pairs, headers, body)
        if found is None and is_admin_path(path):
            info.api = ADMIN_API
            return handle_admin(self.controls, method, path, params, body)
        if found is None and path.startswith(PROMETHEUS_PREFIX):
            # metric stores take writes and SQL; their Prometheus endpoints are not simulated
            raise SLSError(
                "NotSupported",
                "PromQL and the Prometheus remote read/write API of metric stores are not supported "
                "by the emulator (docs/emulator.md); query a metric store with SQL instead",
                400,
            )
        if found is None:
            raise SLSError("InvalidRequestURI", f"no API for {method} {path[:256]}", 404)
        op, segments = found
        info.api, info.project, info.logstore = op.name, project, segments.get("logstore")
        handler = HANDLERS.get(op.name)
        if handler is None:
            raise SLSError("NotSupported", f"{op.name} is not supported by the emulator", 400)
        self.service.admit(op, project)
        self.service.tick()  # what came due by the clock happens before this answer
        if self.controls is not None:
            self.controls.before(info)  # an injected fault: raises, sleeps or marks a drop
            if info.drop == DROP_BEFORE:
                return Reply()
        context = Context(
            method,
            path,
            params,
            headers,
            body,
            project,
            segments,
            self.service,
            environ.get("REMOTE_ADDR", ""),
        )
        return handler(context)

    def _project_of(self, host_header: str) -> Optional[str]:
        host = host_header.strip().lower()
        if host.startswith("["):
            return None
        if host.count(":") == 1:
            host = host.split(":", 1)[0]
        for base in self.hosts:
            if host == base:
                return None
            if host.endswith("." + base):
                return host[: -len(base) - 1] or None
        if not host or _is_ip(host):
            return None
        # An unknown domain (``proj.sls.example``): the first label is the project.
        first, _, rest = host.partition(".")
        return first if "." in rest else None

    def _authenticate(
        self, method: str, path: str, pairs: list[tuple[str, str]], headers: dict[str, str], body: bytes
    ) -> None:
        try:
            verify_request(method, path, pairs, headers, body, self.credentials.get, max_skew=self.max_skew)
            return
        except AuthFailure as failure:
            if failure.code != "RequestTimeExpired":
                raise SLSError(failure.code, failure.message, failure.status) from None
            refused = failure
        # Off the wall clock, but maybe on the emulator's: a test that moved the emulator's clock
        # may have moved its client's along with it (in-process time faking), and is on time.
        emulator_now = datetime.datetime.fromtimestamp(self.service.state.clock.now(), datetime.timezone.utc)
        try:
            verify_request(
                method, path, pairs, headers, body, self.credentials.get, now=emulator_now, max_skew=self.max_skew
            )
        except AuthFailure:
            raise SLSError(refused.code, refused.message, refused.status) from None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _read_body(environ: dict[str, Any]) -> bytes:
    length_text = environ.get("CONTENT_LENGTH") or "0"
    try:
        length = int(length_text)
    except ValueError:
        raise SLSError("InvalidParameter", f"invalid Content-Length {length_text!r}", 400) from None
    if length < 0:
        raise SLSError("InvalidParameter", "negative Content-Length", 400)
    if length > MAX_BODY:
        raise SLSError("PostBodyTooLarge", f"body of {length} bytes is over the {MAX_BODY} byte limit", 400)
    stream = environ.get("wsgi.input")
    if not length or stream is None:
        return b""
    body = stream.read(length)
    if len(body) != length:
        raise SLSError("PostBodyInvalid", "body is shorter than Content-Length", 400)
    return bytes(body)


def error_reply(status: int, code: str, message: str) -> Reply:
    """An SLS error answer: ``{"errorCode", "errorMessage"}`` (never an empty body)."""
    body = json.dumps({"errorCode": code, "errorMessage": message}).encode("utf-8")
    return Reply(status, body)


def render(reply: Reply) -> tuple[str, list[tuple[str, str]], str]:
    """Status line and headers of an answer, and the request id it carries.

    The one place that decides the headers of every answer, including those waitress writes
    itself (:mod:`aliyun.log.emulator.http.limits`). An answer without a body has no
    ``Content-Type``: some clients (the Node SDK) parse any answer labelled JSON and fail on an
    empty one after the server did the work.
    """
    request_id = os.urandom(12).hex().upper()
    headers = [
        ("Content-Length", str(len(reply.body))),
        ("Server", "sls-emulator"),
        ("Date", formatdate(usegmt=True)),
        ("x-log-requestid", request_id),
        ("x-log-time", str(int(time.time()))),
    ]
    if reply.body:
        headers.insert(0, ("Content-Type", reply.content_type))
    headers.extend(
        (name.lower() if name.lower().startswith("x-log-") else name, value) for name, value in reply.headers.items()
    )
    return f"{reply.status} {_STATUS_TEXT.get(reply.status, 'Error')}", headers, request_id
