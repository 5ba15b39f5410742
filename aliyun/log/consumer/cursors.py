"""Reading SLS cursors: where one lies in a shard, and where to resume when one is rejected.

SLS cursors are Base64 of a decimal position in the shard; positions grow with every log group
written, so two cursors of one shard compare by position.
"""

from __future__ import annotations

import base64
import binascii
from typing import Optional

__all__ = ["cursor_position", "restart_cursor"]


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
