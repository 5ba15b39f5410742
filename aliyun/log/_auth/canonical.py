"""Canonical strings of SLS signature v1 and v4: the one implementation shared by signing and verifying.

Every function here is pure (no clock, no I/O) and works on already-decoded values: the client
passes what it is about to send, the server passes what it received after percent-decoding. That is
what makes a request signed by :mod:`aliyun.log._auth.signer` verify in :mod:`aliyun.log._auth.verify`.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import hashlib
import hmac
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Callable, Optional

#: Authorization prefixes, including the separating space.
V1_PREFIX = "LOG "
V4_ALGORITHM = "SLS4-HMAC-SHA256"
V4_PREFIX = V4_ALGORITHM + " "
V4_SERVICE = "sls"
V4_TERMINATOR = "aliyun_v4_request"

#: SHA-256 of the empty string: the v4 payload hash of a request without a body.
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

_UTC = datetime.timezone.utc


# --------------------------------------------------------------------------------------------- time


def to_utc(now: Optional[datetime.datetime]) -> datetime.datetime:
    """Normalise ``now`` to an aware UTC datetime without microseconds.

    :param now: ``None`` (use the wall clock), a naive datetime (taken as UTC) or an aware one.
    """
    if now is None:
        now = datetime.datetime.now(_UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=_UTC)
    else:
        now = now.astimezone(_UTC)
    return now.replace(microsecond=0)


def format_rfc1123(now: datetime.datetime) -> str:
    """``Mon, 06 Jan 2025 08:00:00 GMT`` for an aware UTC datetime.

    :func:`email.utils.format_datetime` carries its own English day and month names, so the result
    does not depend on the process locale (``strftime('%a')`` would).
    """
    return email.utils.format_datetime(now, usegmt=True)


def parse_rfc1123(value: str) -> datetime.datetime:
    """Parse an HTTP date (RFC 1123 and the other forms RFC 7231 allows) into an aware UTC datetime.

    :raises ValueError: the value is not a date.
    """
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"not an HTTP date: {value!r}") from exc
    if parsed is None:  # pragma: no cover - older Pythons returned None instead of raising
        raise ValueError(f"not an HTTP date: {value!r}")
    return to_utc(parsed)


def format_v4_date(now: datetime.datetime) -> str:
    """The compact ISO form used by ``x-log-date`` in v4: ``20250106T080000Z``."""
    return now.strftime("%Y%m%dT%H%M%SZ")


def parse_v4_date(value: str) -> datetime.datetime:
    """Parse ``YYYYMMDDTHHMMSSZ`` into an aware UTC datetime.

    :raises ValueError: the value does not have exactly that shape.
    """
    # strptime alone accepts single-digit fields ("2025116T..."); insist on the fixed width.
    if len(value) != 16:
        raise ValueError(f"not a compact ISO date: {value!r}")
    return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=_UTC)


# ------------------------------------------------------------------------------------------ headers


def header_value(headers: Mapping[str, str], name: str) -> Optional[str]:
    """Case-insensitive header lookup; ``name`` must be given in lowercase.

    Tries the exact spellings callers normally use before scanning, because this sits on the
    signing path of every request.
    """
    for candidate in (name, name.title()):
        value = headers.get(candidate)
        if value is not None:
            return value
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def set_header(headers: dict[str, str], name: str, value: str) -> None:
    """Set ``name`` and drop any other spelling of it, so a re-signed dict never holds two copies."""
    remove_header(headers, name)
    headers[name] = value


def remove_header(headers: dict[str, str], name: str) -> None:
    """Remove every spelling of header ``name``."""
    lowered = name.lower()
    for key in [k for k in headers if k.lower() == lowered]:
        del headers[key]


def _is_v1_canonical(lname: str) -> bool:
    # x-log-date is a copy of Date added after signing; x-log-meta-* is user metadata: neither is signed.
    if lname.startswith("x-log-"):
        return lname != "x-log-date" and not lname.startswith("x-log-meta-")
    return lname.startswith("x-acs-")


def _is_v4_signed(lname: str) -> bool:
    if lname.startswith("x-log-"):
        return not lname.startswith("x-log-meta-")
    return lname.startswith("x-acs-") or lname == "content-type" or lname == "host"


def _selected(headers: Mapping[str, str], keep: Callable[[str], bool]) -> list[tuple[str, str]]:
    # Names are lowercased and values trimmed: that is what the server sees after HTTP parsing,
    # so both sides agree even if a caller used odd casing or padded a value.
    items = [(k.lower(), v.strip()) for k, v in headers.items() if keep(k.lower())]
    items.sort()
    return items


# ------------------------------------------------------------------------------------------ v1 text


def v1_canonical_resource(path: str, params: Iterable[tuple[str, str]]) -> str:
    """``/path?k1=v1&k2=v2`` with parameters sorted by key, values raw (not percent-encoded).

    Empty values still yield ``key=``; without parameters the bare path is returned.
    """
    pairs = sorted(params, key=lambda kv: kv[0])
    if not pairs:
        return path
    return path + "?" + "&".join(f"{k}={v}" for k, v in pairs)


def v1_string_to_sign(
    method: str,
    path: str,
    params: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    content_md5: str,
    content_type: str,
    date: str,
) -> str:
    """The v1 string to sign (HMAC-SHA1 input).

    :param headers: all request headers; the ``x-log-*`` / ``x-acs-*`` ones are picked here.
    :param content_md5: the ``Content-MD5`` value ('' when absent).
    :param content_type: the ``Content-Type`` value ('' when absent).
    :param date: the value of the DATE line.
    """
    # Trimmed like the canonical headers: a receiving HTTP server strips surrounding whitespace.
    lines = [method.upper(), content_md5.strip(), content_type.strip(), date.strip()]
    lines.extend(f"{k}:{v}" for k, v in _selected(headers, _is_v1_canonical))
    lines.append(v1_canonical_resource(path, params))
    return "\n".join(lines)


#: ``x-log-signaturemethod`` value -> hash of the v1 HMAC. This SDK and the official Python one
#: send ``hmac-sha1``; the generated OpenAPI SDKs send ``hmac-sha256``.
V1_SIGNATURE_METHODS = {"hmac-sha1": hashlib.sha1, "hmac-sha256": hashlib.sha256}
V1_DEFAULT_METHOD = "hmac-sha1"


def v1_signature(secret: str, string_to_sign: str, method: str = V1_DEFAULT_METHOD) -> str:
    """Base64(HMAC(secret, string_to_sign)) with the hash ``method`` names (HMAC-SHA1 by default).

    :raises KeyError: ``method`` is not one of :data:`V1_SIGNATURE_METHODS`.
    """
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), V1_SIGNATURE_METHODS[method]).digest()
    return base64.b64encode(digest).decode("ascii")


def content_md5(body: bytes) -> str:
    """Uppercase hex MD5 of the body, the form SLS uses for ``Content-MD5``."""
    return hashlib.md5(body).hexdigest().upper()


# ------------------------------------------------------------------------------------------ v4 text


def v4_encode(value: str) -> str:
    """Percent-encode UTF-8, keeping only ``A-Z a-z 0-9 - _ . ~`` (space becomes ``%20``)."""
    return urllib.parse.quote(value, safe="")


def v4_canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Parameters sorted by raw key; ``key=encoded`` or just ``key`` when the value is empty.

    Keys are not encoded: that is how the official clients build it.
    """
    parts = []
    for key, value in sorted(params, key=lambda kv: kv[0]):
        encoded = v4_encode(value)
        parts.append(f"{key}={encoded}" if encoded else key)
    return "&".join(parts)


def v4_canonical_request(
    method: str,
    path: str,
    params: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    payload_hash: str,
) -> str:
    """The v4 canonical request; signed headers are derived from ``headers`` (none are declared).

    :param headers: all request headers; content-type, host, ``x-acs-*`` and ``x-log-*`` (but not
        ``x-log-meta-*``) are signed.
    :param payload_hash: lowercase hex SHA-256 of the body as sent.
    """
    signed = _selected(headers, _is_v4_signed)
    canonical_headers = "".join(f"{k}:{v}\n" for k, v in signed)
    signed_names = ";".join(k for k, _ in signed)
    return "\n".join((method.upper(), path, v4_canonical_query(params), canonical_headers, signed_names, payload_hash))


def v4_scope(date: str, region: str) -> str:
    """``yyyymmdd/region/sls/aliyun_v4_request``."""
    return f"{date}/{region}/{V4_SERVICE}/{V4_TERMINATOR}"


def v4_string_to_sign(x_log_date: str, scope: str, canonical_request: str) -> str:
    """``SLS4-HMAC-SHA256\\n<x-log-date>\\n<scope>\\n<hex sha256 of canonical request>``."""
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{V4_ALGORITHM}\n{x_log_date}\n{scope}\n{digest}"


def v4_signature(secret: str, date: str, region: str, string_to_sign: str) -> str:
    """Lowercase hex HMAC-SHA256 with the key derived from secret, day, region and service."""
    key = ("aliyun_v4" + secret).encode("utf-8")
    for part in (date, region, V4_SERVICE, V4_TERMINATOR):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def v4_authorization(access_key_id: str, scope: str, signature: str) -> str:
    """The v4 ``Authorization`` value (no SignedHeaders element, comma without space)."""
    return f"{V4_PREFIX}Credential={access_key_id}/{scope},Signature={signature}"
