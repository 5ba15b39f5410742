"""Request of ``delete_logs_v2``: delete matching logs synchronously (or one row by ``rowId``)."""

from __future__ import annotations

from typing import Any, Optional

from ._bean import attribute_accessors
from ._time_arg import optional_seconds
from .logrequest import LogRequest

__all__ = ["DeleteLogsV2Request"]


@attribute_accessors(logstore="logstore", from_="fromTime", to="toTime", query="query", row_id="rowId")
class DeleteLogsV2Request(LogRequest):
    """Delete the logs of ``logstore`` matching ``query`` between two times, or the row ``rowId``."""

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        fromTime: Any = None,
        toTime: Any = None,
        query: Optional[str] = None,
        rowId: Optional[str] = None,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.fromTime = optional_seconds(fromTime)
        self.toTime = optional_seconds(toTime)
        self.query = query
        self.rowId = rowId

    def get_logstore(self) -> str:
        """The logstore name (``''`` when unset)."""
        return self.logstore or ""

    def set_from(self, fromTime: Any) -> None:
        """Set the start time (Unix seconds or a date string, parsed now)."""
        self.fromTime = optional_seconds(fromTime)

    def set_to(self, toTime: Any) -> None:
        """Set the end time (Unix seconds or a date string, parsed now)."""
        self.toTime = optional_seconds(toTime)
