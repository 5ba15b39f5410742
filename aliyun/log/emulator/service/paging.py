"""Paging of every list call: which slice is asked for (:class:`PageRequest`, parsed from the
wire's ``offset``/``size`` by the HTTP layer) and the slice answered (:class:`Page`, rendered by
``http/shapes.py`` as ``{"count", "total", <items key>}``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Optional, TypeVar

from ..errors import bad_request

__all__ = ["DEFAULT_PAGE", "MAX_PAGE", "Page", "PageRequest", "page", "parse_int"]

T = TypeVar("T")
#: items of a page when ``size`` is not given, and the most one page holds
DEFAULT_PAGE, MAX_PAGE = 100, 500


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


@dataclass(frozen=True)
class PageRequest:
    """The slice ``[offset, offset + size)`` of a list."""

    offset: int = 0
    size: int = DEFAULT_PAGE

    @classmethod
    def parse(cls, offset: Optional[str], size: Optional[str]) -> PageRequest:
        """From the wire's text (``ParameterInvalid`` for a negative or non-integer value, or a
        size above :data:`MAX_PAGE`)."""
        return cls(parse_int(offset, "offset", 0), parse_int(size, "size", DEFAULT_PAGE, maximum=MAX_PAGE))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the size of the whole list."""

    items: list[T]
    total: int


def page(items: Sequence[T], request: PageRequest) -> Page[T]:
    """The requested slice of ``items``."""
    return Page(list(items[request.offset : request.offset + request.size]), len(items))
