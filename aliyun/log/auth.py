"""Request signers under the official SDK's names (``AuthV1``, ``AuthV4``, ``make_auth``).

Thin adapters over :mod:`aliyun.log._auth`: they take an official-style credentials provider
(``get_credentials()`` returning an object with ``get_access_key_id()``,
``get_access_key_secret()`` and ``get_security_token()``) and sign a headers dict in place, so
code that signs requests of its own with these classes keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional, Union

from ._auth import Credentials
from ._auth.signer import SignerV1, SignerV4

__all__ = ["AUTH_VERSION_1", "AUTH_VERSION_4", "AuthBase", "AuthV1", "AuthV4", "make_auth", "to_bytes"]

#: signature v1 (HMAC-SHA1), the default
AUTH_VERSION_1 = "v1"
#: signature v4 (SLS4-HMAC-SHA256, needs a region)
AUTH_VERSION_4 = "v4"


def to_bytes(data: Union[str, bytes, bytearray]) -> bytes:
    """``data`` as bytes (text is UTF-8 encoded)."""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    return str(data).encode("utf-8")


def _credentials(provider: Any) -> Credentials:
    creds = provider.get_credentials()
    return Credentials(
        creds.get_access_key_id() or "", creds.get_access_key_secret() or "", creds.get_security_token() or None
    )


def _params(params: Optional[Mapping[str, Any]]) -> dict[str, str]:
    return {str(key): "" if value is None else str(value) for key, value in (params or {}).items()}


class AuthBase:
    """A signer bound to a credentials provider (subclasses choose the signature version).

    :param credentials_provider: asked for credentials on every :meth:`sign_request`.
    """

    def __init__(self, credentials_provider: Any, signer: Optional[Union[SignerV1, SignerV4]] = None) -> None:
        self.credentials_provider = credentials_provider
        self._signer = signer if signer is not None else SignerV1()

    def sign_request(
        self,
        method: str,
        resource: str,
        params: Optional[Mapping[str, Any]],
        headers: dict[str, str],
        body: bytes,
        compute_content_hash: bool = True,
    ) -> None:
        """Add the authentication headers to ``headers`` (in place); ``resource`` is the
        unencoded path, ``params`` the query parameters."""
        self._signer.sign(
            method,
            resource,
            _params(params),
            headers,
            to_bytes(body or b""),
            _credentials(self.credentials_provider),
            compute_content_hash=compute_content_hash,
        )


class AuthV1(AuthBase):
    """Signature v1: adds ``Date``, ``Content-MD5`` (body only), ``x-log-signaturemethod``,
    ``Authorization`` and ``x-log-date`` (and ``x-acs-security-token`` with STS credentials)."""

    def __init__(self, credentials_provider: Any) -> None:
        super().__init__(credentials_provider, SignerV1())


class AuthV4(AuthBase):
    """Signature v4 scoped to ``region``: adds ``x-log-content-sha256``, ``x-log-date`` and
    ``Authorization`` (and ``x-acs-security-token`` with STS credentials)."""

    def __init__(self, credentials_provider: Any, region: str) -> None:
        super().__init__(credentials_provider, SignerV4(region))
        self._region = region


def make_auth(credentials_provider: Any, auth_version: str = AUTH_VERSION_1, region: str = "") -> AuthBase:
    """The signer for ``auth_version``: :class:`AuthV4` for ``"v4"``, :class:`AuthV1` otherwise."""
    if auth_version == AUTH_VERSION_4:
        return AuthV4(credentials_provider, region)
    return AuthV1(credentials_provider)
