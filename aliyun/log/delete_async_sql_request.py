"""Request of ``delete_async_sql``: cancel an asynchronous SQL query and drop its result."""

from __future__ import annotations

from typing import Optional

from .logrequest import LogRequest

__all__ = ["DeleteAsyncSqlRequest"]


class DeleteAsyncSqlRequest(LogRequest):
    """Cancel (or forget) query ``query_id``."""

    def __init__(self, project: Optional[str] = None, query_id: Optional[str] = None) -> None:
        super().__init__(project)
        self.query_id = query_id

    def get_query_id(self) -> str:
        """The query id (``''`` when unset)."""
        return self.query_id or ""

    def set_query_id(self, query_id: str) -> None:
        """Set the query id."""
        self.query_id = query_id
