"""Parsing of the ``endpoint`` argument into where to connect and which ``Host`` to send."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Optional

__all__ = ["Endpoint", "parse_endpoint"]


@dataclass(frozen=True)
class Endpoint:
    """Where SLS is, as given by the user.

    ``raw`` endpoints (an IP address or ``localhost``, with or without a port) are contacted
    directly and the project travels only in the ``Host`` header; for DNS names the project is
    a sub-domain that is resolved and contacted (``<project>.<host>``).
    """

    scheme: str
    host: str
    port: int
    raw: bool

    def host_header(self, project: Optional[str]) -> str:
        """The ``Host`` header: ``<project>.<host>`` (without the port) or the bare host."""
        return f"{project}.{self.host}" if project else self.host

    def connect_host(self, project: Optional[str]) -> str:
        """The name or address to open a connection to."""
        if self.raw or not project:
            return self.host
        return f"{project}.{self.host}"

    def url(self) -> str:
        """``scheme://host:port`` for display."""
        return f"{self.scheme}://{self.host}:{self.port}"


def _is_raw(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def parse_endpoint(endpoint: str) -> Endpoint:
    """Parse ``host``, ``host:port``, ``http://host[:port][/...]`` or ``https://...``.

    No DNS lookup happens here (the constructor of ``LogClient`` does no I/O).
    """
    text = endpoint.strip()
    if not text:
        raise ValueError("endpoint must not be empty")
    scheme = "http"
    lowered = text.lower()
    if lowered.startswith("https://"):
        scheme, text = "https", text[8:]
    elif lowered.startswith("http://"):
        text = text[7:]
    text = text.split("/", 1)[0]
    port = 443 if scheme == "https" else 80
    host = text
    if text.startswith("["):  # [ipv6]:port
        close = text.find("]")
        host = text[1:close]
        rest = text[close + 1 :]
        if rest.startswith(":"):
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, port_text = text.split(":")
        if not port_text.isdigit():
            raise ValueError(f"invalid port in endpoint {endpoint!r}")
        port = int(port_text)
    if not host:
        raise ValueError(f"no host in endpoint {endpoint!r}")
    return Endpoint(scheme, host.lower(), port, _is_raw(host))
