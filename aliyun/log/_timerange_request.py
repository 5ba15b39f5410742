"""Fields shared by the query requests (``GetLogsRequest``, ``GetHistogramsRequest``): a logstore,
a time range with nanosecond parts, a topic and a search statement."""

from __future__ import annotations

from typing import Optional

from ._timeparse import TimeValue
from .logrequest import LogRequest

__all__ = ["TimeRangeRequest"]


class TimeRangeRequest(LogRequest):
    """Getters and setters of the fields every query request has (set by the subclass constructor)."""

    logstore: Optional[str]
    fromTime: Optional[TimeValue]
    toTime: Optional[TimeValue]
    topic: Optional[str]
    query: Optional[str]
    accurate_query: bool
    from_time_nano_part: int
    to_time_nano_part: int

    def get_logstore(self) -> Optional[str]:
        """The logstore name."""
        return self.logstore

    def set_logstore(self, logstore: str) -> None:
        """Set the logstore name."""
        self.logstore = logstore

    def get_from(self) -> Optional[TimeValue]:
        """Start of the range, as given."""
        return self.fromTime

    def set_from(self, fromTime: TimeValue) -> None:
        """Set the start of the range."""
        self.fromTime = fromTime

    def get_to(self) -> Optional[TimeValue]:
        """End of the range, as given."""
        return self.toTime

    def set_to(self, toTime: TimeValue) -> None:
        """Set the end of the range."""
        self.toTime = toTime

    def get_topic(self) -> Optional[str]:
        """The topic filter."""
        return self.topic

    def set_topic(self, topic: str) -> None:
        """Set the topic filter."""
        self.topic = topic

    def get_query(self) -> Optional[str]:
        """The search statement."""
        return self.query

    def set_query(self, query: str) -> None:
        """Set the search statement."""
        self.query = query

    def get_accurate_query(self) -> bool:
        """Whether counts are exact to the nanosecond."""
        return self.accurate_query

    def set_accurate_query(self, accurate_query: bool) -> None:
        """Set whether counts are exact to the nanosecond."""
        self.accurate_query = accurate_query

    def get_from_time_nano_part(self) -> int:
        """Nanoseconds added to the start."""
        return self.from_time_nano_part

    def set_from_time_nano_part(self, from_time_nano_part: int) -> None:
        """Set the nanoseconds added to the start."""
        self.from_time_nano_part = from_time_nano_part

    def get_to_time_nano_part(self) -> int:
        """Nanoseconds added to the end."""
        return self.to_time_nano_part

    def set_to_time_nano_part(self, to_time_nano_part: int) -> None:
        """Set the nanoseconds added to the end."""
        self.to_time_nano_part = to_time_nano_part
