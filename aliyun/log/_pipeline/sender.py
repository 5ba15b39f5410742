"""The send path of every call: headers, signing on each attempt, transport, error mapping, retry,
and the credential refresh after an authentication error.

:meth:`RequestSender.send` is the only method that sends. Compression happens before it (once,
outside the retry loop); signing happens inside the loop so every attempt carries a fresh date
and the current credentials. Nothing here keeps per-request state on ``self``, so one sender
serves many threads.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Mapping
from typing import Any, Callable, Optional

from .._auth import Signer
from .._ops import Operation, check_project
from .._transport import HttpRequest, HttpResponse, Transport, TransportError
from ..errors import make_exception
from ..logexception import LogException, LogRequestError
from .credentials import CredentialSource
from .endpoint import Endpoint
from .retry import RetryPolicy

__all__ = ["API_VERSION", "RequestSender", "encode_params"]

logger = logging.getLogger(__name__)

API_VERSION = "0.6.0"
_PATH_SAFE = "/-_.~!$&'()*+,;=:@"


def encode_params(params: Mapping[str, str]) -> str:
    """Form-encode query parameters the way the official client does (space → ``+``)."""
    return urllib.parse.urlencode(list(params.items()))


def render_param(value: Any) -> str:
    """Render a parameter value as the official client does: ``str()`` (``True``, ``12``)."""
    return value if isinstance(value, str) else str(value)


class RequestSender:
    """Sends one operation and returns the 200 answer or raises ``LogException``."""

    def __init__(
        self,
        endpoint: Endpoint,
        credentials: CredentialSource,
        signer: Signer,
        transport: Transport,
        retry: RetryPolicy,
        timeout: float,
        user_agent: Callable[[], str],
    ) -> None:
        self.endpoint = endpoint
        self.credentials = credentials
        self.signer = signer
        self.transport = transport
        self.retry = retry
        self.timeout = timeout
        self.user_agent = user_agent

    def send(
        self,
        op: Operation,
        project: Optional[str],
        resource: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: bytes = b"",
        headers: Optional[Mapping[str, str]] = None,
        content_type: Optional[str] = None,
    ) -> HttpResponse:
        """Send ``op`` and return its answer.

        :param project: the project host to address (``None`` for the service root); a call
            addressed to a project needs one, checked to be one DNS label before anything is sent.
        :param resource: the path, unencoded (``/logstores/ls/shards/0``); percent-encoded here.
        :param params: query parameters; values are rendered with ``str()``, ``None`` dropped.
        :param headers: extra headers (``x-log-bodyrawsize``, ``x-log-compresstype``, ``Accept-Encoding`` ...).
        :raises LogException: the error of the last attempt.
        """
        if op.project or project is not None:
            check_project(project)
        rendered = {k: render_param(v) for k, v in (params or {}).items() if v is not None}
        base: dict[str, str] = {
            "x-log-apiversion": API_VERSION,
            "Host": self.endpoint.host_header(project),
            "User-Agent": self.user_agent(),
        }
        if content_type:
            base["Content-Type"] = content_type
        if headers:
            base.update(headers)
        base.setdefault("x-log-bodyrawsize", str(len(body)))
        target = urllib.parse.quote(resource, safe=_PATH_SAFE)
        if rendered:
            target = f"{target}?{encode_params(rendered)}"
        started = self.retry.clock()
        generation = self.credentials.generation
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(op, project, resource, rendered, base, body, target)
            except LogException as error:
                # Fresh credentials, once per call and without counting as a retry: the attempt
                # was rejected for its keys, not for anything the service may retry.
                if not renewed and self.credentials.renew(error, generation):
                    renewed = True
                    attempt -= 1
                    continue
                delay = self.retry.backoff(attempt)
                if not (
                    self.retry.should_retry(error, idempotent=op.idempotent)
                    and self.retry.allows(attempt, started, delay)
                ):
                    raise
                logger.info(
                    "%s attempt %d failed with %s (request id %s); retrying in %.2fs",
                    op.name,
                    attempt,
                    error.get_error_code(),
                    error.get_request_id() or "-",
                    delay,
                )
                self.retry.sleep(delay)

    def _attempt(
        self,
        op: Operation,
        project: Optional[str],
        resource: str,
        params: Mapping[str, str],
        base_headers: Mapping[str, str],
        body: bytes,
        target: str,
    ) -> HttpResponse:
        headers = dict(base_headers)
        self.signer.sign(op.method, resource, params, headers, body, self.credentials.current())
        request = HttpRequest(
            op.method,
            self.endpoint.scheme,
            self.endpoint.connect_host(project),
            self.endpoint.port,
            target,
            headers,
            body,
        )
        began = time.perf_counter()
        try:
            response = self.transport.send(request, self.timeout)
        except TransportError as exc:
            error = LogRequestError("LogRequestError", str(exc), sent=exc.sent)
            logger.debug("%s %s: no answer (%s)", op.name, project or "-", exc)
            raise error from exc
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d in %.1f ms, request id %s",
                op.name,
                project or "-",
                response.status,
                (time.perf_counter() - began) * 1000,
                response.header("x-log-requestid", "-"),
            )
        if response.status == 200:
            return response
        raise error_from_response(response)


def error_from_response(response: HttpResponse) -> LogException:
    """Turn a non-200 answer into the matching exception (docs/protocol.md "Errors")."""
    request_id = response.header("x-log-requestid", "") or ""
    text = response.body.decode("utf-8", errors="replace")
    headers = dict(response.headers)
    if not response.body:
        return make_exception(
            "LogRequestError",
            f"Request is failed, got an empty answer with status code {response.status}.",
            request_id,
            response.status,
            headers,
            text,
        )
    try:
        payload = json.loads(text)
    except ValueError:
        return make_exception(
            "BadResponse",
            f"Bad json format (status {response.status}): {text[:500]}",
            request_id,
            response.status,
            headers,
            text,
        )
    if isinstance(payload, dict) and "errorCode" in payload and "errorMessage" in payload:
        return make_exception(
            str(payload["errorCode"]),
            str(payload["errorMessage"]),
            request_id,
            response.status,
            headers,
            text,
        )
    return make_exception(
        "LogRequestError",
        f"Request is failed. Http code is {response.status}, body: {text[:500]}",
        request_id,
        response.status,
        headers,
        text,
    )
