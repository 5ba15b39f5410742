"""``Histogram``: the number of matching logs in one time slice."""

from __future__ import annotations

__all__ = ["Histogram"]


class Histogram:
    """One bucket of ``get_histograms``: ``count`` logs in ``[fromTime, toTime)``.

    :param fromTime: start of the slice (Unix seconds, inclusive).
    :param toTime: end of the slice (exclusive).
    :param count: matching logs in the slice.
    :param progress: ``Complete`` or ``Incomplete``.
    """

    def __init__(self, fromTime: int, toTime: int, count: int, progress: str) -> None:
        self.fromTime = fromTime
        self.toTime = toTime
        self.count = count
        self.progress = progress

    def get_from(self) -> int:
        """Start of the slice."""
        return self.fromTime

    def get_to(self) -> int:
        """End of the slice (exclusive)."""
        return self.toTime

    def get_count(self) -> int:
        """Matching logs in the slice."""
        return self.count

    def is_completed(self) -> bool:
        """Whether the count is final."""
        return self.progress == "Complete"

    def log_print(self) -> None:
        """Print the bucket in a readable form."""
        print(f"Histogram from: {self.fromTime} to: {self.toTime} count: {self.count} progress: {self.progress}")

    def __repr__(self) -> str:
        return f"Histogram({self.fromTime}, {self.toTime}, {self.count}, {self.progress!r})"
