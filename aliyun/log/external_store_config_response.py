"""Answers of the external store calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse, ResultsPage
from .external_store_config import ExternalStoreConfigBase
from .logresponse import LogResponse, json_or_empty

__all__ = [
    "CreateExternalStoreResponse",
    "DeleteExternalStoreResponse",
    "GetExternalStoreResponse",
    "ListExternalStoreResponse",
    "UpdateExternalStoreResponse",
]


class CreateExternalStoreResponse(AckResponse):
    """Answer of ``create_external_store``."""


class DeleteExternalStoreResponse(AckResponse):
    """Answer of ``delete_external_store``."""


class UpdateExternalStoreResponse(AckResponse):
    """Answer of ``update_external_store``."""


class GetExternalStoreResponse(LogResponse):
    """One external store, as the configuration class of its type."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.externalStoreConfig = ExternalStoreConfigBase.from_json(body)

    def get_external_store_config(self) -> ExternalStoreConfigBase:
        """The store's configuration (:class:`~aliyun.log.ExternalStoreConfig`, OSS or CSV)."""
        return self.externalStoreConfig

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("external_store", self.externalStoreConfig.to_json())]


class ListExternalStoreResponse(ResultsPage):
    """One page of external store names (``externalstores``)."""

    items_key = "externalstores"

    def get_logstores(self) -> list[Any]:
        """The store names of this page (official name)."""
        return self._items

    def get_logstores_count(self) -> int:
        """Same as :meth:`get_count`."""
        return self.count

    def get_logstores_total(self) -> int:
        """Same as :meth:`get_total`."""
        return self.get_total()

    @property
    def logstores(self) -> list[Any]:
        """The store names of this page (the official attribute)."""
        return self._items

    @property
    def total_count(self) -> int:
        """Same as :meth:`get_total` (the official attribute)."""
        return self.get_total()
