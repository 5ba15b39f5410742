"""Small text helpers of the migration tool."""

from __future__ import annotations

from typing import Optional

__all__ = ["split_and_strip"]


def split_and_strip(s: str, sep: Optional[str] = None) -> list[str]:
    """``s`` split on ``sep`` (default: whitespace), each part stripped."""
    return [part.strip() for part in s.split(sep)]
