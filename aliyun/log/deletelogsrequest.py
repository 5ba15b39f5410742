"""Request of ``delete_logs``: delete the logs matching a query in a time range (asynchronous task)."""

from __future__ import annotations

from typing import Any, Optional

from ._bean import attribute_accessors
from ._time_arg import optional_seconds
from .logrequest import LogRequest

__all__ = ["DeleteLogsRequest"]


@attribute_accessors(logstore="logstore", topic="topic", from_="fromTime", to="toTime", query="query")
class DeleteLogsRequest(LogRequest):
    """Delete the logs of ``logstore`` matching ``query`` (and ``topic``) between two times."""

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        fromTime: Any = None,
        toTime: Any = None,
        topic: Optional[str] = None,
        query: Optional[str] = None,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.fromTime = optional_seconds(fromTime)
        self.toTime = optional_seconds(toTime)
        self.topic = topic
        self.query = query

    def get_logstore(self) -> str:
        """The logstore name (``''`` when unset)."""
        return self.logstore or ""

    def get_topic(self) -> str:
        """The topic (``''`` when unset: the task then covers every topic)."""
        return self.topic or ""
