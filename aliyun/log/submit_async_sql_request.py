"""Request of ``submit_async_sql``: run a SQL query in the background and fetch its result later."""

from __future__ import annotations

from typing import Any, Optional

from ._bean import attribute_accessors
from ._time_arg import optional_seconds
from .logrequest import LogRequest

__all__ = ["SubmitAsyncSqlRequest"]


@attribute_accessors(
    logstore="logstore",
    query="query",
    from_="fromTime",
    to="toTime",
    power_sql="power_sql",
    allow_incomplete="allow_incomplete",
    max_run_time="max_run_time",
)
class SubmitAsyncSqlRequest(LogRequest):
    """An asynchronous SQL query over ``logstore`` between ``fromTime`` and ``toTime``.

    Times may be Unix seconds or date strings (parsed at construction). ``max_run_time`` is in
    seconds (``None``: the service default).
    """

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        query: Optional[str] = None,
        fromTime: Any = None,
        toTime: Any = None,
        power_sql: bool = False,
        allow_incomplete: bool = True,
        max_run_time: Optional[int] = None,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.query = query
        self.fromTime = optional_seconds(fromTime)
        self.toTime = optional_seconds(toTime)
        self.power_sql = power_sql
        self.allow_incomplete = allow_incomplete
        self.max_run_time = max_run_time

    def get_logstore(self) -> str:
        """The logstore name (``''`` when unset)."""
        return self.logstore or ""
