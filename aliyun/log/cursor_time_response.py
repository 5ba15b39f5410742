"""Answer of ``get_cursor_time`` / ``get_previous_cursor_time``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse

__all__ = ["GetCursorTimeResponse"]


class GetCursorTimeResponse(LogResponse):
    """The server receive time (Unix seconds) of the log group at a cursor."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.cursor_time = int(resp.get("cursor_time", 0))

    def get_cursor_time(self) -> int:
        """Unix seconds."""
        return self.cursor_time

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("cursor_time", self.cursor_time)]
