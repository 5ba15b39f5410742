"""Tags on resources (projects, logstores...) and the answer listing them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, json_or_empty

__all__ = ["GetResourceTagsResponse", "Tag"]


class Tag:
    """Tag ``tag_key=tag_value`` on resource ``resource_id`` of ``resource_type``.

    The id is also kept in the official attribute spelling ``resourc_id``.
    """

    def __init__(self, resource_id: str, resource_type: str, tag_key: str, tag_value: str) -> None:
        self.resourc_id = resource_id
        self.resource_type = resource_type
        self.tag_key = tag_key
        self.tag_value = tag_value

    def get_resource_id(self) -> str:
        """The tagged resource's id."""
        return self.resourc_id

    def get_resource_type(self) -> str:
        """The tagged resource's type (``project``...)."""
        return self.resource_type

    def get_tag_key(self) -> str:
        """The tag key."""
        return self.tag_key

    def get_tag_value(self) -> str:
        """The tag value."""
        return self.tag_value

    def _key(self) -> tuple[str, str, str, str]:
        return (self.resourc_id, self.resource_type, self.tag_key, self.tag_value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tag) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Tag({self.resourc_id!r}, {self.resource_type!r}, {self.tag_key!r}, {self.tag_value!r})"


class GetResourceTagsResponse(LogResponse):
    """One page of tagged resources (``tagResources``) and the ``nextToken`` of the next page."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self._next_token = body.get("nextToken", "")
        self._tags = {
            Tag(t.get("resourceId", ""), t.get("resourceType", ""), t.get("tagKey", ""), t.get("tagValue", ""))
            for t in body.get("tagResources") or []
        }

    def get_tags(self) -> set[Tag]:
        """The tags of this page."""
        return self._tags

    def get_next_token(self) -> str:
        """Token of the next page (``''`` on the last one)."""
        return str(self._next_token or "")

    @property
    def next_token(self) -> str:
        """Token of the next page (``''`` on the last one), the official attribute."""
        return self.get_next_token()

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("next_token", self._next_token), ("tags", [list(t._key()) for t in self._tags])]
