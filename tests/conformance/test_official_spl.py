"""The official SDK's PullLogs with an SPL ``query``, and its consumer filtering with one."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.conformance

SCRIPT = """
import threading
from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig
P, L = "conf-spl", "events"
client.create_project(P, "spl")
client.create_logstore(P, L, shard_count=1)
for start in range(0, 300, 50):
    items = [LogItem(contents=[("id", str(i)), ("noise", "x")]) for i in range(start, start + 50)]
    client.put_logs(PutLogsRequest(P, L, logitems=items))
query = "* | where cast(id as bigint) % 7 = 0 | project id"
cursor = client.get_cursor(P, L, 0, "begin").get_cursor()
pulled = client.pull_logs(P, L, 0, cursor, count=10, query=query)
bad = error_of(client.pull_logs, P, L, 0, cursor, query="* | sort id")

seen, done = [], threading.Event()

class Keep(ConsumerProcessorBase):
    def process(self, log_groups, check_point_tracker):
        for group in log_groups.LogGroups:
            for log in group.Logs:
                seen.append({c.Key: c.Value for c in log.Contents})
        if len(seen) >= 43:
            done.set()

option = LogHubConfig(ENDPOINT, ACCESS_KEY_ID, ACCESS_KEY_SECRET, P, L, "g", "c1",
                      CursorPosition.BEGIN_CURSOR, heartbeat_interval=1, data_fetch_interval=0.1,
                      query=query)
worker = ConsumerWorker(Keep, option)
worker.start()
done.wait(60)
worker.shutdown()
emit({
    "pulled": [log["id"] for log in pulled.get_flatten_logs_json()],
    "keys": sorted({k for log in pulled.get_flatten_logs_json() for k in log if not k.startswith("__")}),
    "groups": pulled.get_loggroup_count(),
    "raw_groups": pulled.get_raw_log_group_count_before_query(),
    "bad": bad,
    "consumed": sorted(int(log["id"]) for log in seen),
    "consumed_keys": sorted({k for log in seen for k in log}),
})
"""


def test_official_pull_and_consumer_apply_spl(emulator: Any, run_official: Any) -> None:
    out = run_official(SCRIPT, emulator)
    assert out["pulled"] == [str(i) for i in range(0, 300, 7)]
    assert out["keys"] == ["id"]
    assert out["groups"] == 6 and out["raw_groups"] == 6
    assert out["bad"]["code"] == "ParameterInvalid" and out["bad"]["status"] == 400
    assert out["consumed"] == list(range(0, 300, 7))
    assert out["consumed_keys"] == ["id"]
