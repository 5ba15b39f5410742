"""Answer of ``get_project_tags``: a project's tags as a dict.

Also importable as ``aliyun.log.project_response.GetProjectTagsResponse`` (its official place).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, json_or_empty

__all__ = ["GetProjectTagsResponse"]


class GetProjectTagsResponse(LogResponse):
    """The tags of one project (``{key: value}``) and the ``nextToken`` of the next page."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self._next_token = str(body.get("nextToken", "") or "")
        self._tags = {t.get("tagKey", ""): t.get("tagValue", "") for t in body.get("tagResources") or []}

    def get_tags(self) -> dict[str, str]:
        """The tags, key to value."""
        return self._tags

    @property
    def next_token(self) -> str:
        """Token of the next page (``''`` on the last one)."""
        return self._next_token

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("tags", self._tags), ("next_token", self._next_token)]
