"""Request objects of the consumer group calls (kept for code that builds them; ``LogClient``'s
consumer group methods take plain arguments)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Optional

from .logrequest import LogRequest

if TYPE_CHECKING:
    from .consumer_group_response import ConsumerGroupEntity

__all__ = [
    "ConsumerGroupGetCheckPointRequest",
    "ConsumerGroupHeartBeatRequest",
    "ConsumerGroupRequest",
    "ConsumerGroupUpdateCheckPointRequest",
    "CreateConsumerGroupRequest",
]


class ConsumerGroupRequest(LogRequest):
    """A request addressed to a logstore's consumer groups."""

    def __init__(self, project: Optional[str], logstore: Optional[str]) -> None:
        super().__init__(project)
        self.logstore = logstore

    def get_logstore(self) -> Optional[str]:
        """The logstore name."""
        return self.logstore

    def set_logstore(self, logstore: str) -> None:
        """Set the logstore name."""
        self.logstore = logstore


class CreateConsumerGroupRequest(ConsumerGroupRequest):
    """Create a consumer group described by a :class:`~aliyun.log.ConsumerGroupEntity`."""

    def __init__(self, project: Optional[str], logstore: Optional[str], consumer_group: ConsumerGroupEntity) -> None:
        super().__init__(project, logstore)
        self.consumer_group = consumer_group

    def get_consumer_group(self) -> ConsumerGroupEntity:
        """The group to create."""
        return self.consumer_group

    def set_consumer_group(self, consumer_group: ConsumerGroupEntity) -> None:
        """Replace the group to create."""
        self.consumer_group = consumer_group

    #: the official spelling, kept as an alias
    set_consuemr_group = set_consumer_group


class ConsumerGroupHeartBeatRequest(ConsumerGroupRequest):
    """A heartbeat of ``consumer`` listing the shards it holds."""

    def __init__(
        self,
        project: Optional[str],
        logstore: Optional[str],
        consumer_group: str,
        consumer: str,
        shards: Optional[Iterable[int]],
    ) -> None:
        super().__init__(project, logstore)
        self.consumer_group = consumer_group
        self.consumer = consumer
        self.shards = list(shards or [])

    def get_params(self) -> dict[str, Any]:
        """Query parameters of the call."""
        return {"type": "heartbeat", "consumer": self.consumer}

    def get_shards(self) -> list[int]:
        """The shards the consumer holds."""
        return self.shards

    def set_shards(self, shards: Iterable[int]) -> None:
        """Replace the held shards."""
        self.shards = list(shards)

    def get_request_body(self) -> bytes:
        """The body: a bare JSON array of shard ids."""
        return json.dumps([int(s) for s in self.shards]).encode("utf-8")


class ConsumerGroupGetCheckPointRequest(ConsumerGroupRequest):
    """Read the checkpoint of one shard (``shard >= 0``) or of all shards."""

    def __init__(self, project: Optional[str], logstore: Optional[str], consumer_group: str, shard: int = -1) -> None:
        super().__init__(project, logstore)
        self.consumer_group = consumer_group
        self.shard = shard

    def get_params(self) -> dict[str, Any]:
        """Query parameters of the call (``shard`` only when one shard is asked for)."""
        return {"shard": int(self.shard)} if self.shard is not None and int(self.shard) >= 0 else {}

    def get_consumer_group(self) -> str:
        """The group name."""
        return self.consumer_group

    def set_consumer_group(self, consumer_group: str) -> None:
        """Set the group name."""
        self.consumer_group = consumer_group


class ConsumerGroupUpdateCheckPointRequest(ConsumerGroupRequest):
    """Store the checkpoint of one shard."""

    def __init__(
        self,
        project: Optional[str],
        logstore: Optional[str],
        consumer_group: str,
        consumer: str,
        shard: int,
        check_point: str,
        force_success: bool = True,
    ) -> None:
        super().__init__(project, logstore)
        self.consumer_group = consumer_group
        self.consumer = consumer
        self.shard = shard
        self.check_point = check_point
        self.force_success = force_success

    def get_consumer_group(self) -> str:
        """The group name."""
        return self.consumer_group

    def set_consumer_group(self, consumer_group: str) -> None:
        """Set the group name."""
        self.consumer_group = consumer_group

    def get_request_body(self) -> bytes:
        """The body: ``{"shard": int, "checkpoint": cursor}``."""
        return json.dumps({"shard": int(self.shard), "checkpoint": self.check_point}).encode("utf-8")

    def get_request_params(self) -> dict[str, Any]:
        """Query parameters of the call."""
        return {"type": "checkpoint", "consumer": self.consumer, "forceSuccess": bool(self.force_success)}
