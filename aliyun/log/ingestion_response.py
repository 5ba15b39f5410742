"""Answers of the ingestion job calls (importing data from OSS, Kafka, databases...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse, ResultsPage
from .logresponse import LogResponse, json_or_empty

__all__ = [
    "CreateIngestionResponse",
    "DeleteIngestionResponse",
    "GetIngestionResponse",
    "ListIngestionResponse",
    "RestartIngestionResponse",
    "StartIngestionResponse",
    "StopIngestionResponse",
    "UpdateIngestionResponse",
]


class CreateIngestionResponse(AckResponse):
    """Answer of ``create_ingestion``."""


class UpdateIngestionResponse(AckResponse):
    """Answer of ``update_ingestion``."""


class DeleteIngestionResponse(AckResponse):
    """Answer of ``delete_ingestion``."""


class StartIngestionResponse(AckResponse):
    """Answer of ``start_ingestion``."""


class StopIngestionResponse(AckResponse):
    """Answer of ``stop_ingestion``."""


class RestartIngestionResponse(AckResponse):
    """Answer of ``restart_ingestion``."""


class GetIngestionResponse(LogResponse):
    """One ingestion job's JSON document."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        super().__init__(header, json_or_empty(resp))

    def get_ingestion(self) -> Any:
        """The job's JSON document."""
        return self.body

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("ingestion", self.body)]


class ListIngestionResponse(ResultsPage):
    """One page of ingestion jobs (``results``)."""

    def get_ingestions(self) -> list[Any]:
        """The jobs of this page."""
        return self._items
