"""Consumer group calls of our LogClient against the emulator's coordinator (manual clock: no waiting)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from aliyun.log import (
    ConsumerGroupAlreadyExist,
    ConsumerGroupEntity,
    ConsumerGroupNotExist,
    InvalidShardCheckPoint,
    LogClient,
    LogException,
    LogItem,
    NotExistConsumerWithBody,
    PutLogsRequest,
)
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock

P, LS, G = "cg-project", "logs", "group"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(params=["in-process", "socket"])
def server(request: pytest.FixtureRequest, clock: ManualClock, tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, data_dir=tmp_path / "data", clock=clock, listen=request.param == "socket") as srv:
        yield srv


@pytest.fixture
def client(server: EmulatorServer) -> LogClient:
    client = server.client(in_process=not server._listen)
    client.create_project(P, "consumer group tests")
    client.create_logstore(P, LS, shard_count=4)
    return client


def beat(client: LogClient, consumer: str, shards: list[int]) -> list[int]:
    return client.heart_beat(P, LS, G, consumer, shards).get_shards()


def put(client: LogClient, n: int = 3) -> None:
    for i in range(n):
        client.put_logs(PutLogsRequest(P, LS, "", "", [LogItem(contents=[("i", str(i))])]))


def test_group_crud(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 40, in_order=True)
    with pytest.raises(ConsumerGroupAlreadyExist) as info:
        client.create_consumer_group(P, LS, G, 40)
    assert info.value.get_resp_status() == 400
    groups = client.list_consumer_group(P, LS)
    assert groups.get_count() == 1
    (entity,) = groups.get_consumer_groups()
    assert isinstance(entity, ConsumerGroupEntity)
    assert (entity.get_consumer_group_name(), entity.get_timeout(), entity.is_in_order()) == (G, 40, True)
    client.update_consumer_group(P, LS, G, timeout=10)
    client.update_consumer_group(P, LS, G, in_order=False)
    (entity,) = client.list_consumer_group(P, LS).get_consumer_groups()
    assert (entity.get_timeout(), entity.is_in_order()) == (10, False)
    client.delete_consumer_group(P, LS, G)
    assert client.list_consumer_group(P, LS).get_count() == 0
    with pytest.raises(ConsumerGroupNotExist) as info:
        client.delete_consumer_group(P, LS, G)
    assert info.value.get_resp_status() == 404
    with pytest.raises(ConsumerGroupNotExist):
        client.update_consumer_group(P, LS, G, timeout=5)


def test_heartbeat_spreads_shards_and_moves_them_only_after_release(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 40)
    assert beat(client, "a", []) == [0, 1, 2, 3]
    assert beat(client, "b", []) == []  # a still holds everything
    assert beat(client, "a", [0, 1, 2, 3]) == [0, 1]  # a is told to give up 2 and 3
    assert beat(client, "b", []) == []  # ... but has not yet
    assert beat(client, "a", [0, 1, 2, 3]) == [0, 1]  # still finishing
    assert beat(client, "b", []) == []
    assert beat(client, "a", [0, 1]) == [0, 1]  # released
    assert beat(client, "b", []) == [2, 3]
    assert beat(client, "b", [2, 3]) == [2, 3]
    assert beat(client, "a", [0, 1]) == [0, 1]  # stable


def test_silent_consumer_is_dropped_after_timeout(client: LogClient, clock: ManualClock) -> None:
    client.create_consumer_group(P, LS, G, 10)
    beat(client, "a", [])
    beat(client, "a", [0, 1, 2, 3])
    beat(client, "b", [])
    beat(client, "a", [0, 1])
    assert beat(client, "b", []) == [2, 3]
    clock.advance(6)
    beat(client, "b", [2, 3])
    clock.advance(6)  # a silent for 12 s > 10 s
    assert beat(client, "b", [2, 3]) == [0, 1, 2, 3]
    with pytest.raises(NotExistConsumerWithBody):
        beat(client, "a", [0, 1])  # a was dropped: it must join again with an empty list
    assert beat(client, "a", []) == []


def test_unknown_consumer_with_shards_is_refused(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 10)
    with pytest.raises(NotExistConsumerWithBody) as info:
        beat(client, "ghost", [1])
    assert info.value.get_resp_status() == 400


def test_heartbeat_on_missing_group(client: LogClient) -> None:
    with pytest.raises(ConsumerGroupNotExist):
        beat(client, "a", [])


def test_checkpoints(client: LogClient, clock: ManualClock) -> None:
    client.create_consumer_group(P, LS, G, 10)
    put(client)
    points = client.get_check_point(P, LS, G, 0).get_consumer_group_check_points()
    assert points == [{"shard": 0, "checkpoint": "", "updateTime": 0, "consumer": ""}]
    assert len(client.get_check_point(P, LS, G).get_consumer_group_check_points()) == 4
    assert client.get_check_point(P, LS, G, 77).get_consumer_group_check_points() == []
    cursor = client.get_end_cursor(P, LS, 0).get_cursor()
    client.update_check_point(P, LS, G, 0, cursor, "me")
    (point,) = client.get_check_point(P, LS, G, 0).get_consumer_group_check_points()
    assert point["checkpoint"] == cursor
    assert point["consumer"] == "me"
    assert point["updateTime"] == int(clock.now() * 1_000_000)
    with pytest.raises(InvalidShardCheckPoint):
        client.update_check_point(P, LS, G, 0, "not a cursor!", "me")
    fixed = client.get_check_point_fixed(P, LS, G).get_consumer_group_check_points()
    assert "checkpoint_previous_cursor_time" in fixed[0]
    assert "checkpoint_previous_cursor_time" not in fixed[1]


def test_checkpoint_owner_checks_without_force(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 10)
    cursor = client.get_begin_cursor(P, LS, 0).get_cursor()
    with pytest.raises(LogException) as info:
        client.update_check_point(P, LS, G, 0, cursor, "nobody", force_success=False)
    assert info.value.get_error_code() == "ConsumerNotExsit"
    beat(client, "a", [])
    beat(client, "b", [])
    client.update_check_point(P, LS, G, 0, cursor, "a", force_success=False)
    with pytest.raises(LogException) as info:
        client.update_check_point(P, LS, G, 0, cursor, "b", force_success=False)
    assert info.value.get_error_code() == "ConsumerNotMatch"
    client.update_check_point(P, LS, G, 0, cursor, "b")  # forced: always accepted


def test_readonly_parent_until_consumed_then_children(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 10, in_order=True)
    put(client, 8)
    beat(client, "a", [])
    client.split_shard(P, LS, 0, "20" + "0" * 30)  # shard 0 -> readonly, children 4 and 5
    assigned = beat(client, "a", [0, 1, 2, 3])
    assert 0 in assigned and 4 not in assigned and 5 not in assigned  # order: parent first
    end = client.get_end_cursor(P, LS, 0).get_cursor()
    client.update_check_point(P, LS, G, 0, end, "a")
    assert beat(client, "a", [0, 1, 2, 3]) == [1, 2, 3, 4, 5]
    client.update_consumer_group(P, LS, G, in_order=False)
    client.merge_shard(P, LS, 1)  # 1 and 2 -> readonly, child 6
    assigned = beat(client, "a", [1, 2, 3, 4, 5])
    assert {1, 2, 6} <= set(assigned)  # without order the child comes at once


def test_empty_readonly_shard_is_finished_without_checkpoint(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 10, in_order=True)
    beat(client, "a", [])
    client.split_shard(P, LS, 3, "f0" + "0" * 30)
    assert beat(client, "a", [0, 1, 2, 3]) == [0, 1, 2, 4, 5]


def test_state_survives_restart(tmp_path: Path, clock: ManualClock) -> None:
    data = tmp_path / "restart"
    with EmulatorServer(port=0, data_dir=data, clock=clock, listen=False) as srv:
        client = srv.client(in_process=True)
        client.create_project(P, "d")
        client.create_logstore(P, LS, shard_count=2)
        client.create_consumer_group(P, LS, G, 30, in_order=True)
        beat(client, "a", [])
        cursor = client.get_end_cursor(P, LS, 1).get_cursor()
        client.update_check_point(P, LS, G, 1, cursor, "a")
    with EmulatorServer(port=0, data_dir=data, clock=clock, listen=False) as srv:
        client = srv.client(in_process=True)
        (entity,) = client.list_consumer_group(P, LS).get_consumer_groups()
        assert (entity.get_timeout(), entity.is_in_order()) == (30, True)
        (point,) = client.get_check_point(P, LS, G, 1).get_consumer_group_check_points()
        assert (point["checkpoint"], point["consumer"]) == (cursor, "a")
        assert beat(client, "a", [0, 1]) == [0, 1]  # a keeps its shards across the restart


def test_delete_logstore_removes_groups(client: LogClient) -> None:
    client.create_consumer_group(P, LS, G, 10)
    client.delete_logstore(P, LS)
    client.create_logstore(P, LS, shard_count=1)
    assert client.list_consumer_group(P, LS).get_count() == 0


def test_wire_shapes(server: EmulatorServer, client: LogClient) -> None:
    """Bare JSON arrays in and out, as the official SDKs expect."""
    client.create_consumer_group(P, LS, G, 10)
    raw = client._send(
        "ConsumerGroupHeartBeat",
        P,
        f"/logstores/{LS}/consumergroups/{G}",
        params={"type": "heartbeat", "consumer": "x"},
        body=b"[]",
        content_type="application/json",
    )
    assert raw.body == b"[0, 1, 2, 3]"
    raw = client._send("ListConsumerGroup", P, f"/logstores/{LS}/consumergroups")
    assert raw.body.startswith(b"[")
    cursor = base64.b64encode(b"not-a-number").decode()
    with pytest.raises(InvalidShardCheckPoint):
        client.update_check_point(P, LS, G, 0, cursor)
