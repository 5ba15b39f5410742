"""``GetContextLogsResponse``: the answer of ``get_context_logs``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import make_exception
from .logresponse import LogResponse, header_value
from .queriedlog import QueriedLog

__all__ = ["GetContextLogsResponse"]

_REQUIRED = ("progress", "total_lines", "back_lines", "forward_lines", "logs")


class GetContextLogsResponse(LogResponse):
    """The logs around a start log, in context order (oldest first).

    Each log carries ``__index_number__`` (its position relative to the start log: negative
    before it, ``0`` the start log itself, positive after it), ``__tag__:__pack_id__`` and
    ``__pack_meta__``; any of them can start the next context query.

    :param resp: the JSON object ``{"progress", "total_lines", "back_lines", "forward_lines", "logs"}``.
    :param header: the answer's headers.
    :raises InvalidResponse: a key is missing, ``logs`` is not an array of objects or a log has
        no ``__time__``.
    """

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        missing = [key for key in _REQUIRED if not isinstance(resp, Mapping) or key not in resp]
        rows = resp.get("logs") if isinstance(resp, Mapping) else None
        if missing or not isinstance(rows, list) or not all(isinstance(r, Mapping) and "__time__" in r for r in rows):
            problem = f"missing {', '.join(missing)}" if missing else "logs must be objects with a __time__"
            raise make_exception(
                "InvalidResponse",
                f"GetContextLogs answer is malformed ({problem}): {str(resp)[:200]}",
                str(header_value(header, "x-log-requestid", "") or ""),
                200,
                dict(header),
                resp,
            )
        self.progress = str(resp["progress"])
        self.total_lines = resp["total_lines"]
        self.back_lines = resp["back_lines"]
        self.forward_lines = resp["forward_lines"]
        self.logs = [QueriedLog.from_row(row) for row in rows]

    def get_total_lines(self) -> int:
        """Logs returned, the start log included."""
        return int(self.total_lines)

    def get_back_lines(self) -> int:
        """Logs returned from before the start log."""
        return int(self.back_lines)

    def get_forward_lines(self) -> int:
        """Logs returned from after the start log."""
        return int(self.forward_lines)

    def get_progress(self) -> str:
        """``Complete`` or ``Incomplete``."""
        return self.progress

    def is_completed(self) -> bool:
        """Whether the answer is final (``progress == "Complete"``)."""
        return self.progress == "Complete"

    def get_logs(self) -> list[QueriedLog]:
        """The logs, in context order."""
        return self.logs

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("total_lines", self.total_lines),
            ("back_lines", self.back_lines),
            ("forward_lines", self.forward_lines),
            ("progress", self.progress),
            ("logs", [{"__time__": q.get_time(), "__source__": q.get_source(), **q.get_contents()} for q in self.logs]),
        ]
