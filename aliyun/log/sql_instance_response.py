"""Answers of the dedicated SQL instance calls."""

from __future__ import annotations

from typing import Any

from ._responses import AckResponse

__all__ = ["CreateSqlInstanceResponse", "ListSqlInstanceResponse", "UpdateSqlInstanceResponse"]


class CreateSqlInstanceResponse(AckResponse):
    """Answer of ``create_sql_instance``."""


class UpdateSqlInstanceResponse(AckResponse):
    """Answer of ``update_sql_instance``."""


class ListSqlInstanceResponse(AckResponse):
    """The project's SQL instance settings; the JSON answer is the body (``get_body()``)."""

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("response", self.body)]
