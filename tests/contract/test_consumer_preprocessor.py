"""The official ``consumer.preprocessor`` and ``consumer.fetched_log_group`` modules; a processor's own preprocessor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from _consumer_support import LOGSTORE, PROJECT, option, put_ids

from aliyun.log import PullLogResponse
from aliyun.log.consumer import ConsumerJsonProcessorBase, ConsumerProcessorBase, ConsumerWorker
from aliyun.log.consumer.fetched_log_group import FetchedLogGroup
from aliyun.log.consumer.preprocessor import (
    preprocessor_of,
    to_flattern_json_list,
    to_log_group_list_pb,
    to_log_group_list_view,
)
from aliyun.log.emulator import EmulatorServer

IDS = 300


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False, fsync="never") as srv:
        client = srv.client(in_process=True)
        client.create_project(PROJECT, "preprocessor tests")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=2)
        put_ids(client, range(IDS))
        yield srv


def consume(server: EmulatorServer, processor: Any, seen: list[Any], consumer: str = "c1") -> None:
    """Run one worker until ``seen`` holds IDS items."""
    done = threading.Event()
    original = processor.process

    def process(self: Any, data: Any, tracker: Any) -> None:
        original(self, data, tracker)
        tracker.save_check_point(True)
        if len(seen) >= IDS:
            done.set()

    processor.process = process
    worker = ConsumerWorker(processor, option(server, consumer), client=server.client(in_process=True))
    worker.start()
    try:
        assert done.wait(60), f"only {len(seen)} of {IDS} arrived"
    finally:
        worker.shutdown(timeout=10)


def test_a_processor_can_bring_its_own_preprocessor(server: EmulatorServer) -> None:
    seen: list[Any] = []

    def ids_only(response: PullLogResponse) -> list[int]:
        return [int(log["id"]) for log in response.get_flatten_logs_json()]

    class IdsProcessor(ConsumerProcessorBase):
        def __init__(self) -> None:
            super().__init__()
            self._preprocessor = ids_only

        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            assert all(isinstance(i, int) for i in log_groups)
            seen.extend(log_groups)

    consume(server, IdsProcessor, seen)
    assert sorted(seen) == list(range(IDS))


def test_json_processors_get_flat_dicts_and_others_log_group_lists(server: EmulatorServer) -> None:
    seen: list[Any] = []

    class Flat(ConsumerJsonProcessorBase):
        def process(self, flattern_json_list: Any, check_point_tracker: Any) -> None:
            seen.extend(int(log["id"]) for log in flattern_json_list)

    consume(server, Flat, seen)
    assert sorted(seen) == list(range(IDS))
    assert preprocessor_of(Flat()) is to_flattern_json_list
    assert preprocessor_of(ConsumerProcessorBase()) is to_log_group_list_view
    assert preprocessor_of(object()) is to_log_group_list_view


def test_a_processor_gets_real_messages_with_the_protobuf_preprocessor(server: EmulatorServer) -> None:
    from google.protobuf.message import Message

    seen: list[Any] = []

    class Messages(ConsumerProcessorBase):
        _preprocessor = staticmethod(to_log_group_list_pb)

        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            assert isinstance(log_groups, Message)
            seen.extend(int(log.Contents[0].Value) for g in log_groups.LogGroups for log in g.Logs)

    consume(server, Messages, seen)
    assert sorted(seen) == list(range(IDS))


def test_default_processors_read_the_fields_of_a_view(server: EmulatorServer) -> None:
    seen: list[Any] = []
    serialized: list[bytes] = []

    class Default(ConsumerProcessorBase):
        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            for group in log_groups.LogGroups:
                for log in group.Logs:
                    contents = {content.Key: content.Value for content in log.Contents}
                    assert log.Time > 0
                    seen.append(int(contents["id"]))
            serialized.append(log_groups.SerializeToString())  # a message method, through the view

    consume(server, Default, seen)
    assert sorted(seen) == list(range(IDS))
    assert all(serialized)


def test_builtin_preprocessors_read_a_pull_answer(server: EmulatorServer) -> None:
    client = server.client(in_process=True)
    cursor = client.get_cursor(PROJECT, LOGSTORE, 0, "begin").get_cursor()
    answer = client.pull_logs(PROJECT, LOGSTORE, 0, cursor, 1)
    groups = to_log_group_list_pb(answer)
    flat = to_flattern_json_list(answer)
    view = to_log_group_list_view(answer)
    assert len(flat) == sum(len(g.Logs) for g in groups.LogGroups) > 0
    assert flat[0]["id"] == groups.LogGroups[0].Logs[0].Contents[0].Value == view.LogGroups[0].Logs[0].Contents[0].Value
    assert view == groups and PullLogResponse.loggroups_to_flattern_list(view) == flat


def test_fetched_log_group_exposes_the_official_properties() -> None:
    batch = FetchedLogGroup(3, ["data"], "MTAw", 7, raw_size=1024)
    assert (batch.shard_id, batch.data, batch.end_cursor, batch.log_group_size, batch.raw_size) == (
        3, ["data"], "MTAw", 7, 1024,
    )  # fmt: skip
    assert "shard_id=3" in repr(batch)
    assert FetchedLogGroup(0, None, "", 0).raw_size == 0
