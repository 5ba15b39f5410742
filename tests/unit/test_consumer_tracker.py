"""Checkpoint tracker, retry policy, processor classes and LogHubConfig (no I/O)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from aliyun.log import LogException
from aliyun.log.consumer import (
    ConsumerJsonProcessorBase,
    ConsumerProcessorAdaptor,
    ConsumerProcessorBase,
    CursorPosition,
    LogHubConfig,
    ProcessRetryPolicy,
)
from aliyun.log.consumer.checkpoint_tracker import ConsumerCheckpointTracker
from aliyun.log.consumer.exceptions import CheckPointException
from aliyun.log.consumer.tasks import FLAT_JSON, LOG_GROUP_LIST, data_format_of


class Recorder:
    def __init__(self, fail: int = 0) -> None:
        self.commits: list[tuple[int, str]] = []
        self.fail = fail

    def __call__(self, shard: int, cursor: str) -> None:
        if self.fail:
            self.fail -= 1
            raise LogException("ServerBusy", "try later")
        self.commits.append((shard, cursor))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_tracker(commit: Recorder, clock: FakeClock | None = None) -> ConsumerCheckpointTracker:
    return ConsumerCheckpointTracker(commit, "me", 3, flush_interval=60.0, clock=clock or FakeClock())


def test_save_persistent_writes_current_cursor_once() -> None:
    commit = Recorder()
    tracker = make_tracker(commit)
    tracker.set_cursor("c10")
    tracker.save_check_point(True)
    tracker.save_check_point(True)
    assert commit.commits == [(3, "c10")]
    assert tracker.get_check_point() == "c10"
    tracker.save_check_point(True, cursor="c5")
    assert commit.commits[-1] == (3, "c5")


def test_memory_save_is_written_by_flush() -> None:
    commit = Recorder()
    tracker = make_tracker(commit)
    tracker.set_cursor("c10")
    tracker.save_check_point(False)
    assert commit.commits == []
    assert tracker.has_unflushed()
    tracker.flush_check_point()
    assert commit.commits == [(3, "c10")]
    assert not tracker.has_unflushed()


def test_start_checkpoint_is_not_rewritten() -> None:
    commit = Recorder()
    tracker = make_tracker(commit)
    tracker.set_persistent_check_point("c0")
    tracker.set_memory_check_point("c0")
    tracker.set_cursor("c0")
    tracker.save_check_point(True)
    assert commit.commits == []


def test_flush_check_respects_interval() -> None:
    commit, clock = Recorder(), FakeClock()
    tracker = make_tracker(commit, clock)
    tracker.set_cursor("c1")
    tracker.save_check_point(False)
    clock.now = 59.0
    tracker.flush_check()
    assert commit.commits == []
    clock.now = 60.0
    tracker.flush_check()
    assert commit.commits == [(3, "c1")]


def test_failed_persistent_save_does_not_raise_and_stays_pending() -> None:
    commit = Recorder(fail=1)
    tracker = make_tracker(commit)
    tracker.set_cursor("c1")
    tracker.save_check_point(True)  # logged, not raised: the batch was processed
    assert tracker.has_unflushed()
    tracker.flush_check_point()
    assert commit.commits == [(3, "c1")]


def test_flush_raises_checkpoint_exception() -> None:
    tracker = make_tracker(Recorder(fail=1))
    tracker.set_memory_check_point("c1")
    with pytest.raises(CheckPointException) as info:
        tracker.flush_check_point()
    assert isinstance(info.value.__cause__, LogException)


def test_restore_undoes_a_failed_batch() -> None:
    commit = Recorder()
    tracker = make_tracker(commit)
    tracker.set_cursor("c10")
    tracker.save_check_point(False)
    before = tracker.snapshot()
    tracker.set_cursor("c20")
    tracker.save_check_point(False)
    tracker.restore(before)
    assert tracker.get_cursor() == "c10"
    tracker.flush_check_point()
    assert commit.commits == [(3, "c10")]


def test_abandon_writes_the_value_before_the_batch_and_ignores_later_saves() -> None:
    commit = Recorder()
    tracker = make_tracker(commit)
    tracker.set_cursor("c10")
    tracker.save_check_point(False)
    before = tracker.snapshot()
    tracker.set_cursor("c20")  # the batch being given up
    tracker.abandon(before)
    assert commit.commits == [(3, "c10")]
    tracker.save_check_point(True)  # the abandoned process() finishing late
    assert commit.commits == [(3, "c10")]


def test_writes_are_serialised() -> None:
    order: list[str] = []
    gate = threading.Event()
    writing_c1 = threading.Event()

    def slow_commit(shard: int, cursor: str) -> None:
        if cursor == "c1":
            writing_c1.set()
            gate.wait(2)
        order.append(cursor)

    tracker = ConsumerCheckpointTracker(slow_commit, "me", 0)
    tracker.set_memory_check_point("c1")
    first = threading.Thread(target=tracker.flush_check_point)
    first.start()
    # Only once the first write has taken c1 is c2 a newer value racing it; before that the
    # first flush would simply write c2 and the second would have nothing to do.
    assert writing_c1.wait(5)
    tracker.set_memory_check_point("c2")
    second = threading.Thread(target=tracker.flush_check_point)
    second.start()
    gate.set()
    first.join()
    second.join()
    assert order == ["c1", "c2"]  # never an older value after a newer one


# -- policy -------------------------------------------------------------------------------------------


def test_policy_defaults_retry_forever() -> None:
    policy = ProcessRetryPolicy()
    assert all(policy.decide(n) == "retry" for n in range(1, 1000))
    assert policy.delay(1) == 1.0
    assert policy.delay(2) == 2.0
    assert policy.delay(100) == 60.0


def test_policy_validation() -> None:
    with pytest.raises(ValueError):
        ProcessRetryPolicy("skip")  # needs max_attempts
    with pytest.raises(ValueError):
        ProcessRetryPolicy("explode", max_attempts=1)
    assert ProcessRetryPolicy("stop", max_attempts=3).decide(3) == "stop"
    assert ProcessRetryPolicy("skip", max_attempts=3).decide(2) == "retry"


# -- processors ---------------------------------------------------------------------------------------


class FakeTracker:
    def __init__(self) -> None:
        self.saves: list[bool] = []
        self.cursor = "c1"

    def save_check_point(self, persistent: bool, cursor: Any = None) -> None:
        self.saves.append(persistent)


def test_base_processor_checkpoint_helper_limits_writes() -> None:
    processor = ConsumerProcessorBase()
    processor.initialize(4)
    assert processor.shard_id == 4
    tracker: Any = FakeTracker()
    processor.save_checkpoint(tracker)
    processor.save_checkpoint(tracker)
    processor.save_checkpoint(tracker, force=True)
    assert tracker.saves == [True, False, True]
    processor.shutdown(tracker)
    assert tracker.saves[-1] is True
    with pytest.raises(NotImplementedError):
        processor.process(None, tracker)


def test_subclass_without_super_init_still_works() -> None:
    class Mine(ConsumerProcessorBase):
        def __init__(self) -> None:  # no super().__init__()
            self.count = 0

        def process(self, log_groups: Any, check_point_tracker: Any) -> None:
            self.count += 1

    processor = Mine()
    tracker: Any = FakeTracker()
    processor.save_checkpoint(tracker)
    processor.shutdown(tracker)
    assert tracker.saves == [True, True]


def test_adaptor_saves_unless_false() -> None:
    calls: list[tuple[int, Any]] = []

    def handle(shard: int, data: Any) -> Any:
        calls.append((shard, data))
        return data != "keep"

    adaptor = ConsumerProcessorAdaptor(handle)
    adaptor.initialize(2)
    tracker: Any = FakeTracker()
    adaptor.process("a", tracker)
    adaptor.process("keep", tracker)
    assert calls == [(2, "a"), (2, "keep")]
    assert len(tracker.saves) == 1


def test_data_formats() -> None:
    assert data_format_of(ConsumerProcessorBase()) == LOG_GROUP_LIST
    assert data_format_of(ConsumerJsonProcessorBase()) == FLAT_JSON
    assert data_format_of(object()) == LOG_GROUP_LIST


# -- LogHubConfig ---------------------------------------------------------------------------------------


def test_config_positional_order_and_defaults() -> None:
    option = LogHubConfig(
        "ep", "id", "key", "proj", "ls", "group", "consumer", CursorPosition.BEGIN_CURSOR, 3, 1, True, -1, "token"
    )
    assert option.heartbeat_interval == 3
    assert option.data_fetch_interval == 1
    assert option.in_order is True
    assert option.securityToken == "token"
    assert option.consumer_group_time_out == 6
    assert option.start_position() == "begin"
    default = LogHubConfig("ep", "id", "key", "proj", "ls", "group", "consumer")
    assert default.cursor_position == CursorPosition.SPECIAL_TIMER_CURSOR
    assert default.cursor_start_time == "begin"
    assert default.heartbeat_interval == 20
    assert default.consumer_group_time_out == 40
    assert default.max_fetch_log_group_size == 1000
    assert default.worker_pool_size == 2


def test_config_start_positions() -> None:
    def start(position: CursorPosition, when: Any = None) -> str:
        return LogHubConfig("e", "i", "k", "p", "l", "g", "c", position, cursor_start_time=when).start_position()

    assert start(CursorPosition.END_CURSOR) == "end"
    assert start(CursorPosition.SPECIAL_TIMER_CURSOR, -1) == "begin"
    assert start(CursorPosition.SPECIAL_TIMER_CURSOR, 1700000000) == "1700000000"
    assert start(CursorPosition.SPECIAL_TIMER_CURSOR, "1 hour ago") == "1 hour ago"


def test_config_short_heartbeat_gives_whole_second_timeout() -> None:
    option = LogHubConfig("e", "i", "k", "p", "l", "g", "c", heartbeat_interval=0.3)
    assert option.consumer_group_time_out == 1


def test_official_form_writes_through_the_clients_update_check_point() -> None:
    calls: list[tuple[int, str, str]] = []

    class Adapter:
        def update_check_point(self, shard: int, consumer: str, check_point: str) -> None:
            calls.append((shard, consumer, check_point))

    adapter = Adapter()
    tracker = ConsumerCheckpointTracker(adapter, "me", 4)
    assert tracker.consumer_group_client is adapter
    tracker.set_cursor("Y3Vyc29y")
    tracker.save_check_point(True)
    assert calls == [(4, "me", "Y3Vyc29y")]
