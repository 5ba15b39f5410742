"""ConsumerWorker across split and merge, and stopping by itself at ``cursor_end_time``."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from _consumer_support import (
    GROUP,
    LOGSTORE,
    PROJECT,
    Record,
    position,
    put_ids,
    recording_processor,
    start_worker,
    stop_all,
    wait_until,
)

from aliyun.log import LogClient
from aliyun.log.consumer import ConsumerWorker
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock

SPLIT_KEY = "20" + "0" * 30  # inside shard 0 of 4 (its range is 00..40)


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False, fsync="never") as srv:
        yield srv


@pytest.fixture
def client(server: EmulatorServer) -> LogClient:
    client = server.client(in_process=True)
    client.create_project(PROJECT, "consumer shard tests")
    client.create_logstore(PROJECT, LOGSTORE, shard_count=4)
    return client


@pytest.fixture
def workers() -> Iterator[list[ConsumerWorker]]:
    started: list[ConsumerWorker] = []
    yield started
    stop_all(started)


def readonly_finished(client: LogClient) -> bool:
    points = {
        p["shard"]: p["checkpoint"]
        for p in client.get_check_point(PROJECT, LOGSTORE, GROUP).get_consumer_group_check_points()
    }
    for shard in client.list_shards(PROJECT, LOGSTORE).get_shards_info():
        if shard["status"] == "readonly":
            end = client.get_end_cursor(PROJECT, LOGSTORE, shard["shardID"]).get_cursor()
            if not points.get(shard["shardID"]) or position(points[shard["shardID"]]) != position(end):
                return False
    return True


@pytest.mark.parametrize("in_order", [False, True], ids=["any-order", "in-order"])
def test_split_and_merge_while_consuming(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker], in_order: bool
) -> None:
    record = Record()
    resharded = threading.Event()

    def hold(ids: list[int]) -> None:
        # Past 1,000 ids, processing waits for the split and merge: the parents are sure to
        # still have data to hand out when their shards change, however fast the machine.
        if record.count() >= 1000:
            resharded.wait(30)

    for name in ("a", "b"):
        processor = recording_processor(record, name, delay=0.005, gate=hold)
        workers.append(start_worker(server, processor, name, in_order=in_order))
    put_ids(client, range(0, 6000), per_group=10)
    wait_until(lambda: record.count() >= 1000, what="consumption to start")
    client.split_shard(PROJECT, LOGSTORE, 0, SPLIT_KEY)  # 0 -> 4, 5
    client.merge_shard(PROJECT, LOGSTORE, 2)  # 2 + 3 -> 6
    assert record.count() < 6000  # the parents still had data to hand out
    resharded.set()
    put_ids(client, range(6000, 12000), per_group=10)  # lands on 1, 4, 5 and 6
    wait_until(lambda: len(record.unique()) == 12000, what="every id")
    assert record.count() == 12000  # not one duplicate across the hand-overs
    shards_seen = {shard for _, shard, *_ in record.batches}
    assert {4, 5, 6} <= shards_seen
    wait_until(lambda: readonly_finished(client), what="parents finished")
    wait_until(lambda: all(0 not in w.shards and 2 not in w.shards for w in workers), what="parents released")
    if in_order:
        seq = {}
        for _, shard, _, _, _, number in record.batches:
            first, last = seq.get(shard, (number, number))
            seq[shard] = (min(first, number), max(last, number))
        assert seq[4][0] > seq[0][1] and seq[5][0] > seq[0][1]  # children only after the parent
        assert seq[6][0] > max(seq[2][1], seq[3][1])


def test_stops_by_itself_at_cursor_end_time(tmp_path) -> None:
    clock = ManualClock(1_700_000_000)
    with EmulatorServer(port=0, listen=False, fsync="never", clock=clock) as server:
        client = server.client(in_process=True)
        client.create_project(PROJECT, "end time")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=4)
        put_ids(client, range(0, 3000))
        clock.advance(100)
        put_ids(client, range(3000, 4000))  # received after the end time: never consumed
        record = Record()
        workers = [
            start_worker(server, recording_processor(record, name), name, cursor_end_time=1_700_000_050)
            for name in ("a", "b")
        ]
        try:
            for worker in workers:
                assert worker.reached_end.wait(60)
                assert worker.wait(60)
                assert worker.error is None
        finally:
            stop_all(workers)
        assert sorted(record.ids()) == list(range(3000))
