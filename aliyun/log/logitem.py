"""``LogItem``: one log to write, a time and a list of key/value contents."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Optional, Union

__all__ = ["LogItem"]

Value = Union[str, bytes]


class LogItem:
    """One log: a Unix timestamp (with an optional nanosecond part) and ``(key, value)`` contents.

    :param timestamp: Unix seconds; ``None`` or ``0`` means "now". Values above ``1e10`` are
        taken as milliseconds (as the official SDK does).
    :param contents: list of ``(key, value)`` pairs; values are ``str`` or ``bytes``.
    :param time_nano_part: the nanosecond part, 0..999,999,999. When ``timestamp`` is not given
        both come from the current time.
    """

    __slots__ = ("contents", "time_nano_part", "timestamp")

    def __init__(
        self,
        timestamp: Optional[Union[int, float]] = None,
        contents: Optional[Sequence[tuple[str, Value]]] = None,
        time_nano_part: Optional[int] = None,
    ) -> None:
        if not timestamp:
            now_ns = time.time_ns()
            self.timestamp = now_ns // 1_000_000_000
            if time_nano_part is None:
                time_nano_part = now_ns % 1_000_000_000
        else:
            self.timestamp = _seconds(timestamp)
        self.time_nano_part: Optional[int] = time_nano_part
        self.contents: list[tuple[str, Value]] = list(contents) if contents is not None else []

    def push_back(self, key: str, value: Value) -> None:
        """Append one ``key = value`` content."""
        self.contents.append((key, value))

    def get_contents(self) -> list[tuple[str, Value]]:
        """The ``(key, value)`` contents."""
        return self.contents

    def set_contents(self, contents: Sequence[tuple[str, Value]]) -> None:
        """Replace the contents."""
        self.contents = list(contents)

    def get_time(self) -> int:
        """Unix seconds."""
        return self.timestamp

    def set_time(self, timestamp: Union[int, float]) -> None:
        """Set the time in Unix seconds (values above ``1e10`` are taken as milliseconds)."""
        self.timestamp = _seconds(timestamp)

    def get_time_nano_part(self) -> Optional[int]:
        """The nanosecond part, or ``None`` when not set."""
        return self.time_nano_part

    def set_time_nano_part(self, time_nano_part: Optional[int]) -> None:
        """Set the nanosecond part (0..999,999,999)."""
        self.time_nano_part = time_nano_part

    def log_print(self) -> None:
        """Print the time and contents."""
        print("time", self.timestamp)
        for key, value in self.contents:
            print(key, ":", value)

    def __repr__(self) -> str:
        return f"LogItem(timestamp={self.timestamp!r}, contents={self.contents!r})"


def _seconds(timestamp: Union[int, float]) -> int:
    value = int(timestamp)
    if value > 10_000_000_000:
        value //= 1000
    return value
