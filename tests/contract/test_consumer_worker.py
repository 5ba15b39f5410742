"""Our ConsumerWorker against the emulator: no loss, no needless duplicates, clean stops, errors surfaced."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

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

from aliyun.log import LogClient, LogException
from aliyun.log.consumer import ConsumerWorker, ProcessRetryPolicy
from aliyun.log.consumer.exceptions import ClientWorkerException
from aliyun.log.emulator import EmulatorServer

N = 20_000
FAST_RETRY = ProcessRetryPolicy(base_delay=0.01, max_delay=0.05)


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False, fsync="never") as srv:
        yield srv


@pytest.fixture
def client(server: EmulatorServer) -> LogClient:
    client = server.client(in_process=True)
    client.create_project(PROJECT, "consumer worker tests")
    client.create_logstore(PROJECT, LOGSTORE, shard_count=4)
    return client


@pytest.fixture
def workers() -> Iterator[list[ConsumerWorker]]:
    started: list[ConsumerWorker] = []
    yield started
    stop_all(started)


def held(worker: ConsumerWorker) -> int:
    return len(worker.shards)


@pytest.mark.parametrize("total", [N, pytest.param(100_000, marks=pytest.mark.slow)])
def test_two_workers_share_shards_and_process_every_log_once(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker], total: int
) -> None:
    record = Record()
    workers.append(start_worker(server, recording_processor(record, "a"), "a"))
    workers.append(start_worker(server, recording_processor(record, "b"), "b"))
    wait_until(lambda: held(workers[0]) == 2 and held(workers[1]) == 2, what="an even split")
    put_ids(client, range(total), per_group=100)
    wait_until(lambda: len(record.unique()) == total, timeout=120, what="every id")
    assert record.count() == total  # not one duplicate
    assert set(record.by_consumer()) == {"a", "b"}
    for worker in workers:
        assert worker.shutdown(timeout=10)
        assert worker.error is None


def test_rebalance_while_consuming_loses_nothing_and_repeats_nothing(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    put_ids(client, range(N))
    workers.append(start_worker(server, recording_processor(record, "a", delay=0.002), "a"))
    wait_until(lambda: record.count() > 1000, what="a to start")
    workers.append(start_worker(server, recording_processor(record, "b", delay=0.002), "b"))
    wait_until(lambda: len(record.unique()) == N, what="every id")
    assert record.count() == N  # shards moved only after a released them: no batch twice


def test_clean_stop_and_restart_reads_nothing_twice(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    put_ids(client, range(N))
    first = [start_worker(server, recording_processor(record, name, delay=0.003), name) for name in ("a", "b")]
    workers.extend(first)
    wait_until(lambda: record.count() > N // 4, what="some progress")
    for worker in first:
        assert worker.shutdown(timeout=10) is True
        assert worker.stopped.is_set()
    stopped_at = record.count()
    assert stopped_at < N
    workers.extend(start_worker(server, recording_processor(record, name), name) for name in ("a", "b"))
    wait_until(lambda: len(record.unique()) == N, what="every id")
    assert record.count() == N


def test_new_consumers_take_over_after_a_clean_stop(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    put_ids(client, range(N))
    first = start_worker(server, recording_processor(record, "old", delay=0.003), "old")
    workers.append(first)
    wait_until(lambda: record.count() > N // 4, what="some progress")
    assert first.shutdown(timeout=10)
    workers.append(start_worker(server, recording_processor(record, "new"), "new"))
    wait_until(lambda: len(record.unique()) == N, what="every id")  # after the old consumer's timeout
    assert record.count() == N


def test_failing_batches_are_retried_and_none_is_lost(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    failed_once: set[int] = set()
    lock = threading.Lock()

    def fail_first_time(shard: int, ids: list[int]) -> bool:
        with lock:
            marked = [i for i in ids if i % 997 == 0 and i not in failed_once]
            failed_once.update(marked)
        return bool(marked)

    put_ids(client, range(N))
    for name in ("a", "b"):
        processor = recording_processor(record, name, fail_when=fail_first_time)
        workers.append(start_worker(server, processor, name, process_retry=FAST_RETRY))
    wait_until(lambda: len(record.unique()) == N, what="every id")
    assert record.failures > 0
    assert record.count() == N  # the failed attempts recorded nothing and were not checkpointed


def test_skip_policy_moves_past_a_poison_batch(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker], caplog: pytest.LogCaptureFixture
) -> None:
    record = Record()
    put_ids(client, range(2000))
    policy = ProcessRetryPolicy("skip", max_attempts=3, base_delay=0.01, max_delay=0.01)
    processor = recording_processor(record, "a", fail_when=lambda shard, ids: 1234 in ids)
    with caplog.at_level(logging.ERROR, logger="aliyun.log.consumer"):
        workers.append(start_worker(server, processor, "a", process_retry=policy))
        wait_until(lambda: len(record.unique()) >= 2000 - 200 and record.failures >= 3, what="the rest")
        wait_until(lambda: any("skipping" in r.getMessage() for r in caplog.records), what="the skip report")
    assert 1234 not in record.unique()
    assert record.failures == 3


def test_stop_policy_stops_the_worker_and_keeps_the_checkpoint_before_the_batch(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    put_ids(client, range(2000))
    policy = ProcessRetryPolicy("stop", max_attempts=2, base_delay=0.01)
    processor = recording_processor(record, "a", fail_when=lambda shard, ids: 1500 in ids)
    worker = start_worker(server, processor, "a", process_retry=policy)
    workers.append(worker)
    assert worker.wait(30)
    assert isinstance(worker.error, ClientWorkerException)
    assert isinstance(worker.error.__cause__, RuntimeError)
    assert 1500 not in record.unique()
    # a restart resumes exactly at the poison batch: everything else arrives, nothing twice
    workers.append(start_worker(server, recording_processor(record, "b"), "b"))
    wait_until(lambda: len(record.unique()) == 2000, what="every id after the restart")
    assert record.count() == 2000


def test_shutdown_deadline_gives_up_a_stuck_batch_which_is_read_again(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    release = threading.Event()
    stuck = threading.Event()

    def block_on_777(ids: list[int]) -> None:
        if 777 in ids and not release.is_set():
            stuck.set()
            release.wait(30)

    put_ids(client, range(2000))
    worker = start_worker(server, recording_processor(record, "a", gate=block_on_777), "a")
    workers.append(worker)
    wait_until(stuck.is_set, what="the stuck batch")
    assert worker.shutdown(timeout=0.5) is False  # returned at the deadline, work given up
    assert worker.stopped.is_set()
    release.set()  # the abandoned process() now finishes; its save is ignored
    wait_until(lambda: 777 in record.unique(), what="the late batch")
    workers.append(start_worker(server, recording_processor(record, "b"), "b"))
    wait_until(lambda: len(record.unique()) == 2000, what="every id")
    counts: dict[int, int] = {}
    for i in record.ids():
        counts[i] = counts.get(i, 0) + 1
    twice = {i for i, n in counts.items() if n > 1}
    assert 777 in twice  # the abandoned batch was read again, and only that one
    assert len(twice) <= 4 * 50


def test_deleted_group_stops_the_worker_with_a_clear_error(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker], caplog: pytest.LogCaptureFixture
) -> None:
    record = Record()
    with caplog.at_level(logging.ERROR, logger="aliyun.log.consumer"):
        worker = start_worker(server, recording_processor(record, "a"), "a")
        workers.append(worker)
        wait_until(lambda: held(worker) == 4, what="the shards")
        client.delete_consumer_group(PROJECT, LOGSTORE, GROUP)
        assert worker.wait(30)
    assert isinstance(worker.error, ClientWorkerException)
    assert isinstance(worker.error.__cause__, LogException)
    assert worker.error.__cause__.get_error_code() == "ConsumerGroupNotExist"
    assert any("consumer group cannot be used" in r.getMessage() for r in caplog.records)


class FlakyHeartbeatClient(LogClient):
    """A client whose heartbeats fail while ``failing`` is set."""

    failing = threading.Event()

    def heart_beat(self, *args: Any, **kwargs: Any) -> Any:
        if self.failing.is_set():
            raise LogException("ServerBusy", "heartbeats are refused for this test", resp_status=503)
        return super().heart_beat(*args, **kwargs)


def test_heartbeat_failures_are_logged_and_surfaced(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker], caplog: pytest.LogCaptureFixture
) -> None:
    from _consumer_support import option

    from aliyun.log._transport.wsgi import WsgiTransport

    flaky = FlakyHeartbeatClient(
        server.endpoint, server.access_key_id, server.access_key_secret, transport=WsgiTransport(server.app)
    )
    record = Record()
    worker = ConsumerWorker(recording_processor(record, "a"), option(server, "a", heartbeat_interval=2.0), client=flaky)
    worker.start()
    workers.append(worker)
    wait_until(lambda: held(worker) == 4, what="the shards")
    with caplog.at_level(logging.WARNING, logger="aliyun.log.consumer"):
        FlakyHeartbeatClient.failing.set()
        try:
            wait_until(lambda: worker.heartbeat_error is not None, what="a surfaced heartbeat error")
            wait_until(lambda: any("heartbeat failed" in r.getMessage() for r in caplog.records), what="a log")
            assert held(worker) == 4  # a short outage keeps the shards
        finally:
            FlakyHeartbeatClient.failing.clear()
    wait_until(lambda: worker.heartbeat_error is None, what="recovery")
    put_ids(client, range(100))
    wait_until(lambda: len(record.unique()) == 100, what="consumption after recovery")


def test_checkpoints_are_the_end_of_the_last_processed_batch(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker]
) -> None:
    record = Record()
    put_ids(client, range(4000))
    worker = start_worker(server, recording_processor(record, "a"), "a")
    workers.append(worker)
    wait_until(lambda: len(record.unique()) == 4000, what="every id")
    assert worker.shutdown(timeout=10)
    for point in client.get_check_point(PROJECT, LOGSTORE, GROUP).get_consumer_group_check_points():
        end = client.get_end_cursor(PROJECT, LOGSTORE, point["shard"]).get_cursor()
        assert position(point["checkpoint"]) == position(end)


def test_heartbeats_failing_past_the_timeout_release_every_shard_then_rejoin(
    server: EmulatorServer, client: LogClient, workers: list[ConsumerWorker], caplog: pytest.LogCaptureFixture
) -> None:
    from _consumer_support import option

    from aliyun.log._transport.wsgi import WsgiTransport

    flaky = FlakyHeartbeatClient(
        server.endpoint, server.access_key_id, server.access_key_secret, transport=WsgiTransport(server.app)
    )
    record = Record()
    worker = ConsumerWorker(recording_processor(record, "a"), option(server, "a"), client=flaky)
    worker.start()
    workers.append(worker)
    wait_until(lambda: held(worker) == 4, what="the shards")
    with caplog.at_level(logging.ERROR, logger="aliyun.log.consumer"):
        FlakyHeartbeatClient.failing.set()
        try:
            wait_until(lambda: held(worker) == 0, what="every shard released")
            assert any("longer than the group timeout" in r.getMessage() for r in caplog.records)
        finally:
            FlakyHeartbeatClient.failing.clear()
    wait_until(lambda: held(worker) == 4, what="the shards back")
    put_ids(client, range(100))
    wait_until(lambda: len(record.unique()) == 100, what="consumption after rejoining")
    assert worker.error is None
