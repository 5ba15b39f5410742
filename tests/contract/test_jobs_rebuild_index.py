"""Index rebuilds: logs stored before the index existed become searchable, and stay so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock
from aliyun.log.rebuild_index_response import GetRebuildIndexResponse

P, LS = "rebuild-project", "web"
T0 = 1_700_000_000
INDEX = {"line": {"token": [",", " "]}, "keys": {"n": {"type": "long", "doc_value": True}}}


def server(data_dir: Path, clock: ManualClock, listen: bool) -> EmulatorServer:
    return EmulatorServer(port=0, data_dir=data_dir, clock=clock, listen=listen)


@pytest.fixture(params=["in-process", "socket"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[EmulatorServer, ManualClock]]:
    clock = ManualClock(T0)
    with server(tmp_path / "data", clock, request.param == "socket") as srv:
        client = srv.client(in_process=not srv._listen)
        client.create_project(P, "rebuilds")
        client.create_logstore(P, LS, shard_count=2)
        # 10 logs a second apart, n = 0..9 at T0-100 .. T0-91, and 10 more at T0-50 .. T0-41
        for start in (T0 - 100, T0 - 50):
            items = [LogItem(timestamp=start + i, contents=[("n", str(start - T0 + i))]) for i in range(10)]
            client.put_logs(PutLogsRequest(P, LS, "", "", items))
        client.create_index(P, LS, INDEX)
        client.put_logs(PutLogsRequest(P, LS, "", "", [LogItem(timestamp=T0 - 70, contents=[("n", "-70")])]))
        yield srv, clock


def numbers(client: LogClient) -> list[int]:
    logs = client.get_log(P, LS, T0 - 200, T0 + 100, query="* | select n order by n limit 100").get_logs()
    return [int(log.get_contents()["n"]) for log in logs]


def test_a_rebuild_indexes_the_window_once(setup: tuple[EmulatorServer, ManualClock]) -> None:
    srv, clock = setup
    client = srv.client(in_process=not srv._listen)
    assert numbers(client) == [-70]  # logs written before the index are not searchable
    with pytest.raises(LogException) as info:
        client.create_rebuild_index(P, LS, "r0", "R0", T0 - 100, T0 - 95)
    assert info.value.get_error_code() == "ParameterInvalid"  # toTime must be 900 s in the past

    clock.advance(1000)
    client.create_rebuild_index(P, LS, "r1", "First part", T0 - 100, T0 - 95)
    job = client.get_rebuild_index(P, "r1")
    assert isinstance(job, GetRebuildIndexResponse)
    assert job.get_status() == "SUCCEEDED"
    assert job.get_execution_details() == {"progress": 100, "indexedLogs": 5}
    assert job.get_configuration() == {"fromTime": T0 - 100, "toTime": T0 - 95, "logstore": LS}
    assert numbers(client) == [-100, -99, -98, -97, -96, -70]

    # an overlapping window: every log once
    client.create_rebuild_index(P, LS, "r2", "More", T0 - 97, T0 - 45)
    assert client.get_rebuild_index(P, "r2").get_execution_details()["indexedLogs"] == 12  # its window, old and new
    assert numbers(client) == [-100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -70, -50, -49, -48, -47, -46]

    with pytest.raises(LogException) as info:
        client.create_rebuild_index(P, LS, "r2", "taken", T0 - 97, T0 - 45)
    assert info.value.get_error_code() == "JobAlreadyExist"
    with pytest.raises(LogException) as info:
        client._send("StartJob", P, "/jobs/r2", params={"action": "START"})
    assert info.value.get_error_code() == "ParameterInvalid"


def test_rebuilt_logs_survive_a_restart(setup: tuple[EmulatorServer, ManualClock]) -> None:
    srv, clock = setup
    client = srv.client(in_process=not srv._listen)
    clock.advance(1000)
    # parts of the old groups: a shard whose last indexed group is one of them would lose it
    # at a restart (a partly held group is dropped), unless the rebuild is applied again
    client.create_rebuild_index(P, LS, "r1", "Old", T0 - 100, T0 - 95)
    client.create_rebuild_index(P, LS, "r2", "Newer", T0 - 50, T0 - 45)
    before = numbers(client)
    assert before == [-100, -99, -98, -97, -96, -70, -50, -49, -48, -47, -46]
    srv.stop()
    with server(srv.data_dir, clock, srv._listen) as again:
        client = again.client(in_process=not again._listen)
        assert numbers(client) == before
        assert client.get_rebuild_index(P, "r1").get_status() == "SUCCEEDED"


def test_a_rebuild_needs_an_index_and_a_logstore(setup: tuple[EmulatorServer, ManualClock]) -> None:
    srv, clock = setup
    client = srv.client(in_process=not srv._listen)
    clock.advance(1000)
    client.create_logstore(P, "plain", shard_count=1)
    with pytest.raises(LogException) as info:
        client.create_rebuild_index(P, "plain", "r", "R", T0 - 100, T0 - 40)
    assert info.value.get_error_code() == "IndexConfigNotExist"
    with pytest.raises(LogException) as info:
        client.create_rebuild_index(P, "missing", "r", "R", T0 - 100, T0 - 40)
    assert info.value.get_error_code() == "LogStoreNotExist"
    with pytest.raises(LogException) as info:
        client.create_rebuild_index(P, LS, "r", "R", T0 - 40, T0 - 100)
    assert info.value.get_error_code() == "ParameterInvalid"
    with pytest.raises(LogException) as info:
        client.get_rebuild_index(P, "r")
    assert info.value.get_error_code() == "JobNotExist"


def test_a_rebuild_of_a_deleted_index_fails_and_a_new_index_starts_clean(
    setup: tuple[EmulatorServer, ManualClock],
) -> None:
    srv, clock = setup
    client = srv.client(in_process=not srv._listen)
    clock.advance(1000)
    client.create_rebuild_index(P, LS, "r1", "All", T0 - 100, T0 - 40)
    assert len(numbers(client)) == 21
    client.delete_index(P, LS)
    client.create_index(P, LS, INDEX)
    assert numbers(client) == []  # the new index holds nothing written before it
