"""Shapes shared by the response classes of the newer API families.

Most answers of the newer families are one of three kinds: an acknowledgement with nothing but
headers, one JSON document, or one page of a list (``count``, ``total`` and an array under a
family-specific key). These bases implement each kind once; the public response classes only
name their key and their official getters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .logresponse import LogResponse, PagedListResponse, json_or_empty

__all__ = ["AckResponse", "DocumentResponse", "HeaderFirstAck", "HeaderFirstPage", "ItemsPage", "ResultsPage"]


class AckResponse(LogResponse):
    """An answer with nothing to read but its headers (create, update, delete, start, stop...)."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class HeaderFirstAck(AckResponse):
    """:class:`AckResponse` of the families whose ``resp`` argument has no default."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        super().__init__(header, resp)


class DocumentResponse(LogResponse):
    """An answer whose body is one JSON document, kept as it came (``get_body()``)."""

    document_name: ClassVar[str] = "document"

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        super().__init__(header, json_or_empty(resp))

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [(self.document_name, self.body)]


class ResultsPage(PagedListResponse):
    """One page of a list: ``count``, ``total`` and the items under ``items_key`` (``results``)."""

    items_key: ClassVar[str] = "results"

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(json_or_empty(resp), header)

    def _items_list(self) -> list[Any]:
        return self._items


class HeaderFirstPage(ResultsPage):
    """:class:`ResultsPage` for the families whose constructor takes ``(header, resp)``."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        super().__init__(json_or_empty(resp), header)


class ItemsPage(LogResponse):
    """One page of a list under ``items`` whose subclasses turn each item into an object
    (resources, records, topostores...); ``count`` and ``total`` as in every list."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.count = int(body.get("count", 0) or 0)
        self.total = int(body.get("total", 0) or 0)
        self._raw_items: list[dict[str, Any]] = list(body.get("items") or [])

    def get_count(self) -> int:
        """Items in this page."""
        return self.count

    def get_total(self) -> int:
        """Items in all pages."""
        return self.total
