"""Pooled keep-alive HTTP(S) transport on urllib3, with proxy support."""

from __future__ import annotations

import os
import threading
import urllib.request
from typing import Any, Optional

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ProxyError,
)

from . import HttpRequest, HttpResponse, TransportError

__all__ = ["Urllib3Transport"]

# Failures that prove the request never left this machine: safe to retry any call.
_NOT_SENT = (ConnectTimeoutError, NewConnectionError, NameResolutionError, ProxyError)


class Urllib3Transport:
    """Sends requests over pooled keep-alive connections.

    :param proxy: ``http://host:port`` of an HTTP proxy for every request; ``None`` follows the
        ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY`` environment variables when
        ``trust_env`` is true (as ``requests`` does).
    :param pool_maxsize: connections kept per host (raise it for many threads).
    :param verify: check TLS certificates.
    :param ca_file: a PEM file of the certificate authorities to trust instead of the default ones.
    """

    def __init__(
        self,
        *,
        proxy: Optional[str] = None,
        trust_env: bool = True,
        pool_maxsize: int = 10,
        verify: bool = True,
        ca_file: Optional[str] = None,
    ) -> None:
        self._proxy = proxy
        self._trust_env = trust_env
        self._pool_kwargs: dict[str, Any] = {"maxsize": pool_maxsize, "retries": False}
        if not verify:
            self._pool_kwargs["cert_reqs"] = "CERT_NONE"
        elif ca_file:
            self._pool_kwargs.update(cert_reqs="CERT_REQUIRED", ca_certs=str(ca_file))
        self._managers: dict[Optional[str], urllib3.PoolManager] = {}
        self._lock = threading.Lock()

    def _proxy_for(self, scheme: str, host: str) -> Optional[str]:
        if self._proxy is not None:
            return self._proxy
        if not self._trust_env:
            return None
        proxies = urllib.request.getproxies_environment()
        url = proxies.get(scheme)
        if not url:
            return None
        if urllib.request.proxy_bypass_environment(host, proxies):  # type: ignore[attr-defined]
            return None
        return url

    def _manager(self, proxy: Optional[str]) -> urllib3.PoolManager:
        manager = self._managers.get(proxy)
        if manager is None:
            with self._lock:
                manager = self._managers.get(proxy)
                if manager is None:
                    if proxy is None:
                        manager = urllib3.PoolManager(**self._pool_kwargs)
                    else:
                        manager = urllib3.ProxyManager(proxy, **self._pool_kwargs)
                    self._managers[proxy] = manager
        return manager

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        default_port = 443 if request.scheme == "https" else 80
        netloc = request.host if request.port == default_port else f"{request.host}:{request.port}"
        if ":" in request.host and not request.host.startswith("["):
            netloc = f"[{request.host}]:{request.port}"
        url = f"{request.scheme}://{netloc}{request.target}"
        manager = self._manager(self._proxy_for(request.scheme, request.host))
        try:
            raw = manager.urlopen(
                request.method,
                url,
                body=request.body or None,
                headers=request.headers,
                timeout=urllib3.Timeout(connect=min(timeout, 30.0), read=timeout),
                redirect=False,
                retries=False,
                preload_content=True,
                decode_content=False,
                assert_same_host=False,
            )
        except _NOT_SENT as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", sent=False) from exc
        except HTTPError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", sent=True) from exc
        except OSError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", sent=True) from exc
        return HttpResponse(raw.status, dict(raw.headers.items()), raw.data or b"")

    def after_fork(self) -> None:
        """In a forked child: forget the parent's pools and lock without closing them (never waits)."""
        self._managers = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for manager in self._managers.values():
                manager.clear()
            self._managers.clear()


def default_pool_size() -> int:
    """Connections per host: enough for a thread pool of the default size."""
    return max(10, (os.cpu_count() or 1) * 4)
