"""Answers of the resource policy calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse
from .logresponse import LogResponse, json_or_empty

__all__ = ["DeleteResourcePolicyResponse", "GetResourcePolicyResponse", "PutResourcePolicyResponse"]


class PutResourcePolicyResponse(AckResponse):
    """Answer of ``put_resource_policy``."""


class DeleteResourcePolicyResponse(AckResponse):
    """Answer of ``delete_resource_policy``."""


class GetResourcePolicyResponse(LogResponse):
    """A resource's policy document with its revision and times."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.resource_type = str(body.get("resourceType", ""))
        self.resource_name = str(body.get("resourceName", ""))
        self.policy_document = body.get("policyDocument", "")
        self.revision = int(body.get("revision", 0) or 0)
        self.create_time = int(body.get("createTime", 0) or 0)
        self.update_time = int(body.get("updateTime", 0) or 0)

    def get_resource_type(self) -> str:
        """``project`` or ``logstore``."""
        return self.resource_type

    def get_resource_name(self) -> str:
        """The resource's name (``''`` for a project policy)."""
        return self.resource_name

    def get_policy_document(self) -> Any:
        """The policy document (a JSON text)."""
        return self.policy_document

    def get_revision(self) -> int:
        """The policy's revision number."""
        return self.revision

    def get_create_time(self) -> int:
        """Creation time, Unix seconds."""
        return self.create_time

    def get_update_time(self) -> int:
        """Last update time, Unix seconds."""
        return self.update_time

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("resource_type", self.resource_type),
            ("resource_name", self.resource_name),
            ("policy_document", self.policy_document),
            ("revision", self.revision),
        ]
