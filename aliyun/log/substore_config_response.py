"""Answers of the substore calls (the parts of a metricstore) and of ``create_metric_store``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse
from .logresponse import LogResponse, json_or_empty

__all__ = [
    "CreateMetricsStoreResponse",
    "CreateSubStoreResponse",
    "DeleteSubStoreResponse",
    "GetSubStoreResponse",
    "GetSubStoreTTLResponse",
    "ListSubStoreResponse",
    "UpdateSubStoreResponse",
    "UpdateSubStoreTTLResponse",
]


class CreateSubStoreResponse(AckResponse):
    """Answer of ``create_substore``."""


class DeleteSubStoreResponse(AckResponse):
    """Answer of ``delete_substore``."""


class UpdateSubStoreResponse(AckResponse):
    """Answer of ``update_substore``."""


class UpdateSubStoreTTLResponse(AckResponse):
    """Answer of ``update_substore_ttl``."""


class GetSubStoreResponse(LogResponse):
    """A substore: name, ttl, sorted key count, time index and keys."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.substore_name = str(body.get("name", ""))
        self.ttl = int(body.get("ttl", 0) or 0)
        self.sorted_key_count = int(body.get("sortedKeyCount", 0) or 0)
        self.time_index = int(body.get("timeIndex", 0) or 0)
        self.keys: list[Any] = list(body.get("keys") or [])

    def get_substore_name(self) -> str:
        """The substore's name."""
        return self.substore_name

    def get_ttl(self) -> int:
        """Retention in days."""
        return self.ttl

    def get_sorted_key_count(self) -> int:
        """How many leading keys are sorted."""
        return self.sorted_key_count

    def get_time_index(self) -> int:
        """Position of the time key."""
        return self.time_index

    def get_keys(self) -> list[Any]:
        """The keys (name, type)."""
        return self.keys

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("name", self.substore_name), ("ttl", self.ttl), ("keys", self.keys)]


class ListSubStoreResponse(LogResponse):
    """The substore names of a metricstore (``substores``)."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self._substores: list[Any] = list(body.get("substores") or [])

    def get_substores(self) -> list[Any]:
        """The substore names."""
        return self._substores

    @property
    def substores(self) -> list[Any]:
        """Same as :meth:`get_substores`."""
        return self._substores

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("substores", self._substores)]


class GetSubStoreTTLResponse(LogResponse):
    """A metricstore's retention (``ttl`` in days)."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.ttl = int(body.get("ttl", 0) or 0)

    def get_ttl(self) -> int:
        """Retention in days."""
        return self.ttl

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("ttl", self.ttl)]


class CreateMetricsStoreResponse:
    """Answer of ``create_metric_store``: the logstore creation's answer and the substore's."""

    def __init__(self, logstore_response: LogResponse, substore_response: LogResponse) -> None:
        self.logstore_response = logstore_response
        self.substore_response = substore_response

    def get_logstore_response(self) -> LogResponse:
        """Answer of the logstore creation."""
        return self.logstore_response

    def get_substore_response(self) -> LogResponse:
        """Answer of the substore creation."""
        return self.substore_response

    def log_print(self) -> None:
        """Print both answers."""
        self.logstore_response.log_print()
        self.substore_response.log_print()
