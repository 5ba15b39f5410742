"""Sans-IO request signers: they only add headers to a dict, so every retry can simply re-sign.

Two versions exist on the wire:

* v1 (``LOG <ak>:<b64 HMAC-SHA1>``), the default of the official client;
* v4 (``SLS4-HMAC-SHA256 Credential=...,Signature=...``), selected with ``auth_version='v4'`` and a region.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import Optional, Protocol

from aliyun.log._auth import canonical as c
from aliyun.log._auth.credentials import Credentials

__all__ = ["Signer", "SignerV1", "SignerV4", "make_signer"]


class Signer(Protocol):
    """Adds the authentication headers of one signature version to a request about to be sent."""

    def sign(
        self,
        method: str,
        resource: str,
        params: Mapping[str, str],
        headers: dict[str, str],
        body: bytes,
        credentials: Credentials,
        now: Optional[datetime.datetime] = None,
    ) -> None:
        """Mutate ``headers`` in place.

        :param method: HTTP verb.
        :param resource: the unencoded path, e.g. ``/logstores/ls/shards/0``.
        :param params: query parameters, values already rendered as the wire shows them
            (``True``/``False``, decimal ints); signing sorts them itself.
        :param headers: the request headers; the signer adds what its version needs.
        :param body: the body exactly as sent (after compression), ``b""`` for none.
        :param credentials: the key pair (and STS token) to sign with.
        :param now: freeze the clock (naive = UTC); ``None`` uses the wall clock.
        """
        ...


class SignerV1:
    """HMAC-SHA1 signing (``Authorization: LOG <AccessKeyId>:<Signature>``).

    Adds ``Content-MD5`` (non-empty body only), ``Date``, ``x-log-signaturemethod``, the STS token
    header if any, ``Authorization`` and, after signing, ``x-log-date`` (a copy of ``Date``).
    With an empty AccessKeySecret nothing is signed: ``Authorization`` and ``x-log-date`` are left
    out, as the official client does for anonymous access.
    """

    def sign(
        self,
        method: str,
        resource: str,
        params: Mapping[str, str],
        headers: dict[str, str],
        body: bytes,
        credentials: Credentials,
        now: Optional[datetime.datetime] = None,
        *,
        compute_content_hash: bool = True,
    ) -> None:
        """Sign per signature v1; see :meth:`Signer.sign`.

        :param compute_content_hash: ``False`` leaves ``Content-MD5`` alone (used by object
            uploads, which the official client sends without it).
        """
        if body and compute_content_hash:
            c.set_header(headers, "Content-MD5", c.content_md5(body))
        date = c.format_rfc1123(c.to_utc(now))
        c.set_header(headers, "Date", date)
        c.set_header(headers, "x-log-signaturemethod", "hmac-sha1")
        if credentials.security_token:
            c.set_header(headers, "x-acs-security-token", credentials.security_token)
        # A dict being re-signed for a retry may still carry the previous attempt's values.
        c.remove_header(headers, "x-log-date")
        c.remove_header(headers, "Authorization")
        if not credentials.access_key_secret:
            return
        string_to_sign = c.v1_string_to_sign(
            method,
            resource,
            params.items(),
            headers,
            content_md5=c.header_value(headers, "content-md5") or "",
            content_type=c.header_value(headers, "content-type") or "",
            date=date,
        )
        signature = c.v1_signature(credentials.access_key_secret, string_to_sign)
        headers["Authorization"] = f"{c.V1_PREFIX}{credentials.access_key_id}:{signature}"
        # Added after signing on purpose: x-log-date is never part of the v1 canonical headers.
        headers["x-log-date"] = date


class SignerV4:
    """HMAC-SHA256 signing (``SLS4-HMAC-SHA256``) scoped to one region.

    Adds the STS token header if any, ``x-log-content-sha256``, ``x-log-date`` (compact ISO) and
    ``Authorization``; never ``Date``, ``Content-MD5`` or ``x-log-signaturemethod``. Signs even
    with an empty secret (the official client does too).
    """

    def __init__(self, region: str) -> None:
        """:param region: the region id put into the credential scope, e.g. ``cn-hangzhou``."""
        self.region = region

    def sign(
        self,
        method: str,
        resource: str,
        params: Mapping[str, str],
        headers: dict[str, str],
        body: bytes,
        credentials: Credentials,
        now: Optional[datetime.datetime] = None,
        *,
        compute_content_hash: bool = True,
    ) -> None:
        """Sign per signature v4; see :meth:`Signer.sign`.

        :param compute_content_hash: ``False`` signs the hash of the empty string instead of the
            body's, matching the official client's object uploads.
        """
        if credentials.security_token:
            c.set_header(headers, "x-acs-security-token", credentials.security_token)
        payload_hash = hashlib.sha256(body).hexdigest() if body and compute_content_hash else c.EMPTY_SHA256
        c.set_header(headers, "x-log-content-sha256", payload_hash)
        x_log_date = c.format_v4_date(c.to_utc(now))
        c.set_header(headers, "x-log-date", x_log_date)
        c.remove_header(headers, "Authorization")
        scope = c.v4_scope(x_log_date[:8], self.region)
        canonical_request = c.v4_canonical_request(method, resource, params.items(), headers, payload_hash)
        string_to_sign = c.v4_string_to_sign(x_log_date, scope, canonical_request)
        signature = c.v4_signature(credentials.access_key_secret, x_log_date[:8], self.region, string_to_sign)
        headers["Authorization"] = c.v4_authorization(credentials.access_key_id, scope, signature)


def make_signer(auth_version: str, region: str) -> Signer:
    """Return the signer for ``auth_version`` (``'v1'`` or ``'v4'``, case-insensitive).

    An empty or ``None`` version means v1, as in the official SDK: the ``aliyunlog`` CLI passes
    ``auth_version=''`` when no ``--sign-version`` is configured.

    :param region: used by v4 only (ignored for v1).
    :raises ValueError: any other version.
    """
    version = (auth_version or "").strip().lower()
    if version in ("", "v1"):
        return SignerV1()
    if version == "v4":
        return SignerV4(region)
    raise ValueError(f"unsupported auth_version {auth_version!r}: expected 'v1' or 'v4'")
