"""Answers of the logstore multimodal configuration calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ._responses import AckResponse
from .logresponse import LogResponse, json_or_empty

__all__ = ["GetLogStoreMultimodalConfigurationResponse", "PutLogStoreMultimodalConfigurationResponse"]


class GetLogStoreMultimodalConfigurationResponse(LogResponse):
    """The configuration's ``status`` and, when set, ``anonymousWrite``."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.status = str(body.get("status", ""))
        value = body.get("anonymousWrite")
        self.anonymous_write: Optional[str] = None if value is None else str(value)

    def get_status(self) -> str:
        """``Enabled`` or ``Disabled``."""
        return self.status

    def get_anonymous_write(self) -> Optional[str]:
        """Whether anonymous writes are allowed (``None`` when the answer does not say)."""
        return self.anonymous_write

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("status", self.status), ("anonymous_write", self.anonymous_write)]


class PutLogStoreMultimodalConfigurationResponse(AckResponse):
    """Answer of ``put_logstore_multimodal_configuration``."""
