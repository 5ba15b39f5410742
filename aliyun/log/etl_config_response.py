"""Answers of the ETL (data transformation) job calls."""

from __future__ import annotations

from typing import Any

from ._responses import AckResponse, DocumentResponse, ResultsPage

__all__ = [
    "CreateEtlResponse",
    "DeleteEtlResponse",
    "GetEtlResponse",
    "ListEtlsResponse",
    "StartEtlResponse",
    "StopEtlResponse",
    "UpdateEtlResponse",
]


class CreateEtlResponse(AckResponse):
    """Answer of ``create_etl``."""


class DeleteEtlResponse(AckResponse):
    """Answer of ``delete_etl``."""


class UpdateEtlResponse(AckResponse):
    """Answer of ``update_etl``."""


class StartEtlResponse(AckResponse):
    """Answer of ``start_etl``."""


class StopEtlResponse(AckResponse):
    """Answer of ``stop_etl``."""


class GetEtlResponse(DocumentResponse):
    """One ETL job's JSON document."""

    document_name = "etl"

    def get_etl(self) -> Any:
        """The job's JSON document."""
        return self.body


class ListEtlsResponse(ResultsPage):
    """One page of ETL jobs (``results``)."""

    def get_etls(self) -> list[Any]:
        """The jobs of this page."""
        return self._items
