"""``GetLogsRequest`` (search/SQL over one logstore) and ``GetProjectLogsRequest`` (project-level SQL)."""

from __future__ import annotations

from typing import Optional

from ._timeparse import TimeValue
from ._timerange_request import TimeRangeRequest
from .logrequest import LogRequest

__all__ = ["GetLogsRequest", "GetProjectLogsRequest"]


class GetLogsRequest(TimeRangeRequest):
    """What ``client.get_logs(request)`` searches.

    :param project: project name.
    :param logstore: logstore name.
    :param fromTime: start of the time range, inclusive: Unix seconds or a readable time
        (``"2024-01-01 08:00:00+8:00"``, ``"1 hour ago"``), converted when the request is sent.
    :param toTime: end of the time range, exclusive (same forms).
    :param topic: only logs of this topic (``None``/``''``: all).
    :param query: ``search`` or ``search | SQL`` (``None``/``''``/``*``: every log).
    :param line: rows wanted (default 100). More than 100 is read page by page for a search
        without SQL; a SQL statement sets its own row count with ``LIMIT``.
    :param offset: rows to skip (search without SQL).
    :param reverse: newest first.
    :param power_sql: run SQL on the dedicated (Dedicated SQL) resources.
    :param scan: scan mode (``session=mode=scan``).
    :param forward: scan direction (scan mode only).
    :param accurate_query: exact time order to the nanosecond.
    :param from_time_nano_part: nanoseconds added to ``fromTime``.
    :param to_time_nano_part: nanoseconds added to ``toTime``.
    """

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        fromTime: Optional[TimeValue] = None,
        toTime: Optional[TimeValue] = None,
        topic: Optional[str] = None,
        query: Optional[str] = None,
        line: int = 100,
        offset: int = 0,
        reverse: bool = False,
        power_sql: bool = False,
        scan: bool = False,
        forward: bool = True,
        accurate_query: bool = True,
        from_time_nano_part: int = 0,
        to_time_nano_part: int = 0,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.fromTime = fromTime
        self.toTime = toTime
        self.topic = topic
        self.query = query
        self.line = line
        self.offset = offset
        self.reverse = reverse
        self.power_sql = power_sql
        self.scan = scan
        self.forward = forward
        self.accurate_query = accurate_query
        self.from_time_nano_part = from_time_nano_part
        self.to_time_nano_part = to_time_nano_part

    def get_line(self) -> int:
        """Rows wanted."""
        return self.line

    def set_line(self, line: int) -> None:
        """Set the rows wanted."""
        self.line = line

    def get_offset(self) -> int:
        """Rows skipped."""
        return self.offset

    def set_offset(self, offset: int) -> None:
        """Set the rows skipped."""
        self.offset = offset

    def get_reverse(self) -> bool:
        """Whether the newest rows come first."""
        return self.reverse

    def set_reverse(self, reverse: bool) -> None:
        """Set whether the newest rows come first."""
        self.reverse = reverse

    def get_power_sql(self) -> bool:
        """Whether SQL runs on dedicated resources."""
        return self.power_sql

    def set_power_sql(self, power_sql: bool) -> None:
        """Set whether SQL runs on dedicated resources."""
        self.power_sql = power_sql

    def get_scan(self) -> bool:
        """Whether scan mode is used."""
        return self.scan

    def set_scan(self, scan: bool) -> None:
        """Set whether scan mode is used."""
        self.scan = scan

    def get_forward(self) -> bool:
        """Scan direction."""
        return self.forward

    def set_forward(self, forward: bool) -> None:
        """Set the scan direction."""
        self.forward = forward


class GetProjectLogsRequest(LogRequest):
    """What ``client.get_project_logs(request)`` runs: one SQL statement over the project's logstores.

    :param project: project name.
    :param query: SQL naming its logstore and time range, e.g.
        ``select count(*) from my_logstore where __time__ > 1700000000 and __time__ < 1700003600``.
    :param power_sql: run on the dedicated SQL resources.
    """

    def __init__(self, project: Optional[str] = None, query: Optional[str] = None, power_sql: bool = False) -> None:
        super().__init__(project)
        self.query = query
        self.power_sql = power_sql

    def get_query(self) -> Optional[str]:
        """The SQL statement."""
        return self.query

    def set_query(self, query: str) -> None:
        """Set the SQL statement."""
        self.query = query

    def get_power_sql(self) -> bool:
        """Whether SQL runs on dedicated resources."""
        return self.power_sql

    def set_power_sql(self, power_sql: bool) -> None:
        """Set whether SQL runs on dedicated resources."""
        self.power_sql = power_sql
