"""The response type of migration results (official name)."""

from __future__ import annotations

from typing import Any, Optional

from ..logresponse import LogResponse

__all__ = ["MigrationResponse"]


class MigrationResponse(LogResponse):
    """A :class:`~aliyun.log.LogResponse` whose body is a migration's result."""

    def __init__(self, headers: Optional[dict[str, Any]] = None, resp: Any = "") -> None:
        super().__init__(headers or {}, resp)
