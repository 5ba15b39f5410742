"""Request of ``get_delete_logs_status``: the progress of one delete-logs task."""

from __future__ import annotations

from typing import Optional

from ._bean import attribute_accessors
from .logrequest import LogRequest

__all__ = ["GetDeleteLogsStatusRequest"]


@attribute_accessors(logstore="logstore", taskid="taskid")
class GetDeleteLogsStatusRequest(LogRequest):
    """The status of task ``taskid`` on ``logstore``."""

    def __init__(
        self, project: Optional[str] = None, logstore: Optional[str] = None, taskid: Optional[str] = None
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.taskid = taskid

    def get_logstore(self) -> str:
        """The logstore name (``''`` when unset)."""
        return self.logstore or ""

    def get_taskid(self) -> str:
        """The task id (``''`` when unset)."""
        return self.taskid or ""
