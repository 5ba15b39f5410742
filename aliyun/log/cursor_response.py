"""Answer of ``get_cursor`` / ``get_begin_cursor`` / ``get_end_cursor``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse

__all__ = ["GetCursorResponse"]


class GetCursorResponse(LogResponse):
    """A cursor: an opaque position in one shard."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.cursor = str(resp.get("cursor", ""))

    def get_cursor(self) -> str:
        """The cursor."""
        return self.cursor

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("cursor", self.cursor)]
