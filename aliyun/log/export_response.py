"""Answers of the export job calls (logstore to OSS / MaxCompute)."""

from __future__ import annotations

from typing import Any

from ._responses import AckResponse, DocumentResponse, ResultsPage

__all__ = [
    "CreateExportResponse",
    "DeleteExportResponse",
    "GetExportResponse",
    "ListExportResponse",
    "UpdateExportResponse",
]


class CreateExportResponse(AckResponse):
    """Answer of ``create_export``."""


class DeleteExportResponse(AckResponse):
    """Answer of ``delete_export``."""


class UpdateExportResponse(AckResponse):
    """Answer of ``update_export``."""


class GetExportResponse(DocumentResponse):
    """One export job's JSON document."""

    document_name = "export"

    def get_export(self) -> Any:
        """The job's JSON document."""
        return self.body


class ListExportResponse(ResultsPage):
    """One page of export jobs (``results``)."""

    def get_exports(self) -> list[Any]:
        """The jobs of this page."""
        return self._items
