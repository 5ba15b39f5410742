"""The REST objects of the domain's state: how a shard, a consumer group or a shipper task looks
in an answer. Services return their own objects; handlers render them with these functions."""

from __future__ import annotations

from typing import Any

from ..service.consumer import GroupState
from ..service.shipper_schedule import SimulatedTask
from ..service.shippers import TaskPage
from ..service.state import ShardState

__all__ = ["consumer_group", "shard", "shipper_task_page"]


def shard(state: ShardState) -> dict[str, Any]:
    """A shard as ListShards, SplitShard and MergeShards show it."""
    return {
        "shardID": state.shard_id,
        "status": state.status,
        "inclusiveBeginKey": state.begin_key,
        "exclusiveEndKey": state.end_key,
        "createTime": state.create_time,
    }


def consumer_group(group: GroupState) -> dict[str, Any]:
    """A consumer group as ListConsumerGroup shows it."""
    return {"name": group.name, "timeout": group.timeout, "order": group.order}


def _shipper_task(task: SimulatedTask) -> dict[str, Any]:
    return {
        "id": task.task_id,
        "taskStatus": task.status,
        "taskMessage": task.message,
        "taskCreateTime": task.create_time,
        "taskLastDataReceiveTime": task.last_data_receive_time,
        "taskFinishTime": task.finish_time,
    }


def shipper_task_page(found: TaskPage) -> dict[str, Any]:
    """A GetShipperTasks answer: one page of tasks and the counts per status of the whole range."""
    return {
        "count": len(found.tasks),
        "total": found.total,
        "statistics": found.statistics,
        "tasks": [_shipper_task(task) for task in found.tasks],
    }
