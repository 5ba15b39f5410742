"""Paging helpers shared by every list call (projects, logstores, configs, machine groups, shippers)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Callable, Protocol, TypeVar

from ..errors import BadParameters
from .core import ClientCore

__all__ = ["Page", "body_of", "check_page_size", "iterate", "list_pages"]

MAX_PAGE = 500


class Page(Protocol):
    """What a list response offers for paging."""

    def get_count(self) -> int: ...

    def get_total(self) -> int: ...


P = TypeVar("P", bound=Page)
T = TypeVar("T")


def list_pages(core: ClientCore, fetch: Callable[[int, int], P], offset: int, size: int) -> P:
    """One page when ``0 <= size <= 500``; otherwise every page (``-1``: all), merged into the first."""
    if 0 <= size <= MAX_PAGE:
        return fetch(offset, size)
    pages = core._pages(fetch, offset, size, lambda page: (page.get_count(), page.get_total()))
    first = next(pages)
    for page in pages:
        first.merge(page)  # type: ignore[attr-defined]
    return first


def check_page_size(page_size: int) -> int:
    """A page size for the ``iter_*`` calls: 1..500."""
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE:
        raise BadParameters("BadParameters", f"page_size must be 1..{MAX_PAGE}, got {page_size!r}")
    return page_size


def iterate(fetch: Callable[[int, int], P], items_of: Callable[[P], Iterable[T]], page_size: int) -> Iterator[T]:
    """Yield the items of every page, fetching the next page only when the previous one is used up."""
    offset = 0
    while True:
        page = fetch(offset, page_size)
        yield from items_of(page)
        count = page.get_count()
        offset += count
        if count == 0 or offset >= page.get_total():
            return


def body_of(detail: Any, what: str) -> dict[str, Any]:
    """A JSON object body from a dict, JSON text/bytes, or an object with ``to_json()``."""
    if isinstance(detail, (bytes, bytearray)):
        detail = detail.decode("utf-8")
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError as exc:
            raise BadParameters("BadParameters", f"{what} is not valid JSON: {exc}") from exc
    elif hasattr(detail, "to_json") and callable(detail.to_json):
        detail = detail.to_json()
    if not isinstance(detail, dict):
        raise BadParameters(
            "BadParameters",
            f"{what} must be a dict, JSON text or an object with to_json(), got {type(detail).__name__}",
        )
    return detail
