"""Consumer group model (:class:`ConsumerGroupEntity`) and the responses of the consumer group calls."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from .logresponse import LogResponse

__all__ = [
    "ConsumerGroupCheckPointResponse",
    "ConsumerGroupEntity",
    "ConsumerGroupHeartBeatResponse",
    "ConsumerGroupUpdateCheckPointResponse",
    "CreateConsumerGroupResponse",
    "DeleteConsumerGroupResponse",
    "ListConsumerGroupResponse",
    "UpdateConsumerGroupResponse",
]


class ConsumerGroupEntity:
    """A consumer group's settings.

    :param consumer_group_name: the group name.
    :param timeout: seconds without heartbeat after which a consumer is dropped from the group.
    :param in_order: hand out a split/merged shard's children only after its data was consumed.
    """

    def __init__(self, consumer_group_name: str, timeout: int, in_order: bool = False) -> None:
        self.consumer_group_name = consumer_group_name
        self.timeout = timeout
        self.in_order = in_order

    def get_consumer_group_name(self) -> str:
        """The group name."""
        return self.consumer_group_name

    def set_consumer_group_name(self, consumer_group_name: str) -> None:
        """Set the group name."""
        self.consumer_group_name = consumer_group_name

    def get_timeout(self) -> int:
        """Heartbeat timeout in seconds."""
        return self.timeout

    def set_timeout(self, timeout: int) -> None:
        """Set the heartbeat timeout in seconds."""
        self.timeout = timeout

    def is_in_order(self) -> bool:
        """Whether children shards wait for their parents."""
        return self.in_order

    def set_in_order(self, in_order: bool) -> None:
        """Set whether children shards wait for their parents."""
        self.in_order = in_order

    def to_request_json(self) -> bytes:
        """The CreateConsumerGroup body."""
        return json.dumps(
            {"consumerGroup": self.consumer_group_name, "timeout": self.timeout, "order": self.in_order}
        ).encode("utf-8")

    def to_string(self) -> str:
        """A one-line description."""
        return (
            f"ConsumerGroup [consumerGroupName={self.consumer_group_name}, timeout={self.timeout}, "
            f"inOrder={self.in_order}]"
        )

    def __repr__(self) -> str:
        return self.to_string()


class CreateConsumerGroupResponse(LogResponse):
    """Answer of ``create_consumer_group``."""

    def __init__(self, headers: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(headers, resp)


class UpdateConsumerGroupResponse(LogResponse):
    """Answer of ``update_consumer_group``."""

    def __init__(self, headers: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(headers, resp)


class DeleteConsumerGroupResponse(LogResponse):
    """Answer of ``delete_consumer_group``."""

    def __init__(self, headers: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(headers, resp)


class ConsumerGroupUpdateCheckPointResponse(LogResponse):
    """Answer of ``update_check_point``."""

    def __init__(self, headers: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(headers, resp)


class ListConsumerGroupResponse(LogResponse):
    """Answer of ``list_consumer_group``: the groups as :class:`ConsumerGroupEntity` objects."""

    def __init__(self, resp: Optional[Sequence[Mapping[str, Any]]], headers: Mapping[str, Any]) -> None:
        super().__init__(headers, resp)
        items = list(resp or [])
        self.resp = items
        self.consumer_groups = [
            ConsumerGroupEntity(item["name"], item["timeout"], bool(item.get("order", False))) for item in items
        ]

    def get_count(self) -> int:
        """Number of groups."""
        return len(self.consumer_groups)

    @property
    def count(self) -> int:
        """Number of groups."""
        return len(self.consumer_groups)

    def get_consumer_groups(self) -> list[ConsumerGroupEntity]:
        """The groups."""
        return self.consumer_groups

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("consumer_groups", self.resp)]


class ConsumerGroupCheckPointResponse(LogResponse):
    """Answer of ``get_check_point``: one dict per shard.

    Each is ``{"shard": int, "checkpoint": cursor ("" when none yet), "updateTime": µs, "consumer": name}``.
    """

    def __init__(self, resp: Optional[Sequence[Mapping[str, Any]]], headers: Mapping[str, Any]) -> None:
        super().__init__(headers, resp)
        self.check_points: list[dict[str, Any]] = [dict(item) for item in (resp or [])]

    def get_count(self) -> int:
        """Number of checkpoints."""
        return len(self.check_points)

    @property
    def count(self) -> int:
        """Number of checkpoints."""
        return len(self.check_points)

    def get_consumer_group_check_points(self) -> list[dict[str, Any]]:
        """The checkpoints."""
        return self.check_points

    @property
    def consumer_group_check_poins(self) -> list[dict[str, Any]]:
        """The checkpoints, under the official SDK's attribute spelling."""
        return self.check_points

    @consumer_group_check_poins.setter
    def consumer_group_check_poins(self, value: list[dict[str, Any]]) -> None:
        self.check_points = value

    def check_checkpoint(self, client: Any, project_name: str, logstore_name: str) -> None:
        """Add ``checkpoint_previous_cursor_time`` (receive time of the last consumed group) to every
        non-empty checkpoint, asking ``client.get_previous_cursor_time``."""
        for item in self.check_points:
            cursor = item.get("checkpoint")
            if cursor:
                answer = client.get_previous_cursor_time(project_name, logstore_name, item["shard"], cursor)
                item["checkpoint_previous_cursor_time"] = answer.get_cursor_time()

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("consumer_group_check_points", self.check_points)]


class ConsumerGroupHeartBeatResponse(LogResponse):
    """Answer of ``heart_beat``: the shards the server assigns to the consumer."""

    def __init__(self, resp: Optional[Sequence[int]], headers: Mapping[str, Any]) -> None:
        super().__init__(headers, resp)
        self.shards: list[int] = [int(s) for s in (resp or [])]

    def get_shards(self) -> list[int]:
        """Shard ids assigned to the consumer."""
        return self.shards

    def set_shards(self, shards: Sequence[int]) -> None:
        """Replace the shard list."""
        self.shards = list(shards)

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("shards", self.shards)]
