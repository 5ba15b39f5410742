"""Base class of every response: headers, body, request id and ``log_print()``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Optional, TypeVar

__all__ = ["LogResponse", "PagedListResponse"]

P = TypeVar("P", bound="PagedListResponse")


def _header(headers: Mapping[str, Any], name: str, default: Any = None) -> Any:
    if name in headers:
        return headers[name]
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return default


class LogResponse:
    """What every call returns: the answer's headers and body, plus typed getters in subclasses.

    :param headers: the HTTP headers of the answer.
    :param body: the parsed body (JSON value) or raw bytes, depending on the call.
    """

    def __init__(self, headers: Mapping[str, Any], body: Any = "") -> None:
        self.headers: dict[str, Any] = dict(headers or {})
        self.body = body

    def get_request_id(self) -> str:
        """The ``x-log-requestid`` of the answer (``''`` if absent)."""
        return str(_header(self.headers, "x-log-requestid", ""))

    def get_all_headers(self) -> dict[str, Any]:
        """All headers of the answer."""
        return self.headers

    def get_header(self, key: str) -> Any:
        """One header of the answer, any case (``''`` if absent)."""
        return _header(self.headers, key, "")

    def get_body(self) -> Any:
        """The body of the answer."""
        return self.body

    def _print_fields(self) -> list[tuple[str, Any]]:
        """Name/value pairs shown by :meth:`log_print` after the request id (subclasses extend)."""
        return []

    def log_print(self) -> None:
        """Print the response in a readable form (class name, request id, then its fields)."""
        print(type(self).__name__)
        print("request_id:", self.get_request_id())
        for name, value in self._print_fields():
            if isinstance(value, (dict, list)):
                value = json.dumps(value, ensure_ascii=False)
            print(f"{name}: {value}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} request_id={self.get_request_id()!r}>"


class PagedListResponse(LogResponse):
    """One page of a list call: ``count`` items of ``total``, and the page's items.

    Subclasses name the JSON key holding the items (``items_key``) and add the official getters
    under their resource's names; :meth:`merge` appends the next page (paging helpers use it).
    """

    items_key: ClassVar[str] = ""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.count = int(resp.get("count", 0))
        self._total = int(resp.get("total", 0))
        self._items: list[Any] = list(resp.get(self.items_key) or [])

    def get_count(self) -> int:
        """Number of items in this page."""
        return self.count

    def get_total(self) -> int:
        """Number of matching items in all pages."""
        return self._total

    @property
    def total(self) -> int:
        """Same as :meth:`get_total`."""
        return self._total

    def merge(self: P, other: P) -> P:
        """Append another page to this one."""
        self.count += other.count
        self._total = other._total
        self._items.extend(other._items)
        return self

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self._total), (self.items_key, self._items)]


def json_or_empty(body: Any) -> Any:
    """``body`` if it is already JSON data, ``{}`` for an empty body."""
    return body if body not in (None, "", b"") else {}


def header_value(headers: Mapping[str, Any], name: str, default: Optional[Any] = None) -> Any:
    """Case-insensitive header lookup shared by response classes."""
    return _header(headers, name, default)
