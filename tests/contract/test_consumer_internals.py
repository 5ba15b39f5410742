"""The official consumer's internals, driven by hand against the emulator as code written for the
official SDK drives them: ConsumerClient in its official form, the task functions,
ShardConsumerWorker and ConsumerHeatBeat."""

from __future__ import annotations

import base64
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from _consumer_support import GROUP, LOGSTORE, PROJECT, ids_of, position, put_ids, wait_until

from aliyun.log import LogClient, LogException
from aliyun.log.consumer import ConsumerProcessorBase, CursorPosition
from aliyun.log.consumer.checkpoint_tracker import ConsumerCheckpointTracker
from aliyun.log.consumer.config import ConsumerStatus
from aliyun.log.consumer.consumer_client import ConsumerClient, ConsumerClientLoggerAdapter
from aliyun.log.consumer.exceptions import CheckPointException, ClientWorkerException
from aliyun.log.consumer.heart_beat import ConsumerHeatBeat, HeartBeatLoggerAdapter
from aliyun.log.consumer.preprocessor import to_log_group_list_view
from aliyun.log.consumer.shard_worker import ShardConsumerWorker, ShardConsumerWorkerLoggerAdapter
from aliyun.log.consumer.tasks import (
    FetchTaskResult,
    InitTaskResult,
    ProcessTaskResult,
    TaskResult,
    consumer_fetch_task,
    consumer_initialize_task,
    consumer_process_task,
    consumer_shutdown_task,
)
from aliyun.log.consumer.worker import ConsumerWorkerLoggerAdapter
from aliyun.log.emulator import EmulatorServer


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as srv:
        yield srv


_projects = itertools.count()


@pytest.fixture
def store(server: EmulatorServer) -> str:
    """A fresh project with a two-shard logstore holding ids 0..199 in 20 log groups."""
    project = f"{PROJECT}-{next(_projects)}"
    client = server.client(in_process=True)
    client.create_project(project, "consumer internals")
    client.create_logstore(project, LOGSTORE, shard_count=2)
    put_ids(client, range(200), per_group=10, project=project)
    return project


def official_client(server: EmulatorServer, project: str, consumer: str = "c1") -> ConsumerClient:
    """The official constructor form: endpoint, keys, project, logstore, group, consumer."""
    return ConsumerClient(
        server.endpoint, server.access_key_id, server.access_key_secret, project, LOGSTORE, GROUP, consumer
    )


class Collecting(ConsumerProcessorBase):
    """Keeps the ids it was given; saves its checkpoint after each batch."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[int] = []
        self.shut = False

    def process(self, log_groups: Any, check_point_tracker: Any) -> None:
        self.ids.extend(ids_of(log_groups))
        check_point_tracker.save_check_point(True)

    def shutdown(self, check_point_tracker: Any) -> None:
        self.shut = True
        check_point_tracker.save_check_point(True)


# -- ConsumerClient, official form ---------------------------------------------------------------------


def test_official_form_client_creates_the_group_heartbeats_pulls_and_checkpoints(
    server: EmulatorServer, store: str
) -> None:
    client = official_client(server, store)
    try:
        client.ensure_consumer_group_created(20, False)
        client.ensure_consumer_group_created(30, True)  # exists: updated, not an error
        group = client.get_consumer_group()
        assert group is not None and group.get_timeout() == 30 and group.is_in_order() is True

        assigned: list[int] = []
        assert client.heartbeat([], assigned) is True
        assert sorted(assigned) == [0, 1]

        assert client.get_check_point(0)["checkpoint"] == ""
        begin = client.get_begin_cursor(0)
        answer = client.pull_logs(0, begin, count=3)
        assert answer.get_loggroup_count() == 3
        client.update_check_point(0, "c1", answer.get_next_cursor())
        entry = client.get_check_point(0)
        assert entry["checkpoint"] == answer.get_next_cursor()
        assert entry["consumer"] == "c1"
        assert position(client.get_end_cursor(0)) >= position(answer.get_next_cursor())
        assert client.mclient.list_shards(store, LOGSTORE).get_shards_info()
    finally:
        client.close()


def test_official_form_errors(server: EmulatorServer, store: str) -> None:
    with pytest.raises(ValueError, match="consumer_group"):
        ConsumerClient(server.endpoint, server.access_key_id, server.access_key_secret, store, LOGSTORE, "", "c1")
    missing = ConsumerClient(
        server.endpoint, server.access_key_id, server.access_key_secret, store, "no-such-store", GROUP, "c1"
    )
    with pytest.raises(ClientWorkerException) as raised:
        missing.ensure_consumer_group_created(20, False)
    assert isinstance(raised.value.__cause__, LogException)
    assert raised.value.__cause__.get_error_code() == "LogStoreNotExist"
    # the group does not exist: the official heartbeat answers False instead of raising
    assert official_client(server, store).heartbeat([0], []) is False


# -- the task functions -----------------------------------------------------------------------------------


def test_task_functions_consume_a_shard_by_hand(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)
    processor = Collecting()
    tracker = ConsumerCheckpointTracker(client, "c1", 0)

    init = consumer_initialize_task(processor, client, 0, CursorPosition.BEGIN_CURSOR, None)
    assert isinstance(init, InitTaskResult) and init.get_exception() is None
    assert init.get_cursor() == client.get_begin_cursor(0) and init.is_cursor_persistent() is False

    cursor = init.get_cursor()
    end = client.get_end_cursor(0)
    while cursor != end:
        fetched = consumer_fetch_task(client, to_log_group_list_view, 0, cursor, max_fetch_log_group_size=4)
        assert isinstance(fetched, FetchTaskResult)
        assert 0 < fetched.get_log_group_count() <= 4
        tracker.set_cursor(fetched.get_cursor())
        processed = consumer_process_task(processor, fetched.get_data(), tracker)
        assert isinstance(processed, ProcessTaskResult) and processed.get_rollback_check_point() is None
        cursor = fetched.get_cursor()
    done = consumer_shutdown_task(processor, tracker)
    assert done.get_exception() is None and processor.shut

    # the shard's share of ids, each once; the checkpoint is where reading stopped
    assert len(processor.ids) == len(set(processor.ids)) > 0
    assert client.get_check_point(0)["checkpoint"] == end

    # a second start resumes from the stored checkpoint
    again = consumer_initialize_task(Collecting(), client, 0, CursorPosition.BEGIN_CURSOR, None)
    assert isinstance(again, InitTaskResult)
    assert again.get_cursor() == end and again.is_cursor_persistent() is True


def test_fetch_task_resumes_inside_the_shard_when_the_cursor_is_beyond_it(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    end = client.get_end_cursor(1)
    beyond = base64.b64encode(str(position(end) + 1000).encode()).decode()
    result = consumer_fetch_task(client, to_log_group_list_view, 1, beyond)
    assert isinstance(result, FetchTaskResult)
    assert result.get_log_group_count() == 0 and result.get_cursor() == end


def test_task_errors_are_returned_not_raised(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)

    class Failing(Collecting):
        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            raise RuntimeError("boom")

        def shutdown(self, check_point_tracker: Any) -> None:
            raise RuntimeError("no shutdown")

    tracker = ConsumerCheckpointTracker(client, "c1", 0)
    failed = consumer_process_task(Failing(), None, tracker)
    assert type(failed) is TaskResult and isinstance(failed.get_exception(), RuntimeError)
    assert isinstance(consumer_shutdown_task(Failing(), tracker).get_exception(), RuntimeError)
    # no such group: reading the checkpoint fails inside the task
    init = consumer_initialize_task(Collecting(), client, 0, CursorPosition.BEGIN_CURSOR, None)
    assert type(init) is TaskResult and isinstance(init.get_exception(), LogException)
    tracker.set_cursor(client.get_end_cursor(0))
    tracker.save_check_point(False)
    with pytest.raises(CheckPointException):
        tracker.flush_check_point()


def test_process_task_passes_a_rollback_cursor_through(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)
    begin = client.get_begin_cursor(0)

    class Rewinding(Collecting):
        def process(self, log_groups: Any, check_point_tracker: Any) -> str:
            return begin

    result = consumer_process_task(Rewinding(), None, ConsumerCheckpointTracker(client, "c1", 0))
    assert isinstance(result, ProcessTaskResult) and result.get_rollback_check_point() == begin


# -- ShardConsumerWorker and ConsumerHeatBeat ------------------------------------------------------------


def drive(worker: ShardConsumerWorker, condition: Any, what: str) -> None:
    """Call consume() as the official worker's loop does until ``condition()``."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        worker.consume()
        time.sleep(0.005)


def shard_ids(client: LogClient, project: str, shard: int) -> list[int]:
    cursor = client.get_cursor(project, LOGSTORE, shard, "begin").get_cursor()
    return ids_of(client.pull_logs(project, LOGSTORE, shard, cursor, count=1000).get_loggroup_list())


def test_shard_consumer_worker_reads_a_shard_and_shuts_down(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)
    processor = Collecting()
    worker = ShardConsumerWorker(client, 1, "c1", processor, CursorPosition.BEGIN_CURSOR, None, 5)
    assert worker.consumer_status == ConsumerStatus.INITIALIZING
    expected = shard_ids(server.client(in_process=True), store, 1)
    drive(worker, lambda: len(processor.ids) >= len(expected), "the shard's logs")
    assert processor.ids == expected
    assert worker.consumer_status == ConsumerStatus.PROCESSING

    worker.shut_down()
    assert worker.shutdown is True
    deadline = time.monotonic() + 60
    while not worker.is_shutdown():
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert processor.shut
    assert worker.consumer_status == ConsumerStatus.SHUTDOWN_COMPLETE
    assert client.get_check_point(1)["checkpoint"] == client.get_end_cursor(1)

    # a new worker on the shard resumes at the checkpoint: nothing is read twice
    later = Collecting()
    second = ShardConsumerWorker(client, 1, "c1", later, CursorPosition.BEGIN_CURSOR, None)
    drive(second, lambda: second.next_fetch_cursor is not None, "initialisation")
    assert second.next_fetch_cursor == client.get_end_cursor(1)
    second.shut_down()
    drive(second, second.is_shutdown, "shutdown")
    assert later.ids == []


def test_shard_consumer_worker_on_a_shared_executor_with_a_query(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)
    processor = Collecting()
    with ThreadPoolExecutor(2) as executor:
        worker = ShardConsumerWorker(
            client, 0, "c1", processor, CursorPosition.BEGIN_CURSOR, None, executor=executor, query="* | where id = '4'"
        )
        expected = [i for i in shard_ids(server.client(in_process=True), store, 0) if i == 4]
        drive(worker, lambda: worker.next_fetch_cursor == client.get_end_cursor(0), "the end of the shard")
        drive(worker, lambda: worker._consumer.state.processing is None, "the last batch")
        worker.shut_down()
        drive(worker, worker.is_shutdown, "shutdown")
    assert processor.ids == expected


def test_cancel_current_fetch_reads_the_batch_again(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)

    class Holding(Collecting):
        """Blocks in its first process() until released, so the next batch waits ready."""

        def __init__(self) -> None:
            super().__init__()
            self.release = threading.Event()

        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            self.release.wait(30)
            super().process(log_groups, check_point_tracker)

    processor = Holding()
    worker = ShardConsumerWorker(client, 0, "c1", processor, CursorPosition.BEGIN_CURSOR, None, 2)
    state = worker._consumer.state
    drive(worker, lambda: state.processing is not None and state.ready is not None, "a ready batch")
    ready_from = state.ready.cursor if state.ready else None
    worker.cancel_current_fetch()
    assert state.ready is None and worker.next_fetch_cursor == ready_from
    processor.release.set()
    expected = shard_ids(server.client(in_process=True), store, 0)
    drive(worker, lambda: len(processor.ids) >= len(expected), "the shard's logs")
    assert processor.ids == expected  # nothing lost, nothing twice
    worker.shut_down()
    drive(worker, worker.is_shutdown, "shutdown")


def test_consumer_heat_beat_holds_shards_until_removed(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)
    beat = ConsumerHeatBeat(client, 0.2, 20)
    assert beat.daemon
    beat.start()
    try:
        wait_until(lambda: sorted(beat.get_held_shards()) == [0, 1], what="both shards held")
        assert sorted(beat.mheart_shards) == [0, 1]
        held = beat.get_held_shards()
        held.clear()  # a copy
        assert beat.get_held_shards()

        # a second consumer joins: the server moves one shard to it once c1 lets go
        other = official_client(server, store, "c2")
        mine: list[int] = []
        other.heartbeat([], mine)
        wait_until(lambda: len(beat.get_held_shards()) == 1, what="one shard taken away")
        released = ({0, 1} - set(beat.get_held_shards())).pop()
        assert released in beat.mheart_shards  # still listed until released
        beat.remove_heart_shard(released)
        assert released not in beat.mheart_shards
        wait_until(
            lambda: other.heartbeat([], mine) and released in mine,
            what="the released shard handed to c2",
        )
    finally:
        beat.shutdown()
        beat.join(5)
    assert not beat.is_alive()


def test_consumer_heat_beat_failures_drop_the_held_shards_after_the_timeout(server: EmulatorServer, store: str) -> None:
    client = official_client(server, store)
    client.ensure_consumer_group_created(20, False)
    beat = ConsumerHeatBeat(client, 0.1, 1)
    assert beat.beat() == "ok" and sorted(beat.get_held_shards()) == [0, 1]
    server.client(in_process=True).delete_consumer_group(store, LOGSTORE, GROUP)
    assert beat.beat() == "fatal"
    assert beat.get_held_shards() == []


def test_official_bool_heartbeat_clients_work_too(server: EmulatorServer, store: str) -> None:
    """A client object with only the official ``heartbeat(shards, responce) -> bool``."""
    real = official_client(server, store)
    real.ensure_consumer_group_created(20, False)

    class OfficialShape:
        mproject, mlogstore, mconsumer_group, mconsumer = store, LOGSTORE, GROUP, "c1"
        fail = False

        def heartbeat(self, shards: list[int], responce: list[int]) -> bool:
            return False if self.fail else real.heartbeat(shards, responce)

    shaped = OfficialShape()
    beat = ConsumerHeatBeat(shaped, 0.05, 0.2)
    assert beat.beat() == "ok" and sorted(beat.get_held_shards()) == [0, 1]
    shaped.fail = True
    assert beat.beat() == "transient" and beat.get_held_shards() == [0, 1]
    time.sleep(0.3)
    assert beat.beat() == "lost" and beat.get_held_shards() == []


# -- logger adapters -----------------------------------------------------------------------------------------


def test_logger_adapters_prefix_who_logs(server: EmulatorServer, store: str, caplog: pytest.LogCaptureFixture) -> None:
    client = official_client(server, store)
    prefix = f"[{store}/{LOGSTORE}/{GROUP}/c1]"
    base = logging.getLogger("test.consumer.internals")
    beat = ConsumerHeatBeat(client, 1, 2)
    shard = ShardConsumerWorker(client, 1, "c1", Collecting(), CursorPosition.BEGIN_CURSOR, None)

    class WorkerShape:
        option = client.option

    with caplog.at_level(logging.INFO, logger="test.consumer.internals"):
        ConsumerClientLoggerAdapter(base, {"consumer_client": client}).info("a")
        HeartBeatLoggerAdapter(base, {"heart_beat": beat}).info("b")
        ShardConsumerWorkerLoggerAdapter(base, {"shard_consumer_worker": shard}).info("c")
        ConsumerWorkerLoggerAdapter(base, {"consumer_worker": WorkerShape()}).info("d")
    assert caplog.messages == [f"{prefix}a", f"{prefix}b", f"[{store}/{LOGSTORE}/{GROUP}/c1/1]c", f"{prefix}d"]
    assert client.logger.extra == {"consumer_client": client}
    shard.shut_down()
    drive(shard, shard.is_shutdown, "shutdown")
