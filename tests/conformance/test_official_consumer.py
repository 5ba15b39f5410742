"""The official SDK's ConsumerWorker (two workers, one process) consumes from our emulator: every log
arrives, shards are handed over between the workers, and the checkpoints end at the shards' ends."""

from __future__ import annotations

import base64

import pytest

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

PROJECT, LOGSTORE, GROUP = "conf-consumer", "events", "official-group"
N = 4000

CONSUMER_SCRIPT = """
import threading
from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig

P, L, G, N = PARAMS["project"], PARAMS["logstore"], PARAMS["group"], PARAMS["n"]
lock = threading.Lock()
seen = []
shards_by_worker = {}


def make(name):
    class Collect(ConsumerProcessorBase):
        def process(self, log_groups, check_point_tracker):
            with lock:
                shards_by_worker.setdefault(name, set()).add(self.shard_id)
                for group in log_groups.LogGroups:
                    for log in group.Logs:
                        for content in log.Contents:
                            if content.Key == "id":
                                seen.append(int(content.Value))
            time.sleep(0.2)  # slow enough for the second worker to get its share
            self.save_checkpoint(check_point_tracker, force=True)
    return Collect


workers = []
for name in ("official-a", "official-b"):
    option = LogHubConfig(ENDPOINT, ACCESS_KEY_ID, ACCESS_KEY_SECRET, P, L, G, name, CursorPosition.BEGIN_CURSOR,
                          heartbeat_interval=1, data_fetch_interval=1, max_fetch_log_group_size=10)
    worker = ConsumerWorker(make(name), option)
    worker.start()
    workers.append(worker)
deadline = time.time() + 120
while time.time() < deadline:
    with lock:
        if len(set(seen)) >= N:
            break
    time.sleep(0.2)
for worker in workers:
    worker.shutdown()
for worker in workers:
    worker.join(30)
points = client.get_check_point(P, L, G).get_consumer_group_check_points()
with lock:
    emit({"seen": sorted(seen), "workers": {k: sorted(v) for k, v in shards_by_worker.items()}, "points": points})
sys.stdout.flush()
os._exit(0)
"""


def test_official_consumer_worker_gets_every_log(emulator: EmulatorServer, run_official) -> None:
    client = emulator.client()
    client.create_project(PROJECT, "official consumer")
    client.create_logstore(PROJECT, LOGSTORE, shard_count=4)
    for start in range(0, N, 20):
        items = [LogItem(timestamp=1_700_000_000, contents=[("id", str(i))]) for i in range(start, start + 20)]
        client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "", "", items))
    result = run_official(
        CONSUMER_SCRIPT,
        emulator,
        params={"project": PROJECT, "logstore": LOGSTORE, "group": GROUP, "n": N},
        timeout=240,
    )
    assert set(result["seen"]) == set(range(N))
    assert len(result["workers"]) == 2  # the shards were shared
    ends = {
        shard["shardID"]: client.get_end_cursor(PROJECT, LOGSTORE, shard["shardID"]).get_cursor()
        for shard in client.list_shards(PROJECT, LOGSTORE).get_shards_info()
    }
    for point in result["points"]:
        assert int(base64.b64decode(point["checkpoint"])) == int(base64.b64decode(ends[point["shard"]]))
