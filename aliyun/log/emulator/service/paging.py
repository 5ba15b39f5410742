"""``offset``/``size`` paging shared by every list call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional, TypeVar

from ..errors import bad_request

T = TypeVar("T")
MAX_PAGE = 500


def parse_int(
    value: Optional[str],
    name: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: Optional[int] = None,
    code: str = "ParameterInvalid",
) -> int:
    """An integer query parameter, or a 400 naming it."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request(code, f"{name} must be an integer, got {value!r}") from None
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
        raise bad_request(code, f"{name} must be {bound}, got {number}")
    return number


def page(items: Sequence[T], offset: Optional[str], size: Optional[str]) -> tuple[list[T], int]:
    """The slice ``[offset, offset + size)`` and the total; size is at most 500."""
    start = parse_int(offset, "offset", 0)
    count = parse_int(size, "size", 100, maximum=MAX_PAGE)
    return list(items[start : start + count]), len(items)
