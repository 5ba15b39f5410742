"""The official SDK's store calls against the emulator: external stores, pipeline configs, store
views, metric stores and substores, logstore settings, SQL instances and arrange_shard."""

from __future__ import annotations

import time
from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

STORES_SCRIPT = """
P = "conf-stores"
out = {}
client.create_project(P, "stores")
client.create_logstore(P, "web", shard_count=1)

rds = ExternalStoreConfig("users", "cn-hangzhou", "rds-vpc", "vpc-1", "rm-1", "10.0.0.1", "3306", "u", "p", "db", "t")
client.create_external_store(P, rds)
oss = ExternalStoreOssConfig("objects", ["a.csv"], [{"name": "c", "type": "varchar"}],
                             "oss-cn-hangzhou.aliyuncs.com", "bucket", "ak", "sk")
out["oss_create"] = error_of(client.create_external_store, P, oss)
config = client.get_external_store(P, "users").get_external_store_config()
out["external"] = [type(config).__name__, config.host, config.table]
rds.table = "accounts"
client.update_external_store(P, rds)
out["external_table"] = client.get_external_store(P, "users").get_external_store_config().table
listing = client.list_external_store(P, "use")
out["externals"] = [listing.get_logstores(), listing.get_total()]
out["external_vs_logstore"] = error_of(client.create_external_store, P,
    ExternalStoreConfig("web", "r", "rds-vpc", "v", "i", "h", "1", "u", "p", "d", "t"))
client.delete_external_store(P, "users")
out["missing_external"] = error_of(client.get_external_store, P, "users")

detail = LogtailPipelineConfigDetail("nginx", [{"Type": "input_file", "FilePaths": ["/var/log/*.log"]}],
                                     [{"Type": "flusher_sls", "Logstore": "web"}])
client.create_logtail_pipeline_config(P, detail)
other = LogtailPipelineConfigDetail("app", [{"Type": "input_file", "FilePaths": ["/srv/*.log"]}],
                                    [{"Type": "flusher_sls", "Logstore": "other"}])
client.create_logtail_pipeline_config(P, other)
got = client.get_logtail_pipeline_config(P, "nginx").get_pipeline_config()
out["pipeline"] = [got.config_name, got.inputs, got.flushers]
out["pipelines"] = client.list_logtail_pipeline_config(P).get_configs()
out["pipelines_web"] = client.list_logtail_pipeline_config(P, logstore_name="web").get_configs()
detail.inputs = [{"Type": "input_file", "FilePaths": ["/tmp/*.log"]}]
client.update_logtail_pipeline_config(P, detail)
out["pipeline_inputs"] = client.get_logtail_pipeline_config(P, "nginx").get_pipeline_config().inputs
client.delete_logtail_pipeline_config(P, "nginx")
out["missing_pipeline"] = error_of(client.get_logtail_pipeline_config, P, "nginx")

created = client.create_metric_store(P, "metrics", ttl=20, shard_count=1)
out["metric_store"] = client.get_metric_store(P, "metrics").get_body()["telemetryType"]
prom = client.get_substore(P, "metrics", "prom")
out["prom"] = [prom.get_substore_name(), prom.get_ttl(), prom.get_sorted_key_count(), prom.get_time_index(),
               [k["name"] for k in prom.get_keys()]]
out["substores"] = client.list_substore(P, "metrics").get_substores()
client.update_metric_store(P, "metrics", ttl=40)
out["ttls"] = [client.get_metric_store(P, "metrics").get_ttl(), client.get_substore_ttl(P, "metrics").get_ttl()]
out["update_substore"] = error_of(client.update_substore, P, "metrics", "prom",
                                  [{"name": "a", "type": "text"}], 7, 1, 0)
client.update_metric_store_metering_mode(P, "metrics", "ChargeByDataIngest")
out["metric_metering"] = client.get_metric_store_metering_mode(P, "metrics").get_metering_mode()
out["log_metering"] = client.get_logstore_metering_mode(P, "web").get_metering_mode()
client.update_logstore_metering_mode(P, "web", "ChargeByDataIngest")
out["log_metering_after"] = client.get_logstore_metering_mode(P, "web").get_metering_mode()
client.put_logstore_multimodal_configuration(P, "web", "Enabled", anonymous_write="Disabled")
mm = client.get_logstore_multimodal_configuration(P, "web")
out["multimodal"] = [mm.get_status(), mm.get_anonymous_write()]

view = StoreView("all", "logstore", [StoreViewStore(P, "web")])
client.create_store_view(P, view)
client.create_store_view(P, StoreView("m", "metricstore", [StoreViewStore(P, "metrics", "up")]))
sv = client.get_store_view(P, "all").get_store_view()
out["store_view"] = [sv.name, sv.store_type, [(s.project_name, s.store_name) for s in sv.stores]]
out["store_views"] = client.list_store_views(P).get_store_views()
out["metric_views"] = client.list_store_views(P, store_type="metricstore").get_store_views()
out["bad_member"] = error_of(client.create_store_view, P, StoreView("bad", "logstore", [StoreViewStore(P, "nope")]))
# a query on the view's name reads the union of its members
client.create_logstore(P, "app", shard_count=1)
for name, start, offset in (("web", 0, 0), ("app", 100, 1)):
    index = IndexConfig()
    index.from_json({"line": {"token": [" "]}, "keys": {"n": {"type": "long", "doc_value": True}}})
    client.create_index(P, name, index)
    # distinct seconds (web even, app odd): the order across members does not hang on nanoseconds
    items = [LogItem(PARAMS["t"] + 2 * i + offset, [("n", str(start + i))]) for i in range(3)]
    client.put_logs(PutLogsRequest(P, name, "", "", items))
members = [StoreViewStore(P, "web"), StoreViewStore(P, "app", "n > 100")]
client.update_store_view(P, "all", StoreView("all", "logstore", members))
T = PARAMS["t"]
union = client.get_logs(GetLogsRequest(P, "all", T - 10, T + 60, query="*"))
out["view_logs"] = [l.get_contents()["n"] for l in union.get_logs()]
counted = client.get_logs(GetLogsRequest(P, "all", T - 10, T + 60, query="* | select count(*) as c"))
out["view_sql"] = [l.get_contents() for l in counted.get_logs()]
client.delete_store_view(P, "all")
out["missing_view"] = error_of(client.get_store_view, P, "all")

client.create_sql_instance(P, 100, True)
client.update_sql_instance(P, 200, False)
out["sql"] = [(i["cu"], i["useAsDefault"]) for i in client.list_sql_instance(P).get_body()]

client.arrange_shard(P, "web", 4)
out["shards"] = sorted((s["shardID"], s["status"]) for s in client.list_shards(P, "web").shards)
client.delete_project(P)
emit(out)
"""


def test_store_families(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(STORES_SCRIPT, emulator, params={"t": int(time.time()) - 600})

    assert out["oss_create"] is None
    assert out["external"] == ["ExternalStoreConfig", "10.0.0.1", "t"]
    assert out["external_table"] == "accounts"
    assert out["externals"] == [["users"], 1]
    assert (out["external_vs_logstore"]["code"], out["external_vs_logstore"]["status"]) == ("LogStoreAlreadyExist", 400)
    assert (out["missing_external"]["code"], out["missing_external"]["status"]) == ("ExternalStoreNotExist", 404)

    assert out["pipeline"] == [
        "nginx",
        [{"Type": "input_file", "FilePaths": ["/var/log/*.log"]}],
        [{"Type": "flusher_sls", "Logstore": "web"}],
    ]
    assert out["pipelines"] == ["app", "nginx"]
    assert out["pipelines_web"] == ["nginx"]
    assert out["pipeline_inputs"] == [{"Type": "input_file", "FilePaths": ["/tmp/*.log"]}]
    assert out["missing_pipeline"]["code"] == "ConfigNotExist"

    assert out["metric_store"] == "Metrics"
    assert out["prom"] == ["prom", 20, 2, 2, ["__name__", "__labels__", "__time_nano__", "__value__"]]
    assert out["substores"] == ["prom"]
    assert out["ttls"] == [40, 40]
    assert (out["update_substore"]["code"], out["update_substore"]["status"]) == ("NotImplemented", 501)
    assert out["metric_metering"] == "ChargeByDataIngest"
    assert (out["log_metering"], out["log_metering_after"]) == ("ChargeByFunction", "ChargeByDataIngest")
    assert out["multimodal"] == ["Enabled", "Disabled"]

    assert out["store_view"] == ["all", "logstore", [["conf-stores", "web"]]]
    assert out["store_views"] == ["all", "m"]
    assert out["metric_views"] == ["m"]
    assert out["bad_member"]["code"] == "LogStoreNotExist"
    assert out["missing_view"]["code"] == "StoreViewNotExist"
    assert out["view_logs"] == ["0", "1", "101", "2", "102"]  # by time: app's logs are a second after web's
    assert out["view_sql"] == [{"c": "5"}]

    assert out["sql"] == [[200, False]]
    read_write = [shard for shard, status in out["shards"] if status == "readwrite"]
    assert len(read_write) == 4
