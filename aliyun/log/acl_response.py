"""Answers of the ACL calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import AckResponse
from .acl_config import AclConfig
from .logresponse import LogResponse, json_or_empty

__all__ = ["ListAclResponse", "UpdateAclResponse"]


class UpdateAclResponse(AckResponse):
    """Answer of an ACL update."""


class ListAclResponse(LogResponse):
    """The ACL entries (``acls``) as :class:`~aliyun.log.acl_config.AclConfig` objects."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.count = int(body.get("count", 0))
        self.total = int(body.get("total", 0))
        self.acl_list: list[AclConfig] = []
        for entry in body.get("acls") or []:
            acl = AclConfig("")
            acl.from_json(entry)
            self.acl_list.append(acl)

    def get_acl_count(self) -> int:
        """Entries in this answer."""
        return self.count

    def get_acl_list(self) -> list[AclConfig]:
        """The entries."""
        return self.acl_list

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self.total), ("acls", [a.to_json() for a in self.acl_list])]
