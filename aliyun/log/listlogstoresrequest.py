"""``ListLogstoresRequest``: the request-object form of listing logstores."""

from __future__ import annotations

from typing import Optional

from .logrequest import LogRequest

__all__ = ["ListLogstoresRequest"]


class ListLogstoresRequest(LogRequest):
    """List every logstore of ``project`` (``client.list_logstores(request)``)."""

    def __init__(self, project: Optional[str] = None) -> None:
        super().__init__(project)
