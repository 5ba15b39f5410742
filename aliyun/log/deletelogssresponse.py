"""Answer of ``delete_logs``: the id of the asynchronous delete task."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .logresponse import LogResponse, json_or_empty

__all__ = ["DeleteLogsResponse"]


class DeleteLogsResponse(LogResponse):
    """The delete task's id (``taskId``)."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.taskid: Optional[str] = body.get("taskId")

    def get_taskid(self) -> Optional[str]:
        """The task id, for ``get_delete_logs_status``."""
        return self.taskid

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("taskid", self.taskid)]
