"""The admin HTTP API under /_emulator: signed, complete, and refusable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.controls.admin_client import AdminClient, AdminError


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as running:
        yield running


@pytest.fixture
def admin(server: EmulatorServer) -> Iterator[AdminClient]:
    client = AdminClient(server.endpoint, server.access_key_id, server.access_key_secret)
    yield client
    server.controls.reset()
    client.close()


def test_clock_over_http(server: EmulatorServer, admin: AdminClient) -> None:
    assert admin.freeze_clock(1_800_000_000) == {"now": 1_800_000_000, "frozen": True}
    assert admin.advance_clock(60)["now"] == 1_800_000_060
    assert server.clock.now() == 1_800_000_060
    assert admin.set_clock(1_700_000_000)["now"] == 1_700_000_000
    assert admin.resume_clock()["frozen"] is False
    assert admin.reset_clock()["frozen"] is False
    with pytest.raises(AdminError) as caught:
        admin.call("POST", "/clock", {"action": "advance", "seconds": -5})
    assert (caught.value.status, caught.value.code) == (400, "ParameterInvalid")
    with pytest.raises(AdminError):
        admin.call("POST", "/clock", {"action": "rewind"})


def test_faults_and_journal_over_http(server: EmulatorServer, admin: AdminClient) -> None:
    client = server.client()
    fault = admin.inject_fault(api="ListProject", error_code="ServerBusy", status=503)
    assert fault["count"] == 1 and admin.faults() == [fault]
    client.list_project()  # retried past the fault
    assert admin.faults() == []
    journal = admin.requests(api="ListProject")
    assert journal["counts"]["ListProject"] == {"ServerBusy": 1, "ok": 1}
    assert [r["status"] for r in journal["requests"]] == [503, 200]
    admin.inject_fault(api="PutLogs", latency=0.01)
    admin.clear_faults()
    assert admin.faults() == []
    admin.clear_requests()
    assert admin.requests() == {"counts": {}, "requests": []}  # admin calls are not journaled
    with pytest.raises(AdminError) as caught:
        admin.inject_fault(api="PutLogs", colour="red", error_code="X")
    assert caught.value.code == "ParameterInvalid"
    with pytest.raises(AdminError):
        admin.inject_fault(api="PutLogs", drop="sideways")


def test_inspection_and_reset_over_http(server: EmulatorServer, admin: AdminClient) -> None:
    client = server.client()
    client.create_project("admin-project", "inspected")
    client.create_logstore("admin-project", "ls", shard_count=1)
    item = LogItem()
    item.push_back("k", "v")
    client.put_logs(PutLogsRequest("admin-project", "ls", "topic", "src", [item]))
    client.create_consumer_group("admin-project", "ls", "group", 30)
    client.heart_beat("admin-project", "ls", "group", "c1", [])
    assert admin.shards("admin-project", "ls") == [{"shard": 0, "status": "readwrite", "log_groups": 1, "logs": 1}]
    (group,) = admin.log_groups("admin-project", "ls", 0)
    assert group["topic"] == "topic" and group["logs"][0]["contents"] == {"k": "v"}
    assert admin.consumer_groups("admin-project", "ls")["group"]["consumers"]["c1"]["shards"] == [0]
    with pytest.raises(AdminError) as caught:
        admin.shards("admin-project", "missing")
    assert caught.value.code == "LogStoreNotExist"
    admin.reset("admin-project")
    assert "admin-project" not in server.service.state.projects
    client.create_project("admin-project", "again")
    admin.reset()
    assert server.service.state.projects == {}


def test_admin_calls_must_be_signed(server: EmulatorServer, admin: AdminClient) -> None:
    unsigned = requests.get(f"http://{server.endpoint}/_emulator/clock", timeout=10)
    assert unsigned.status_code == 401
    wrong = AdminClient(server.endpoint, server.access_key_id, "not-the-secret")
    with pytest.raises(AdminError) as caught:
        wrong.reset()
    assert (caught.value.status, caught.value.code) == (401, "SignatureNotMatch")
    with pytest.raises(AdminError) as missing:
        admin.call("GET", "/nothing-here")
    assert (missing.value.status, missing.value.code) == (404, "InvalidRequestURI")


def test_admin_can_be_turned_off() -> None:
    with EmulatorServer(port=0, admin=False) as server:
        admin = AdminClient(server.endpoint, server.access_key_id, server.access_key_secret)
        with pytest.raises(AdminError) as caught:
            admin.clock()
        assert (caught.value.status, caught.value.code) == (403, "AdminDisabled")
        server.controls.clock.freeze(5)  # the in-process controls still work
        assert server.clock.now() == 5


def test_unsigned_admin_calls_pass_when_signatures_are_off() -> None:
    with EmulatorServer(port=0, check_signature=False) as server:
        answer = requests.get(f"http://{server.endpoint}/_emulator/clock", timeout=10)
        assert answer.status_code == 200 and answer.json()["frozen"] is False
