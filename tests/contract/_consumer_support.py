"""Helpers shared by the consumer worker tests: data with unique ids, a recording processor, waiting."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from aliyun.log import LogClient, LogItem, PutLogsRequest
from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig
from aliyun.log.emulator import EmulatorServer

PROJECT = "consumer-tests"
LOGSTORE = "events"
GROUP = "workers"


def put_ids(client: LogClient, ids: Iterable[int], per_group: int = 50, project: str = PROJECT) -> None:
    """Write logs ``{"id": str(i)}``, ``per_group`` logs per PutLogs (spread over the shards)."""
    batch: list[LogItem] = []
    for i in ids:
        batch.append(LogItem(timestamp=1_700_000_000, contents=[("id", str(i))]))
        if len(batch) == per_group:
            client.put_logs(PutLogsRequest(project, LOGSTORE, "", "", batch))
            batch = []
    if batch:
        client.put_logs(PutLogsRequest(project, LOGSTORE, "", "", batch))


def position(cursor: str) -> int:
    return int(base64.b64decode(cursor))


@dataclass
class Record:
    """What every processor of a test saw, in processing order."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    #: (consumer, shard, batch start cursor, batch end cursor, ids, sequence number)
    batches: list[tuple[str, int, str, str, list[int], int]] = field(default_factory=list)
    failures: int = 0

    def ids(self) -> list[int]:
        with self.lock:
            return [i for batch in self.batches for i in batch[4]]

    def count(self) -> int:
        return len(self.ids())

    def unique(self) -> set[int]:
        return set(self.ids())

    def by_consumer(self) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.lock:
            for consumer, _, _, _, ids, _ in self.batches:
                out[consumer] = out.get(consumer, 0) + len(ids)
        return out


def ids_of(log_groups: Any) -> list[int]:
    return [
        int(content.Value)
        for group in log_groups.LogGroups
        for log in group.Logs
        for content in log.Contents
        if content.Key == "id"
    ]


def recording_processor(
    record: Record,
    consumer: str,
    delay: float = 0.0,
    fail_when: Optional[Callable[[int, list[int]], bool]] = None,
    gate: Optional[Callable[[list[int]], None]] = None,
) -> type[ConsumerProcessorBase]:
    """A processor class recording each batch; ``fail_when(shard, ids)`` makes it raise first."""

    class Recording(ConsumerProcessorBase):
        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            ids = ids_of(log_groups)
            if fail_when is not None and fail_when(self.shard_id, ids):
                with record.lock:
                    record.failures += 1
                raise RuntimeError(f"cannot handle this batch of shard {self.shard_id}")
            if gate is not None:
                gate(ids)
            if delay:
                time.sleep(delay)
            with record.lock:
                record.batches.append(
                    (consumer, self.shard_id, "", check_point_tracker.get_cursor(), ids, len(record.batches))
                )
            check_point_tracker.save_check_point(True)

    return Recording


def option(
    server: EmulatorServer, consumer: str, project: str = PROJECT, group: str = GROUP, **kwargs: Any
) -> LogHubConfig:
    kwargs.setdefault("heartbeat_interval", 0.3)
    kwargs.setdefault("data_fetch_interval", 0.05)
    kwargs.setdefault("max_fetch_log_group_size", 4)
    return LogHubConfig(
        server.endpoint,
        server.access_key_id,
        server.access_key_secret,
        project,
        LOGSTORE,
        group,
        consumer,
        CursorPosition.BEGIN_CURSOR,
        **kwargs,
    )


def start_worker(server: EmulatorServer, processor: Any, consumer: str, **kwargs: Any) -> ConsumerWorker:
    worker = ConsumerWorker(processor, option(server, consumer, **kwargs), client=server.client(in_process=True))
    worker.start()
    return worker


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    """Poll ``condition`` until true; fail after ``timeout`` (a safety net, never the measured thing)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def stop_all(workers: Iterable[ConsumerWorker]) -> None:
    for worker in workers:
        worker.shutdown(timeout=10)
