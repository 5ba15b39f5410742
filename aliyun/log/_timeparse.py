"""Turning the time values users pass (``'begin'``, Unix seconds, readable strings) into what SLS takes."""

from __future__ import annotations

import re
import time
from typing import Union

from dateutil import parser as date_parser
from dateutil import tz

from .logexception import LogException

__all__ = ["cursor_start", "to_unix_seconds"]

_RELATIVE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(second|sec|s|minute|min|m|hour|h|day|d|week|w)s?\s+ago\s*$", re.IGNORECASE
)
_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "w": 604800,
    "week": 604800,
}

TimeValue = Union[int, float, str]


def to_unix_seconds(value: TimeValue) -> int:
    """Unix seconds from an int/float, a digit string, ``now``, ``N hours ago`` or a date string.

    A date string without a zone is local time (``"2018-01-01 10:10:10"``); one with a zone keeps
    it (``"2018-01-01 10:10:10+8:00"``).
    """
    if isinstance(value, bool):
        raise LogException("BadParameters", f"invalid time: {value!r}")
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return int(float(text))
    if text.lower() == "now":
        return int(time.time())
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = float(relative.group(1)), relative.group(2).lower()
        return int(time.time() - amount * _UNIT_SECONDS[unit])
    try:
        parsed = date_parser.parse(_normalise_zone(text))
    except (ValueError, OverflowError) as exc:
        raise LogException("BadParameters", f"cannot understand the time {value!r}: {exc}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz.tzlocal())
    return int(parsed.timestamp())


def _normalise_zone(text: str) -> str:
    # dateutil reads "+08:00" but not "+8:00": pad a one-digit hour offset.
    return re.sub(r"([+-])(\d):(\d\d)$", r"\g<1>0\2:\3", text)


def cursor_start(value: TimeValue) -> str:
    """The ``from`` of GetCursor: ``begin``, ``end`` or Unix seconds (negative values mean begin)."""
    if isinstance(value, str) and value.strip().lower() in ("begin", "end"):
        return value.strip().lower()
    seconds = to_unix_seconds(value)
    if seconds < 0:  # the 0.6 consumer's default start of -1
        return "begin"
    return str(seconds)
