"""The heartbeat state machine with a fake clock."""

from __future__ import annotations

import pytest

from aliyun.log.consumer.heartbeat_state import EXPIRED, FATAL, LOST, OK, TRANSIENT, HeartbeatState


def test_first_heartbeat_is_due_at_once_with_empty_body() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=100.0)
    assert state.due(100.0)
    assert state.body([]) == []


def test_success_sets_assignment_and_schedules_from_send_time() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=0.0)
    state.on_sent(0.0)
    assert state.on_success(0.5, [1, 0]) == OK
    assert state.assigned == frozenset({0, 1})
    assert state.next_due() == 20.0
    assert not state.due(19.9)
    assert state.due(20.0)


def test_body_lists_held_and_assigned_shards() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=0.0)
    state.on_sent(0.0)
    state.on_success(0.1, [0, 1])
    # 2 is still being released (its checkpoint not yet written): it stays listed
    assert state.body([1, 2]) == [0, 1, 2]


def test_transient_failure_keeps_shards_and_retries_soon_without_spinning() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=0.0)
    state.on_sent(0.0)
    state.on_success(0.0, [0])
    state.on_sent(20.0)
    assert state.on_failure(21.0, RuntimeError("net"), "") == TRANSIENT
    assert state.assigned == frozenset({0})
    assert state.consecutive_failures == 1
    assert 21.0 < state.next_due() <= 31.0


def test_failures_longer_than_timeout_lose_the_shards() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=0.0)
    state.on_sent(0.0)
    state.on_success(0.2, [0, 1])
    assert state.on_failure(39.0, RuntimeError("net")) == TRANSIENT
    assert state.on_failure(40.5, RuntimeError("net")) == LOST
    assert state.assigned == frozenset()
    assert state.silent_for(40.5) == pytest.approx(40.5)  # counted from the send time


def test_unknown_consumer_registers_again_with_empty_body() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=0.0)
    state.on_sent(0.0)
    state.on_success(0.0, [0, 1])
    assert state.on_failure(20.0, RuntimeError("x"), "NotExistConsumerWithBody") == EXPIRED
    assert state.assigned == frozenset()
    assert state.body([0, 1]) == []  # even though shards are still being released
    assert state.due(20.0)
    state.on_sent(20.0)
    state.on_success(20.1, [3])
    assert state.body([0]) == [0, 3]


def test_deleted_group_is_fatal() -> None:
    state = HeartbeatState(interval=20, timeout=40, now=0.0)
    assert state.on_failure(1.0, RuntimeError("gone"), "ConsumerGroupNotExist") == FATAL
    assert state.last_error is not None
    assert not state.due(1.0)  # no spin even if the caller keeps going
