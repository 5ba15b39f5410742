"""Answer of ``list_delete_logs_tasks``: the delete tasks of a logstore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, json_or_empty

__all__ = ["ListDeleteLogsTasksResponse"]


class ListDeleteLogsTasksResponse(LogResponse):
    """The tasks (``tasks``: dicts with ``taskId``, ``progress``...)."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.count = int(body.get("count", 0) or 0)
        self.total = int(body.get("total", 0) or 0)
        self.task_list: list[dict[str, Any]] = list(body.get("tasks") or [])

    def is_completed(self) -> bool:
        """Whether there are tasks and every one reached 100 %."""
        return bool(self.task_list) and all(float(t.get("progress", 0) or 0) >= 100 for t in self.task_list)

    def get_task_list(self) -> list[dict[str, Any]]:
        """The tasks."""
        return self.task_list

    def get_count(self) -> int:
        """Tasks in this answer."""
        return self.count

    def get_total(self) -> int:
        """Tasks in all."""
        return self.total

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self.total), ("tasks", self.task_list)]
