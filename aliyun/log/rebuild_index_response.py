"""Answers of the rebuild-index job calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import HeaderFirstAck
from .logresponse import LogResponse, json_or_empty

__all__ = ["CreateRebuildIndexResponse", "GetRebuildIndexResponse"]


class CreateRebuildIndexResponse(HeaderFirstAck):
    """Answer of ``create_rebuild_index``."""


class GetRebuildIndexResponse(LogResponse):
    """A rebuild-index job: ``status``, ``executionDetails`` and its ``configuration``."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self._status = body.get("status")
        self._execution_details = body.get("executionDetails")
        self._configuration = body.get("configuration")

    def get_status(self) -> Any:
        """The job status."""
        return self._status

    def get_execution_details(self) -> Any:
        """Progress details (``None`` when absent)."""
        return self._execution_details

    def get_configuration(self) -> Any:
        """What is rebuilt (logstore, time range)."""
        return self._configuration

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("status", self._status),
            ("execution_details", self._execution_details),
            ("configuration", self._configuration),
        ]
