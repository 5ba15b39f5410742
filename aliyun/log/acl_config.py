"""An access-control entry: an Alibaba Cloud account id and the privileges granted to it."""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["AclConfig"]


class AclConfig:
    """Grant ``privilege_list`` (e.g. ``["READ", "WRITE"]``) to account ``aliyun_id``.

    The account is kept in the official attribute name ``principle``.
    """

    def __init__(self, aliyun_id: str, privilege_list: Optional[list[str]] = None) -> None:
        self.principle = aliyun_id
        self.privilege_list: list[str] = list(privilege_list or [])

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``{"principle": ..., "privilege": [...]}``)."""
        return {"principle": self.principle, "privilege": self.privilege_list}

    def from_json(self, json_value: dict[str, Any]) -> None:
        """Load the JSON form into this object."""
        self.principle = json_value["principle"]
        self.privilege_list = list(json_value.get("privilege") or [])
