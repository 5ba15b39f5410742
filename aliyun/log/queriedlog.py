"""``QueriedLog``: one row of a ``get_logs`` answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["QueriedLog"]


class QueriedLog:
    """One log (or one SQL result row) returned by a query.

    :param timestamp: ``__time__`` in Unix seconds (0 for SQL rows that have none).
    :param source: ``__source__``.
    :param contents: every other field, values as strings: ``__topic__``, ``__tag__:NAME`` keys
        and the log's own keys (or the SQL columns).
    """

    def __init__(self, timestamp: int, source: str, contents: Mapping[str, Any]) -> None:
        self.timestamp = timestamp
        self.source = source
        self.contents: dict[str, Any] = dict(contents)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> QueriedLog:
        """Build from a JSON row of the service (``__time__`` defaults to 0, ``__source__`` to ``''``)."""
        contents = dict(row)
        raw_time = contents.pop("__time__", 0)
        source = contents.pop("__source__", "")
        try:
            timestamp = int(raw_time)
        except (TypeError, ValueError):
            timestamp = 0
        return cls(timestamp, "" if source is None else str(source), contents)

    def get_time(self) -> int:
        """``__time__`` in Unix seconds."""
        return self.timestamp

    def get_source(self) -> str:
        """``__source__``."""
        return self.source

    def get_contents(self) -> dict[str, Any]:
        """The other fields."""
        return self.contents

    def to_dict(self) -> dict[str, Any]:
        """The row as the service sent it (``__time__`` as a string)."""
        return {"__time__": str(self.timestamp), "__source__": self.source, **self.contents}

    def log_print(self) -> None:
        """Print the log in a readable form."""
        print("QueriedLog")
        print("time:", self.timestamp)
        print("source:", self.source)
        print("contents:", json.dumps(self.contents, ensure_ascii=False))

    def __repr__(self) -> str:
        return f"QueriedLog(time={self.timestamp}, source={self.source!r}, contents={self.contents!r})"
