"""The shard consumer state machine, driven by hand with a fake clock (no I/O, no threads)."""

from __future__ import annotations

import pytest

from aliyun.log.consumer.config import ConsumerStatus
from aliyun.log.consumer.policy import ProcessRetryPolicy
from aliyun.log.consumer.shard_state import (
    Batch,
    Fetch,
    Finish,
    Flush,
    Init,
    Process,
    ShardConsumerState,
    ShardSettings,
)

SETTINGS = ShardSettings(fetch_interval=2.0, max_fetch=10, flush_interval=60.0, io_retry_base=0.5, io_retry_max=4.0)


def started(settings: ShardSettings = SETTINGS, start: str = "c0", end: str | None = None) -> ShardConsumerState:
    state = ShardConsumerState(0, settings, now=0.0)
    assert state.poll(0.0) == [Init()]
    state.on_init_done(0.0, start, end)
    return state


def batch(start: int, count: int = 10) -> Batch:
    return Batch(f"c{start}", f"c{start + count}", count, data=f"data{start}")


def only(actions: list, kind: type) -> object:
    found = [a for a in actions if isinstance(a, kind)]
    assert len(found) == 1, actions
    return found[0]


def test_init_then_fetch_from_start() -> None:
    state = started()
    assert state.status == ConsumerStatus.PROCESSING
    assert state.poll(0.0) == [Fetch("c0", None, 0)]
    assert state.poll(0.0) == []  # one fetch at a time


def test_init_failure_retries_with_backoff() -> None:
    state = ShardConsumerState(0, SETTINGS, now=0.0)
    assert state.poll(0.0) == [Init()]
    state.on_init_failed(1.0, RuntimeError("boom"))
    assert state.poll(1.2) == []
    assert state.next_wakeup(1.2) == pytest.approx(1.5)
    assert state.poll(1.5) == [Init()]
    state.on_init_failed(2.0, RuntimeError("boom"))
    assert state.next_wakeup(2.0) == pytest.approx(3.0)  # doubled


def test_fetch_overlaps_processing_and_batches_stay_in_order() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.1, fetch.epoch, batch(0))
    actions = state.poll(0.1)
    process = only(actions, Process)
    assert process.batch.cursor == "c0"
    fetch = only(actions, Fetch)  # the next batch is fetched while the first is processed
    assert fetch.cursor == "c10"
    state.on_fetch_done(0.2, fetch.epoch, batch(10))
    assert state.poll(0.2) == []  # batch 2 waits for batch 1; nothing more is fetched
    state.on_process_done(0.3)
    actions = state.poll(0.3)
    assert only(actions, Process).batch.cursor == "c10"
    assert only(actions, Fetch).cursor == "c20"


def test_empty_fetch_waits_fetch_interval_and_flushes_once() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    actions = state.poll(0.0)
    fetch = only(actions, Fetch)
    state.on_process_done(0.5)
    state.on_fetch_done(0.5, fetch.epoch, Batch("c10", "c10", 0))
    actions = state.poll(0.5)
    assert actions == [Flush()]  # caught up: write the checkpoint now
    state.on_flush_done(0.6, ok=True)
    assert state.poll(1.0) == []
    assert state.next_wakeup(1.0) == pytest.approx(2.5)
    assert state.poll(2.5) == [Fetch("c10", None, fetch.epoch)]


def test_small_batches_throttle_full_batches_do_not() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(1.0, fetch.epoch, batch(0, count=10))  # full (max_fetch=10)
    assert any(isinstance(a, Fetch) for a in state.poll(1.0))
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(1.0, fetch.epoch, batch(0, count=3))
    actions = state.poll(1.0)
    assert not any(isinstance(a, Fetch) for a in actions)
    assert any(isinstance(a, Fetch) for a in state.poll(1.5))


def test_failed_process_is_fetched_again_from_its_start_after_backoff() -> None:
    policy = ProcessRetryPolicy(base_delay=1.0, max_delay=8.0)
    state = started(ShardSettings(max_fetch=10, retry=policy))
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    actions = state.poll(0.0)
    ahead = only(actions, Fetch)
    assert state.on_process_failed(1.0, RuntimeError("bad")) == "retry"
    state.on_fetch_done(1.1, ahead.epoch, batch(10))  # the batch fetched ahead is dropped
    assert state.ready is None
    assert state.poll(1.5) == []
    actions = state.poll(2.0)
    assert only(actions, Fetch).cursor == "c0"
    refetch = only(actions, Fetch)
    state.on_fetch_done(2.1, refetch.epoch, batch(0))
    actions = state.poll(2.1)
    assert only(actions, Process).batch.cursor == "c0"
    ahead = only(actions, Fetch)
    assert state.on_process_failed(3.0, RuntimeError("bad")) == "retry"
    assert state.failed_attempts == 2
    assert state.next_wakeup(3.0) is None  # the stale fetch must come back first
    state.on_fetch_done(3.0, ahead.epoch, batch(10))
    assert state.next_wakeup(3.0) == pytest.approx(5.0)  # 2 s: doubled


def test_retry_forever_by_default() -> None:
    state = started()
    for attempt in range(1, 50):
        now = attempt * 100.0
        fetch = only(state.poll(now), Fetch)
        assert fetch.cursor == "c0"
        state.on_fetch_done(now, fetch.epoch, batch(0))
        actions = state.poll(now)
        only(actions, Process)
        assert state.on_process_failed(now, RuntimeError("x")) == "retry"
        ahead = only(actions, Fetch)
        state.on_fetch_done(now, ahead.epoch, batch(10))
    assert state.skipped == []
    assert state.fatal is None


def test_skip_after_max_attempts() -> None:
    state = started(ShardSettings(max_fetch=10, retry=ProcessRetryPolicy("skip", max_attempts=2, base_delay=0)))
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    actions = state.poll(0.0)
    only(actions, Process)
    assert state.on_process_failed(0.0, RuntimeError("x")) == "retry"
    state.on_fetch_done(0.0, only(actions, Fetch).epoch, batch(10))  # stale: dropped
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    actions = state.poll(0.0)
    only(actions, Process)
    ahead = only(actions, Fetch)
    assert state.on_process_failed(0.0, RuntimeError("x")) == "skip"
    assert [b.cursor for b, _ in state.skipped] == ["c0"]
    state.on_fetch_done(0.0, ahead.epoch, batch(10))  # consumption goes on after the skipped batch
    assert only(state.poll(0.0), Process).batch.cursor == "c10"


def test_stop_after_max_attempts() -> None:
    state = started(ShardSettings(max_fetch=10, retry=ProcessRetryPolicy("stop", max_attempts=1)))
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    only(state.poll(0.0), Process)
    error = RuntimeError("x")
    assert state.on_process_failed(0.0, error) == "stop"
    assert state.fatal is error
    assert state.poll(100.0) == []  # nothing more is fetched


def test_rollback_cursor_rewinds() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    ahead = only(state.poll(0.0), Fetch)
    state.on_process_done(0.1, rollback="c5")
    state.on_fetch_done(0.2, ahead.epoch, batch(10))
    assert state.ready is None
    assert only(state.poll(0.2), Fetch).cursor == "c5"


def test_shutdown_waits_for_running_process_then_finishes() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    only(state.poll(0.0), Process)
    state.request_shutdown(1.0, deadline=None)
    assert state.status == ConsumerStatus.SHUTTING_DOWN
    assert state.poll(100.0) == []
    state.on_process_done(101.0)
    assert state.poll(101.0) == [Finish(abandon=False, initialized=True)]
    assert state.poll(101.0) == []
    state.on_finish_done(102.0)
    assert state.done


def test_shutdown_abandons_at_deadline() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    only(state.poll(0.0), Process)
    state.request_shutdown(1.0, deadline=5.0)
    assert state.poll(4.9) == []
    assert state.next_wakeup(4.9) == 5.0
    assert state.poll(5.0) == [Finish(abandon=True, initialized=True)]


def test_shutdown_drops_the_batch_fetched_ahead() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    ahead = only(state.poll(0.0), Fetch)
    state.request_shutdown(0.1)
    state.on_fetch_done(0.2, ahead.epoch, batch(10))
    assert state.ready is None
    state.on_process_done(0.3)
    assert state.poll(0.3) == [Finish(abandon=False, initialized=True)]


def test_shutdown_before_init_finished() -> None:
    state = ShardConsumerState(0, SETTINGS, now=0.0)
    assert state.poll(0.0) == [Init()]
    state.request_shutdown(0.1)
    assert state.poll(0.1) == []  # init still running
    state.on_init_done(0.2, "c0", None)
    assert state.poll(0.2) == [Finish(abandon=False, initialized=True)]


def test_reaching_end_cursor_stops_fetching() -> None:
    state = started(end="c10")
    fetch = only(state.poll(0.0), Fetch)
    assert fetch.end_cursor == "c10"
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    ahead = only(state.poll(0.0), Fetch)
    state.on_process_done(0.1)
    state.on_fetch_done(0.1, ahead.epoch, Batch("c10", "c10", 0))
    assert state.reached_end
    assert state.poll(0.1) == [Flush()]
    state.on_flush_done(0.1, ok=True)
    assert state.poll(1000.0) == []
    assert state.next_wakeup(1000.0) is None


def test_periodic_flush_while_data_flows() -> None:
    state = started(ShardSettings(max_fetch=10, flush_interval=5.0))
    now = 0.0
    flushes = 0
    for step in range(20):
        now = step * 1.0
        for action in state.poll(now):
            if isinstance(action, Fetch):
                state.on_fetch_done(now, action.epoch, batch(step * 10))
            elif isinstance(action, Process):
                state.on_process_done(now)
            elif isinstance(action, Flush):
                flushes += 1
                state.on_flush_done(now, ok=True)
    assert 3 <= flushes <= 4


def test_failed_flush_is_retried_after_backoff_not_at_once() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(0))
    ahead = only(state.poll(0.0), Fetch)
    state.on_process_done(0.0)
    state.on_fetch_done(0.0, ahead.epoch, Batch("c10", "c10", 0))
    assert Flush() in state.poll(0.0)
    state.on_flush_done(0.0, ok=False)
    assert Flush() not in state.poll(0.1)
    assert Flush() in state.poll(0.5)


def test_invalid_cursor_restarts_where_told() -> None:
    state = started()
    fetch = only(state.poll(0.0), Fetch)
    state.on_fetch_failed(0.0, fetch.epoch, RuntimeError("InvalidCursor"), restart_at="c100")
    assert only(state.poll(0.5), Fetch).cursor == "c100"


def test_cancel_fetch_drops_a_ready_batch_and_reads_it_again() -> None:
    state = started()
    only(state.poll(0.0), Fetch)
    state.on_fetch_done(0.0, 0, batch(0))
    actions = state.poll(0.0)
    only(actions, Process)
    fetch = only(actions, Fetch)
    state.on_fetch_done(0.0, fetch.epoch, batch(10))
    assert state.ready is not None
    state.cancel_fetch()
    assert state.ready is None and state.fetch_cursor == "c10"
    assert only(state.poll(5.0), Fetch).cursor == "c10"


def test_cancel_fetch_ignores_the_answer_in_flight() -> None:
    state = started()
    first = only(state.poll(0.0), Fetch)
    state.cancel_fetch()
    assert state.poll(0.0) == []  # still one fetch at a time
    state.on_fetch_done(0.0, first.epoch, batch(0))
    assert state.ready is None and state.fetch_cursor == "c0"
    again = only(state.poll(5.0), Fetch)
    assert again.cursor == "c0" and again.epoch != first.epoch
