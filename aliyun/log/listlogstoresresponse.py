"""Answer of the request-object form ``list_logstores(ListLogstoresRequest)``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse

__all__ = ["ListLogstoresResponse"]


class ListLogstoresResponse(LogResponse):
    """All logstore names of a project."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.count = int(resp.get("count", 0))
        self.total = int(resp.get("total", 0))
        self.logstores: list[str] = list(resp.get("logstores") or [])

    def get_count(self) -> int:
        """Number of names returned."""
        return self.count

    def get_total(self) -> int:
        """Number of logstores in the project."""
        return self.total

    def get_logstores(self) -> list[str]:
        """The logstore names."""
        return self.logstores

    def merge(self, other: ListLogstoresResponse) -> ListLogstoresResponse:
        """Append another page to this one."""
        self.count += other.count
        self.total = other.total
        self.logstores.extend(other.logstores)
        return self

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self.total), ("logstores", self.logstores)]
