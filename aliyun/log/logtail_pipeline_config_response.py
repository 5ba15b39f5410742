"""Answers of the Logtail pipeline configuration calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse, ResultsPage
from .logresponse import LogResponse, json_or_empty
from .logtail_pipeline_config_detail import LogtailPipelineConfigDetail

__all__ = [
    "CreateLogtailPipelineConfigResponse",
    "DeleteLogtailPipelineConfigResponse",
    "GetLogtailPipelineConfigResponse",
    "ListLogtailPipelineConfigResponse",
    "UpdateLogtailPipelineConfigResponse",
]


class CreateLogtailPipelineConfigResponse(AckResponse):
    """Answer of ``create_logtail_pipeline_config``."""


class DeleteLogtailPipelineConfigResponse(AckResponse):
    """Answer of ``delete_logtail_pipeline_config``."""


class UpdateLogtailPipelineConfigResponse(AckResponse):
    """Answer of ``update_logtail_pipeline_config``."""


class GetLogtailPipelineConfigResponse(LogResponse):
    """One pipeline configuration as a :class:`LogtailPipelineConfigDetail`."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.pipeline_config = LogtailPipelineConfigDetail.from_json(body)

    def get_pipeline_config(self) -> LogtailPipelineConfigDetail:
        """The configuration."""
        return self.pipeline_config

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("pipeline_config", self.pipeline_config.to_json())]


class ListLogtailPipelineConfigResponse(ResultsPage):
    """One page of configuration names (``configs``)."""

    items_key = "configs"

    def get_configs(self) -> list[Any]:
        """The configuration names of this page."""
        return self._items

    @property
    def configs(self) -> list[Any]:
        """Same as :meth:`get_configs` (the official attribute)."""
        return self._items
