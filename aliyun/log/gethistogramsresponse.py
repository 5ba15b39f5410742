"""``GetHistogramsResponse``: the answer of ``get_histograms``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .histogram import Histogram
from .logresponse import LogResponse, header_value

__all__ = ["GetHistogramsResponse"]


class GetHistogramsResponse(LogResponse):
    """Matching logs per time slice.

    :param resp: the JSON array of ``{"from", "to", "count", "progress"}`` buckets.
    :param header: the answer's headers (``x-log-progress`` says whether the counts are final).
    """

    def __init__(self, resp: Sequence[Mapping[str, Any]], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.progress = str(header_value(header, "x-log-progress", "") or "")
        self.histograms = [
            Histogram(int(item["from"]), int(item["to"]), int(item["count"]), str(item.get("progress", "")))
            for item in (resp or [])
        ]
        # The total is the sum of the buckets (the service's x-log-count header may be absent).
        self.count = sum(h.get_count() for h in self.histograms)

    def get_histograms(self) -> list[Histogram]:
        """The buckets, oldest first."""
        return self.histograms

    def get_total_count(self) -> int:
        """Matching logs in the whole range."""
        return self.count

    def is_completed(self) -> bool:
        """Whether the counts are final (``x-log-progress: Complete``)."""
        return self.progress == "Complete"

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("progress", self.progress),
            ("count", self.count),
            ("histograms", [[h.get_from(), h.get_to(), h.get_count(), h.progress] for h in self.histograms]),
        ]
