"""Seeded data the console tests look at: known logs at known times, a consumer group with checkpoints."""

from __future__ import annotations

import time
from dataclasses import dataclass

from aliyun.log import (
    IndexConfig,
    IndexKeyConfig,
    IndexLineConfig,
    LogClient,
    LogItem,
    PutLogsRequest,
)

PROJECT = "console-demo"
LOGSTORE = "web-logs"
EMPTY_LOGSTORE = "no-index"
GROUP = "cg-demo"
LEVELS = ("INFO", "WARN", "ERROR")
PATHS = ("/api/orders", "/api/users", "/health", "/login")
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
#: logs seeded in the window, denser at its start (so the histogram has a shape)
COUNT = 45
#: the window searched: 600 s, which the emulator cuts into 60 buckets of 10 s
WINDOW = 600


@dataclass(frozen=True)
class Seeded:
    """What was written, for the tests' expectations."""

    start: int
    end: int

    def level_count(self, level: str) -> int:
        return sum(1 for i in range(COUNT) if LEVELS[i % 3] == level)


def log_time(start: int, i: int) -> int:
    """Time of the i-th seeded log: 0 .. WINDOW-1 seconds after ``start``, quadratically spread."""
    return start + (WINDOW * i * i) // (COUNT * COUNT)


def seed(client: LogClient) -> Seeded:
    """Create the project, logstores, index, logs and consumer group the tests expect."""
    start = (int(time.time()) - 2 * WINDOW) // 60 * 60
    client.create_project(PROJECT, "seeded for the console tests")
    client.create_logstore(PROJECT, LOGSTORE, ttl=30, shard_count=2)
    client.create_logstore(PROJECT, EMPTY_LOGSTORE, ttl=7, shard_count=1)
    keys = {
        "level": IndexKeyConfig(doc_value=True),
        "path": IndexKeyConfig(doc_value=True),
        "status": IndexKeyConfig(index_type="long", doc_value=True),
        "latency_ms": IndexKeyConfig(index_type="long", doc_value=True),
        "msg": IndexKeyConfig(),
    }
    client.create_index(PROJECT, LOGSTORE, IndexConfig(line_config=IndexLineConfig(), key_config_list=keys))
    items = []
    for i in range(COUNT):
        level = LEVELS[i % 3]
        msg = HOSTILE if i == COUNT - 1 else f"request {i} served"
        items.append(
            LogItem(
                log_time(start, i),
                [
                    ("level", level),
                    ("path", PATHS[i % len(PATHS)]),
                    ("status", "500" if level == "ERROR" else "200"),
                    ("latency_ms", str(10 + (i * 7) % 90)),
                    ("msg", msg),
                ],
            )
        )
    # Two writes so that both shards hold data and the consumer group has something to lag on.
    client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "web", "10.0.0.1", items[:30], hashKey="00" * 16))
    client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "web", "10.0.0.2", items[30:], hashKey="ff" * 16))
    client.create_consumer_group(PROJECT, LOGSTORE, GROUP, 60, in_order=False)
    client.heart_beat(PROJECT, LOGSTORE, GROUP, "consumer-a", [])
    shard0_begin = client.get_begin_cursor(PROJECT, LOGSTORE, 0).get_cursor()
    shard1_end = client.get_end_cursor(PROJECT, LOGSTORE, 1).get_cursor()
    client.update_check_point(PROJECT, LOGSTORE, GROUP, 0, shard0_begin, "consumer-a")
    client.update_check_point(PROJECT, LOGSTORE, GROUP, 1, shard1_end, "consumer-a")
    return Seeded(start, start + WINDOW)


__all__ = ["Seeded", "seed"]
