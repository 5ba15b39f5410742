"""``GetHistogramsRequest``: how many logs match a search, per time slice."""

from __future__ import annotations

from typing import Optional

from ._timeparse import TimeValue
from ._timerange_request import TimeRangeRequest

__all__ = ["GetHistogramsRequest"]


class GetHistogramsRequest(TimeRangeRequest):
    """What ``client.get_histograms(request)`` counts.

    Every argument may be left out and set later with the setters (the 0.6 form); times are
    converted when the request is sent, not here.

    :param project: project name.
    :param logstore: logstore name.
    :param fromTime: start of the range, inclusive (Unix seconds or a readable time).
    :param toTime: end of the range, exclusive.
    :param topic: only logs of this topic.
    :param query: a search statement (no ``| SQL`` part).
    :param accurate_query: exact counts to the nanosecond.
    :param from_time_nano_part: nanoseconds added to ``fromTime``.
    :param to_time_nano_part: nanoseconds added to ``toTime``.
    :param shard_id: count one shard only (``-1``: all shards).
    """

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        fromTime: Optional[TimeValue] = None,
        toTime: Optional[TimeValue] = None,
        topic: Optional[str] = None,
        query: Optional[str] = None,
        accurate_query: bool = True,
        from_time_nano_part: int = 0,
        to_time_nano_part: int = 0,
        shard_id: int = -1,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.fromTime = fromTime
        self.toTime = toTime
        self.topic = topic
        self.query = query
        self.accurate_query = accurate_query
        self.from_time_nano_part = from_time_nano_part
        self.to_time_nano_part = to_time_nano_part
        self.shard_id = shard_id

    def get_shard_id(self) -> int:
        """The one shard counted (``-1``: all)."""
        return self.shard_id

    def set_shard_id(self, shard_id: int) -> None:
        """Count one shard only (``-1``: all)."""
        self.shard_id = shard_id
