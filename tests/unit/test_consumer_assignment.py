"""The emulator's pure shard assignment (consumable shards and rebalancing)."""

from __future__ import annotations

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log.emulator.service.assignment import Assignment, ShardView, consumable_shards, rebalance


def _counts(plan: Assignment) -> list[int]:
    return sorted(len(s) for s in plan.assigned.values())


def _all_assigned(plan: Assignment) -> list[int]:
    return sorted(s for shards in plan.assigned.values() for s in shards)


def test_first_consumer_gets_everything() -> None:
    plan = rebalance(Assignment(), ["a"], [0, 1, 2, 3])
    assert plan.assigned == {"a": {0, 1, 2, 3}}
    assert plan.releasing == {"a": set()}


def test_no_consumers_no_assignment() -> None:
    plan = rebalance(Assignment({"a": {0}}, {}), [], [0, 1])
    assert plan.assigned == {}


def test_second_consumer_waits_until_the_first_releases() -> None:
    plan = rebalance(Assignment({"a": {0, 1, 2, 3}}, {}), ["a", "b"], [0, 1, 2, 3])
    assert plan.assigned["a"] == {0, 1}
    assert plan.releasing["a"] == {2, 3}
    assert plan.assigned["b"] == set()  # 2 and 3 are still held by a
    # a reports it no longer holds 2 and 3
    plan.releasing["a"] = set()
    plan = rebalance(plan, ["a", "b"], [0, 1, 2, 3])
    assert plan.assigned == {"a": {0, 1}, "b": {2, 3}}


def test_stable_when_balanced() -> None:
    current = Assignment({"a": {0, 3}, "b": {1, 2}}, {"a": set(), "b": set()})
    assert rebalance(current, ["a", "b"], [0, 1, 2, 3]) == current


def test_uneven_counts_differ_by_one_and_keep_owners() -> None:
    current = Assignment({"a": {0, 1, 2}, "b": {3, 4}}, {})
    plan = rebalance(current, ["a", "b"], [0, 1, 2, 3, 4])
    assert plan.assigned == {"a": {0, 1, 2}, "b": {3, 4}}
    plan = rebalance(plan, ["a", "b", "c"], [0, 1, 2, 3, 4])
    assert _counts(plan) == [0, 2, 2]  # c waits for the released shard
    assert sum(len(r) for r in plan.releasing.values()) == 1


def test_expired_consumer_frees_its_shards_at_once() -> None:
    current = Assignment({"a": {0, 1}, "b": {2, 3}}, {"a": set(), "b": {9}})
    plan = rebalance(current, ["a"], [0, 1, 2, 3])
    assert plan.assigned == {"a": {0, 1, 2, 3}}


def test_every_consumable_shard_assigned_once() -> None:
    plan = Assignment()
    consumers = ["c1", "c2", "c3"]
    for _ in range(3):  # each round every consumer drops what it was told to release
        plan = rebalance(plan, consumers, list(range(10)))
        plan.releasing = {c: set() for c in consumers}
    plan = rebalance(plan, consumers, list(range(10)))
    assert _all_assigned(plan) == list(range(10))
    assert _counts(plan) == [3, 3, 4]


def test_releasing_consumer_takes_its_shard_back_when_room_appears() -> None:
    current = Assignment({"a": {0, 1}, "b": set()}, {"a": {2, 3}, "b": set()})
    plan = rebalance(current, ["a"], [0, 1, 2, 3])  # b left
    assert plan.assigned == {"a": {0, 1, 2, 3}}
    assert plan.releasing == {"a": set()}


def test_finished_shard_is_taken_away() -> None:
    current = Assignment({"a": {0, 1, 2}}, {})
    plan = rebalance(current, ["a"], [1, 2, 3, 4])
    assert plan.assigned["a"] == {1, 2, 3, 4}
    assert plan.releasing["a"] == {0}


def test_conflicting_owners_resolved() -> None:
    current = Assignment({"a": {0}, "b": {0, 1}}, {})
    plan = rebalance(current, ["a", "b"], [0, 1])
    assert _all_assigned(plan) == [0, 1]
    assert 0 in plan.releasing["b"]


def test_consumable_skips_finished_and_waits_for_parents_in_order() -> None:
    shards = [
        ShardView(0, finished=False),  # readonly parent, not finished
        ShardView(1),
        ShardView(2, parents=(0,)),
        ShardView(3, parents=(0,)),
        ShardView(4, finished=True),
        ShardView(5, parents=(4,)),
        ShardView(6, parents=(99,)),  # parent deleted
    ]
    assert consumable_shards(shards, in_order=False) == [0, 1, 2, 3, 5, 6]
    assert consumable_shards(shards, in_order=True) == [0, 1, 5, 6]


def test_merge_child_waits_for_both_parents() -> None:
    shards = [ShardView(0, finished=True), ShardView(1, finished=False), ShardView(2, parents=(0, 1))]
    assert consumable_shards(shards, in_order=True) == [1]
    shards[1] = ShardView(1, finished=True)
    assert consumable_shards(shards, in_order=True) == [2]
