"""Credential providers: where a :class:`~aliyun.log.LogClient` gets the keys it signs with.

``LogClient(endpoint, credentials_provider=provider)`` asks ``provider.get_credentials()`` on every
attempt, so a provider can rotate keys without the client noticing. Four providers:

* :class:`StaticCredentialsProvider` -- fixed keys;
* :class:`EnvironmentCredentialsProvider` -- ``ALIBABA_CLOUD_ACCESS_KEY_ID``,
  ``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` and the optional ``ALIBABA_CLOUD_SECURITY_TOKEN``;
* :class:`RefreshingCredentialsProvider` -- STS credentials from a function, renewed a margin
  before they expire, and once more when the service says ``SecurityTokenExpired``;
* your own subclass of :class:`CredentialsProvider`.

No secret or token appears in a ``repr``, a log line or an exception text.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from typing import Callable, Optional, Union

from .logexception import LogException

__all__ = [
    "Credentials",
    "CredentialsProvider",
    "EnvironmentCredentialsProvider",
    "RefreshingCredentialsProvider",
    "StaticCredentialsProvider",
]

logger = logging.getLogger(__name__)

ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"


class Credentials:
    """An AccessKey pair, an optional STS token and (for STS) when they expire.

    :param access_key_id: the AccessKeyId.
    :param access_key_secret: the AccessKeySecret (never shown by ``repr``).
    :param security_token: the STS token, or ``None``.
    :param expiration: Unix time after which the service rejects them; ``None`` for keys that do
        not expire (keyword only, an addition to the official class).
    """

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        security_token: Optional[str] = None,
        *,
        expiration: Optional[float] = None,
    ) -> None:
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token
        self.expiration = expiration

    def get_access_key_id(self) -> str:
        """The AccessKeyId."""
        return self.access_key_id

    def get_access_key_secret(self) -> str:
        """The AccessKeySecret."""
        return self.access_key_secret

    def get_security_token(self) -> Optional[str]:
        """The STS token, or ``None``."""
        return self.security_token

    def __repr__(self) -> str:
        token = "set" if self.security_token else "none"
        return f"Credentials(access_key_id={self.access_key_id!r}, secret=<hidden>, token=<{token}>)"


class CredentialsProvider:
    """What ``LogClient(credentials_provider=...)`` calls on every attempt; subclass and override."""

    def get_credentials(self) -> Optional[Credentials]:
        """The credentials to sign the next request with (the base class has none)."""
        return None


class StaticCredentialsProvider(CredentialsProvider):
    """Always the same credentials."""

    def __init__(self, access_key_id: str = "", access_key_secret: str = "", security_token: str = "") -> None:
        self.credentials = Credentials(access_key_id, access_key_secret, security_token)

    def get_credentials(self) -> Credentials:
        """The credentials given to the constructor."""
        return self.credentials

    def __repr__(self) -> str:
        return f"StaticCredentialsProvider({self.credentials!r})"


class EnvironmentCredentialsProvider(CredentialsProvider):
    """Credentials from the process environment, read on every call (so a rotation is picked up).

    :raises LogException: ``InvalidCredentials`` from :meth:`get_credentials` when the key id or the
        secret variable is unset or empty (the message names the variable, never a value).
    """

    def get_credentials(self) -> Credentials:
        """Read ``ALIBABA_CLOUD_ACCESS_KEY_ID``/``_SECRET`` and ``ALIBABA_CLOUD_SECURITY_TOKEN``."""
        key_id = os.environ.get(ENV_ACCESS_KEY_ID, "")
        secret = os.environ.get(ENV_ACCESS_KEY_SECRET, "")
        for name, value in ((ENV_ACCESS_KEY_ID, key_id), (ENV_ACCESS_KEY_SECRET, secret)):
            if not value:
                raise LogException("InvalidCredentials", f"environment variable {name} is not set")
        return Credentials(key_id, secret, os.environ.get(ENV_SECURITY_TOKEN) or None)

    def __repr__(self) -> str:
        return "EnvironmentCredentialsProvider()"


#: what a :class:`RefreshingCredentialsProvider` fetch function may return
FetchResult = Union[Credentials, Sequence[Union[str, float, None]]]


class RefreshingCredentialsProvider(CredentialsProvider):
    """Short-lived (STS) credentials, fetched by a function and renewed before they expire.

    Thread-safe: when the credentials are due, one thread fetches while the others wait for it; a
    fetch failure while the current credentials are still valid is logged (its type only) and the
    current ones are kept until they expire.

    :param fetch: returns a :class:`Credentials` with ``expiration`` set, or a tuple
        ``(access_key_id, access_key_secret, security_token, expiration)`` (Unix seconds;
        ``None`` means they never expire). Called at the first use, then when due.
    :param refresh_before: seconds before ``expiration`` at which to renew (default 300).
    :param clock: Unix time source (replaceable in tests).

    When the service rejects a call with ``SecurityTokenExpired`` (for instance because this
    machine's clock is late), pass :meth:`as_refresher` to ``LogClient.set_credentials_auto_refresher``:
    the client then asks this provider for new credentials and sends the call once more.
    """

    def __init__(
        self,
        fetch: Callable[[], FetchResult],
        *,
        refresh_before: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not callable(fetch):
            raise TypeError("fetch must be callable")
        self._fetch = fetch
        self._refresh_before = float(refresh_before)
        self._clock = clock
        self._lock = threading.Lock()
        self._current: Optional[Credentials] = None
        #: how many times the credentials were fetched
        self.fetch_count = 0

    def get_credentials(self) -> Credentials:
        """The current credentials, renewed first when they expire within ``refresh_before``."""
        current = self._current
        if current is not None and not self._due(current):
            return current
        with self._lock:
            current = self._current
            if current is not None and not self._due(current):
                return current
            try:
                return self._renew()
            except Exception as exc:
                if current is not None and not self._expired(current):
                    logger.warning(
                        "renewing credentials failed (%s); the current ones are still valid", type(exc).__name__
                    )
                    return current
                raise

    def refresh(self) -> Credentials:
        """Fetch new credentials now (after the service said the current ones expired)."""
        with self._lock:
            return self._renew()

    def as_refresher(self) -> Callable[[], tuple[str, str, Optional[str]]]:
        """A callable for ``LogClient.set_credentials_auto_refresher`` that forces a renewal."""

        def refresher() -> tuple[str, str, Optional[str]]:
            fresh = self.refresh()
            return fresh.access_key_id, fresh.access_key_secret, fresh.security_token

        return refresher

    def _due(self, creds: Credentials) -> bool:
        return creds.expiration is not None and self._clock() >= creds.expiration - self._refresh_before

    def _expired(self, creds: Credentials) -> bool:
        return creds.expiration is not None and self._clock() >= creds.expiration

    def _renew(self) -> Credentials:
        fresh = _as_credentials(self._fetch())
        self._current = fresh
        self.fetch_count += 1
        logger.info("credentials renewed (access key id %s)", fresh.access_key_id)
        return fresh

    def __repr__(self) -> str:
        return f"RefreshingCredentialsProvider(fetches={self.fetch_count})"


def _as_credentials(answer: FetchResult) -> Credentials:
    if isinstance(answer, Credentials):
        creds = answer
    else:
        values = tuple(answer)
        if len(values) < 2:
            raise LogException("InvalidCredentials", "fetch must return Credentials or (id, secret, token, expiration)")
        token = values[2] if len(values) > 2 else None
        expiration = values[3] if len(values) > 3 else None
        creds = Credentials(
            str(values[0] or ""),
            str(values[1] or ""),
            str(token) if token else None,
            expiration=float(expiration) if expiration is not None else None,
        )
    if not creds.access_key_id or not creds.access_key_secret:
        raise LogException("InvalidCredentials", "fetch returned credentials without an access key id or secret")
    return creds
