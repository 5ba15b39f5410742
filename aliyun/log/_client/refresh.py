"""Credential refresh after an authentication error (``LogClient.set_credentials_auto_refresher``).

A refresher is a callable returning ``(access_key_id, access_key_secret, security_token)`` (the
token may be ``None`` or ``""``), typically reading rotated STS credentials. When a call fails with
an :class:`~aliyun.log.logexception.AuthError` (other than ``RequestTimeExpired``, which new keys
cannot fix), the client asks the refresher for fresh credentials and sends the call once more.

Several threads may hit the same expired token at once; a generation counter makes only the first
of them call the refresher, the others simply retry with what it fetched.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Callable, Optional

from .._auth import Credentials
from ..logexception import AuthError, LogException

__all__ = ["CredentialsRefresher", "Refresher", "credentials_from"]

logger = logging.getLogger(__name__)

#: what ``set_credentials_auto_refresher`` takes
Refresher = Callable[[], Sequence[Optional[str]]]

# Errors that fresh credentials cannot fix.
_NOT_CREDENTIAL_ERRORS = frozenset({"RequestTimeExpired"})


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
        """Whether fresh credentials might make the failed call succeed."""
        return isinstance(error, AuthError) and error.get_error_code() not in _NOT_CREDENTIAL_ERRORS

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
