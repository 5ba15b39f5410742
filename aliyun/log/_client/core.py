"""``ClientCore``: construction, settings and the request helpers every API family uses.

The public methods live in one small mixin per resource family (``projects.py``,
``logstores.py`` ...); :class:`aliyun.log.LogClient` combines them. Each method is an explicit,
typed one-liner over an entry of the operation table (:mod:`aliyun.log._ops`) through
:meth:`ClientCore._call`: the entry gives the method, the path template (labels validated), the
discriminating parameters and whether the call is idempotent; the one send path
(:class:`~aliyun.log._pipeline.sender.RequestSender`) does the rest.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Callable, Optional, TypeVar, Union

from .._auth import Credentials, make_signer
from .._ops import Operation, operation
from .._pipeline.credentials import CredentialSource, CredentialsRefresher, Refresher
from .._pipeline.endpoint import Endpoint, parse_endpoint
from .._pipeline.retry import RetryPolicy
from .._pipeline.sender import RequestSender
from .._transport import HttpResponse, Transport, after_fork
from .._transport.http import default_pool_size
from .._transport.requests_http import RequestsTransport
from ..errors import make_exception
from ..version import USER_AGENT

__all__ = ["ClientCore"]

T = TypeVar("T")
DEFAULT_TIMEOUT = 120.0


class ClientCore:
    """Shared state and helpers of :class:`~aliyun.log.LogClient` (see there for the parameters)."""

    #: the SLS API version sent as ``x-log-apiversion``
    Version = "0.6.0"

    def __init__(
        self,
        endpoint: str,
        accessKeyId: Optional[str] = None,
        accessKey: Optional[str] = None,
        securityToken: Optional[str] = None,
        source: Optional[str] = None,
        auth_version: str = "v1",
        region: str = "",
        credentials_provider: Optional[Any] = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: Optional[RetryPolicy] = None,
        proxy: Optional[str] = None,
        transport: Optional[Transport] = None,
        user_agent: Optional[str] = None,
        ca_file: Optional[str] = None,
    ) -> None:
        if credentials_provider is None and accessKeyId is None:
            raise ValueError("give accessKeyId and accessKey, or a credentials_provider")
        self._endpoint: Endpoint = parse_endpoint(endpoint)
        self._source = source
        self._source_lock = threading.Lock()
        self._user_agent = user_agent or USER_AGENT
        self._auth_version = auth_version
        self._sender = RequestSender(
            self._endpoint,
            CredentialSource(
                Credentials(accessKeyId or "", accessKey or "", securityToken or None), credentials_provider
            ),
            make_signer(auth_version, region),
            transport
            if transport is not None
            else RequestsTransport(proxy=proxy, pool_maxsize=default_pool_size(), ca_file=ca_file),
            retry if retry is not None else RetryPolicy(),
            timeout,
            lambda: self._user_agent,
        )

    # -- settings -----------------------------------------------------------------------------

    @property
    def timeout(self) -> float:
        """Seconds to wait for one answer (default 120)."""
        return self._sender.timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        self._sender.timeout = float(value)

    @property
    def retry_policy(self) -> RetryPolicy:
        """The :class:`~aliyun.log.RetryPolicy` in use (replace its fields to tune retries)."""
        return self._sender.retry

    @retry_policy.setter
    def retry_policy(self, policy: RetryPolicy) -> None:
        self._sender.retry = policy

    @property
    def endpoint(self) -> Endpoint:
        """The parsed endpoint."""
        return self._endpoint

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header sent with every call."""
        return self._user_agent

    def set_user_agent(self, user_agent: str) -> None:
        """Replace the ``User-Agent`` header.

        :type user_agent: string
        """
        self._user_agent = user_agent

    def set_credentials_auto_refresher(self, refresher: Optional[Refresher]) -> None:
        """Fetch new credentials when a call is rejected for its credentials, then send it once more.

        :param refresher: a callable returning ``(access_key_id, access_key_secret, security_token)``
            (the token may be ``None``), e.g. reading rotated STS credentials; ``None`` turns the
            refresh off. It is called on the first ``Unauthorized``, ``SignatureNotMatch``,
            ``InvalidAccessKeyId``, ``SecurityTokenExpired``... error (not ``RequestTimeExpired``),
            once for all threads failing at the same time; if it raises, the call fails with the
            original error. The new credentials replace the client's (and its credentials provider).
        """
        self._sender.credentials.use_refresher(None if refresher is None else CredentialsRefresher(refresher))

    def set_source(self, source: str) -> None:
        """Set the default ``__source__`` of written logs.

        :type source: string
        """
        self._source = source

    def close(self) -> None:
        """Close pooled connections (the client stays usable; connections reopen on demand)."""
        self._sender.transport.close()

    def after_fork(self) -> None:
        """Call in a child process after ``os.fork()``: the client then opens its own connections.

        Without it a child may write into connections it shares with its parent. The producer
        and the logging handlers call it for their clients by themselves.
        """
        after_fork(self._sender.transport)

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._endpoint.url()!r}, auth_version={self._auth_version!r})"

    def _default_source(self) -> str:
        """The client's own IP address, found once and lazily (never in the constructor)."""
        if self._source is None:
            with self._source_lock:
                if self._source is None:
                    self._source = _local_ip(self._endpoint)
        return self._source

    # -- request helpers ----------------------------------------------------------------------

    def _call(
        self,
        op: Operation,
        project: Optional[str],
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: bytes = b"",
        headers: Optional[Mapping[str, str]] = None,
        content_type: Optional[str] = None,
        **labels: object,
    ) -> HttpResponse:
        """Send one call of the operation table.

        :param labels: the values of the path template's labels (``logstore=``, ``shard=`` ...),
            validated before anything is sent (``BadParameters``).
        :param params: query parameters besides the operation's discriminating ones.
        """
        return self._sender.send(
            op,
            project,
            op.build_path(**labels),
            params=op.query(params),
            body=body,
            headers=headers,
            content_type=content_type,
        )

    def _call_json(
        self,
        op: Operation,
        project: Optional[str],
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        **labels: object,
    ) -> tuple[Any, dict[str, str]]:
        """:meth:`_call` with an optional JSON body, parsing the JSON answer (``{}`` when empty)."""
        payload = b"" if body is None else json.dumps(op.body(body)).encode("utf-8")
        response = self._call(
            op, project, params=params, body=payload, headers=headers, content_type="application/json", **labels
        )
        return parse_json(response), dict(response.headers)

    def _send(
        self,
        op: Union[str, Operation],
        project: Optional[str],
        resource: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: bytes = b"",
        headers: Optional[Mapping[str, str]] = None,
        content_type: Optional[str] = None,
    ) -> HttpResponse:
        """Send a request whose path and parameters the caller wrote (tests probing the wire).

        The SDK's own calls go through :meth:`_call`; this is the same send path without the
        operation table's path and parameters.
        """
        entry = operation(op) if isinstance(op, str) else op
        return self._sender.send(
            entry, project, resource, params=params, body=body, headers=headers, content_type=content_type
        )

    def _pages(
        self, fetch: Callable[[int, int], T], offset: int, size: int, count_of: Callable[[T], tuple[int, int]]
    ) -> Iterator[T]:
        """Fetch pages of at most 500 until ``size`` items (``-1``: all) have been read."""
        wanted = None if size < 0 else size
        while True:
            page_size = 500 if wanted is None else min(500, wanted)
            page = fetch(offset, page_size)
            yield page
            count, total = count_of(page)
            offset += count
            if wanted is not None:
                wanted -= count
            if count == 0 or offset >= total or (wanted is not None and wanted <= 0):
                return


def parse_json(response: HttpResponse) -> Any:
    """Parse a JSON answer; an empty body is ``{}``; anything else non-JSON is ``BadResponse``."""
    if not response.body:
        return {}
    try:
        return json.loads(response.body.decode("utf-8", errors="replace"))
    except ValueError as exc:
        raise make_exception(
            "BadResponse",
            f"Bad json format: {response.body[:300]!r}",
            response.header("x-log-requestid", "") or "",
            response.status,
            dict(response.headers),
            response.body,
            cause=exc,
        ) from exc


def _local_ip(endpoint: Endpoint) -> str:
    """The address this machine would use to reach the endpoint (a UDP connect sends nothing)."""
    try:
        family = socket.AF_INET6 if ":" in endpoint.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((endpoint.host, endpoint.port))
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
