"""The official SDK's tag calls and change_resource_group against the emulator (one batched script)."""

from __future__ import annotations

from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

TAGS_SCRIPT = """
P = "conf-tags"
out = {}
client.create_project(P, "tags")
client.create_logstore(P, "web", shard_count=1)
client.tag_project(P, env="prod", team="a")
client.untag_project(P, "team")
out["project"] = [page.get_tags() for page in client.get_project_tags(P)]
client.tag_resources("logstore", P + "#web", tier="gold")
out["logstore"] = [
    sorted([t.get_resource_id(), t.get_resource_type(), t.get_tag_key(), t.get_tag_value()] for t in page.get_tags())
    for page in client.list_tag_resources("logstore", P + "#web")
]
out["by_filter"] = sorted(
    t.get_resource_id() for page in client.list_tag_resources("logstore", None, tier="gold") for t in page.get_tags()
)
client.untag_resources("logstore", P + "#web", "tier")
out["untagged"] = [len(page.get_tags()) for page in client.list_tag_resources("logstore", P + "#web")]
out["missing"] = error_of(client.tag_resources, "logstore", P + "#absent", k="v")
out["reserved"] = error_of(client.tag_project, P, **{"acs:k": "v"})
client.change_resource_group(P, "rg-conf")
out["group"] = client.get_project(P).get_body().get("resourceGroupId")
client.delete_project(P)
emit(out)
"""


def test_tags_and_resource_group(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(TAGS_SCRIPT, emulator)
    assert out["project"] == [{"env": "prod"}]
    assert out["logstore"] == [[["conf-tags#web", "logstore", "tier", "gold"]]]
    assert out["by_filter"] == ["conf-tags#web"]
    assert out["untagged"] == [0]
    assert (out["missing"]["code"], out["missing"]["status"]) == ("LogStoreNotExist", 404)
    assert out["reserved"]["code"] == "ParameterInvalid"
    assert out["group"] == "rg-conf"


RESOURCES_SCRIPT = """
from aliyun.log.resource_params import Resource, ResourceRecord, ResourceSchemaItem
R = "conf.resource.users"
out = {}
client.create_resource(Resource(R, "userdefine", [ResourceSchemaItem("user", None, "string")], "people", {"a": 1}))
client.update_resource(Resource(R, description="changed"))
got = client.get_resource(R).get_resource()
out["resource"] = [got.get_resource_name(), got.get_resource_type(), got.get_description(),
                   [s.to_dict() for s in got.get_schema()], got.get_acl()]
listing = client.list_resources(resource_type="userdefine", resource_names=[R])
out["resources"] = [listing.get_count(), listing.get_total(), [r.get_resource_name() for r in listing.get_resources()]]
client.create_resource_record(R, ResourceRecord("ann", "staff", {"user": "ann"}))
upserted = [ResourceRecord("bob", "guest", {"user": "bob"}), ResourceRecord("ann", "staff", {"user": "anne"})]
client.upsert_resource_record(R, upserted)
client.update_resource_record(R, ResourceRecord("bob", "staff", {"user": "robert"}))
rec = client.get_resource_record(R, "bob").get_record()
out["record"] = [rec.get_record_id(), rec.get_tag(), rec.get_value()]
out["staff"] = sorted(r.get_record_id() for r in client.list_resource_records(R, tag="staff").get_records())
picked = client.list_resource_records(R, record_ids=["ann", "bob"]).get_records()
out["values"] = sorted(r.get_value()["user"] for r in picked)
client.delete_resource_record(R, ["ann"])
out["missing_record"] = error_of(client.get_resource_record, R, "ann")
client.delete_resource(R)
out["missing_resource"] = error_of(client.get_resource, R)
emit(out)
"""


def test_resources_and_records(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(RESOURCES_SCRIPT, emulator)
    assert out["resource"] == [
        "conf.resource.users",
        "userdefine",
        "changed",
        [{"column": "user", "type": "string"}],
        {"a": 1},
    ]
    assert out["resources"] == [1, 1, ["conf.resource.users"]]
    assert out["record"] == ["bob", "staff", {"user": "robert"}]
    assert out["staff"] == ["ann", "bob"]
    assert out["values"] == ["anne", "robert"]
    assert (out["missing_record"]["code"], out["missing_record"]["status"]) == ("ResourceRecordNotExist", 404)
    assert out["missing_resource"]["code"] == "ResourceNotExist"


TOPOSTORES_SCRIPT = """
from aliyun.log.topostore_params import Topostore, TopostoreNode, TopostoreRelation
T = "conf-topo"
out = {}
client.create_topostore(Topostore(T, {"team": "sre"}, {"v": 1}, "graph"))
client.update_topostore(Topostore(T, description="changed"))
got = client.get_topostore(T).get_topostore()
out["store"] = [got.get_name(), got.get_tag(), got.get_schema(), got.get_description()]
found = client.list_topostores(names=[T], tag_key="team", tag_value="sre").get_topostores()
out["stores"] = [t.get_name() for t in found]
client.create_topostore_node(T, TopostoreNode("a", "host", {"region": "hz"}))
client.upsert_topostore_node(T, [TopostoreNode("b", "db", {"region": "sh"}), TopostoreNode("c", "host")])
client.update_topostore_node(T, TopostoreNode("c", "host", {"region": "hz"}))
n = client.get_topostore_node(T, "c").get_node()
out["node"] = [n.get_node_id(), n.get_node_type(), n.get_property()]
hz = client.list_topostore_node(T, property_key="region", property_value="hz").get_nodes()
out["hz"] = sorted(x.get_node_id() for x in hz)
out["hosts"] = sorted(x.get_node_id() for x in client.list_topostore_node(T, node_types=["host"]).get_nodes())
client.create_topostore_relation(T, TopostoreRelation("a-b", "calls", "a", "b"))
client.upsert_topostore_relation(T, [TopostoreRelation("b-c", "calls", "b", "c", {"w": 2})])
client.update_topostore_relation(T, TopostoreRelation("a-b", "owns", "a", "b"))
r = client.get_topostore_relation(T, "b-c").get_relation()
out["relation"] = [r.get_relation_id(), r.get_src_node_id(), r.get_dst_node_id(), r.get_property()]
out["owns"] = [x.get_relation_id() for x in client.list_topostore_relation(T, relation_types=["owns"]).get_relations()]
out["from_b"] = [x.get_relation_id() for x in client.list_topostore_relation(T, src_node_ids=["b"]).get_relations()]
client.delete_topostore_relation(T, ["a-b"])
client.delete_topostore_node(T, ["a"])
out["left"] = [client.list_topostore_node(T).get_total(), client.list_topostore_relation(T).get_total()]
out["missing_node"] = error_of(client.get_topostore_node, T, "a")
client.delete_topostore(T)
out["missing_store"] = error_of(client.get_topostore, T)
emit(out)
"""


def test_topostores(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(TOPOSTORES_SCRIPT, emulator)
    assert out["store"] == ["conf-topo", {"team": "sre"}, {"v": 1}, "changed"]
    assert out["stores"] == ["conf-topo"]
    assert out["node"] == ["c", "host", {"region": "hz"}]
    assert out["hz"] == ["a", "c"]
    assert out["hosts"] == ["a", "c"]
    assert out["relation"] == ["b-c", "b", "c", {"w": 2}]
    assert out["owns"] == ["a-b"]
    assert out["from_b"] == ["b-c"]
    assert out["left"] == [2, 1]
    assert (out["missing_node"]["code"], out["missing_node"]["status"]) == ("TopostoreNodeNotExist", 404)
    assert out["missing_store"]["code"] == "TopostoreNotExist"


OBJECTS_SCRIPT = """
import json
P = "conf-objects"
out = {}
client.create_project(P, "objects")
client.create_logstore(P, "web", shard_count=1)
sent = {"Content-Type": "text/plain", "x-log-meta-owner": "ann"}
put = client.put_object(P, "web", "blob_1", b"\\x00\\x01bytes", sent)
got = client.get_object(P, "web", "blob_1")
meta = {k.lower(): v for k, v in got.get_headers().items() if k.lower().startswith("x-log-meta-")}
out["object"] = [list(got.get_body()), got.get_content_type(), got.get_etag() == put.get_etag(), meta]
out["missing_object"] = error_of(client.get_object, P, "web", "absent")
policy = json.dumps({"Version": "1", "Statement": [{"Effect": "Deny", "Action": ["log:*"], "Principal": ["*"],
                                                    "Resource": "*"}]})
client.put_resource_policy(P, "logstore", policy, "web")
client.put_resource_policy(P, "logstore", policy, "web", dry_run=True)
p = client.get_resource_policy(P, "logstore", "web")
out["policy"] = [p.get_resource_type(), p.get_resource_name(), p.get_revision(), json.loads(p.get_policy_document())]
client.delete_resource_policy(P, "logstore", "web")
out["missing_policy"] = error_of(client.get_resource_policy, P, "logstore", "web")
out["bad_policy"] = error_of(client.put_resource_policy, P, "project", "{}")
client.delete_project(P)
emit(out)
"""


def test_objects_and_resource_policies(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(OBJECTS_SCRIPT, emulator)
    assert out["object"] == [list(b"\x00\x01bytes"), "text/plain", True, {"x-log-meta-owner": "ann"}]
    assert (out["missing_object"]["code"], out["missing_object"]["status"]) == ("ObjectNotExist", 404)
    assert out["policy"][:3] == ["logstore", "web", 1]
    assert out["policy"][3]["Statement"][0]["Effect"] == "Deny"
    assert (out["missing_policy"]["code"], out["missing_policy"]["status"]) == ("ResourcePolicyNotExist", 404)
    assert out["bad_policy"]["code"] == "ParameterInvalid"


USAGE_SCRIPT = """
P, Q = "conf-usage", "conf-usage-copy"
out = {}
client.create_project(P, "usage")
client.create_project(Q, "copy target")
client.create_logstore(P, "web", shard_count=2)
client.create_consumer_group(P, "web", "readers", 60)
chart = {"title": "pv", "search": {"chartQueries": [{"project": P, "logstore": "web", "query": "*"}]}}
client.create_dashboard(P, {"dashboardName": "ops", "displayName": "Ops", "charts": [chart]})
usage = client.get_resource_usage(P).get_body()
out["usage"] = [usage["logstore"]["count"], usage["shard"]["count"]["status"], usage["consumer_group"]["logstores"],
                usage["dashboard"]["count"]["status"]]
client.copy_dashboard(P, "ops", to_project=Q)
copied = client.get_dashboard(Q, "ops").get_entity()
out["copied"] = [copied["displayName"], copied["charts"][0]["search"]["chartQueries"][0]["project"]]
client.delete_project(P)
client.delete_project(Q)
emit(out)
"""


def test_resource_usage_and_copy_dashboard(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(USAGE_SCRIPT, emulator)
    assert out["usage"] == [
        {"status": 1, "limitation": 200, "usage": "0.5%"},
        2,
        {"web": {"status": 1, "limitation": 10, "usage": "10.0%"}},
        1,
    ]
    assert out["copied"] == ["Ops", "conf-usage-copy"]
