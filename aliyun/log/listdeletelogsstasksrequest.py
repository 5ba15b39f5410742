"""Request of ``list_delete_logs_tasks``: the delete-logs tasks of a logstore."""

from __future__ import annotations

from typing import Optional

from ._bean import attribute_accessors
from .logrequest import LogRequest

__all__ = ["ListDeleteLogsTasksRequest"]


@attribute_accessors(logstore="logstore")
class ListDeleteLogsTasksRequest(LogRequest):
    """List the delete-logs tasks of ``logstore``."""

    def __init__(self, project: Optional[str] = None, logstore: Optional[str] = None) -> None:
        super().__init__(project)
        self.logstore = logstore

    def get_logstore(self) -> str:
        """The logstore name (``''`` when unset)."""
        return self.logstore or ""
