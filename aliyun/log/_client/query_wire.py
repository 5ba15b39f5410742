"""How the query calls look on the wire: request parameters and bodies, and reading the answers.

Kept apart from :mod:`.query` (which decides *what* to send: paging, retries) so each stays small.
No I/O here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional

from .._codec.compression import decompress
from .._codec.errors import CodecError
from .._timeparse import TimeValue, to_unix_seconds
from .._transport import HttpResponse
from ..errors import BadParameters, make_exception
from ..logexception import LogException

__all__ = ["LogsQuery", "is_stats_query", "read_json_array", "read_logs_v2", "seconds"]

#: largest uncompressed GetLogs answer accepted (a guard against a hostile size header)
MAX_RAW_ANSWER = 512 * 1024 * 1024
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_STATS = re.compile(r"\|.*\bselect\b", re.I | re.S)


def is_stats_query(query: Optional[str]) -> bool:
    """Whether ``query`` has a SQL part: a ``|`` followed by ``select`` outside double quotes."""
    if not query:
        return False
    return _STATS.search(_QUOTED.sub('""', query)) is not None


def seconds(value: Optional[TimeValue], name: str) -> int:
    """Unix seconds of a request time (``BadParameters`` when it is missing)."""
    if value is None or value == "":
        raise BadParameters("BadParameters", f"{name} is required")
    return to_unix_seconds(value)


def flag(value: Any) -> bool:
    """A boolean argument; the text ``"false"`` (as in the README's request dict) is false."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


@dataclass
class LogsQuery:
    """One GetLogs page, resolved: times in seconds, numbers as ints."""

    from_time: int
    to_time: int
    topic: Optional[str]
    query: Optional[str]
    line: int
    offset: int
    reverse: bool
    power_sql: bool
    scan: bool
    forward: bool
    accurate: bool
    from_ns: int
    to_ns: int

    def post_body(self) -> dict[str, Any]:
        """The JSON body of the POST form, keys in the order the official client writes them."""
        body: dict[str, Any] = {
            "from": self.from_time,
            "to": self.to_time,
            "line": self.line,
            "offset": self.offset,
            "powerSql": self.power_sql,
            "accurate": self.accurate,
            "fromNs": self.from_ns,
            "toNs": self.to_ns,
        }
        if self.topic:
            body["topic"] = self.topic
        if self.query:
            body["query"] = self.query
        if self.scan:
            body["session"] = "mode=scan"
            body["forward"] = self.forward
        body["reverse"] = self.reverse
        body.setdefault("forward", self.forward)
        return body

    def get_params(self) -> dict[str, Any]:
        """The query parameters of the legacy GET form (``GetLogsV1``; the table adds ``type=log``)."""
        params: dict[str, Any] = {
            "from": self.from_time,
            "to": self.to_time,
            "line": self.line,
            "offset": self.offset,
            "powerSql": self.power_sql,
            "accurate": self.accurate,
            "fromNs": self.from_ns,
            "toNs": self.to_ns,
        }
        if self.topic:
            params["topic"] = self.topic
        if self.query:
            params["query"] = self.query
        params["reverse"] = "true" if self.reverse else "false"
        if self.scan:
            params["session"] = "mode=scan"
            params["forward"] = "true" if self.forward else "false"
        return params


def _invalid(message: str, response: HttpResponse) -> LogException:
    return make_exception(
        "InvalidResponse",
        message,
        response.header("x-log-requestid", "") or "",
        response.status,
        dict(response.headers),
        response.body[:1000],
    )


def read_logs_v2(response: HttpResponse) -> dict[str, Any]:
    """The ``{"meta", "data"}`` object of a POST-form answer, decompressed per ``x-log-compresstype``."""
    body = response.body
    kind = response.header("x-log-compresstype")
    if kind:
        size_text = response.header("x-log-bodyrawsize") or ""
        try:
            raw_size = int(size_text)
        except ValueError:
            raise _invalid(f"bad x-log-bodyrawsize {size_text!r} next to x-log-compresstype {kind}", response) from None
        if raw_size <= 0:
            raise _invalid(f"x-log-compresstype {kind} with an x-log-bodyrawsize of {raw_size}", response)
        try:
            body = decompress(kind, body, raw_size, max_size=MAX_RAW_ANSWER)
        except CodecError as exc:
            raise make_exception(
                exc.code, exc.message, response.header("x-log-requestid", "") or "", cause=exc
            ) from exc
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        raise _invalid(f"GetLogs answer is not JSON: {body[:200]!r}", response) from None
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict) or not isinstance(data.get("data"), list):
        raise _invalid("GetLogs answer lacks a meta object or a data array", response)
    return data


def read_json_array(response: HttpResponse, call: str, required_headers: tuple[str, ...]) -> list[Any]:
    """The JSON array body of a GET-form answer; the headers the call depends on must be present."""
    for name in required_headers:
        if response.header(name) is None:
            raise _invalid(f"{call} answer lacks the {name} header", response)
    try:
        data = json.loads(response.body.decode("utf-8", errors="replace")) if response.body else []
    except ValueError:
        raise _invalid(f"{call} answer is not JSON: {response.body[:200]!r}", response) from None
    if not isinstance(data, list):
        raise _invalid(f"{call} answer is not a JSON array", response)
    return data
