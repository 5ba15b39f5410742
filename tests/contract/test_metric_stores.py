"""Metric stores, substores, metering modes and multimodal configurations: our ``LogClient``
against the emulator."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from aliyun.log import GetLogsRequest, LogClient, LogException, LogItem, PutLogsRequest, StoreView, StoreViewStore
from aliyun.log._ops.metrics import METRIC_KEYS
from aliyun.log.emulator import EmulatorServer
from aliyun.log.metering_mode_response import GetLogStoreMeteringModeResponse, GetMetricStoreMeteringModeResponse
from aliyun.log.multimodal_config_response import GetLogStoreMultimodalConfigurationResponse
from aliyun.log.substore_config_response import CreateMetricsStoreResponse, GetSubStoreResponse, ListSubStoreResponse


def code_status(call: Callable[[], Any]) -> tuple[str, int]:
    with pytest.raises(LogException) as info:
        call()
    return info.value.get_error_code(), info.value.resp_status


def metric_log(name: str, labels: str, value: float, at: int) -> LogItem:
    return LogItem(
        at,
        [("__name__", name), ("__labels__", labels), ("__time_nano__", str(at * 10**9)), ("__value__", str(value))],
    )


def test_a_metric_store_is_a_logstore_of_telemetry_type_metrics(client: LogClient, project: str) -> None:
    created = client.create_metric_store(project, "metrics", ttl=15, shard_count=1)
    assert isinstance(created, CreateMetricsStoreResponse)
    assert created.get_logstore_response().get_request_id() is not None
    assert created.get_substore_response().get_request_id() is not None

    store = client.get_metric_store(project, "metrics")
    assert (store.get_ttl(), store.get_shard_count()) == (15, 1)
    assert store.get_body()["telemetryType"] == "Metrics"
    assert "metrics" in client.list_logstore(project).get_logstores()

    prom = client.get_substore(project, "metrics", "prom")
    assert isinstance(prom, GetSubStoreResponse)
    assert (prom.get_substore_name(), prom.get_ttl(), prom.get_sorted_key_count(), prom.get_time_index()) == (
        "prom",
        15,
        2,
        2,
    )
    assert prom.get_keys() == [dict(key) for key in METRIC_KEYS]
    assert code_status(lambda: client.create_metric_store(project, "metrics")) == ("LogStoreAlreadyExist", 400)


def test_metrics_are_written_pulled_and_queried_like_logs(client: LogClient, project: str) -> None:
    client.create_metric_store(project, "metrics", shard_count=1)
    now = int(time.time())
    points = [metric_log("cpu", "host#$#a", 0.5, now), metric_log("cpu", "host#$#b", 0.75, now)]
    client.put_logs(PutLogsRequest(project, "metrics", "", "", points))

    cursor = client.get_cursor(project, "metrics", 0, "begin").get_cursor()
    pulled = client.pull_logs(project, "metrics", 0, cursor, 10).get_flatten_logs_json()
    assert [(log["__name__"], log["__value__"]) for log in pulled] == [("cpu", "0.5"), ("cpu", "0.75")]

    query = "* | select __labels__, __value__ from log order by __labels__"
    answer = client.get_logs(GetLogsRequest(project, "metrics", now - 60, now + 60, query=query))
    rows = [(log.get_contents()["__labels__"], float(log.get_contents()["__value__"])) for log in answer.get_logs()]
    assert rows == [("host#$#a", 0.5), ("host#$#b", 0.75)]


def test_update_metric_store_changes_the_substore_ttl_too(client: LogClient, project: str) -> None:
    client.create_metric_store(project, "metrics", ttl=30, shard_count=1)
    client.update_metric_store(project, "metrics", ttl=60, enable_tracking=True)
    store = client.get_metric_store(project, "metrics")
    assert (store.get_ttl(), store.get_enable_tracking(), store.get_body()["telemetryType"]) == (60, True, "Metrics")
    assert client.get_substore_ttl(project, "metrics").get_ttl() == 60
    assert client.get_substore(project, "metrics", "prom").get_ttl() == 60
    client.update_metric_store(project, "metrics", append_meta=True)  # no ttl: the substores keep theirs
    assert client.get_substore_ttl(project, "metrics").get_ttl() == 60

    client.delete_metric_store(project, "metrics")
    assert code_status(lambda: client.get_metric_store(project, "metrics")) == ("LogStoreNotExist", 404)
    # the substores went with it
    client.create_logstore(project, "metrics", telemetry_type="Metrics", shard_count=1)
    assert client.list_substore(project, "metrics").get_substores() == []


def test_substores(client: LogClient, project: str, logstore: str) -> None:
    client.create_metric_store(project, "metrics", shard_count=1)
    keys = [{"name": "k", "type": "text"}, {"name": "t", "type": "long"}, {"name": "v", "type": "double"}]
    client.create_substore(project, "metrics", "extra", keys, 7, 1, 1)
    listing = client.list_substore(project, "metrics")
    assert isinstance(listing, ListSubStoreResponse)
    assert listing.get_substores() == ["extra", "prom"]
    assert client.get_substore(project, "metrics", "extra").get_keys() == keys
    assert code_status(lambda: client.create_substore(project, "metrics", "extra", keys, 7, 1, 1)) == (
        "SubStoreAlreadyExist",
        400,
    )
    # SLS does not change a substore in place
    assert code_status(lambda: client.update_substore(project, "metrics", "extra", keys, 9, 1, 1)) == (
        "NotImplemented",
        501,
    )
    assert code_status(lambda: client.update_substore(project, "metrics", "absent", keys, 9, 1, 1))[0] == (
        "SubStoreNotExist"
    )
    client.update_substore_ttl(project, "metrics", 90)
    assert [client.get_substore(project, "metrics", n).get_ttl() for n in ("extra", "prom")] == [90, 90]

    client.delete_substore(project, "metrics", "extra")
    assert code_status(lambda: client.get_substore(project, "metrics", "extra")) == ("SubStoreNotExist", 404)
    # substores belong to metric stores
    assert code_status(lambda: client.create_substore(project, logstore, "s", keys, 7, 1, 1)) == (
        "ParameterInvalid",
        400,
    )
    assert code_status(lambda: client.get_substore_ttl(project, logstore))[0] == "ParameterInvalid"


@pytest.mark.parametrize(
    ("keys", "ttl", "sorted_keys", "time_index"),
    [
        ([], 7, 1, 0),
        ([{"name": "k", "type": "blob"}, {"name": "t", "type": "long"}], 7, 1, 1),
        ([{"name": "k", "type": "text"}, {"name": "k", "type": "long"}], 7, 1, 1),
        ([{"name": "k", "type": "text"}, {"name": "t", "type": "long"}], 0, 1, 1),
        ([{"name": "k", "type": "text"}, {"name": "t", "type": "long"}], 7, 3, 1),
        ([{"name": "k", "type": "text"}, {"name": "t", "type": "long"}], 7, 1, 2),
        ([{"name": "k", "type": "text"}, {"name": "t", "type": "text"}], 7, 1, 1),
        ([{"name": "k", "type": "long"}, {"name": "t", "type": "long"}], 7, 1, 0),
    ],
)
def test_substore_validation(
    client: LogClient, project: str, keys: list[dict[str, str]], ttl: int, sorted_keys: int, time_index: int
) -> None:
    client.create_metric_store(project, "metrics", shard_count=1)
    refused = code_status(lambda: client.create_substore(project, "metrics", "bad", keys, ttl, sorted_keys, time_index))
    assert refused == ("ParameterInvalid", 400)


def test_substore_ttl_rules(client: LogClient, project: str) -> None:
    client.create_metric_store(project, "metrics", ttl=20, shard_count=1)
    assert client.get_substore_ttl(project, "metrics").get_ttl() == 20  # the store's until set
    for bad in (0, 3651, "soon"):
        assert code_status(lambda ttl=bad: client.update_substore_ttl(project, "metrics", ttl))[0] == (  # type: ignore[misc]
            "ParameterInvalid"
        )


def test_metering_modes(client: LogClient, project: str, logstore: str) -> None:
    got = client.get_logstore_metering_mode(project, logstore)
    assert isinstance(got, GetLogStoreMeteringModeResponse)
    assert got.get_metering_mode() == "ChargeByFunction"
    client.update_logstore_metering_mode(project, logstore, "ChargeByDataIngest")
    assert client.get_logstore_metering_mode(project, logstore).get_metering_mode() == "ChargeByDataIngest"
    assert code_status(lambda: client.update_logstore_metering_mode(project, logstore, "Free")) == (
        "ParameterInvalid",
        400,
    )
    assert code_status(lambda: client.get_logstore_metering_mode(project, "absent")) == ("LogStoreNotExist", 404)

    client.create_metric_store(project, "metrics", shard_count=1)
    metric = client.get_metric_store_metering_mode(project, "metrics")
    assert isinstance(metric, GetMetricStoreMeteringModeResponse)
    assert metric.get_metering_mode() == "ChargeByFunction"
    client.update_metric_store_metering_mode(project, "metrics", "ChargeByDataIngest")
    assert client.get_metric_store_metering_mode(project, "metrics").get_metering_mode() == "ChargeByDataIngest"
    # the same setting, read as a logstore
    assert client.get_logstore_metering_mode(project, "metrics").get_metering_mode() == "ChargeByDataIngest"
    assert code_status(lambda: client.get_metric_store_metering_mode(project, logstore))[0] == "ParameterInvalid"


def test_multimodal_configuration(client: LogClient, project: str, logstore: str) -> None:
    got = client.get_logstore_multimodal_configuration(project, logstore)
    assert isinstance(got, GetLogStoreMultimodalConfigurationResponse)
    assert (got.get_status(), got.get_anonymous_write()) == ("Disabled", None)
    client.put_logstore_multimodal_configuration(project, logstore, "Enabled", anonymous_write="Enabled")
    got = client.get_logstore_multimodal_configuration(project, logstore)
    assert (got.get_status(), got.get_anonymous_write()) == ("Enabled", "Enabled")
    client.put_logstore_multimodal_configuration(project, logstore, "Disabled")
    got = client.get_logstore_multimodal_configuration(project, logstore)
    assert (got.get_status(), got.get_anonymous_write()) == ("Disabled", None)
    for status, anonymous in (("On", None), ("Enabled", "yes")):
        assert code_status(
            lambda s=status, a=anonymous: client.put_logstore_multimodal_configuration(project, logstore, s, a)  # type: ignore[misc]
        ) == ("ParameterInvalid", 400)


def test_settings_go_with_their_logstore(client: LogClient, project: str) -> None:
    client.create_logstore(project, "short-lived", shard_count=1)
    client.update_logstore_metering_mode(project, "short-lived", "ChargeByDataIngest")
    client.put_logstore_multimodal_configuration(project, "short-lived", "Enabled")
    client.delete_logstore(project, "short-lived")
    client.create_logstore(project, "short-lived", shard_count=1)
    assert client.get_logstore_metering_mode(project, "short-lived").get_metering_mode() == "ChargeByFunction"
    assert client.get_logstore_multimodal_configuration(project, "short-lived").get_status() == "Disabled"


# -- the /metricstores calls of the generated OpenAPI clients ----------------------------------


def wire(client: LogClient, op: str, project: str, resource: str, body: Any = None, **params: Any) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    response = client._send(op, project, resource, params=params, body=raw, content_type="application/json")
    return json.loads(response.body) if response.body else None


def test_metricstores_calls_make_the_same_store(client: LogClient, project: str, logstore: str) -> None:
    wire(client, "CreateMetricStore", project, "/metricstores", {"name": "m1", "ttl": 9, "shardCount": 1})
    # the official SDK's view of it
    assert client.get_metric_store(project, "m1").get_body()["telemetryType"] == "Metrics"
    assert client.get_substore(project, "m1", "prom").get_keys() == [dict(key) for key in METRIC_KEYS]
    shown = wire(client, "GetMetricStore", project, "/metricstores/m1")
    assert {k: shown[k] for k in ("name", "ttl", "shardCount", "metricType", "mode")} == {
        "name": "m1",
        "ttl": 9,
        "shardCount": 1,
        "metricType": "prometheus",
        "mode": "standard",
    }
    client.create_metric_store(project, "m2", shard_count=1)  # made the official way, listed the other
    listing = wire(client, "ListMetricStores", project, "/metricstores", offset=0, size=10)
    assert listing == {"count": 2, "total": 2, "metricstores": ["m1", "m2"]}
    assert wire(client, "ListMetricStores", project, "/metricstores", name="2")["metricstores"] == ["m2"]

    wire(client, "UpdateMetricStore", project, "/metricstores/m1", {"ttl": 12})
    assert client.get_metric_store(project, "m1").get_ttl() == 12
    assert client.get_substore_ttl(project, "m1").get_ttl() == 12

    assert code_status(lambda: wire(client, "GetMetricStore", project, f"/metricstores/{logstore}"))[0] == (
        "ParameterInvalid"
    )
    refused = code_status(lambda: wire(client, "CreateMetricStore", project, "/metricstores", {"name": "m1"}))
    assert refused == ("LogStoreAlreadyExist", 400)
    wire(client, "DeleteMetricStore", project, "/metricstores/m1")
    assert code_status(lambda: client.get_logstore(project, "m1")) == ("LogStoreNotExist", 404)


def test_stores_and_settings_survive_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with EmulatorServer(port=0, data_dir=data_dir, listen=False) as server:
        client = server.client(in_process=True)
        client.create_project("durable-stores", "restart test")
        client.create_metric_store("durable-stores", "metrics", shard_count=1)
        client.update_substore_ttl("durable-stores", "metrics", 45)
        client.update_logstore_metering_mode("durable-stores", "metrics", "ChargeByDataIngest")
        client.put_logstore_multimodal_configuration("durable-stores", "metrics", "Enabled")
        client.create_sql_instance("durable-stores", 50, True)
        client.create_store_view(
            "durable-stores", StoreView("view", "metricstore", [StoreViewStore("durable-stores", "metrics")])
        )

    with EmulatorServer(port=0, data_dir=data_dir, listen=False) as server:
        client = server.client(in_process=True)
        assert client.list_substore("durable-stores", "metrics").get_substores() == ["prom"]
        assert client.get_substore_ttl("durable-stores", "metrics").get_ttl() == 45
        assert client.get_metric_store_metering_mode("durable-stores", "metrics").get_metering_mode() == (
            "ChargeByDataIngest"
        )
        assert client.get_logstore_multimodal_configuration("durable-stores", "metrics").get_status() == "Enabled"
        assert [i["cu"] for i in client.list_sql_instance("durable-stores").get_body()] == [50]
        assert client.get_store_view("durable-stores", "view").get_store_view().store_type == "metricstore"
        assert client.get_logstore("durable-stores", "metrics").get_body()["telemetryType"] == "Metrics"


def test_prometheus_api_answers_a_clear_not_supported() -> None:
    import json as json_module
    import urllib.error
    import urllib.request

    from aliyun.log.emulator import EmulatorServer

    with EmulatorServer(port=0, check_signature=False) as server:
        base = server.endpoint if server.endpoint.startswith("http") else "http://" + server.endpoint
        for path in ("/prometheus/p/m/api/v1/query?query=up", "/prometheus/p/m/api/v1/label/__name__/values"):
            try:
                urllib.request.urlopen(base.rstrip("/") + path, timeout=10)
                raise AssertionError("expected an error answer")
            except urllib.error.HTTPError as exc:
                answer = json_module.loads(exc.read())
                assert (exc.code, answer["errorCode"]) == (400, "NotSupported")
                assert "PromQL" in answer["errorMessage"]
