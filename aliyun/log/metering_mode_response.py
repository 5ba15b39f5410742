"""Answers of the metering-mode calls of logstores and metricstores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse
from .logresponse import LogResponse, json_or_empty

__all__ = [
    "GetLogStoreMeteringModeResponse",
    "GetMetricStoreMeteringModeResponse",
    "UpdateLogStoreMeteringModeResponse",
    "UpdateMetricStoreMeteringModeResponse",
]


class GetLogStoreMeteringModeResponse(LogResponse):
    """The logstore's ``meteringMode`` (``ChargeByFunction`` or ``ChargeByDataIngest``)."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.metering_mode = str(body.get("meteringMode", ""))

    def get_metering_mode(self) -> str:
        """The metering mode."""
        return self.metering_mode

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("metering_mode", self.metering_mode)]


class GetMetricStoreMeteringModeResponse(GetLogStoreMeteringModeResponse):
    """The metricstore's ``meteringMode``."""


class UpdateLogStoreMeteringModeResponse(AckResponse):
    """Answer of ``update_logstore_metering_mode``."""


class UpdateMetricStoreMeteringModeResponse(AckResponse):
    """Answer of ``update_metric_store_metering_mode``."""
