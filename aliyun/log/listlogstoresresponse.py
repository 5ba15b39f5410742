"""Answer of the request-object form ``list_logstores(ListLogstoresRequest)``."""

from __future__ import annotations

from .logresponse import PagedListResponse

__all__ = ["ListLogstoresResponse"]


class ListLogstoresResponse(PagedListResponse):
    """All logstore names of a project."""

    items_key = "logstores"

    @property
    def logstores(self) -> list[str]:
        """The logstore names."""
        return self._items

    def get_logstores(self) -> list[str]:
        """The logstore names."""
        return self._items
