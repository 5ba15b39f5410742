"""Answers of the store view calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse, HeaderFirstPage
from .logresponse import LogResponse, json_or_empty
from .store_view import StoreView

__all__ = [
    "CreateStoreViewResponse",
    "DeleteStoreViewResponse",
    "GetStoreViewResponse",
    "ListStoreViewsResponse",
    "UpdateStoreViewResponse",
]


class CreateStoreViewResponse(AckResponse):
    """Answer of ``create_store_view``."""


class UpdateStoreViewResponse(AckResponse):
    """Answer of ``update_store_view``."""


class DeleteStoreViewResponse(AckResponse):
    """Answer of ``delete_store_view``."""


class ListStoreViewsResponse(HeaderFirstPage):
    """One page of store view names (``storeviews``)."""

    items_key = "storeviews"

    def get_store_views(self) -> list[Any]:
        """The store view names of this page."""
        return self._items


class GetStoreViewResponse(LogResponse):
    """One store view as a :class:`~aliyun.log.StoreView`."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self._store_view = StoreView._from_json_dict(body)

    def get_store_view(self) -> StoreView:
        """The store view."""
        return self._store_view

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("store_view", self._store_view._to_json_dict())]
