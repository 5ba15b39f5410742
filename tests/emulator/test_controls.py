"""The emulator's test controls: clock, faults, reset, inspection and the request journal."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest, RetryPolicy
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ControlledClock, ManualClock
from aliyun.log.emulator.controls import Fault

PROJECT = "controls-project"
FAST_RETRY = RetryPolicy(base_delay=0.001, max_delay=0.01)


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as running:
        yield running


@pytest.fixture(params=["in-process", "socket"])
def client(request: pytest.FixtureRequest, server: EmulatorServer) -> Iterator[LogClient]:
    server.controls.reset()
    client = server.client(in_process=request.param == "in-process", retry=FAST_RETRY)
    client.create_project(PROJECT, "controls")
    client.create_logstore(PROJECT, "ls", shard_count=2)
    yield client
    server.controls.reset()
    client.close()


def _put(client: LogClient, *values: str, logstore: str = "ls") -> None:
    items = []
    for value in values:
        item = LogItem()
        item.push_back("k", value)
        items.append(item)
    client.put_logs(PutLogsRequest(PROJECT, logstore, "topic", "", items))


def _stored(server: EmulatorServer, logstore: str = "ls") -> int:
    return sum(shard["logs"] for shard in server.controls.shards(PROJECT, logstore))


# -- clock -------------------------------------------------------------------------------------


def test_controlled_clock_freeze_set_advance_resume() -> None:
    base = ManualClock(1000.0)
    clock = ControlledClock(base)
    assert clock.now() == 1000.0
    base.advance(5)
    assert clock.now() == 1005.0
    clock.freeze()
    base.advance(5)
    assert clock.now() == 1005.0 and clock.frozen
    assert clock.advance(10) == 1015.0
    clock.set(2000.0)
    assert clock.now() == 2000.0
    clock.resume()
    base.advance(1)
    assert clock.now() == 2001.0 and not clock.frozen
    clock.set(3000.0)  # running: an offset, and it keeps ticking
    base.advance(2)
    assert clock.now() == 3002.0
    with pytest.raises(ValueError):
        clock.advance(-1)
    clock.reset()
    assert clock.now() == base.now()


def test_advancing_the_clock_expires_a_consumer_and_hands_its_shards_over(
    server: EmulatorServer, client: LogClient
) -> None:
    client.create_consumer_group(PROJECT, "ls", "group", 10)
    server.clock.freeze()
    assert client.heart_beat(PROJECT, "ls", "group", "first", []).get_shards() == [0, 1]
    assert client.heart_beat(PROJECT, "ls", "group", "second", []).get_shards() == []
    assert set(server.controls.consumer_groups(PROJECT, "ls")["group"]["consumers"]) == {"first", "second"}

    server.clock.advance(11)  # "first" never beats again: past its timeout

    assert client.heart_beat(PROJECT, "ls", "group", "second", []).get_shards() == [0, 1]
    members = server.controls.consumer_groups(PROJECT, "ls")["group"]["consumers"]
    assert members == {"second": {"last_heartbeat": server.clock.now(), "shards": [0, 1]}}


def test_consumer_inspection_shows_checkpoints(server: EmulatorServer, client: LogClient) -> None:
    client.create_consumer_group(PROJECT, "ls", "group", 30)
    client.heart_beat(PROJECT, "ls", "group", "only", [])
    cursor = client.get_begin_cursor(PROJECT, "ls", 0).get_cursor()
    client.update_check_point(PROJECT, "ls", "group", 0, cursor, "only")
    points = server.controls.consumer_groups(PROJECT, "ls")["group"]["checkpoints"]
    assert points[0]["checkpoint"] == cursor and points[0]["consumer"] == "only"


def test_ttl_expiry_drops_data(server: EmulatorServer, client: LogClient) -> None:
    client.create_logstore(PROJECT, "short", ttl=1, shard_count=1)
    server.clock.freeze()
    _put(client, "old", logstore="short")
    assert _stored(server, "short") == 1
    server.clock.advance(86400 + 1)
    # Retention is applied when the shard is next touched, by any reader or writer.
    cursor = client.get_begin_cursor(PROJECT, "short", 0).get_cursor()
    assert client.pull_logs(PROJECT, "short", 0, cursor).get_log_count() == 0
    assert _stored(server, "short") == 0


def test_receive_times_follow_the_clock(server: EmulatorServer, client: LogClient) -> None:
    server.clock.freeze(1_900_000_000)
    _put(client, "a")
    groups = server.controls.log_groups(PROJECT, "ls", 0) + server.controls.log_groups(PROJECT, "ls", 1)
    assert [g["receive_time"] for g in groups] == [1_900_000_000]


# -- faults ------------------------------------------------------------------------------------


def test_an_injected_503_is_retried_and_the_write_succeeds(server: EmulatorServer, client: LogClient) -> None:
    server.controls.faults.inject("PutLogs", error_code="ServerBusy", status=503, count=2)
    _put(client, "v")
    assert _stored(server) == 1
    assert server.controls.requests.counts()["PutLogs"] == {"ServerBusy": 2, "ok": 1}
    assert server.controls.faults.pending() == []


def test_an_injected_error_reaches_the_caller_when_retries_run_out(server: EmulatorServer, client: LogClient) -> None:
    server.controls.faults.inject("ListShards", error_code="ServerBusy", status=503, count=10)
    with pytest.raises(LogException) as caught:
        client.list_shards(PROJECT, "ls")
    assert caught.value.get_error_code() == "ServerBusy"
    server.controls.faults.clear()


def test_a_4xx_fault_is_not_retried(server: EmulatorServer, client: LogClient) -> None:
    server.controls.faults.inject("GetLogStore", error_code="LogStoreNotExist", status=404)
    with pytest.raises(LogException) as caught:
        client.get_logstore(PROJECT, "ls")
    assert caught.value.get_error_code() == "LogStoreNotExist"
    assert client.get_logstore(PROJECT, "ls").get_shard_count() == 2  # used up after one request


def test_faults_match_project_and_logstore(server: EmulatorServer, client: LogClient) -> None:
    client.create_logstore(PROJECT, "other", shard_count=1)
    server.controls.faults.inject("PutLogs", logstore="other", error_code="Unauthorized", status=401)
    _put(client, "unaffected")  # another logstore: not matched
    with pytest.raises(LogException):
        _put(client, "refused", logstore="other")
    assert _stored(server) == 1 and _stored(server, "other") == 0


def test_dropped_after_acting_put_logs_raises_and_the_write_happened(server: EmulatorServer, client: LogClient) -> None:
    # PutLogs is not idempotent: the default policy does not resend after a failure that may
    # have been applied, so the caller gets LogRequestError while the logs are stored once.
    server.controls.faults.inject("PutLogs", drop="after")
    with pytest.raises(LogException) as caught:
        _put(client, "maybe")
    assert caught.value.get_error_code() == "LogRequestError"
    assert _stored(server) == 1
    assert server.controls.requests.counts()["PutLogs"] == {"dropped": 1}


def test_dropped_after_acting_with_retry_non_idempotent_writes_twice(server: EmulatorServer) -> None:
    server.controls.reset()
    client = server.client(retry=RetryPolicy(base_delay=0.001, retry_non_idempotent=True))
    client.create_project(PROJECT, "controls")
    client.create_logstore(PROJECT, "ls", shard_count=1)
    server.controls.faults.inject("PutLogs", drop="after")
    _put(client, "twice")  # the resend succeeds...
    assert _stored(server) == 2  # ...and the first attempt had landed too
    server.controls.reset()


def test_dropped_before_acting_writes_nothing(server: EmulatorServer, client: LogClient) -> None:
    server.controls.faults.inject("PutLogs", drop="before")
    with pytest.raises(LogException) as caught:
        _put(client, "lost")
    assert caught.value.get_error_code() == "LogRequestError"
    assert _stored(server) == 0


def test_latency_fault_is_journaled(server: EmulatorServer, client: LogClient) -> None:
    server.controls.faults.inject("ListLogStores", latency=0.01)
    client.list_logstore(PROJECT)
    (record,) = server.controls.requests.records("ListLogStores")
    assert record.fault == "latency 0.01s" and record.status == 200


@pytest.mark.parametrize(
    "spec",
    [
        {"count": 0, "error_code": "X"},
        {"drop": "sideways"},
        {"drop": "after", "error_code": "X"},
        {"status": 200, "error_code": "X"},
        {"latency": -1},
        {},
        {"api": "PutLog", "error_code": "X"},
    ],
)
def test_invalid_faults_are_refused(spec: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Fault(**spec)  # type: ignore[arg-type]


# -- reset and journal -------------------------------------------------------------------------


def test_reset_empties_state(server: EmulatorServer, client: LogClient) -> None:
    client.create_project("controls-other", "kept until the full reset")
    _put(client, "x")
    server.controls.reset(PROJECT)
    names = [p["projectName"] for p in client.list_project().get_projects()]
    assert names == ["controls-other"]
    server.clock.freeze(1)
    server.controls.faults.inject("ListProject", error_code="ServerBusy", status=503)
    server.controls.reset()
    assert server.service.state.projects == {}
    assert server.controls.faults.pending() == [] and server.controls.requests.counts() == {}
    assert not server.clock.frozen
    assert client.list_project().get_projects() == []
    client.create_project(PROJECT, "again")  # a reset project's name is free again


def test_one_info_line_per_request_without_secrets(
    server: EmulatorServer, client: LogClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="aliyun.log.emulator.requests"):
        _put(client, "v")
    lines = [r.getMessage() for r in caplog.records if r.name == "aliyun.log.emulator.requests"]
    assert len(lines) == 1
    assert lines[0].startswith(f"PutLogs project={PROJECT} logstore=ls status=200 latency=")
    assert "request_id=" in lines[0]
    assert server.access_key_secret not in lines[0] and "LOG " not in lines[0]


def test_shipper_schedule_follows_the_clock(server: EmulatorServer, client: LogClient) -> None:
    from aliyun.log import OssShipperConfig

    start = 1_900_000_000
    server.clock.freeze(start)
    client.create_shipper(PROJECT, "ls", "shipper", "oss", OssShipperConfig("bucket", "prefix", "arn"))

    def tasks() -> int:
        found = client.get_shipper_tasks(PROJECT, "ls", "shipper", start - 10, start + 86400)
        return int(found.get_count())

    before = tasks()
    server.clock.advance(6 * 3600)
    assert tasks() > before


def test_the_plugin_loads_without_the_emulator_extra() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; sys.modules['duckdb'] = None\n"
        "import aliyun.log.emulator.pytest_plugin as plugin\n"
        "assert not plugin.emulator_available() and not hasattr(plugin, 'sls_emulator')\n"
        "print('ok')\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr


def test_request_time_is_checked_against_the_wall_clock_or_the_emulator_clock(server: EmulatorServer) -> None:
    import datetime
    import time

    import requests

    from aliyun.log._auth import Credentials, SignerV1

    def list_projects_signed_at(when: float) -> requests.Response:
        headers = {"x-log-apiversion": "0.6.0", "x-log-bodyrawsize": "0"}
        moment = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
        SignerV1().sign(
            "GET", "/", {}, headers, b"", Credentials(server.access_key_id, server.access_key_secret), now=moment
        )
        return requests.get(f"http://{server.endpoint}/", headers=headers, timeout=10)

    day = 86400.0
    server.clock.freeze(time.time() + day)
    try:
        assert list_projects_signed_at(time.time()).status_code == 200  # a client on the wall clock
        assert list_projects_signed_at(time.time() + day).status_code == 200  # one moved with the emulator
        late = list_projects_signed_at(time.time() + 2 * day)  # on neither clock
        assert late.status_code == 400 and late.json()["errorCode"] == "RequestTimeExpired"
    finally:
        server.clock.reset()
