"""Answer of ``put_logs`` and ``put_log_raw``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse

__all__ = ["PutLogsResponse"]


class PutLogsResponse(LogResponse):
    """The logs were accepted (HTTP 200)."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)
