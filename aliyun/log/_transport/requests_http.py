"""Pooled keep-alive HTTP(S) transport on ``requests`` (the default).

Going through a :class:`requests.Session` is what makes test-suite mocks work: ``responses``
patches ``HTTPAdapter.send`` and ``requests-mock`` replaces the session's adapter, so code that
mocks the official SDK's HTTP intercepts this SDK's calls the same way. The URL is the one the
official SDK uses (``http://<project>.<endpoint>/logstores/...`` for a DNS endpoint).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Optional, Union

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from . import HttpRequest, HttpResponse, TransportError

__all__ = ["RequestsTransport"]

# Exceptions (or their urllib3 causes) that prove the request never left this machine.
_NOT_SENT_NAMES = frozenset({"ConnectTimeoutError", "NewConnectionError", "NameResolutionError", "ProxyError"})
# What requests reads from the environment to choose proxies and CA bundles: the settings are
# recomputed whenever one of these changes, and cached otherwise (the lookup is a third of the
# transport's own time on a small call).
_ENV_NAMES = (
    *(name for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy") for name in (base, base.upper())),
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)
_CACHE_LIMIT = 256


def _never_sent(exc: BaseException) -> bool:
    """True when ``exc`` (a requests exception) certainly failed before the request was sent."""
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError)):
        return True
    # requests wraps urllib3's MaxRetryError whose ``reason`` tells connect failures apart.
    for arg in getattr(exc, "args", ()):
        reason = getattr(arg, "reason", arg)
        if type(reason).__name__ in _NOT_SENT_NAMES:
            return True
    return False


def _read_body(response: requests.Response) -> bytes:
    """The whole body, read with one call where the response streams from urllib3.

    ``response.content`` reads in 10 KiB chunks, one trip through the interpreter each; a single
    ``read()`` takes whatever the socket holds per system call (large PullLogs answers arrive in a
    few reads instead of dozens, and another thread waiting for the interpreter lock is not
    handed it back and forth for every chunk). Anything else (a mock's or a custom adapter's
    response) is read the ordinary way.
    """
    stream = response.raw
    state = vars(response)  # requests' own read markers, private and not in its type stubs
    if not isinstance(stream, urllib3.response.HTTPResponse) or state.get("_content_consumed"):
        return response.content or b""
    body = stream.read(decode_content=True)
    stream.release_conn()
    state["_content"] = body
    state["_content_consumed"] = True
    return body or b""


class RequestsTransport:
    """Sends requests through one :class:`requests.Session` with pooled connections.

    :param proxy: ``http://host:port`` of an HTTP proxy for every request; ``None`` follows the
        ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY`` environment variables when
        ``trust_env`` is true.
    :param pool_maxsize: connections kept per host (raise it for many threads).
    :param verify: check TLS certificates.
    :param ca_file: keyword-only; a PEM file of the certificate authorities to trust instead of
        the default bundle (a test server's own CA, e.g. the emulator's ``ca_file``).
    :param session: an existing session to send through (its adapters and hooks are kept; the
        transport mounts no adapter on it).
    """

    def __init__(
        self,
        *,
        proxy: Optional[str] = None,
        trust_env: bool = True,
        pool_maxsize: int = 10,
        verify: bool = True,
        session: Optional[requests.Session] = None,
        ca_file: Optional[str] = None,
    ) -> None:
        self._own_session = session is None
        self._pool_maxsize = pool_maxsize
        if session is None:
            session = requests.Session()
            self._mount_pools(session)
        session.trust_env = trust_env
        self._session = session
        self._proxies = {"http": proxy, "https": proxy} if proxy else {}
        # requests takes a CA bundle path where it takes the verify flag.
        self._verify: Union[bool, str] = str(ca_file) if (verify and ca_file) else verify
        self._lock = threading.Lock()
        self._settings: dict[tuple[str, str, tuple[Optional[str], ...]], dict[str, Any]] = {}

    def _mount_pools(self, session: requests.Session) -> None:
        # max_retries=0: the pipeline above owns retries and knows what is safe to resend.
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self._pool_maxsize, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)

    @property
    def session(self) -> requests.Session:
        """The session requests go through."""
        return self._session

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        default_port = 443 if request.scheme == "https" else 80
        host = request.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        netloc = host if request.port == default_port else f"{host}:{request.port}"
        url = f"{request.scheme}://{netloc}{request.target}"
        prepared = requests.PreparedRequest()
        prepared.method = request.method
        # Set the URL as built: the target is already percent-encoded and signed over.
        prepared.url = url
        prepared.headers = CaseInsensitiveDict(request.headers)
        prepared.prepare_body(request.body or None, None)
        if request.body:
            prepared.headers["Content-Length"] = str(len(request.body))
        elif request.method in ("POST", "PUT", "PATCH"):
            prepared.headers["Content-Length"] = "0"
        settings = self._environment_settings(request.scheme, netloc, url)
        try:
            raw = self._session.send(
                prepared,
                timeout=(min(timeout, 30.0), timeout),
                allow_redirects=False,
                proxies=settings["proxies"],
                verify=settings["verify"],
                cert=settings["cert"],
                stream=True,
            )
        except requests.exceptions.RequestException as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", sent=not _never_sent(exc)) from exc
        except OSError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", sent=True) from exc
        try:
            body = _read_body(raw)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raw.close()
            raise TransportError(f"{type(exc).__name__}: {exc}", sent=True) from exc
        return HttpResponse(raw.status_code, dict(raw.headers.items()), body)

    def _environment_settings(self, scheme: str, netloc: str, url: str) -> dict[str, Any]:
        """Proxies, verify and cert for ``url`` as ``requests`` would choose them, cached."""
        environ = os.environ
        key = (scheme, netloc, tuple(environ.get(name) for name in _ENV_NAMES) if self._session.trust_env else ())
        settings = self._settings.get(key)
        if settings is None:
            merged: Any = self._session.merge_environment_settings(url, dict(self._proxies), False, self._verify, None)
            settings = dict(merged)
            if len(self._settings) >= _CACHE_LIMIT:
                self._settings.clear()
            self._settings[key] = settings
        return settings

    def after_fork(self) -> None:
        """In a forked child: new pools and lock, without touching the parent's (never waits).

        A session given by the caller (a test's mock, say) is left as it is.
        """
        self._lock = threading.Lock()
        if self._own_session:
            self._mount_pools(self._session)

    def close(self) -> None:
        """Close pooled connections; the session reopens them on demand."""
        with self._lock:
            for adapter in self._session.adapters.values():
                adapter.close()
