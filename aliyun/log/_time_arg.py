"""Request times as the official request classes store them: Unix seconds, parsed on the way in."""

from __future__ import annotations

from typing import Any, Optional

from .util import parse_timestamp

__all__ = ["optional_seconds"]


def optional_seconds(value: Any) -> Optional[int]:
    """``None`` stays ``None``; anything else goes through :func:`aliyun.log.util.parse_timestamp`."""
    return None if value is None else parse_timestamp(value)
