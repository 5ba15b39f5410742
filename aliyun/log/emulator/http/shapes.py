"""The REST objects of the domain's state: how a shard, a consumer group or a shipper task looks
in an answer. Services return their own objects; handlers render them with these functions."""

from __future__ import annotations

from typing import Any

from ..query import QueryResult
from ..service.consumer import GroupState
from ..service.documents import DocumentPage
from ..service.paging import Page
from ..service.shipper_schedule import SimulatedTask
from ..service.shippers import TaskPage
from ..service.state import ShardState

__all__ = ["consumer_group", "document_listing", "listing", "query_meta", "shard", "shipper_task_page"]


def listing(key: str, found: Page[Any]) -> dict[str, Any]:
    """A list answer: ``{"count": <items on this page>, "total": <items in all>, key: items}``."""
    return {"count": len(found.items), "total": found.total, key: found.items}


def document_listing(listing: DocumentPage) -> dict[str, Any]:
    """A resource-document family's list answer: the documents (or their names) under the
    family's ``list_key``, and with ``items_key`` a summary of each."""
    family, chosen = listing.family, listing.found.items
    answer: dict[str, Any] = {"count": len(chosen), "total": listing.found.total}
    answer[family.list_key] = chosen if family.list_documents else [doc[family.name_field] for doc in chosen]
    if family.items_key:
        answer[family.items_key] = [
            {key: doc[key] for key in (family.name_field, *family.summary_fields) if key in doc} for doc in chosen
        ]
    return answer


def query_meta(result: QueryResult) -> dict[str, Any]:
    """The ``meta`` object of a GetLogs answer (docs/query.md "Reading results")."""
    meta: dict[str, Any] = {
        "progress": "Complete" if result.complete else "Incomplete",
        "count": len(result.rows),
        "processedRows": result.processed_rows,
        "elapsedMillisecond": int(result.elapsed * 1000),
        "cpuSec": round(result.elapsed, 6),
        "cpuCores": 1,
        "hasSQL": result.has_sql,
        "whereQuery": result.where_query,
        "aggQuery": result.agg_query,
        "mode": 0 if result.phrase is None else 1,
        "scanBytes": 0,
        "limited": 0,
        "isAccurate": True,
        "powerSql": False,
        "insertedSQL": "",
        "marker": "",
        "telementryType": "logging",  # sic, the service's spelling
    }
    if result.has_sql:
        meta["keys"] = result.keys
        meta["columnTypes"] = result.column_types
    meta["terms"] = result.terms
    if result.phrase is not None:
        meta["phraseQueryInfo"] = {
            "scanAll": result.phrase.scan_all,
            "beginOffset": result.phrase.begin,
            "endOffset": result.phrase.end,
            "endTime": result.phrase.end_time,
        }
    return meta


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
