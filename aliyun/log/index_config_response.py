"""Responses of the index calls (``create_index``, ``update_index``, ``delete_index``, ``get_index_config``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .index_config import IndexConfig
from .logresponse import LogResponse

__all__ = ["CreateIndexResponse", "DeleteIndexResponse", "GetIndexResponse", "UpdateIndexResponse"]


class CreateIndexResponse(LogResponse):
    """Answer of ``create_index``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class UpdateIndexResponse(LogResponse):
    """Answer of ``update_index``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class DeleteIndexResponse(LogResponse):
    """Answer of ``delete_index``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class GetIndexResponse(LogResponse):
    """Answer of ``get_index_config``: the logstore's index as an :class:`~aliyun.log.IndexConfig`."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.index_config = IndexConfig().from_json(resp or {})

    def get_index_config(self) -> IndexConfig:
        """The index configuration."""
        return self.index_config

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("index_config", self.index_config.to_json())]
