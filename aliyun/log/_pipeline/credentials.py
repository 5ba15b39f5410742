"""The credentials of each attempt, and their refresh after an authentication error.

:class:`CredentialSource` is what the sender asks before signing every attempt: fixed keys, or a
``credentials_provider`` asked on every request. A refresher (``LogClient.set_credentials_auto_refresher``)
is a callable returning ``(access_key_id, access_key_secret, security_token)`` (the token may be
``None`` or ``""``), typically reading rotated STS credentials. When a call fails with an
:class:`~aliyun.log.logexception.AuthError` that new keys can fix (not ``RequestTimeExpired``),
the sender asks the refresher once and sends the call again; the new keys then replace the
client's keys and its provider.

Several threads may hit the same expired token at once; a generation counter makes only the first
of them call the refresher, the others simply retry with what it fetched.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Callable, Optional

from .._auth import Credentials
from ..errors import RequestTimeExpired, SecurityTokenExpired
from ..logexception import AuthError, LogException

__all__ = ["CredentialSource", "CredentialsRefresher", "Refresher", "credentials_from"]

logger = logging.getLogger(__name__)

#: what ``set_credentials_auto_refresher`` takes
Refresher = Callable[[], Sequence[Optional[str]]]


class CredentialsRefresher:
    """Holds a refresher and the generation of the credentials it produced."""

    def __init__(self, refresher: Refresher) -> None:
        if not callable(refresher):
            raise TypeError("the credentials refresher must be callable")
        self._refresher = refresher
        self._lock = threading.Lock()
        self.generation = 0

    @staticmethod
    def applies_to(error: LogException) -> bool:
        """Whether fresh credentials might make the failed call succeed (a clock skew cannot be fixed so)."""
        return isinstance(error, AuthError) and not isinstance(error, RequestTimeExpired)

    def refresh(self, seen_generation: int) -> Optional[Credentials]:
        """New credentials, or ``None`` when another thread already refreshed since ``seen_generation``
        (retry with the current ones then). Errors of the refresher propagate."""
        with self._lock:
            if self.generation != seen_generation:
                return None
            fresh = credentials_from(self._refresher())
            self.generation += 1
            logger.info("credentials refreshed after an authentication error (generation %d)", self.generation)
            return fresh


class CredentialSource:
    """The credentials the sender signs with, and the optional refresher that renews them.

    :param credentials: fixed keys (used when there is no provider).
    :param provider: an object with ``get_credentials()`` (the official ``credentials_provider``),
        asked on every attempt. If it also has ``refresh()`` (as
        :class:`aliyun.log.credentials.RefreshingCredentialsProvider` does), that is the refresher
        until one is set: after ``SecurityTokenExpired`` it renews the provider's own credentials,
        and the provider stays in charge (it goes on renewing before expiry).
    """

    def __init__(self, credentials: Credentials, provider: Optional[Any] = None) -> None:
        self._credentials = credentials
        self._provider = provider
        self.refresher: Optional[CredentialsRefresher] = None
        self._provider_refreshes = False
        refresh = getattr(provider, "refresh", None)
        if callable(refresh):
            self.refresher = CredentialsRefresher(lambda: _answer_of(refresh()))
            self._provider_refreshes = True

    def use_refresher(self, refresher: Optional[CredentialsRefresher]) -> None:
        """Renew with ``refresher`` after authentication errors (``LogClient.set_credentials_auto_refresher``)."""
        self.refresher = refresher
        self._provider_refreshes = False

    def current(self) -> Credentials:
        """The credentials to sign the next attempt with."""
        provider = self._provider
        if provider is None:
            return self._credentials
        creds = provider.get_credentials()
        return Credentials(creds.get_access_key_id(), creds.get_access_key_secret(), creds.get_security_token() or None)

    @property
    def generation(self) -> int:
        """The refresher's generation before a call (0 without refresher)."""
        refresher = self.refresher
        return 0 if refresher is None else refresher.generation

    def renew(self, error: LogException, seen_generation: int) -> bool:
        """Whether to send a call that failed with ``error`` once more with renewed credentials.

        Asks the refresher when the error is one new keys can fix (and no other thread did since
        ``seen_generation``). If the refresher fails, ``error`` is raised with its failure chained.
        """
        refresher = self.refresher
        if refresher is None or not refresher.applies_to(error):
            return False
        if self._provider_refreshes and not isinstance(error, SecurityTokenExpired):
            return False  # the provider renews ahead of expiry; only an expired token asks it early
        try:
            fresh = refresher.refresh(seen_generation)
        except Exception as refresh_error:
            logger.warning("the credentials refresher failed: %s", type(refresh_error).__name__)
            raise error from refresh_error
        if fresh is not None and not self._provider_refreshes:
            # a separate refresher's keys replace whatever signed before, the provider included
            self._credentials = fresh
            self._provider = None
        return True


def _answer_of(creds: Any) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """A provider's credentials object as a refresher's ``(id, secret, token)`` answer."""
    return creds.get_access_key_id(), creds.get_access_key_secret(), creds.get_security_token()


def credentials_from(answer: Sequence[Optional[str]]) -> Credentials:
    """The :class:`Credentials` in a refresher's answer ``(id, secret[, token])``.

    :raises LogException: ``InvalidCredentials`` when the id or the secret is missing.
    """
    values = tuple(answer)
    if len(values) < 2 or not values[0] or not values[1]:
        raise LogException(
            "InvalidCredentials",
            "the credentials refresher must return (access_key_id, access_key_secret[, security_token])",
        )
    token = values[2] if len(values) > 2 else None
    return Credentials(str(values[0]), str(values[1]), str(token) if token else None)
