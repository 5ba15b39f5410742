"""Read-only views of an emulator's state for tests: stored log groups, consumer groups."""

from __future__ import annotations

from typing import Any

from ...log_logs_pb2 import LogGroup
from ..service import EmulatorService

__all__ = ["consumer_groups", "log_groups", "shards"]


def shards(service: EmulatorService, project: str, logstore: str) -> list[dict[str, Any]]:
    """Every shard of a logstore with what it stores: ``log_groups`` and ``logs`` (retained ones)."""
    store = service.state.logstore(project, logstore)
    out = []
    with store.lock:
        for shard_id, shard in sorted(store.shards.items()):
            log = shard.log
            begin, end = (log.begin, log.end) if log is not None else (0, 0)
            out.append(
                {
                    "shard": shard_id,
                    "status": shard.status,
                    "log_groups": end - begin,
                    "logs": log.log_count(begin, end) if log is not None and end > begin else 0,
                }
            )
    return out


def log_groups(
    service: EmulatorService, project: str, logstore: str, shard: int, *, limit: int = 1000
) -> list[dict[str, Any]]:
    """The retained log groups of one shard, oldest first, decoded.

    Each is ``{"receive_time", "topic", "source", "tags", "logs": [{"time", "contents"}]}``.
    """
    store = service.state.logstore(project, logstore)
    log = store.shard(shard).log
    if log is None:
        return []
    out = []
    for record in log.read(log.begin, limit):
        group = LogGroup()
        group.ParseFromString(record.payload)
        out.append(
            {
                "receive_time": record.receive_time,
                "topic": group.Topic,
                "source": group.Source,
                "tags": {tag.Key: tag.Value for tag in group.LogTags},
                "logs": [
                    {"time": item.Time, "contents": {c.Key: c.Value for c in item.Contents}} for item in group.Logs
                ],
            }
        )
    return out


def consumer_groups(service: EmulatorService, project: str, logstore: str) -> dict[str, dict[str, Any]]:
    """Each consumer group of a logstore: settings, live consumers with their shards, checkpoints.

    ``{"<group>": {"timeout", "order", "consumers": {"<name>": {"last_heartbeat", "shards"}},
    "checkpoints": {<shard>: {"checkpoint", "update_time", "consumer"}}}}``. Consumers whose
    heartbeat is overdue are still listed until the next heartbeat of the group expires them, as
    in the service.
    """
    store, groups = service.consumer_groups.groups_of(project, logstore)
    out: dict[str, dict[str, Any]] = {}
    with store.lock:
        for name, group in sorted(groups.items()):
            out[name] = {
                "timeout": group.timeout,
                "order": group.order,
                "consumers": {
                    consumer: {
                        "last_heartbeat": seen,
                        "shards": sorted(group.assignment.assigned.get(consumer, ())),
                    }
                    for consumer, seen in sorted(group.last_seen.items())
                },
                "checkpoints": {
                    shard: {"checkpoint": point.cursor, "update_time": point.update_time, "consumer": point.consumer}
                    for shard, point in sorted(group.checkpoints.items())
                },
            }
    return out
