"""Store calls (external stores, pipeline configs, store views, SQL instances, arrange_shard):
our ``LogClient`` against the emulator. Metric stores and logstore settings:
``test_metric_stores.py``."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from aliyun.log import (
    ExternalStoreConfig,
    ExternalStoreCsvConfig,
    ExternalStoreOssConfig,
    GetExternalStoreResponse,
    ListExternalStoreResponse,
    LogClient,
    LogException,
    LogItem,
    LogtailPipelineConfigDetail,
    PutLogsRequest,
    StoreView,
    StoreViewStore,
)
from aliyun.log.logtail_pipeline_config_response import ListLogtailPipelineConfigResponse
from aliyun.log.sql_instance_response import ListSqlInstanceResponse
from aliyun.log.store_view_response import GetStoreViewResponse, ListStoreViewsResponse


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def code_status(call: Callable[[], Any]) -> tuple[str, int]:
    error = error_of(call)
    return error.get_error_code(), error.resp_status


def rds(name: str, table: str = "users") -> ExternalStoreConfig:
    return ExternalStoreConfig(
        name, "cn-hangzhou", "rds-vpc", "vpc-1", "rm-1", "10.0.0.1", "3306", "u", "p", "db", table
    )


# -- external stores ------------------------------------------------------------------------


def test_external_store_crud_keeps_each_type(client: LogClient, project: str) -> None:
    client.create_external_store(project, rds("users"))
    columns = [{"name": "c", "type": "varchar"}]
    oss = ExternalStoreOssConfig("objects", ["a.csv"], columns, "oss-cn-hangzhou.aliyuncs.com", "bucket", "ak", "sk")
    client.create_external_store(project, oss)

    got = client.get_external_store(project, "users")
    assert isinstance(got, GetExternalStoreResponse)
    config = got.get_external_store_config()
    assert isinstance(config, ExternalStoreConfig)
    assert (config.host, config.database, config.table, config.vpcId) == ("10.0.0.1", "db", "users", "vpc-1")
    assert isinstance(client.get_external_store(project, "objects").get_external_store_config(), ExternalStoreOssConfig)

    client.update_external_store(project, rds("users", table="accounts"))
    assert client.get_external_store(project, "users").get_external_store_config().table == "accounts"  # type: ignore[attr-defined]

    client.delete_external_store(project, "objects")
    assert code_status(lambda: client.get_external_store(project, "objects")) == ("ExternalStoreNotExist", 404)
    assert code_status(lambda: client.delete_external_store(project, "objects"))[0] == "ExternalStoreNotExist"


def test_csv_external_store_round_trips_its_data(client: LogClient, project: str, tmp_path: Any) -> None:
    path = tmp_path / "cities.csv"
    path.write_text("id,city\n1,Hangzhou\n2,Beijing\n", encoding="utf-8")
    csv = ExternalStoreCsvConfig(
        "cities", str(path), [{"name": "id", "type": "bigint"}, {"name": "city", "type": "varchar"}]
    )
    client.create_external_store(project, csv)
    config = client.get_external_store(project, "cities").get_external_store_config()
    assert isinstance(config, ExternalStoreCsvConfig)
    assert config.get_csv_bytes() == path.read_bytes()


def test_external_stores_share_the_logstore_namespace(client: LogClient, project: str, logstore: str) -> None:
    assert code_status(lambda: client.create_external_store(project, rds(logstore))) == ("LogStoreAlreadyExist", 400)
    client.create_external_store(project, rds("ext"))
    assert code_status(lambda: client.create_external_store(project, rds("ext"))) == ("LogStoreAlreadyExist", 400)
    assert code_status(lambda: client.create_logstore(project, "ext")) == ("LogStoreAlreadyExist", 400)


def test_external_store_validation(client: LogClient, project: str) -> None:
    bad_type = {"externalStoreName": "x1", "storeType": "mysql", "parameter": {}}
    assert code_status(lambda: client.create_external_store(project, bad_type)) == ("ParameterInvalid", 400)
    no_host = rds("x2").to_json()
    no_host["parameter"]["host"] = ""
    assert code_status(lambda: client.create_external_store(project, no_host))[0] == "ParameterInvalid"
    bad_columns = ExternalStoreOssConfig("x3", ["a"], [{"name": "c"}], "e", "b", "ak", "sk")
    assert code_status(lambda: client.create_external_store(project, bad_columns))[0] == "ParameterInvalid"
    # caught before sending
    assert (
        error_of(lambda: client.update_external_store(project, {"storeType": "oss"})).get_error_code()
        == "BadParameters"
    )
    assert error_of(lambda: client.get_external_store(project, "a/b")).get_error_code() == "BadParameters"


def test_external_store_listing_filters_and_pages(client: LogClient, project: str) -> None:
    for name in ("users", "users-archive", "orders"):
        client.create_external_store(project, rds(name))
    listing = client.list_external_store(project)
    assert isinstance(listing, ListExternalStoreResponse)
    assert listing.get_logstores() == ["orders", "users", "users-archive"]
    assert (listing.get_count(), listing.get_total()) == (3, 3)
    assert client.list_external_store(project, "users").get_logstores() == ["users", "users-archive"]
    page = client.list_external_store(project, offset=1, size=1)
    assert (page.get_logstores(), page.get_logstores_total()) == (["users"], 3)
    everything = client.list_external_store(project, size=-1)
    assert (everything.get_logstores_count(), everything.logstores, everything.total_count) == (
        3,
        ["orders", "users", "users-archive"],
        3,
    )


# -- Logtail pipeline configs ----------------------------------------------------------------


def pipeline(name: str, logstore: str, path: str = "/var/log") -> LogtailPipelineConfigDetail:
    return LogtailPipelineConfigDetail(
        name,
        inputs=[{"Type": "input_file", "FilePaths": [f"{path}/*.log"]}],
        flushers=[{"Type": "flusher_sls", "Logstore": logstore}],
        processors=[{"Type": "processor_parse_json_native", "SourceKey": "content"}],
    )


def test_pipeline_config_crud(client: LogClient, project: str) -> None:
    client.create_logtail_pipeline_config(project, pipeline("nginx", "access"))
    got = client.get_logtail_pipeline_config(project, "nginx").get_pipeline_config()
    assert isinstance(got, LogtailPipelineConfigDetail)
    assert (got.config_name, got.flushers, got.processors) == (
        "nginx",
        [{"Type": "flusher_sls", "Logstore": "access"}],
        [{"Type": "processor_parse_json_native", "SourceKey": "content"}],
    )
    client.update_logtail_pipeline_config(project, pipeline("nginx", "access", "/srv/log"))
    inputs = client.get_logtail_pipeline_config(project, "nginx").get_pipeline_config().inputs
    assert inputs == [{"Type": "input_file", "FilePaths": ["/srv/log/*.log"]}]
    assert code_status(lambda: client.create_logtail_pipeline_config(project, pipeline("nginx", "x"))) == (
        "ConfigAlreadyExist",
        400,
    )
    client.delete_logtail_pipeline_config(project, "nginx")
    assert code_status(lambda: client.get_logtail_pipeline_config(project, "nginx")) == ("ConfigNotExist", 404)
    assert code_status(lambda: client.update_logtail_pipeline_config(project, pipeline("nginx", "a")))[0] == (
        "ConfigNotExist"
    )


def test_pipeline_config_needs_inputs_and_flushers(client: LogClient, project: str) -> None:
    no_inputs = {"configName": "c1", "inputs": [], "flushers": [{"Type": "flusher_sls", "Logstore": "a"}]}
    assert code_status(lambda: client.create_logtail_pipeline_config(project, no_inputs)) == ("ParameterInvalid", 400)
    untyped = {"configName": "c2", "inputs": [{"FilePaths": []}], "flushers": [{"Type": "flusher_sls"}]}
    assert code_status(lambda: client.create_logtail_pipeline_config(project, untyped))[0] == "ParameterInvalid"
    no_name = {"inputs": [{"Type": "input_file"}], "flushers": [{"Type": "flusher_sls"}]}
    assert error_of(lambda: client.update_logtail_pipeline_config(project, no_name)).get_error_code() == "BadParameters"


def test_pipeline_config_listing_by_name_and_logstore(client: LogClient, project: str) -> None:
    client.create_logtail_pipeline_config(project, pipeline("nginx-access", "access"))
    client.create_logtail_pipeline_config(project, pipeline("nginx-error", "errors"))
    client.create_logtail_pipeline_config(project, pipeline("app", "access"))
    listing = client.list_logtail_pipeline_config(project)
    assert isinstance(listing, ListLogtailPipelineConfigResponse)
    assert (listing.get_configs(), listing.get_total()) == (["app", "nginx-access", "nginx-error"], 3)
    assert listing.configs == listing.get_configs()  # the official attribute
    assert client.list_logtail_pipeline_config(project, config_name="nginx").get_configs() == [
        "nginx-access",
        "nginx-error",
    ]
    by_store = client.list_logtail_pipeline_config(project, logstore_name="access")
    assert by_store.get_configs() == ["app", "nginx-access"]
    both = client.list_logtail_pipeline_config(project, config_name="nginx", logstore_name="access")
    assert both.get_configs() == ["nginx-access"]
    assert client.list_logtail_pipeline_config(project, offset=2, size=5).get_configs() == ["nginx-error"]


# -- store views ----------------------------------------------------------------------------


def test_store_view_crud(client: LogClient, project: str, logstore: str) -> None:
    client.create_logstore(project, "audit", shard_count=1)
    view = StoreView(
        "all-logs", "logstore", [StoreViewStore(project, logstore), StoreViewStore(project, "audit", "* | where a = 1")]
    )
    client.create_store_view(project, view)

    got = client.get_store_view(project, "all-logs")
    assert isinstance(got, GetStoreViewResponse)
    stored = got.get_store_view()
    assert (stored.name, stored.store_type) == ("all-logs", "logstore")
    assert [(s.project_name, s.store_name, s.query) for s in stored.stores] == [
        (project, logstore, None),
        (project, "audit", "* | where a = 1"),
    ]

    client.update_store_view(project, "all-logs", StoreView("all-logs", "logstore", [StoreViewStore(project, "audit")]))
    assert [s.store_name for s in client.get_store_view(project, "all-logs").get_store_view().stores] == ["audit"]

    assert code_status(lambda: client.create_store_view(project, view)) == ("StoreViewAlreadyExist", 400)
    client.delete_store_view(project, "all-logs")
    assert code_status(lambda: client.get_store_view(project, "all-logs")) == ("StoreViewNotExist", 404)
    assert code_status(lambda: client.update_store_view(project, "all-logs", view))[0] == "StoreViewNotExist"


def test_store_view_members_must_exist_and_match_its_type(client: LogClient, project: str, logstore: str) -> None:
    missing = StoreView("v1", "logstore", [StoreViewStore(project, "absent")])
    assert code_status(lambda: client.create_store_view(project, missing)) == ("LogStoreNotExist", 404)
    elsewhere = StoreView("v2", "logstore", [StoreViewStore("no-such-project-sv", logstore)])
    assert code_status(lambda: client.create_store_view(project, elsewhere)) == ("ProjectNotExist", 404)
    wrong_type = StoreView("v3", "metricstore", [StoreViewStore(project, logstore)])
    assert code_status(lambda: client.create_store_view(project, wrong_type)) == ("ParameterInvalid", 400)
    client.create_metric_store(project, "metrics", shard_count=1)
    mixed = StoreView("v4", "logstore", [StoreViewStore(project, logstore), StoreViewStore(project, "metrics")])
    assert code_status(lambda: client.create_store_view(project, mixed))[0] == "ParameterInvalid"
    for bad in (StoreView("v5", "logstore", []), StoreView("v6", "tracestore", [StoreViewStore(project, logstore)])):
        assert code_status(lambda view=bad: client.create_store_view(project, view))[0] == "ParameterInvalid"  # type: ignore[misc]
    twice = StoreView("v7", "logstore", [StoreViewStore(project, logstore), StoreViewStore(project, logstore)])
    assert code_status(lambda: client.create_store_view(project, twice))[0] == "ParameterInvalid"
    client.create_store_view(project, StoreView("metric-view", "metricstore", [StoreViewStore(project, "metrics")]))
    # a metric store view starts with a store of its own project; a logstore view need not
    client.create_project("other-sv-project", "")
    try:
        client.create_metric_store("other-sv-project", "remote", shard_count=1)
        client.create_logstore("other-sv-project", "remote-logs", shard_count=1)
        remote_first = StoreView("v8", "metricstore", [StoreViewStore("other-sv-project", "remote")])
        assert code_status(lambda: client.create_store_view(project, remote_first)) == ("ParameterInvalid", 400)
        local_first = [StoreViewStore(project, "metrics"), StoreViewStore("other-sv-project", "remote")]
        client.create_store_view(project, StoreView("v9", "metricstore", local_first))
        client.create_store_view(
            project, StoreView("v10", "logstore", [StoreViewStore("other-sv-project", "remote-logs")])
        )
    finally:
        client.delete_project("other-sv-project")


def test_store_view_listing_by_type(client: LogClient, project: str, logstore: str) -> None:
    client.create_metric_store(project, "metrics", shard_count=1)
    client.create_store_view(project, StoreView("logs-a", "logstore", [StoreViewStore(project, logstore)]))
    client.create_store_view(project, StoreView("logs-b", "logstore", [StoreViewStore(project, logstore)]))
    client.create_store_view(project, StoreView("metrics-a", "metricstore", [StoreViewStore(project, "metrics")]))
    listing = client.list_store_views(project)
    assert isinstance(listing, ListStoreViewsResponse)
    assert (listing.get_store_views(), listing.get_count(), listing.get_total()) == (
        ["logs-a", "logs-b", "metrics-a"],
        3,
        3,
    )
    assert client.list_store_views(project, store_type="metricstore").get_store_views() == ["metrics-a"]
    assert client.list_store_views(project, offset=1, size=1).get_store_views() == ["logs-b"]


# -- SQL instances --------------------------------------------------------------------------


def test_sql_instance_create_update_list(client: LogClient, project: str) -> None:
    empty = client.list_sql_instance(project)
    assert isinstance(empty, ListSqlInstanceResponse)
    assert empty.get_body() == []
    client.create_sql_instance(project, 100, True)
    (instance,) = client.list_sql_instance(project).get_body()
    assert (instance["name"], instance["cu"], instance["useAsDefault"]) == (project, 100, True)
    client.update_sql_instance(project, 200, False)
    (changed,) = client.list_sql_instance(project).get_body()
    assert (changed["cu"], changed["useAsDefault"], changed["createTime"]) == (200, False, instance["createTime"])
    assert code_status(lambda: client.create_sql_instance(project, 10, False)) == ("SqlInstanceAlreadyExist", 400)


def test_sql_instance_rules(client: LogClient, project: str) -> None:
    assert code_status(lambda: client.update_sql_instance(project, 10, False)) == ("SqlInstanceNotExist", 404)
    for cu in (0, 1001, "ten", True):
        assert code_status(lambda value=cu: client.create_sql_instance(project, value, False))[0] == "ParameterInvalid"  # type: ignore[misc]
    assert code_status(lambda: client.create_sql_instance(project, 10, "yes"))[0] == "ParameterInvalid"  # type: ignore[arg-type]
    assert code_status(lambda: client.list_sql_instance("no-such-project-sql"))[0] == "ProjectNotExist"


# -- arrange_shard --------------------------------------------------------------------------


def test_arrange_shard_really_splits_and_keeps_data_readable(client: LogClient, project: str) -> None:
    client.create_logstore(project, "grow", shard_count=1)
    client.put_logs(PutLogsRequest(project, "grow", "", "", [LogItem(int(time.time()), [("k", "before")])]))
    client.arrange_shard(project, "grow", 4)
    shards = client.list_shards(project, "grow").get_shards_info()
    read_write = sorted((s for s in shards if s["status"].lower() == "readwrite"), key=lambda s: s["inclusiveBeginKey"])
    assert len(read_write) == 4
    widths = [int(s["exclusiveEndKey"], 16) - int(s["inclusiveBeginKey"], 16) for s in read_write]
    assert max(widths) - min(widths) <= 4  # equal quarters of the key space, up to rounding
    assert read_write[0]["inclusiveBeginKey"] == "0" * 32
    for left, right in zip(read_write, read_write[1:]):
        assert left["exclusiveEndKey"] == right["inclusiveBeginKey"]
    # the split shard is read-only and still holds what was written before
    cursor = client.get_cursor(project, "grow", 0, "begin").get_cursor()
    pulled = client.pull_logs(project, "grow", 0, cursor, 10).get_flatten_logs_json()
    assert [log["k"] for log in pulled] == ["before"]
    # nothing to do when there are enough
    client.arrange_shard(project, "grow", 3)
    assert sum(s["status"].lower() == "readwrite" for s in client.list_shards(project, "grow").get_shards_info()) == 4
