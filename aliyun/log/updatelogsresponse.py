"""Answer of ``update_logs``: how many rows were changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, json_or_empty

__all__ = ["UpdateLogsResponse"]


class UpdateLogsResponse(LogResponse):
    """Rows changed (``affected_rows``)."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        # The count is in the body; the HTTP API also carries it in ``x-log-affectedrows``.
        count = body.get("affected_rows")
        if count is None:
            count = next((v for k, v in header.items() if k.lower() == "x-log-affectedrows"), 0)
        self.affected_rows = int(count or 0)

    def get_affected_rows(self) -> int:
        """Rows changed."""
        return self.affected_rows

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("affected_rows", self.affected_rows)]
