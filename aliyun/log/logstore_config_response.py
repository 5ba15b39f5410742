"""Responses of the logstore calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .logresponse import LogResponse, PagedListResponse

__all__ = [
    "CreateLogStoreResponse",
    "DeleteLogStoreResponse",
    "GetLogStoreResponse",
    "ListLogStoreResponse",
    "UpdateLogStoreResponse",
]


class CreateLogStoreResponse(LogResponse):
    """Answer of ``create_logstore``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class DeleteLogStoreResponse(LogResponse):
    """Answer of ``delete_logstore``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class UpdateLogStoreResponse(LogResponse):
    """Answer of ``update_logstore``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class GetLogStoreResponse(LogResponse):
    """Answer of ``get_logstore``: the logstore's settings."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.logstore_name = str(resp.get("logstoreName", ""))
        self.ttl = int(resp.get("ttl", 0))
        self.shard_count = int(resp.get("shardCount", 0))
        self.enable_tracking = bool(resp.get("enable_tracking", False))
        self.append_meta = bool(resp.get("appendMeta", False))
        self.auto_split = bool(resp.get("autoSplit", False))
        self.max_split_shard = int(resp.get("maxSplitShard", 0))
        self.preserve_storage = self.ttl >= 3650
        self.hot_ttl = int(resp.get("hot_ttl", -1))
        self.mode: Optional[str] = resp.get("mode")
        self.telemetry_type = str(resp.get("telemetryType", ""))
        self.encrypt_conf: Optional[dict[str, Any]] = resp.get("encrypt_conf")
        self.infrequent_access_ttl = int(resp.get("infrequentAccessTTL", -1))
        self.enable_modify = bool(resp.get("enableModify", False))
        self.create_time = resp.get("createTime")
        self.last_modify_time = resp.get("lastModifyTime")

    def get_logstore_name(self) -> str:
        """The logstore's name."""
        return self.logstore_name

    def get_ttl(self) -> int:
        """Retention in days (3650 = permanent)."""
        return self.ttl

    def get_shard_count(self) -> int:
        """Number of read-write shards."""
        return self.shard_count

    def get_enable_tracking(self) -> bool:
        """Whether web tracking is enabled."""
        return self.enable_tracking

    def get_hot_ttl(self) -> int:
        """Hot-storage retention in days (-1 when not set)."""
        return self.hot_ttl

    def get_encrypt_conf(self) -> Optional[dict[str, Any]]:
        """Encryption settings, if any."""
        return self.encrypt_conf

    def get_enable_modify(self) -> bool:
        """Whether log modification is enabled."""
        return self.enable_modify

    def get_append_meta(self) -> bool:
        """Whether the service adds receive time and client IP as tags."""
        return self.append_meta

    def get_auto_split(self) -> bool:
        """Whether shards split automatically."""
        return self.auto_split

    def get_max_split_shard(self) -> int:
        """Upper bound for automatic splitting."""
        return self.max_split_shard

    def get_mode(self) -> Optional[str]:
        """``standard``, ``query`` or ``None``."""
        return self.mode

    def get_telemetry_type(self) -> str:
        """``''`` for logs, ``Metrics`` for a metric store."""
        return self.telemetry_type

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("logstore_name", self.logstore_name),
            ("ttl", self.ttl),
            ("shard_count", self.shard_count),
            ("enable_tracking", self.enable_tracking),
            ("append_meta", self.append_meta),
            ("auto_split", self.auto_split),
            ("max_split_shard", self.max_split_shard),
        ]


class ListLogStoreResponse(PagedListResponse):
    """Answer of ``list_logstore``: one page of logstore names."""

    items_key = "logstores"

    @property
    def logstores(self) -> list[str]:
        """Logstore names of this page."""
        return self._items

    def get_logstores(self) -> list[str]:
        """Logstore names of this page."""
        return self._items

    def get_logstores_count(self) -> int:
        """Number of names in this page."""
        return self.count

    def get_logstores_total(self) -> int:
        """Number of matching logstores in all pages."""
        return self._total
