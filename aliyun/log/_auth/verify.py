"""Server-side signature verification (used by the emulator), built on the signers' canonical strings.

The version is detected from the ``Authorization`` prefix. Failures raise :class:`AuthFailure`
carrying the SLS error code and HTTP status the real service uses; messages never contain the
secret or the expected signature.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Callable, Optional

from aliyun.log._auth import canonical as c

__all__ = ["AuthFailure", "verify_request"]

DEFAULT_MAX_SKEW = datetime.timedelta(minutes=15)


class AuthFailure(Exception):
    """A rejected request: SLS ``code``, human ``message`` and HTTP ``status``."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def verify_request(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    lookup_secret: Callable[[str], Optional[str]],
    now: Optional[datetime.datetime] = None,
    max_skew: datetime.timedelta = DEFAULT_MAX_SKEW,
) -> str:
    """Check a received request's signature (v1 or v4) and clock skew.

    :param method: HTTP verb.
    :param path: the percent-decoded request path.
    :param query: percent-decoded ``(key, value)`` pairs (``+`` already turned into space).
    :param headers: received headers, any casing.
    :param body: the body as received (still compressed).
    :param lookup_secret: AccessKeyId -> AccessKeySecret, or ``None`` for an unknown key.
    :param now: the server clock (naive = UTC); ``None`` uses the wall clock.
    :param max_skew: largest accepted distance between the request date and ``now``.
    :return: the AccessKeyId that signed the request.
    :raises AuthFailure: ``Unauthorized`` (401) for a missing/malformed Authorization, an unknown
        key or an unknown v1 ``x-log-signaturemethod``, ``MissingDate``/``InvalidDateFormat``
        (400), ``RequestTimeExpired`` (400) for clock skew, ``SignatureNotMatch`` (401) for a wrong
        signature, a body that does not match its hash, or a v4 scope of another day than
        ``x-log-date``.

    v1 signatures use the HMAC that ``x-log-signaturemethod`` names (``hmac-sha1`` when absent,
    or ``hmac-sha256``).
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    authorization = (lowered.get("authorization") or "").strip()
    if not authorization:
        raise AuthFailure("Unauthorized", "missing Authorization header", 401)
    server_now = c.to_utc(now)
    if authorization.startswith(c.V1_PREFIX):
        return _verify_v1(method, path, query, lowered, body, authorization, lookup_secret, server_now, max_skew)
    if authorization.startswith(c.V4_PREFIX):
        return _verify_v4(method, path, query, lowered, body, authorization, lookup_secret, server_now, max_skew)
    raise AuthFailure("Unauthorized", "unsupported Authorization scheme", 401)


def _check_skew(when: datetime.datetime, now: datetime.datetime, max_skew: datetime.timedelta) -> None:
    if abs(now - when) > max_skew:
        raise AuthFailure(
            "RequestTimeExpired",
            f"request time {when:%Y-%m-%dT%H:%M:%SZ} is too far from server time {now:%Y-%m-%dT%H:%M:%SZ}",
            400,
        )


def _secret_for(access_key_id: str, lookup_secret: Callable[[str], Optional[str]]) -> str:
    secret = lookup_secret(access_key_id)
    if secret is None:
        raise AuthFailure("Unauthorized", f"AccessKeyId not found: {access_key_id}", 401)
    return secret


def _mismatch() -> AuthFailure:
    # The message never repeats the client's signature: answers end up in logs and tickets, and
    # a signature there is a replayable credential for as long as its date is fresh.
    return AuthFailure(
        "SignatureNotMatch", "the request signature does not match the signature the server computed", 401
    )


def _same(given: str, expected: str) -> bool:
    # compare_digest on str only accepts ASCII; bytes keep arbitrary client input safe.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _verify_v1(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    authorization: str,
    lookup_secret: Callable[[str], Optional[str]],
    now: datetime.datetime,
    max_skew: datetime.timedelta,
) -> str:
    access_key_id, sep, signature = authorization[len(c.V1_PREFIX) :].strip().rpartition(":")
    if not sep or not access_key_id or not signature:
        raise AuthFailure("Unauthorized", "malformed Authorization header", 401)

    # The docs let x-log-date replace Date on the DATE line; clients that send both send them
    # identical, and older ones send Date only. Try each distinct value the client offered.
    dates = [d.strip() for d in (headers.get("x-log-date"), headers.get("date")) if d and d.strip()]
    if not dates:
        raise AuthFailure("MissingDate", "the Date header is required", 400)
    try:
        when = c.parse_rfc1123(dates[0])
    except ValueError:
        raise AuthFailure("InvalidDateFormat", f"cannot parse date {dates[0]!r}", 400) from None
    _check_skew(when, now, max_skew)
    secret = _secret_for(access_key_id, lookup_secret)

    method_name = (headers.get("x-log-signaturemethod") or c.V1_DEFAULT_METHOD).strip().lower()
    if method_name not in c.V1_SIGNATURE_METHODS:
        raise AuthFailure("Unauthorized", f"unsupported x-log-signaturemethod {method_name[:32]!r}", 401)

    md5 = (headers.get("content-md5") or "").strip()
    # v1 signs the Content-MD5 header, not the body: bind the two, or a replayed signature would
    # carry any body. A request without Content-MD5 (object upload) leaves its body unsigned.
    if md5 and body and md5.upper() != c.content_md5(body):
        raise AuthFailure("SignatureNotMatch", "Content-MD5 does not match the body", 401)
    content_type = headers.get("content-type") or ""
    for date in dict.fromkeys(dates):
        string_to_sign = c.v1_string_to_sign(method, path, query, headers, md5, content_type, date)
        expected = c.v1_signature(secret, string_to_sign, method_name)
        if _same(signature, expected):
            return access_key_id
    raise _mismatch()


def _verify_v4(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    authorization: str,
    lookup_secret: Callable[[str], Optional[str]],
    now: datetime.datetime,
    max_skew: datetime.timedelta,
) -> str:
    fields: dict[str, str] = {}
    for item in authorization[len(c.V4_PREFIX) :].split(","):
        name, _, value = item.strip().partition("=")
        fields[name.strip()] = value.strip()
    credential = fields.get("Credential", "")
    signature = fields.get("Signature", "")
    # Credential = <ak>/<yyyymmdd>/<region>/sls/aliyun_v4_request; split from the right so that
    # only the scope's fixed shape matters (an empty region is legal for the python client).
    parts = credential.rsplit("/", 4)
    if len(parts) != 5 or not parts[0] or not signature or parts[3] != c.V4_SERVICE or parts[4] != c.V4_TERMINATOR:
        raise AuthFailure("Unauthorized", "malformed Authorization header", 401)
    access_key_id, scope_date, region = parts[0], parts[1], parts[2]

    x_log_date = (headers.get("x-log-date") or "").strip()
    if not x_log_date:
        raise AuthFailure("MissingDate", "the x-log-date header is required", 400)
    try:
        when = c.parse_v4_date(x_log_date)
    except ValueError:
        raise AuthFailure("InvalidDateFormat", f"cannot parse x-log-date {x_log_date!r}", 400) from None
    _check_skew(when, now, max_skew)
    # The signing key is derived from the scope's day: a scope from another day than the request
    # is a signature made for a different request (a replay with a fresh x-log-date).
    if scope_date != x_log_date[:8]:
        raise AuthFailure(
            "SignatureNotMatch", f"credential scope date {scope_date[:16]!r} is not the day of x-log-date", 401
        )
    secret = _secret_for(access_key_id, lookup_secret)

    actual_hash = hashlib.sha256(body).hexdigest()
    declared = (headers.get("x-log-content-sha256") or "").strip().lower()
    # The payload hash is what the client declared; it must be the body's, except that the
    # official client declares the empty-string hash for object uploads (body left unsigned).
    if declared and declared != actual_hash and declared != c.EMPTY_SHA256:
        raise AuthFailure("SignatureNotMatch", "x-log-content-sha256 does not match the body", 401)
    payload_hash = declared or actual_hash

    canonical_request = c.v4_canonical_request(method, path, query, headers, payload_hash)
    scope = c.v4_scope(scope_date, region)
    expected = c.v4_signature(secret, scope_date, region, c.v4_string_to_sign(x_log_date, scope, canonical_request))
    if not _same(signature.lower(), expected):
        raise _mismatch()
    return access_key_id
