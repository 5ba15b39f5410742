"""Helpers under the official SDK's names: ``Util``, base64 text helpers, ``parse_timestamp``,
``is_stats_query``, ``PrefixLoggerAdapter`` and the sink/export serialisers.

Everything delegates to the code the client itself uses (signing canonical strings, time
parsing, the query classifier), so these helpers and the client never disagree.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import json
import logging
import socket
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, Callable, Optional, TypeVar, Union
from urllib.parse import quote, urlencode

from ._auth import canonical
from ._client.query_wire import is_stats_query as _is_stats_query
from ._timeparse import to_unix_seconds
from .logexception import LogException

__all__ = [
    "UTC",
    "PrefixLoggerAdapter",
    "Util",
    "base64_decodestring",
    "base64_encodestring",
    "export_deserialize",
    "is_stats_query",
    "maxcompute_sink_deserialize",
    "object_name_encode",
    "oss_sink_deserialize",
    "parse_timestamp",
    "require_python3",
]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def base64_encodestring(s: Union[str, bytes]) -> str:
    """Base64 of ``s`` (text is UTF-8 encoded first) as text, with a newline every 76 characters."""
    data = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return base64.encodebytes(data).decode("ascii")


def base64_decodestring(s: Union[str, bytes]) -> str:
    """The UTF-8 text encoded in base64 ``s``."""
    data = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return base64.decodebytes(data).decode("utf-8")


class Util:
    """Static helpers the official SDK exposes (signing pieces, header lookups, conversions)."""

    @staticmethod
    def is_row_ip(ip: str) -> bool:
        """Whether ``ip`` is a dotted IPv4 address (four decimal parts below 256)."""
        parts = str(ip).split(".")
        return len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) < 256 for p in parts)

    @staticmethod
    def get_host_ip(logHost: str) -> str:
        """This machine's address on the route to ``logHost`` (``127.0.0.1`` if none); no packet is sent."""
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((logHost, 80))
                return str(sock.getsockname()[0])
        except OSError:
            return "127.0.0.1"

    @staticmethod
    def cal_md5(content: Union[str, bytes]) -> str:
        """Upper-case hex MD5 of ``content``, as sent in ``Content-MD5``."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        return hashlib.md5(data).hexdigest().upper()

    @staticmethod
    def hmac_sha1(content: Union[str, bytes], key: Union[str, bytes]) -> str:
        """Base64 HMAC-SHA1 of ``content`` under ``key`` (the v1 signature)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        secret = key.encode("utf-8") if isinstance(key, str) else key
        return base64.b64encode(hmac.new(secret, data, hashlib.sha1).digest()).decode("ascii")

    @staticmethod
    def canonicalized_log_headers(headers: Mapping[str, Any]) -> str:
        """The ``x-log-*`` / ``x-acs-*`` lines of the v1 string to sign (``x-log-meta-*`` excluded)."""
        return "".join(f"{key}:{headers[key]}\n" for key in sorted(headers) if Util._is_extra_sign_header(key))

    @staticmethod
    def _is_extra_sign_header(key: str) -> bool:
        lower = key.lower()
        return lower.startswith("x-acs-") or (lower.startswith("x-log-") and not lower.startswith("x-log-meta-"))

    @staticmethod
    def url_encode(params: MutableMapping[str, Any]) -> str:
        """``params`` as a query string (sequences repeat the key)."""
        return urlencode(params, True)

    @staticmethod
    def canonicalized_resource(resource: str, params: Optional[Mapping[str, Any]]) -> str:
        """The path plus its sorted, unencoded parameters, as signature v1 signs them."""
        if not params:
            return resource
        pairs = [
            (str(k), v.decode("utf-8") if isinstance(v, bytes) else "" if v is None else str(v))
            for k, v in params.items()
        ]
        return canonical.v1_canonical_resource(resource, pairs)

    @staticmethod
    def to_ansi(data: Any) -> None:
        """Kept for compatibility; does nothing (as in the official SDK)."""
        return None

    @staticmethod
    def convert_unicode_to_str(data: Any) -> Any:
        """Decode every ``bytes`` inside ``data`` (mappings and iterables walked) to text."""
        if isinstance(data, bytes):
            return data.decode("utf-8")
        if isinstance(data, str):
            return data
        if isinstance(data, Mapping):
            return {Util.convert_unicode_to_str(k): Util.convert_unicode_to_str(v) for k, v in data.items()}
        if isinstance(data, Iterable):
            return type(data)(map(Util.convert_unicode_to_str, data))  # type: ignore[call-arg]
        return data

    @staticmethod
    def h_v_t(header: Mapping[str, Any], key: str) -> Any:
        """Header ``key`` (as given or Title-Cased); ``ValueError`` when absent."""
        if key not in header:
            key = key.title()
            if key not in header:
                raise ValueError(f"Unexpected header in response, missing: {key}")
        return header[key]

    @staticmethod
    def h_v_td(header: Mapping[str, Any], key: str, default: Any) -> Any:
        """Header ``key`` (as given or Title-Cased), ``default`` when absent."""
        if key not in header:
            key = key.title()
        return header.get(key, default)

    @staticmethod
    def v_or_d(v: Any, default: Any = None) -> Any:
        """``v`` unless it is ``None``, else ``default``."""
        return default if v is None else v


class UTC(datetime.tzinfo):
    """The UTC time zone (kept for code that imports it from here)."""

    def utcoffset(self, dt: Optional[datetime.datetime]) -> datetime.timedelta:
        return datetime.timedelta(0)

    def tzname(self, dt: Optional[datetime.datetime]) -> str:
        return "UTC"

    def dst(self, dt: Optional[datetime.datetime]) -> datetime.timedelta:
        return datetime.timedelta(0)


def parse_timestamp(tm: Union[int, float, str, bytes]) -> int:
    """Unix seconds of ``tm``: a number, a digit string, or a date string (local time unless it
    names a zone); also ``now`` and ``N minutes ago``. :raises ValueError: unreadable input."""
    value = tm.decode("utf-8") if isinstance(tm, bytes) else tm
    try:
        return to_unix_seconds(value)
    except LogException as exc:
        raise ValueError(exc.get_error_message()) from exc


def is_stats_query(query: Optional[str]) -> bool:
    """Whether ``query`` has a SQL part (``| select ...`` outside double-quoted strings)."""
    return _is_stats_query(query)


class PrefixLoggerAdapter(logging.LoggerAdapter):  # type: ignore[type-arg]
    """A logger adapter putting ``prefix`` before every message and ``extra`` into every record.

    Constructed as ``PrefixLoggerAdapter(prefix, extra, logger)`` (the remaining arguments go to
    :class:`logging.LoggerAdapter`).
    """

    def __init__(self, prefix: str, extra: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prefix = prefix
        self._extra = dict(extra or {})

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        merged = dict(kwargs.get("extra") or {})
        merged.update(self._extra)
        kwargs["extra"] = merged
        return f"{self._prefix}{msg}", kwargs


def maxcompute_sink_deserialize(obj: Any) -> Any:
    """The JSON-ready parameters of a MaxCompute (ODPS) sink (``obj.getParams()``)."""
    return obj.getParams()


def oss_sink_deserialize(obj: Any) -> dict[str, Any]:
    """The JSON-ready form of an OSS sink (an :class:`aliyun.log.oss_sink.AliyunOSSSink`)."""
    return {
        "type": obj.getType(),
        "roleArn": obj.getRoleArn(),
        "bucket": obj.getBucket(),
        "prefix": obj.getPrefix(),
        "suffix": obj.getSuffix(),
        "pathFormat": obj.getPathFormat(),
        "pathFormatType": obj.getPathFormatType(),
        "bufferSize": obj.getBufferSize(),
        "bufferInterval": obj.getBufferInterval(),
        "timeZone": obj.getTimeZone(),
        "contentType": obj.getContentType(),
        "compressionType": obj.getCompressionType(),
        "contentDetail": obj.getContentDetail(),
    }


def export_deserialize(obj: Any, sink: Any) -> str:
    """The JSON body of an export job ``obj`` writing to the already serialised ``sink``."""
    config = obj.getConfiguration()
    schedule = obj.getSchedule()
    return json.dumps(
        {
            "configuration": {
                "fromTime": config.getFromTime(),
                "logstore": config.getLogstore(),
                "roleArn": config.getRoleArn(),
                "sink": sink,
                "toTime": config.getToTime(),
                "version": config.getVersion(),
            },
            "displayName": obj.getDisplayName(),
            "name": obj.getName(),
            "recyclable": obj.getRecyclable(),
            "schedule": {"runImmediately": schedule.isRunImmediately(), "type": schedule.getType()},
            "type": obj.getType(),
        }
    )


def require_python3(func: F) -> F:
    """Decorator kept for compatibility: this package runs on Python 3 only, so it changes nothing."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def object_name_encode(object_name: str) -> str:
    """Percent-encode an object name for the ``/objects/{name}`` path (``/`` kept)."""
    return quote(object_name)
