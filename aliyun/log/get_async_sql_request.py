"""Request of ``get_async_sql``: one page of an asynchronous SQL query's result."""

from __future__ import annotations

from typing import Optional

from ._bean import attribute_accessors
from .logrequest import LogRequest

__all__ = ["GetAsyncSqlRequest"]


@attribute_accessors(offset="offset", line="line")
class GetAsyncSqlRequest(LogRequest):
    """Rows ``offset`` .. ``offset + line`` of the result of query ``query_id``."""

    def __init__(
        self, project: Optional[str] = None, query_id: Optional[str] = None, offset: int = 0, line: int = 100
    ) -> None:
        super().__init__(project)
        self.query_id = query_id
        self.offset = offset
        self.line = line

    def get_query_id(self) -> str:
        """The query id (``''`` when unset)."""
        return self.query_id or ""

    def set_query_id(self, query_id: str) -> None:
        """Set the query id."""
        self.query_id = query_id
