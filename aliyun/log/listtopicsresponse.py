"""``ListTopicsResponse``: the answer of ``list_topics``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .logresponse import LogResponse, header_value

__all__ = ["ListTopicsResponse"]


class ListTopicsResponse(LogResponse):
    """One page of a logstore's topics.

    :param resp: the JSON array of topic names.
    :param header: the answer's headers (``x-log-count``, ``x-log-nexttoken``).
    """

    def __init__(self, resp: Sequence[str], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.topics: list[str] = [str(t) for t in (resp or [])]
        try:
            self.count = int(header_value(header, "x-log-count", len(self.topics)))
        except (TypeError, ValueError):
            self.count = len(self.topics)
        self.next_token = str(header_value(header, "x-log-nexttoken", "") or "")

    def get_topics(self) -> list[str]:
        """Topic names of this page."""
        return self.topics

    def get_count(self) -> int:
        """Number of topics in this page."""
        return self.count

    def get_next_token(self) -> str:
        """Token of the next page (``''``: this was the last)."""
        return self.next_token

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("topics", self.topics), ("next_token", self.next_token)]
