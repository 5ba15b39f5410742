"""Transports: ``send(request, timeout) -> response``, and nothing else.

The pipeline above builds a complete :class:`HttpRequest` (signed, headers final) and a transport
only moves bytes. The default is pooled keep-alive HTTP through a ``requests`` session
(:mod:`.requests_http`, which ``responses`` and ``requests-mock`` intercept); :mod:`.http` is the
same over bare urllib3, a little faster per call; :mod:`.wsgi` calls a WSGI application
in-process (the emulator, in tests), and tests may pass any object with ``send``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional, Protocol

__all__ = ["HttpRequest", "HttpResponse", "Transport", "TransportError", "after_fork"]


@dataclass
class HttpRequest:
    """A request ready for the wire.

    :param scheme: ``http`` or ``https``.
    :param host: where to connect (may differ from the ``Host`` header, e.g. a raw IP).
    :param port: TCP port.
    :param target: path and encoded query string (``/logstores?offset=0``).
    """

    method: str
    scheme: str
    host: str
    port: int
    target: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class HttpResponse:
    """An HTTP answer; ``headers`` keep the server's spelling, :meth:`header` looks up any case."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    _lower: dict[str, str] = field(default_factory=dict, repr=False)

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """Case-insensitive header lookup."""
        if not self._lower:
            self._lower = {k.lower(): v for k, v in self.headers.items()}
        return self._lower.get(name.lower(), default)


class TransportError(Exception):
    """The request got no HTTP answer.

    :param sent: ``False`` when the failure certainly happened before the request reached the
        server (connection refused, DNS failure, connect timeout): such a request is always safe
        to retry. ``True`` when the server may have received it (read timeout, reset).
    """

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


class Transport(Protocol):
    """What the pipeline needs from a transport."""

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Send one request; raise :class:`TransportError` when no answer arrives."""
        ...

    def close(self) -> None:
        """Release pooled connections."""
        ...


def after_fork(transport: object) -> None:
    """Make ``transport`` open its own connections in a forked child.

    Transports with pooled sockets define ``after_fork()``: it forgets the parent's pools and
    locks without closing or taking them (a parent thread may have held a lock at the fork, and
    closing would wait on it forever; the inherited sockets close with their last reference, which
    closes only this process's copies). Transports without it hold nothing to inherit.
    """
    hook = getattr(transport, "after_fork", None)
    if callable(hook):
        hook()
