"""Every method taking a project, logstore, shard, consumer group, config, machine group, shipper
or index (logstore) name refuses an invalid one with ``BadParameters`` before anything is sent."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from typing import Any, Callable

import pytest

from aliyun.log import (
    BadParameters,
    ClientSideError,
    DeleteLogsRequest,
    GetDeleteLogsStatusRequest,
    GetHistogramsRequest,
    GetLogsRequest,
    ListDeleteLogsTasksRequest,
    ListTopicsRequest,
    LogClient,
    LogItem,
    PutLogsRequest,
    SubmitAsyncSqlRequest,
)
from aliyun.log._transport import HttpRequest, HttpResponse
from aliyun.log.delete_async_sql_request import DeleteAsyncSqlRequest
from aliyun.log.get_async_sql_request import GetAsyncSqlRequest


class CountingTransport:
    """Counts requests; answers none of them (the tests expect zero)."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.requests.append(request)
        raise AssertionError(f"a request was sent: {request.method} {request.target}")

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class Names:
    project: Any = "proj"
    logstore: Any = "store"
    shard: Any = 0
    name: Any = "thing"  # consumer group, config, machine group or shipper


ITEMS = [LogItem(timestamp=1_700_000_000, contents=[("k", "v")])]

#: method -> (the kinds of name it takes, a call with those names)
CALLS: dict[str, tuple[tuple[str, ...], Callable[[LogClient, Names], Any]]] = {
    "create_project": (("project",), lambda c, n: c.create_project(n.project, "d")),
    "get_project": (("project",), lambda c, n: c.get_project(n.project)),
    "update_project": (("project",), lambda c, n: c.update_project(n.project, "d")),
    "delete_project": (("project",), lambda c, n: c.delete_project(n.project)),
    "create_logstore": (("project",), lambda c, n: c.create_logstore(n.project, "store")),
    "get_logstore": (("project", "logstore"), lambda c, n: c.get_logstore(n.project, n.logstore)),
    "update_logstore": (("project", "logstore"), lambda c, n: c.update_logstore(n.project, n.logstore, ttl=3)),
    "delete_logstore": (("project", "logstore"), lambda c, n: c.delete_logstore(n.project, n.logstore)),
    "list_logstore": (("project",), lambda c, n: c.list_logstore(n.project)),
    "list_shards": (("project", "logstore"), lambda c, n: c.list_shards(n.project, n.logstore)),
    "split_shard": (
        ("project", "logstore", "shard"),
        lambda c, n: c.split_shard(n.project, n.logstore, n.shard, "8" * 32),
    ),
    "merge_shard": (("project", "logstore", "shard"), lambda c, n: c.merge_shard(n.project, n.logstore, n.shard)),
    "delete_shard": (("project", "logstore", "shard"), lambda c, n: c.delete_shard(n.project, n.logstore, n.shard)),
    "get_cursor": (
        ("project", "logstore", "shard"),
        lambda c, n: c.get_cursor(n.project, n.logstore, n.shard, "begin"),
    ),
    "get_cursor_time": (
        ("project", "logstore", "shard"),
        lambda c, n: c.get_cursor_time(n.project, n.logstore, n.shard, "MA=="),
    ),
    "pull_logs": (("project", "logstore", "shard"), lambda c, n: c.pull_logs(n.project, n.logstore, n.shard, "MA==")),
    "put_logs": (
        ("project", "logstore"),
        lambda c, n: c.put_logs(PutLogsRequest(n.project, n.logstore, "", "src", ITEMS)),
    ),
    "put_log_raw": (("project", "logstore"), lambda c, n: c.put_log_raw(n.project, n.logstore, b"")),
    "get_logs": (
        ("project", "logstore"),
        lambda c, n: c.get_logs(GetLogsRequest(n.project, n.logstore, 0, 10, query="*")),
    ),
    "get_histograms": (
        ("project", "logstore"),
        lambda c, n: c.get_histograms(GetHistogramsRequest(n.project, n.logstore, 0, 10)),
    ),
    "list_topics": (("project", "logstore"), lambda c, n: c.list_topics(ListTopicsRequest(n.project, n.logstore))),
    "get_context_logs": (
        ("project", "logstore"),
        lambda c, n: c.get_context_logs(n.project, n.logstore, "id", "meta", 1, 1),
    ),
    "create_index": (("project", "logstore"), lambda c, n: c.create_index(n.project, n.logstore, {"line": {}})),
    "update_index": (("project", "logstore"), lambda c, n: c.update_index(n.project, n.logstore, {"line": {}})),
    "get_index_config": (("project", "logstore"), lambda c, n: c.get_index_config(n.project, n.logstore)),
    "delete_index": (("project", "logstore"), lambda c, n: c.delete_index(n.project, n.logstore)),
    "create_consumer_group": (
        ("project", "logstore"),
        lambda c, n: c.create_consumer_group(n.project, n.logstore, "group", 10),
    ),
    "update_consumer_group": (
        ("project", "logstore", "name"),
        lambda c, n: c.update_consumer_group(n.project, n.logstore, n.name, timeout=10),
    ),
    "delete_consumer_group": (
        ("project", "logstore", "name"),
        lambda c, n: c.delete_consumer_group(n.project, n.logstore, n.name),
    ),
    "list_consumer_group": (("project", "logstore"), lambda c, n: c.list_consumer_group(n.project, n.logstore)),
    "heart_beat": (
        ("project", "logstore", "name", "shard"),
        lambda c, n: c.heart_beat(n.project, n.logstore, n.name, "me", [n.shard]),
    ),
    "get_check_point": (
        ("project", "logstore", "name", "shard"),
        lambda c, n: c.get_check_point(n.project, n.logstore, n.name, n.shard),
    ),
    "update_check_point": (
        ("project", "logstore", "name", "shard"),
        lambda c, n: c.update_check_point(n.project, n.logstore, n.name, n.shard, "MA=="),
    ),
    "create_logtail_config": (("project",), lambda c, n: c.create_logtail_config(n.project, {"configName": "x"})),
    "update_logtail_config": (
        ("project", "name"),
        lambda c, n: c.update_logtail_config(n.project, {"configName": n.name}),
    ),
    "list_logtail_config": (("project",), lambda c, n: c.list_logtail_config(n.project)),
    "list_machine_group": (("project",), lambda c, n: c.list_machine_group(n.project)),
    "get_logtail_config": (("project", "name"), lambda c, n: c.get_logtail_config(n.project, n.name)),
    "delete_logtail_config": (("project", "name"), lambda c, n: c.delete_logtail_config(n.project, n.name)),
    "get_config_applied_machine_groups": (
        ("project", "name"),
        lambda c, n: c.get_config_applied_machine_groups(n.project, n.name),
    ),
    "create_machine_group": (("project",), lambda c, n: c.create_machine_group(n.project, {"groupName": "g"})),
    "update_machine_group": (
        ("project", "name"),
        lambda c, n: c.update_machine_group(n.project, {"groupName": n.name}),
    ),
    "get_machine_group": (("project", "name"), lambda c, n: c.get_machine_group(n.project, n.name)),
    "delete_machine_group": (("project", "name"), lambda c, n: c.delete_machine_group(n.project, n.name)),
    "list_machines": (("project", "name"), lambda c, n: c.list_machines(n.project, n.name)),
    "get_machine_group_applied_configs": (
        ("project", "name"),
        lambda c, n: c.get_machine_group_applied_configs(n.project, n.name),
    ),
    "apply_config_to_machine_group": (
        ("project", "name"),
        lambda c, n: c.apply_config_to_machine_group(n.project, n.name, n.name),
    ),
    "remove_config_to_machine_group": (
        ("project", "name"),
        lambda c, n: c.remove_config_to_machine_group(n.project, n.name, n.name),
    ),
    "create_shipper": (("project", "logstore"), lambda c, n: c.create_shipper(n.project, n.logstore, {})),
    "update_shipper": (
        ("project", "logstore", "name"),
        lambda c, n: c.update_shipper(n.project, n.logstore, {"shipperName": n.name}),
    ),
    "get_shipper": (("project", "logstore", "name"), lambda c, n: c.get_shipper(n.project, n.logstore, n.name)),
    "delete_shipper": (
        ("project", "logstore", "name"),
        lambda c, n: c.delete_shipper(n.project, n.logstore, n.name),
    ),
    "list_shipper": (("project", "logstore"), lambda c, n: c.list_shipper(n.project, n.logstore)),
    "get_shipper_tasks": (
        ("project", "logstore", "name"),
        lambda c, n: c.get_shipper_tasks(n.project, n.logstore, n.name, 0, 10),
    ),
    "retry_shipper_tasks": (
        ("project", "logstore", "name"),
        lambda c, n: c.retry_shipper_tasks(n.project, n.logstore, n.name, ["t"]),
    ),
    "copy_data": (("project", "logstore"), lambda c, n: c.copy_data(n.project, n.logstore, "begin", progress=False)),
    "transform_data": (
        ("project", "logstore"),
        lambda c, n: c.transform_data(n.project, n.logstore, lambda e: e, "begin", progress=False),
    ),
    "execute_logstore_sql": (
        ("project", "logstore"),
        lambda c, n: c.execute_logstore_sql(n.project, n.logstore, 0, 10, "* | select 1", False),
    ),
    "execute_project_sql": (("project",), lambda c, n: c.execute_project_sql(n.project, "select 1 from ls", False)),
    "es_migration": (("project",), lambda c, n: c.es_migration("/nonexistent/cache", "127.0.0.1:1", n.project)),
    "create_dashboard": (("project",), lambda c, n: c.create_dashboard(n.project, {"dashboardName": "x"})),
    "update_dashboard": (("project", "name"), lambda c, n: c.update_dashboard(n.project, {"dashboardName": n.name})),
    "get_dashboard": (("project", "name"), lambda c, n: c.get_dashboard(n.project, n.name)),
    "delete_dashboard": (("project", "name"), lambda c, n: c.delete_dashboard(n.project, n.name)),
    "list_dashboard": (("project",), lambda c, n: c.list_dashboard(n.project)),
    "create_savedsearch": (("project",), lambda c, n: c.create_savedsearch(n.project, {"savedsearchName": "x"})),
    "update_savedsearch": (
        ("project", "name"),
        lambda c, n: c.update_savedsearch(n.project, {"savedsearchName": n.name}),
    ),
    "get_savedsearch": (("project", "name"), lambda c, n: c.get_savedsearch(n.project, n.name)),
    "delete_savedsearch": (("project", "name"), lambda c, n: c.delete_savedsearch(n.project, n.name)),
    "list_savedsearch": (("project",), lambda c, n: c.list_savedsearch(n.project)),
    # stores
    "create_external_store": (
        ("project",),
        lambda c, n: c.create_external_store(n.project, {"externalStoreName": "x"}),
    ),
    "update_external_store": (
        ("project", "name"),
        lambda c, n: c.update_external_store(n.project, {"externalStoreName": n.name}),
    ),
    "delete_external_store": (("project", "name"), lambda c, n: c.delete_external_store(n.project, n.name)),
    "get_external_store": (("project", "name"), lambda c, n: c.get_external_store(n.project, n.name)),
    "list_external_store": (("project",), lambda c, n: c.list_external_store(n.project)),
    "create_logtail_pipeline_config": (
        ("project",),
        lambda c, n: c.create_logtail_pipeline_config(n.project, {"configName": "x"}),
    ),
    "update_logtail_pipeline_config": (
        ("project", "name"),
        lambda c, n: c.update_logtail_pipeline_config(n.project, {"configName": n.name}),
    ),
    "delete_logtail_pipeline_config": (
        ("project", "name"),
        lambda c, n: c.delete_logtail_pipeline_config(n.project, n.name),
    ),
    "get_logtail_pipeline_config": (("project", "name"), lambda c, n: c.get_logtail_pipeline_config(n.project, n.name)),
    "list_logtail_pipeline_config": (("project",), lambda c, n: c.list_logtail_pipeline_config(n.project)),
    "create_store_view": (("project",), lambda c, n: c.create_store_view(n.project, {"name": "v"})),
    "update_store_view": (("project", "name"), lambda c, n: c.update_store_view(n.project, n.name, {"name": "v"})),
    "delete_store_view": (("project", "name"), lambda c, n: c.delete_store_view(n.project, n.name)),
    "get_store_view": (("project", "name"), lambda c, n: c.get_store_view(n.project, n.name)),
    "list_store_views": (("project",), lambda c, n: c.list_store_views(n.project)),
    "create_sql_instance": (("project",), lambda c, n: c.create_sql_instance(n.project, 10, False)),
    "update_sql_instance": (("project",), lambda c, n: c.update_sql_instance(n.project, 10, False)),
    "list_sql_instance": (("project",), lambda c, n: c.list_sql_instance(n.project)),
    "arrange_shard": (("project", "logstore"), lambda c, n: c.arrange_shard(n.project, n.logstore, 4)),
    "create_metric_store": (("project", "logstore"), lambda c, n: c.create_metric_store(n.project, n.logstore)),
    "get_metric_store": (("project", "logstore"), lambda c, n: c.get_metric_store(n.project, n.logstore)),
    "update_metric_store": (("project", "logstore"), lambda c, n: c.update_metric_store(n.project, n.logstore, 3)),
    "delete_metric_store": (("project", "logstore"), lambda c, n: c.delete_metric_store(n.project, n.logstore)),
    "get_metric_store_metering_mode": (
        ("project", "logstore"),
        lambda c, n: c.get_metric_store_metering_mode(n.project, n.logstore),
    ),
    "update_metric_store_metering_mode": (
        ("project", "logstore"),
        lambda c, n: c.update_metric_store_metering_mode(n.project, n.logstore, "ChargeByFunction"),
    ),
    "get_logstore_metering_mode": (
        ("project", "logstore"),
        lambda c, n: c.get_logstore_metering_mode(n.project, n.logstore),
    ),
    "update_logstore_metering_mode": (
        ("project", "logstore"),
        lambda c, n: c.update_logstore_metering_mode(n.project, n.logstore, "ChargeByFunction"),
    ),
    "get_logstore_multimodal_configuration": (
        ("project", "logstore"),
        lambda c, n: c.get_logstore_multimodal_configuration(n.project, n.logstore),
    ),
    "put_logstore_multimodal_configuration": (
        ("project", "logstore"),
        lambda c, n: c.put_logstore_multimodal_configuration(n.project, n.logstore, "Enabled"),
    ),
    "create_substore": (
        ("project", "logstore"),
        lambda c, n: c.create_substore(n.project, n.logstore, "s", [], 7, 1, 1),
    ),
    "update_substore": (
        ("project", "logstore", "name"),
        lambda c, n: c.update_substore(n.project, n.logstore, n.name, [], 7, 1, 1),
    ),
    "delete_substore": (
        ("project", "logstore", "name"),
        lambda c, n: c.delete_substore(n.project, n.logstore, n.name),
    ),
    "get_substore": (("project", "logstore", "name"), lambda c, n: c.get_substore(n.project, n.logstore, n.name)),
    "list_substore": (("project", "logstore"), lambda c, n: c.list_substore(n.project, n.logstore)),
    "get_substore_ttl": (("project", "logstore"), lambda c, n: c.get_substore_ttl(n.project, n.logstore)),
    "update_substore_ttl": (("project", "logstore"), lambda c, n: c.update_substore_ttl(n.project, n.logstore, 7)),
    # datamod
    "delete_logs": (
        ("project", "logstore"),
        lambda c, n: c.delete_logs(DeleteLogsRequest(n.project, n.logstore, 1, 2)),
    ),
    "get_delete_logs_status": (
        ("project", "logstore", "name"),
        lambda c, n: c.get_delete_logs_status(GetDeleteLogsStatusRequest(n.project, n.logstore, n.name)),
    ),
    "list_delete_logs_tasks": (
        ("project", "logstore"),
        lambda c, n: c.list_delete_logs_tasks(ListDeleteLogsTasksRequest(n.project, n.logstore)),
    ),
    "delete_logs_v2": (
        ("project", "logstore"),
        lambda c, n: c.delete_logs_v2(project=n.project, logstore=n.logstore, from_time=1, to_time=2),
    ),
    "update_logs": (
        ("project", "logstore"),
        lambda c, n: c.update_logs(project=n.project, logstore=n.logstore, rowid="1", data='{"a": "b"}'),
    ),
    "enable_logstore_modify": (("project", "logstore"), lambda c, n: c.enable_logstore_modify(n.project, n.logstore)),
    "submit_async_sql": (
        ("project", "logstore"),
        lambda c, n: c.submit_async_sql(SubmitAsyncSqlRequest(n.project, n.logstore, "* | select 1", 1, 2)),
    ),
    "get_async_sql": (("project", "name"), lambda c, n: c.get_async_sql(GetAsyncSqlRequest(n.project, n.name))),
    "delete_async_sql": (
        ("project", "name"),
        lambda c, n: c.delete_async_sql(DeleteAsyncSqlRequest(n.project, n.name)),
    ),
    # tags
    "tag_project": (("project",), lambda c, n: c.tag_project(n.project, k="v")),
    "untag_project": (("project",), lambda c, n: c.untag_project(n.project, "k")),
    "get_project_tags": (("project",), lambda c, n: list(c.get_project_tags(n.project))),
    "change_resource_group": (("project",), lambda c, n: c.change_resource_group(n.project, "rg")),
    "tag_resources": (("project",), lambda c, n: c.tag_resources("project", n.project, k="v")),
    "untag_resources": (("project",), lambda c, n: c.untag_resources("project", n.project, "k")),
    "put_object": (("project", "logstore"), lambda c, n: c.put_object(n.project, n.logstore, "obj", b"x")),
    "get_object": (("project", "logstore"), lambda c, n: c.get_object(n.project, n.logstore, "obj")),
    "put_resource_policy": (("project",), lambda c, n: c.put_resource_policy(n.project, "project", "{}")),
    "get_resource_policy": (("project",), lambda c, n: c.get_resource_policy(n.project, "project")),
    "delete_resource_policy": (("project",), lambda c, n: c.delete_resource_policy(n.project, "project")),
    "get_resource_usage": (("project",), lambda c, n: c.get_resource_usage(n.project)),
    # jobs
    "create_alert": (("project",), lambda c, n: c.create_alert(n.project, {"name": "a", "type": "Alert"})),
    "update_alert": (("project", "name"), lambda c, n: c.update_alert(n.project, {"name": n.name})),
    "get_alert": (("project", "name"), lambda c, n: c.get_alert(n.project, n.name)),
    "delete_alert": (("project", "name"), lambda c, n: c.delete_alert(n.project, n.name)),
    "list_alert": (("project",), lambda c, n: c.list_alert(n.project)),
    "enable_alert": (("project", "name"), lambda c, n: c.enable_alert(n.project, n.name)),
    "disable_alert": (("project", "name"), lambda c, n: c.disable_alert(n.project, n.name)),
    "create_etl": (("project",), lambda c, n: c.create_etl(n.project, "e", {}, {}, "E")),
    "update_etl": (("project", "name"), lambda c, n: c.update_etl(n.project, n.name, {}, {}, "E")),
    "get_etl": (("project", "name"), lambda c, n: c.get_etl(n.project, n.name)),
    "delete_etl": (("project", "name"), lambda c, n: c.delete_etl(n.project, n.name)),
    "start_etl": (("project", "name"), lambda c, n: c.start_etl(n.project, n.name)),
    "stop_etl": (("project", "name"), lambda c, n: c.stop_etl(n.project, n.name)),
    "list_etls": (("project",), lambda c, n: c.list_etls(n.project)),
    "create_export": (("project",), lambda c, n: c.create_export(n.project, _export())),
    "update_export": (("project", "name"), lambda c, n: c.update_export(n.project, n.name, '{"name": "x"}')),
    "get_export": (("project", "name"), lambda c, n: c.get_export(n.project, n.name)),
    "delete_export": (("project", "name"), lambda c, n: c.delete_export(n.project, n.name)),
    "list_export": (("project",), lambda c, n: c.list_export(n.project)),
    "list_logstore_export": (("project",), lambda c, n: c.list_logstore_export(n.project, "store")),
    "list_ingestion": (("project",), lambda c, n: c.list_ingestion(n.project)),
    "create_ingestion": (("project",), lambda c, n: c.create_ingestion(n.project, '{"name": "i"}')),
    "update_ingestion": (("project", "name"), lambda c, n: c.update_ingestion(n.project, n.name, "{}")),
    "delete_ingestion": (("project", "name"), lambda c, n: c.delete_ingestion(n.project, n.name)),
    "get_ingestion": (("project", "name"), lambda c, n: c.get_ingestion(n.project, n.name)),
    "start_ingestion": (("project", "name"), lambda c, n: c.start_ingestion(n.project, n.name)),
    "stop_ingestion": (("project", "name"), lambda c, n: c.stop_ingestion(n.project, n.name)),
    "restart_ingestion": (("project", "name"), lambda c, n: c.restart_ingestion(n.project, n.name, "{}")),
    "create_scheduled_sql": (("project",), lambda c, n: c.create_scheduled_sql(n.project, _scheduled_sql("s"))),
    "update_scheduled_sql": (
        ("project", "name"),
        lambda c, n: c.update_scheduled_sql(n.project, _scheduled_sql(n.name)),
    ),
    "check_upsert_scheduled_sql": (
        ("project",),
        lambda c, n: c.check_upsert_scheduled_sql(n.project, _scheduled_sql("s"), "POST", "/jobs"),
    ),
    "delete_scheduled_sql": (("project", "name"), lambda c, n: c.delete_scheduled_sql(n.project, n.name)),
    "get_scheduled_sql": (("project", "name"), lambda c, n: c.get_scheduled_sql(n.project, n.name)),
    "list_scheduled_sql": (("project",), lambda c, n: c.list_scheduled_sql(n.project)),
    "list_scheduled_sql_job_instance": (
        ("project", "name"),
        lambda c, n: c.list_scheduled_sql_job_instance(n.project, n.name, 1_700_000_000, 1_700_003_600),
    ),
    "get_scheduled_sql_job_instance": (
        ("project", "name"),
        lambda c, n: c.get_scheduled_sql_job_instance(n.project, n.name, "i1"),
    ),
    "modify_scheduled_sql_job_instance_state": (
        ("project", "name"),
        lambda c, n: c.modify_scheduled_sql_job_instance_state(n.project, n.name, "i1", "RUNNING"),
    ),
    "create_rebuild_index": (
        ("project", "logstore"),
        lambda c, n: c.create_rebuild_index(n.project, n.logstore, "r", "R", 1_700_000_000, 1_700_003_600),
    ),
    "get_rebuild_index": (("project", "name"), lambda c, n: c.get_rebuild_index(n.project, n.name)),
}


def _export() -> Any:
    from aliyun.log.job import Export, ExportConfiguration
    from aliyun.log.oss_sink import AliyunOSSSink

    export = Export()
    export.setName("x")  # type: ignore[attr-defined]
    config = ExportConfiguration()
    config.setLogstore("store")  # type: ignore[attr-defined]
    config.setSink(AliyunOSSSink("role", "bucket", "p", "", "%Y/%m", "time", 256, 300, "+0800", "json", "none", {}))
    export.setConfiguration(config)
    return export


def _scheduled_sql(name: Any) -> Any:
    from aliyun.log.scheduled_sql import ScheduledSQL

    job = ScheduledSQL()
    job.setName(name)  # type: ignore[attr-defined]
    job.getConfiguration().setFromTime(1_700_000_000)  # type: ignore[attr-defined]
    return job


BAD: dict[str, tuple[Any, ...]] = {
    "project": ("", "a/b", "a.b", "a b", "a\nb", "a:1", None),
    "logstore": ("", ".", "..", "ls/shards", "a\\b", "a\x00b", " ls", None),
    "shard": ("0/../1", "x", True, 1.5),  # None means "every shard" for get_check_point
    "name": ("", "..", "a/b", "a\tb", "x ", None),
}
OPTIONAL_NAMES = {"create_shipper", "update_shipper", "get_shipper", "delete_shipper", "list_shipper"}
CASES = [
    pytest.param(method, kind, value, id=f"{method}-{kind}-{value!r}")
    for method, (kinds, _) in CALLS.items()
    for kind in kinds
    for value in BAD[kind]
    # the 0.6/0.9 shipper forms take every name under two keywords: None there is a missing argument
    if not (value is None and method in OPTIONAL_NAMES)
]


@pytest.mark.parametrize(("method", "kind", "value"), CASES)
def test_invalid_name_is_refused_before_sending(method: str, kind: str, value: Any) -> None:
    transport = CountingTransport()
    client = LogClient("cn-hangzhou.log.aliyuncs.com", "ak", "sk", transport=transport)
    call = CALLS[method][1]
    with pytest.raises(ClientSideError) as info:
        call(client, replace(Names(), **{kind: value}))
    assert isinstance(info.value, BadParameters)
    assert info.value.get_error_code() == "BadParameters"
    assert transport.requests == []


def test_every_public_method_taking_names_is_covered() -> None:
    takes_names = {"project", "project_name", "logstore", "logstore_name", "shard_id", "shardId", "consumer_group"}
    uncovered = []
    for name, member in inspect.getmembers(LogClient, inspect.isfunction):
        if name.startswith("_") or name in CALLS:
            continue
        parameters = set(inspect.signature(member).parameters)
        if parameters & takes_names:
            uncovered.append(name)
    # the rest compose covered calls (pull_log -> get_cursor, copy_* -> get_project ...)
    assert sorted(uncovered) == sorted(COMPOSED)


COMPOSED = [
    "get_begin_cursor",
    "get_check_point_fixed",
    "get_end_cursor",
    "get_log",
    "get_log_all",
    "get_log_all_v2",
    "get_previous_cursor_time",
    "get_shipper_config",
    "iter_logtail_configs",
    "iter_machine_groups",
    "iter_machines",
    "iter_shipper_tasks",
    "iter_shippers",
    "pull_log",
    "pull_log_dump",
]


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda c: c.get_logstore("proj", ""), "the empty name once read the ListLogStores answer"),
        (lambda c: c.get_logstore("proj", "ls/shards"), "a slash once raised AttributeError"),
        (lambda c: c.get_cursor("proj", "ls", "0/../1", "begin"), "a path in the shard once raised ValueError"),
    ],
)
def test_known_bad_names(call: Callable[[LogClient], Any], what: str) -> None:
    transport = CountingTransport()
    client = LogClient("cn-hangzhou.log.aliyuncs.com", "ak", "sk", transport=transport)
    with pytest.raises(BadParameters):
        call(client)
    assert transport.requests == [], what
