"""Answer of ``get_delete_logs_status``: a delete task's progress (percent)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, json_or_empty

__all__ = ["GetDeleteLogsStatusResponse"]


class GetDeleteLogsStatusResponse(LogResponse):
    """Progress of one delete task, 0 to 100."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.process = float(body.get("progress", 0) or 0)

    def is_completed(self) -> bool:
        """Whether the task finished (progress 100)."""
        return self.process >= 100.0

    def get_process(self) -> float:
        """The progress in percent (official name)."""
        return self.process

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("progress", self.process)]
