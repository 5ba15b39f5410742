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
    DeleteLogsRequest,
    GetDeleteLogsStatusRequest,
    GetHistogramsRequest,
    GetLogsRequest,
    GetProjectLogsRequest,
    ListDeleteLogsTasksRequest,
    ListLogstoresRequest,
    ListTopicsRequest,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
    SubmitAsyncSqlRequest,
)
from aliyun.log._ops import OPERATIONS
from aliyun.log.delete_async_sql_request import DeleteAsyncSqlRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.http import routes
from aliyun.log.emulator.http.context import Context, Reply
from aliyun.log.get_async_sql_request import GetAsyncSqlRequest
from aliyun.log.resource_params import Resource, ResourceRecord
from aliyun.log.topostore_params import Topostore, TopostoreNode, TopostoreRelation

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
    # resource documents
    "ListDashboard": lambda c: c.list_dashboard(P),
    "CreateDashboard": lambda c: c.create_dashboard(P, {"dashboardName": "board", "charts": []}),
    "GetDashboard": lambda c: c.get_dashboard(P, "board"),
    "UpdateDashboard": lambda c: c.update_dashboard(P, {"dashboardName": "board", "charts": []}),
    "DeleteDashboard": lambda c: c.delete_dashboard(P, "no-such-board"),
    "ListSavedSearch": lambda c: c.list_savedsearch(P),
    "CreateSavedSearch": lambda c: c.create_savedsearch(
        P, {"savedsearchName": "find", "searchQuery": "*", "logstore": LS}
    ),
    "GetSavedSearch": lambda c: c.get_savedsearch(P, "find"),
    "UpdateSavedSearch": lambda c: c.update_savedsearch(
        P, {"savedsearchName": "find", "searchQuery": "*", "logstore": LS}
    ),
    "DeleteSavedSearch": lambda c: c.delete_savedsearch(P, "no-such-search"),
    # stores
    "ListExternalStore": lambda c: c.list_external_store(P),
    "CreateExternalStore": lambda c: c.create_external_store(P, {"externalStoreName": "ext", "storeType": "csv"}),
    "GetExternalStore": lambda c: c.get_external_store(P, "ext"),
    "UpdateExternalStore": lambda c: c.update_external_store(P, {"externalStoreName": "ext", "storeType": "csv"}),
    "DeleteExternalStore": lambda c: c.delete_external_store(P, "no-such-store"),
    "ListLogtailPipelineConfig": lambda c: c.list_logtail_pipeline_config(P),
    "CreateLogtailPipelineConfig": lambda c: c.create_logtail_pipeline_config(P, {"configName": "pipe"}),
    "GetLogtailPipelineConfig": lambda c: c.get_logtail_pipeline_config(P, "pipe"),
    "UpdateLogtailPipelineConfig": lambda c: c.update_logtail_pipeline_config(P, {"configName": "pipe"}),
    "DeleteLogtailPipelineConfig": lambda c: c.delete_logtail_pipeline_config(P, "no-such-pipe"),
    "ListStoreViews": lambda c: c.list_store_views(P),
    "CreateStoreView": lambda c: c.create_store_view(P, {"name": "view", "storeType": "logstore", "stores": []}),
    "GetStoreView": lambda c: c.get_store_view(P, "view"),
    "UpdateStoreView": lambda c: c.update_store_view(P, "view", {"name": "view", "storeType": "logstore"}),
    "DeleteStoreView": lambda c: c.delete_store_view(P, "no-such-view"),
    "GetLogStoreMeteringMode": lambda c: c.get_logstore_metering_mode(P, LS),
    "UpdateLogStoreMeteringMode": lambda c: c.update_logstore_metering_mode(P, LS, "ChargeByFunction"),
    "GetMetricStoreMeteringMode": lambda c: c.get_metric_store_metering_mode(P, LS),
    "UpdateMetricStoreMeteringMode": lambda c: c.update_metric_store_metering_mode(P, LS, "ChargeByFunction"),
    "GetLogStoreMultimodalConfiguration": lambda c: c.get_logstore_multimodal_configuration(P, LS),
    "PutLogStoreMultimodalConfiguration": lambda c: c.put_logstore_multimodal_configuration(P, LS, "Enabled"),
    "ListSubStore": lambda c: c.list_substore(P, LS),
    "CreateSubStore": lambda c: c.create_substore(P, LS, "sub", [], 30, 1, 0),
    "GetSubStore": lambda c: c.get_substore(P, LS, "sub"),
    "UpdateSubStore": lambda c: c.update_substore(P, LS, "sub", [], 30, 1, 0),
    "DeleteSubStore": lambda c: c.delete_substore(P, LS, "no-such-sub"),
    "GetSubStoreTTL": lambda c: c.get_substore_ttl(P, LS),
    "UpdateSubStoreTTL": lambda c: c.update_substore_ttl(P, LS, 30),
    "ListSqlInstance": lambda c: c.list_sql_instance(P),
    "CreateSqlInstance": lambda c: c.create_sql_instance(P, 10, False),
    "UpdateSqlInstance": lambda c: c.update_sql_instance(P, 10, False),
    # datamod
    "CreateDeleteLogsTask": lambda c: c.delete_logs(DeleteLogsRequest(P, LS, 0, 10)),
    "ListDeleteLogsTasks": lambda c: c.list_delete_logs_tasks(ListDeleteLogsTasksRequest(P, LS)),
    "GetDeleteLogsStatus": lambda c: c.get_delete_logs_status(GetDeleteLogsStatusRequest(P, LS, "task")),
    "DeleteLogs": lambda c: c.delete_logs_v2(project=P, logstore=LS, from_time=0, to_time=10),
    "UpdateLogs": lambda c: c.update_logs(project=P, logstore=LS, rowid="0", data='{"k": "v"}'),
    "EnableLogStoreModify": lambda c: c.enable_logstore_modify(P, LS),
    "SubmitAsyncSql": lambda c: c.submit_async_sql(SubmitAsyncSqlRequest(P, LS, "* | select 1", 0, 10)),
    "GetAsyncSql": lambda c: c.get_async_sql(GetAsyncSqlRequest(P, "query")),
    "DeleteAsyncSql": lambda c: c.delete_async_sql(DeleteAsyncSqlRequest(P, "query")),
    # tags (tags, resources and records, topostores, resource policies, objects)
    "TagResources": lambda c: c.tag_resources("dashboard", "no-project-in-id", k="v"),
    "TagResourcesAtProject": lambda c: c.tag_project(P, k="v"),
    "UntagResources": lambda c: c.untag_resources("dashboard", "no-project-in-id", "k"),
    "UntagResourcesAtProject": lambda c: c.untag_project(P, "k"),
    "ListTagResources": lambda c: list(c.get_project_tags(P)),
    "ListTagResourcesAtProject": lambda c: list(c.list_tag_resources("project", P)),
    "ChangeResourceGroup": lambda c: c.change_resource_group(P, "rg-1"),
    "ListResources": lambda c: c.list_resources(),
    "CreateResource": lambda c: c.create_resource(Resource("wire.res", "userdefine")),
    "GetResource": lambda c: c.get_resource("wire.res"),
    "UpdateResource": lambda c: c.update_resource(Resource("wire.res", description="d")),
    "DeleteResource": lambda c: c.delete_resource("no.such.res"),
    "ListResourceRecords": lambda c: c.list_resource_records("wire.res"),
    "CreateResourceRecord": lambda c: c.create_resource_record("wire.res", ResourceRecord("r", None, {"v": 1})),
    "UpsertResourceRecords": lambda c: c.upsert_resource_record("wire.res", [ResourceRecord("r", None, {"v": 2})]),
    "DeleteResourceRecords": lambda c: c.delete_resource_record("wire.res", ["no-such-record"]),
    "GetResourceRecord": lambda c: c.get_resource_record("wire.res", "r"),
    "UpdateResourceRecord": lambda c: c.update_resource_record("wire.res", ResourceRecord("r", None, {"v": 3})),
    "ListTopostores": lambda c: c.list_topostores(),
    "CreateTopostore": lambda c: c.create_topostore(Topostore("wire-topo")),
    "GetTopostore": lambda c: c.get_topostore("wire-topo"),
    "UpdateTopostore": lambda c: c.update_topostore(Topostore("wire-topo", description="d")),
    "DeleteTopostore": lambda c: c.delete_topostore("no-such-topo"),
    "ListTopostoreNodes": lambda c: c.list_topostore_node("wire-topo"),
    "CreateTopostoreNode": lambda c: c.create_topostore_node("wire-topo", TopostoreNode("n", "host")),
    "UpsertTopostoreNodes": lambda c: c.upsert_topostore_node("wire-topo", [TopostoreNode("n", "host")]),
    "DeleteTopostoreNodes": lambda c: c.delete_topostore_node("wire-topo", ["no-such-node"]),
    "GetTopostoreNode": lambda c: c.get_topostore_node("wire-topo", "n"),
    "UpdateTopostoreNode": lambda c: c.update_topostore_node("wire-topo", TopostoreNode("n", "db")),
    "ListTopostoreRelations": lambda c: c.list_topostore_relation("wire-topo"),
    "CreateTopostoreRelation": lambda c: c.create_topostore_relation(
        "wire-topo", TopostoreRelation("r", "t", "n", "n")
    ),
    "UpsertTopostoreRelations": lambda c: c.upsert_topostore_relation(
        "wire-topo", [TopostoreRelation("r", "t", "n", "n")]
    ),
    "DeleteTopostoreRelations": lambda c: c.delete_topostore_relation("wire-topo", ["no-such-relation"]),
    "GetTopostoreRelation": lambda c: c.get_topostore_relation("wire-topo", "r"),
    "UpdateTopostoreRelation": lambda c: c.update_topostore_relation(
        "wire-topo", TopostoreRelation("r", "u", "n", "n")
    ),
    "PutResourcePolicy": lambda c: c.put_resource_policy(P, "project", "{}"),
    "GetResourcePolicy": lambda c: c.get_resource_policy(P, "project"),
    "DeleteResourcePolicy": lambda c: c.delete_resource_policy(P, "project"),
    "PutObject": lambda c: c.put_object(P, LS, "obj", b"bytes"),
    "GetObject": lambda c: c.get_object(P, LS, "obj"),
    # jobs
    "ListJobs": lambda c: c.list_alert(P),
    "CreateJob": lambda c: c.create_alert(P, {"name": "alert-1", "type": "Alert"}),
    "GetJob": lambda c: c.get_alert(P, "alert-1"),
    "UpdateJob": lambda c: c.update_alert(P, {"name": "alert-1", "type": "Alert"}),
    "DeleteJob": lambda c: c.delete_alert(P, "no-such-job"),
    "EnableJob": lambda c: c.enable_alert(P, "alert-1"),
    "DisableJob": lambda c: c.disable_alert(P, "alert-1"),
    "StartJob": lambda c: c.start_etl(P, "etl-1"),
    "StopJob": lambda c: c.stop_etl(P, "etl-1"),
    "RestartJob": lambda c: c.restart_ingestion(P, "ingestion-1", "{}"),
    "ListJobInstances": lambda c: c.list_scheduled_sql_job_instance(P, "sql-1", 0, 3600),
    "GetJobInstance": lambda c: c.get_scheduled_sql_job_instance(P, "sql-1", "i1"),
    "ModifyJobInstanceState": lambda c: c.modify_scheduled_sql_job_instance_state(P, "sql-1", "i1", "RUNNING"),
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
