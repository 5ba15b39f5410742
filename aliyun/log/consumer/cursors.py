"""Reading SLS cursors: where one lies in a shard, and where to resume when one is rejected.

SLS cursors are Base64 of a decimal position in the shard; positions grow with every log group
written, so two cursors of one shard compare by position.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Optional

from ..logexception import LogException

__all__ = ["cursor_position", "rejects_cursor", "restart_cursor", "restart_point"]


def cursor_position(cursor: str) -> Optional[int]:
    """The integer inside a cursor (SLS cursors are Base64 decimal numbers), ``None`` if it is not one."""
    try:
        return int(base64.b64decode("".join(cursor.split()), validate=True).decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def restart_cursor(cursor: str, begin: str, end: str) -> Optional[str]:
    """Where to resume when PullLogs says ``cursor`` is invalid: the shard's ``begin`` if the cursor
    is older than the oldest data (it expired), its ``end`` if it is beyond the end, ``None`` (retry
    as is) when it lies inside; ``begin`` when a cursor cannot be read as a position at all."""
    at, low, high = cursor_position(cursor), cursor_position(begin), cursor_position(end)
    if at is None or low is None or high is None or at < low:
        return begin
    if at > high:
        return end
    return None


def rejects_cursor(error: LogException) -> bool:
    """Whether PullLogs failed because of its cursor (``InvalidCursor``), matched by code so that
    a client double raising a plain :class:`LogException` is understood too."""
    return "invalidcursor" in error.get_error_code().lower()


def restart_point(client: Any, shard: int, cursor: str) -> Optional[str]:
    """:func:`restart_cursor` with the shard's bounds read through ``client`` (its
    ``get_begin_cursor``/``get_end_cursor``); ``None`` (retry as is) when they cannot be read."""
    try:
        begin, end = client.get_begin_cursor(shard), client.get_end_cursor(shard)
    except LogException:
        return None
    return restart_cursor(cursor, begin, end)
