"""A worker in another process is killed with SIGKILL mid-stream: its shards move to the survivor,
every id is processed, and the only repeats are batches the victim processed but had not checkpointed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _consumer_support import (
    GROUP,
    LOGSTORE,
    PROJECT,
    Record,
    position,
    put_ids,
    recording_processor,
    wait_until,
)

from aliyun.log import LogClient
from aliyun.log.consumer import ConsumerWorker
from aliyun.log.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parents[2]

VICTIM = """
import json, os, sys, time
from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig

endpoint, key_id, secret, out_path, project, logstore, group = sys.argv[1:8]
out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

class Victim(ConsumerProcessorBase):
    def process(self, log_groups, check_point_tracker):
        ids = [int(c.Value) for g in log_groups.LogGroups for log in g.Logs for c in log.Contents if c.Key == "id"]
        line = {"shard": self.shard_id, "end": check_point_tracker.get_cursor(), "ids": ids}
        os.write(out, (json.dumps(line) + "\\n").encode())  # reaches the kernel before the checkpoint
        time.sleep(0.01)  # a kill most likely lands here: processed, not yet checkpointed
        check_point_tracker.save_check_point(True)

option = LogHubConfig(endpoint, key_id, secret, project, logstore, group, "victim", CursorPosition.BEGIN_CURSOR,
                      heartbeat_interval=0.3, data_fetch_interval=0.05, max_fetch_log_group_size=4)
ConsumerWorker(Victim, option).start()
time.sleep(3600)
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, data_dir=tmp_path / "data", fsync="never") as srv:
        yield srv


def victim_batches(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]


@pytest.mark.parametrize("total", [20_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_killed_worker_loses_nothing(server: EmulatorServer, tmp_path: Path, total: int) -> None:
    client: LogClient = server.client()
    client.create_project(PROJECT, "crash test")
    client.create_logstore(PROJECT, LOGSTORE, shard_count=4)
    put_ids(client, range(total), per_group=50 if total <= 20_000 else 100)
    out = tmp_path / "victim.jsonl"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    victim = subprocess.Popen(
        [
            sys.executable,
            "-c",
            VICTIM,
            server.endpoint,
            server.access_key_id,
            server.access_key_secret,
            str(out),
            PROJECT,
            LOGSTORE,
            GROUP,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "victim.log", "w"),
    )
    survivor = None
    try:
        wait_until(lambda: sum(len(b["ids"]) for b in victim_batches(out)) > total // 10, what="the victim to start")
        record = Record()
        survivor = ConsumerWorker(
            recording_processor(record, "survivor"),
            _survivor_option(server),
            client=server.client(),
        )
        survivor.start()
        wait_until(lambda: len(survivor.shards) == 2, what="the survivor to get half the shards")
        done_before = sum(len(b["ids"]) for b in victim_batches(out))
        wait_until(
            lambda: sum(len(b["ids"]) for b in victim_batches(out)) > done_before + 200, what="the victim to go on"
        )
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        at_kill = {
            p["shard"]: p["checkpoint"]
            for p in client.get_check_point(PROJECT, LOGSTORE, GROUP).get_consumer_group_check_points()
        }
        wait_until(lambda: len(survivor.shards) == 4, what="the survivor to take over")
        wait_until(
            lambda: len(record.unique() | {i for b in victim_batches(out) for i in b["ids"]}) == total,
            timeout=120,
            what="every id",
        )
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait(10)
        if survivor is not None:
            survivor.shutdown(timeout=10)
    batches = victim_batches(out)
    seen: dict[int, int] = {}
    for i in [i for b in batches for i in b["ids"]] + record.ids():
        seen[i] = seen.get(i, 0) + 1
    assert set(seen) == set(range(total))
    repeated = {i for i, n in seen.items() if n > 1}
    unflushed = {
        i
        for b in batches
        if at_kill.get(b["shard"]) and position(b["end"]) > position(at_kill[b["shard"]])
        for i in b["ids"]
    }
    assert repeated <= unflushed  # repeats only from batches the victim had not checkpointed
    assert len(repeated) <= 4 * 4 * 100  # at most one in-flight batch per shard


def _survivor_option(server: EmulatorServer):
    from _consumer_support import option

    return option(server, "survivor")
