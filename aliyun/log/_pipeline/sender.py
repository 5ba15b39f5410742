"""The send path of every call: headers, signing on each attempt, transport, error mapping, retry.

Compression happens before this (once, outside the retry loop); signing happens inside the loop
so every attempt carries a fresh date. Nothing here keeps per-request state on ``self``, so one
sender serves many threads.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Mapping
from typing import Any, Callable, Optional

from .._auth import Credentials, Signer
from .._ops import Operation
from .._transport import HttpRequest, HttpResponse, Transport, TransportError
from ..errors import make_exception
from ..logexception import LogException
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
        credentials: Callable[[], Credentials],
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

        :param resource: the path, unencoded (``/logstores/ls/shards/0``).
        :param params: query parameters; values are rendered with ``str()``, ``None`` dropped.
        :param headers: extra headers (``x-log-bodyrawsize``, ``x-log-compresstype``, ``Accept-Encoding`` ...).
        """
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
        attempt = 0
        while True:
            attempt += 1
            sent = True
            try:
                return self._attempt(op, project, resource, rendered, base, body, target)
            except LogException as error:
                sent = getattr(error, "_sent", True)
                delay = self.retry.backoff(attempt)
                if not (
                    self.retry.should_retry(error, idempotent=op.idempotent, sent=sent)
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
        self.signer.sign(op.method, resource, params, headers, body, self.credentials())
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
            error = make_exception("LogRequestError", str(exc), cause=exc)
            error._sent = exc.sent  # type: ignore[attr-defined]
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
    """Turn a non-200 answer into the matching exception (SLS-API §1.8)."""
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
