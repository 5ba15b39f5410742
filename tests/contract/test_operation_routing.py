"""For every entry of the operation table, the client method that builds it sends a request the
emulator's router routes back to the same entry (and to its handler).

The emulator's handlers are wrapped to record the operation the router chose before they run, so
a call that the domain then refuses (a missing shard, a bad body) still shows where it was routed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)  # it wraps the handlers of the emulator's router

from aliyun.log import (
    GetHistogramsRequest,
    GetLogsRequest,
    GetProjectLogsRequest,
    ListLogstoresRequest,
    ListTopicsRequest,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
)
from aliyun.log._ops import OPERATIONS
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.http import routes
from aliyun.log.emulator.http.context import Context, Reply

P, P_GONE, LS, G, C, M, S = "wire-table", "wire-gone", "ls", "cg", "cfg", "mg", "ship"
CURSOR = "MA=="  # Base64 of "0"
ITEMS = [LogItem(timestamp=1_700_000_000, contents=[("k", "v")])]
SHIPPER = {"shipperName": S, "targetType": "oss", "targetConfiguration": {}}

#: operation name -> a call of the client method that builds it
CALLS: dict[str, Callable[[LogClient], Any]] = {
    "ListProject": lambda c: c.list_project(),
    "GetProject": lambda c: c.get_project(P),
    "CreateProject": lambda c: c.create_project(P, "again"),
    "UpdateProject": lambda c: c.update_project(P, "new description"),
    "DeleteProject": lambda c: c.delete_project(P_GONE),
    "GetProjectLogs": lambda c: c.get_project_logs(GetProjectLogsRequest(P, f"select count(*) from {LS}")),
    "ListLogStores": lambda c: c.list_logstores(ListLogstoresRequest(P)),
    "CreateLogStore": lambda c: c.create_logstore(P, LS),
    "GetLogStore": lambda c: c.get_logstore(P, LS),
    "GetLogsV1": lambda c: c.get_logs(GetLogsRequest(P, LS, 0, 10, query="*"), v1=True),
    "GetHistograms": lambda c: c.get_histograms(GetHistogramsRequest(P, LS, 0, 10)),
    "ListTopics": lambda c: c.list_topics(ListTopicsRequest(P, LS)),
    "GetContextLogs": lambda c: c.get_context_logs(P, LS, "pack", "meta", 1, 1),
    "UpdateLogStore": lambda c: c.update_logstore(P, LS, ttl=7),
    "DeleteLogStore": lambda c: c.delete_logstore(P, "no-such-store"),
    "ListShards": lambda c: c.list_shards(P, LS),
    "GetCursor": lambda c: c.get_cursor(P, LS, 0, "begin"),
    "GetCursorTime": lambda c: c.get_cursor_time(P, LS, 0, CURSOR),
    "PullLogs": lambda c: c.pull_logs(P, LS, 0, CURSOR),
    "SplitShard": lambda c: c.split_shard(P, LS, 0, "not-a-key"),
    "MergeShards": lambda c: c.merge_shard(P, LS, 1),
    "DeleteShard": lambda c: c.delete_shard(P, LS, 99),
    "PutLogs": lambda c: c.put_logs(PutLogsRequest(P, LS, "", "src", ITEMS)),
    "PutLogsRoute": lambda c: c.put_logs(PutLogsRequest(P, LS, "", "src", ITEMS, hashKey="0" * 32)),
    "GetLogs": lambda c: c.get_logs(GetLogsRequest(P, LS, 0, 10, query="*")),
    "CreateIndex": lambda c: c.create_index(P, LS, {"line": {"token": [","]}}),
    "UpdateIndex": lambda c: c.update_index(P, LS, {"line": {"token": [","]}}),
    "GetIndex": lambda c: c.get_index_config(P, LS),
    "DeleteIndex": lambda c: c.delete_index(P, LS),
    "ListConsumerGroup": lambda c: c.list_consumer_group(P, LS),
    "CreateConsumerGroup": lambda c: c.create_consumer_group(P, LS, G, 10),
    "UpdateConsumerGroup": lambda c: c.update_consumer_group(P, LS, G, timeout=20),
    "DeleteConsumerGroup": lambda c: c.delete_consumer_group(P, LS, "no-such-group"),
    "ConsumerGroupHeartBeat": lambda c: c.heart_beat(P, LS, G, "consumer-1", []),
    "ConsumerGroupUpdateCheckPoint": lambda c: c.update_check_point(P, LS, G, 0, CURSOR),
    "ConsumerGroupGetCheckPoint": lambda c: c.get_check_point(P, LS, G),
    "ListShipper": lambda c: c.list_shipper(P, LS),
    "CreateShipper": lambda c: c.create_shipper(P, LS, SHIPPER),
    "GetShipper": lambda c: c.get_shipper(P, LS, S),
    "UpdateShipper": lambda c: c.update_shipper(P, LS, SHIPPER),
    "DeleteShipper": lambda c: c.delete_shipper(P, LS, "no-such-shipper"),
    "GetShipperTasks": lambda c: c.get_shipper_tasks(P, LS, S, 0, 10),
    "RetryShipperTasks": lambda c: c.retry_shipper_tasks(P, LS, S, ["task"]),
    "ListConfig": lambda c: c.list_logtail_config(P),
    "CreateConfig": lambda c: c.create_logtail_config(P, {"configName": C}),
    "GetConfig": lambda c: c.get_logtail_config(P, C),
    "UpdateConfig": lambda c: c.update_logtail_config(P, {"configName": C}),
    "DeleteConfig": lambda c: c.delete_logtail_config(P, "no-such-config"),
    "GetAppliedMachineGroups": lambda c: c.get_config_applied_machine_groups(P, C),
    "ListMachineGroup": lambda c: c.list_machine_group(P),
    "CreateMachineGroup": lambda c: c.create_machine_group(P, {"groupName": M}),
    "GetMachineGroup": lambda c: c.get_machine_group(P, M),
    "UpdateMachineGroup": lambda c: c.update_machine_group(P, {"groupName": M}),
    "DeleteMachineGroup": lambda c: c.delete_machine_group(P, "no-such-group"),
    "ListMachines": lambda c: c.list_machines(P, M),
    "GetAppliedConfigs": lambda c: c.get_machine_group_applied_configs(P, M),
    "ApplyConfigToMachineGroup": lambda c: c.apply_config_to_machine_group(P, C, M),
    "RemoveConfigFromMachineGroup": lambda c: c.remove_config_to_machine_group(P, C, M),
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as srv:
        client = srv.client(in_process=True)
        client.create_project(P, "operation table")
        client.create_project(P_GONE, "deleted by the DeleteProject call")
        client.create_logstore(P, LS, shard_count=2)
        client.create_consumer_group(P, LS, G, 10)
        yield srv


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The operation names the emulator's router picked, in order."""
    seen: list[str] = []

    def recording(name: str, handler: Callable[[Context], Reply]) -> Callable[[Context], Reply]:
        def handle(context: Context) -> Reply:
            seen.append(name)
            return handler(context)

        return handle

    for name, handler in list(routes.HANDLERS.items()):
        monkeypatch.setitem(routes.HANDLERS, name, recording(name, handler))
    return seen


def test_every_operation_has_a_call_here() -> None:
    assert set(CALLS) == {op.name for op in OPERATIONS if op.sdk}


def test_every_operation_has_an_emulator_handler() -> None:
    assert {op.name for op in OPERATIONS} <= set(routes.HANDLERS)


@pytest.mark.parametrize("name", list(CALLS))
def test_the_client_request_routes_back_to_its_entry(server: EmulatorServer, routed: list[str], name: str) -> None:
    client = server.client(in_process=True)
    try:
        CALLS[name](client)
    except LogException:
        pass  # the domain may refuse the call; where the router sent it is what counts here
    assert routed, f"{name}: nothing reached a handler"
    assert routed[-1] == name, routed


def test_the_alias_routes_to_its_own_entry(server: EmulatorServer, routed: list[str]) -> None:
    client = server.client(in_process=True)
    cursor = client.get_cursor(P, LS, 0, "begin").get_cursor()
    routed.clear()
    answer = client._send("PullLogsAlias", P, f"/logstores/{LS}/shards/0", params={"type": "logs", "cursor": cursor})
    assert routed == ["PullLogsAlias"]
    assert answer.header("x-log-cursor") is not None
