"""Retention: a logstore's ``ttl`` (days) drops log groups by server receive time, on the emulator's clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock

DAY = 86_400
PROJECT = "retention"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_700_000_000.0)


@pytest.fixture
def client(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[LogClient]:
    """In-process by default; a test parametrised indirectly with ``"socket"`` goes through HTTP."""
    over_socket = getattr(request, "param", "in-process") == "socket"
    with EmulatorServer(port=0, clock=clock, listen=over_socket) as server:
        client = server.client(in_process=not over_socket)
        client.create_project(PROJECT, "retention tests")
        yield client


def put(client: LogClient, logstore: str, tag: str) -> None:
    client.put_logs(PutLogsRequest(PROJECT, logstore, "", "", [LogItem(contents=[("tag", tag)])]))


def tags(client: LogClient, logstore: str, start: str = "begin") -> list[str]:
    rows = []
    for batch in client.pull_log(PROJECT, logstore, 0, start, "end"):
        rows.extend(row["tag"] for row in batch.get_flatten_logs_json())
    return rows


def error_code(call: object) -> str:
    assert callable(call)
    with pytest.raises(LogException) as info:
        call()
    return info.value.get_error_code()


@pytest.mark.parametrize("client", ["in-process", "socket"], indirect=True)
def test_groups_older_than_ttl_disappear(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(PROJECT, "short", ttl=1, shard_count=1)
    put(client, "short", "day0-a")
    first_cursor = client.get_begin_cursor(PROJECT, "short", 0).get_cursor()
    put(client, "short", "day0-b")
    clock.advance(DAY / 2)
    put(client, "short", "day0.5")
    second_cursor = client.get_cursor(PROJECT, "short", 0, int(clock.now())).get_cursor()
    assert tags(client, "short") == ["day0-a", "day0-b", "day0.5"]

    clock.advance(DAY / 2 + 1)  # the first two groups are now a day and a second old
    assert tags(client, "short") == ["day0.5"]
    begin = client.get_begin_cursor(PROJECT, "short", 0).get_cursor()
    assert begin == second_cursor
    assert client.get_cursor_time(PROJECT, "short", 0, begin).get_cursor_time() == 1_700_000_000 + DAY // 2
    # A cursor into the dropped data is no longer valid.
    assert error_code(lambda: client.pull_logs(PROJECT, "short", 0, first_cursor)) == "InvalidCursor"
    assert error_code(lambda: client.get_cursor_time(PROJECT, "short", 0, first_cursor)) == "InvalidCursor"
    # A time before the retained data gives the first retained group.
    assert client.get_cursor(PROJECT, "short", 0, 1_600_000_000).get_cursor() == begin
    assert client.get_cursor(PROJECT, "short", 0, "begin").get_cursor() == begin

    clock.advance(DAY)  # everything has expired
    assert tags(client, "short") == []
    begin = client.get_begin_cursor(PROJECT, "short", 0).get_cursor()
    end = client.get_end_cursor(PROJECT, "short", 0).get_cursor()
    assert begin == end
    empty = client.pull_logs(PROJECT, "short", 0, begin)
    assert (empty.get_loggroup_count(), empty.get_next_cursor()) == (0, begin)
    assert client.get_cursor_time(PROJECT, "short", 0, end).get_cursor_time() == int(clock.now())

    put(client, "short", "later")  # writing goes on, cursors keep counting from where they were
    assert tags(client, "short") == ["later"]
    assert client.pull_logs(PROJECT, "short", 0, end).get_flatten_logs_json()[0]["tag"] == "later"


def test_expiry_applies_to_every_shard(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(PROJECT, "two", ttl=2, shard_count=2)
    for shard_key in ("0" * 32, "8" + "0" * 31):
        client.put_logs(PutLogsRequest(PROJECT, "two", "", "", [LogItem(contents=[("tag", "old")])], hashKey=shard_key))
    clock.advance(2 * DAY + 1)
    for shard in (0, 1):
        begin = client.get_begin_cursor(PROJECT, "two", shard).get_cursor()
        assert begin == client.get_end_cursor(PROJECT, "two", shard).get_cursor()
        assert client.pull_logs(PROJECT, "two", shard, begin).get_loggroup_count() == 0


def test_readonly_shards_expire_too(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(PROJECT, "split", ttl=1, shard_count=1)
    put(client, "split", "before-split")
    client.split_shard(PROJECT, "split", 0, "8" + "0" * 31)
    assert tags(client, "split") == ["before-split"]
    clock.advance(DAY + 1)
    assert tags(client, "split") == []


def test_ttl_3650_keeps_everything(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(PROJECT, "forever", ttl=3650, shard_count=1)
    put(client, "forever", "ancient")
    clock.advance(3650 * DAY * 2)
    put(client, "forever", "recent")
    assert tags(client, "forever") == ["ancient", "recent"]


def test_changing_ttl_takes_effect(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(PROJECT, "changing", ttl=30, shard_count=1)
    put(client, "changing", "day0")
    clock.advance(10 * DAY)
    put(client, "changing", "day10")
    clock.advance(DAY)
    assert tags(client, "changing") == ["day0", "day10"]

    client.update_logstore(PROJECT, "changing", ttl=7)
    assert client.get_logstore(PROJECT, "changing").get_ttl() == 7
    assert tags(client, "changing") == ["day10"]  # day0 is 11 days old

    client.update_logstore(PROJECT, "changing", ttl=3650)
    clock.advance(400 * DAY)
    assert tags(client, "changing") == ["day10"]  # a longer ttl cannot bring dropped data back

    client.update_logstore(PROJECT, "changing", ttl=1)
    assert tags(client, "changing") == []


def test_time_range_reads_after_expiry(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(PROJECT, "ranges", ttl=3, shard_count=1)
    start = int(clock.now())
    for day in range(5):
        put(client, "ranges", f"day{day}")
        clock.advance(DAY)
    # Now = start + 5 days: groups of days 0 and 1 are older than 3 days.
    assert tags(client, "ranges") == ["day2", "day3", "day4"]
    rows = [
        row["tag"]
        for batch in client.pull_log(PROJECT, "ranges", 0, start, start + 3 * DAY + 1)
        for row in batch.get_flatten_logs_json()
    ]
    assert rows == ["day2", "day3"]


def test_retention_survives_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(1_700_000_000.0)
    data = tmp_path / "data"
    with EmulatorServer(port=0, data_dir=data, clock=clock, listen=False) as server:
        client = server.client()
        client.create_project(PROJECT, "")
        client.create_logstore(PROJECT, "kept", ttl=1, shard_count=1)
        put(client, "kept", "old")
        clock.advance(DAY / 2)
        put(client, "kept", "new")
        clock.advance(DAY / 2 + 1)
        assert tags(client, "kept") == ["new"]
        begin = client.get_begin_cursor(PROJECT, "kept", 0).get_cursor()
    # Even with a clock that went back in time, the dropped data stays dropped.
    with EmulatorServer(port=0, data_dir=data, clock=ManualClock(1_700_000_000.0), listen=False) as server:
        client = server.client()
        assert client.get_begin_cursor(PROJECT, "kept", 0).get_cursor() == begin
        assert tags(client, "kept") == ["new"]
