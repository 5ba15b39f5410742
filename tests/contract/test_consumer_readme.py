"""The README's consumer group example, as written (only ``time.sleep(60)`` is replaced by waiting
for the output), against the emulator over a real socket with the default settings."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.consumer import ConsumerProcessorBase  # the README's import
from aliyun.log.emulator import EmulatorServer

# --- the README's code, verbatim apart from layout -------------------------------------------------


class SampleConsumer(ConsumerProcessorBase):
    def initialize(self, shard):
        pass

    def process(self, log_groups, check_point_tracker):
        for log_group in log_groups.LogGroups:
            items = []
            for log in log_group.Logs:
                item = dict()
                item["time"] = log.Time
                for content in log.Contents:
                    item[content.Key] = content.Value
                items.append(item)
            log_items = dict()
            log_items["topic"] = log_group.Topic
            log_items["source"] = log_group.Source
            log_items["logs"] = items
            # 打印日志
            print(log_items)
        check_point_tracker.save_check_point(True)

    def shutdown(self, check_point_tracker):
        check_point_tracker.save_check_point(True)


# -----------------------------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as srv:
        yield srv


def test_readme_consumer_example(server: EmulatorServer, capsys: pytest.CaptureFixture[str]) -> None:
    client = server.client()
    client.create_project("project1", "readme")
    client.create_logstore("project1", "logstore1", shard_count=2)
    for i in range(10):
        items = [LogItem(timestamp=1_700_000_000 + i, contents=[("msg", f"hello {i}")])]
        client.put_logs(PutLogsRequest("project1", "logstore1", "readme-topic", "10.0.0.1", items))
    endpoint, access_id, access_key = server.endpoint, server.access_key_id, server.access_key_secret

    # --- README ---
    from aliyun.log.consumer import ConsumerWorker, CursorPosition, LogHubConfig

    # 准备配置项
    option1 = LogHubConfig(
        endpoint,
        access_id,
        access_key,
        "project1",
        "logstore1",
        "consume_group1",
        "consumer A",
        CursorPosition.BEGIN_CURSOR,
    )
    option2 = LogHubConfig(
        endpoint,
        access_id,
        access_key,
        "project1",
        "logstore1",
        "consume_group1",
        "consumer B",
        CursorPosition.BEGIN_CURSOR,
    )
    worker1 = ConsumerWorker(SampleConsumer, option1)
    worker2 = ConsumerWorker(SampleConsumer, option2)
    # 启动
    worker1.start()
    worker2.start()
    # (the README sleeps 60 s here)
    deadline = time.monotonic() + 60
    printed = ""
    while time.monotonic() < deadline:
        printed += capsys.readouterr().out
        if all(f"hello {i}'" in printed for i in range(10)):
            break
        time.sleep(0.05)
    # 关闭
    worker1.shutdown()
    worker2.shutdown()
    # --- end of README ---

    printed += capsys.readouterr().out
    for i in range(10):
        assert f"'msg': 'hello {i}'" in printed
    assert "'topic': 'readme-topic'" in printed
    assert "'source': '10.0.0.1'" in printed
    assert worker1.stopped.is_set() and worker2.stopped.is_set()
    points = client.get_check_point("project1", "logstore1", "consume_group1").get_consumer_group_check_points()
    for point in points:
        assert point["checkpoint"] == client.get_end_cursor("project1", "logstore1", point["shard"]).get_cursor()
        assert point["consumer"] == "consumer A"
