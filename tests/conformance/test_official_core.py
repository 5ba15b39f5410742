"""The official SDK's project, logstore, shard and PutLogs calls against the emulator (signatures v1 and v4).

Each test runs one batched script with the official client (see ``conftest.py``) and asserts here
on what it reports; where it matters, the result is cross-checked with our own client in-process.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

AUTH_VERSIONS = pytest.mark.parametrize("auth_version", ["v1", "v4"])
REQUEST_ID = re.compile(r"^[0-9A-F]{24}$")


def assert_error(found: Any, code: str, status: int) -> None:
    """``found`` is what the script's ``error_of`` reported: a LogException with this code and status."""
    assert found is not None, f"expected {code}, the call succeeded"
    assert (found["code"], found["status"]) == (code, status), found
    assert REQUEST_ID.match(found["request_id"]), found
    assert found["message"]


PROJECTS_SCRIPT = """
import io, contextlib
out = {}
client.create_project("conf-alpha", "first project")
client.create_project("conf-beta", "second project", resource_group_id="rg-test", data_redundancy_type="ZRS")
client.create_project("conf-gamma", "third project")

got = client.get_project("conf-alpha")
out["get"] = got.get_body()
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    got.log_print()
out["log_print"] = printed.getvalue()
beta = client.get_project("conf-beta")
out["beta"] = {"resource_group_id": beta.get_resource_group_id(), "body": beta.get_body()}

client.update_project("conf-alpha", "renamed description")
out["updated_description"] = client.get_project("conf-alpha").get_description()

listing = client.list_project()
out["list"] = {
    "count": listing.get_count(),
    "total": listing.get_total(),
    "names": [p["projectName"] for p in listing.get_projects()],
}
page = client.list_project(offset=1, size=1)
out["page"] = {"count": page.get_count(), "total": page.get_total(),
               "names": [p["projectName"] for p in page.get_projects()]}
out["pattern"] = [p["projectName"] for p in client.list_project(project_name_pattern="beta").get_projects()]

out["errors"] = {
    "create_twice": error_of(client.create_project, "conf-alpha", "again"),
    "get_missing": error_of(client.get_project, "conf-missing"),
    "update_missing": error_of(client.update_project, "conf-missing", "x"),
    "delete_missing": error_of(client.delete_project, "conf-missing"),
    "bad_name": error_of(client.create_project, "Conf_Bad", "upper case and underscore"),
}
client.delete_project("conf-gamma")
out["after_delete"] = error_of(client.get_project, "conf-gamma")
out["remaining"] = sorted(p["projectName"] for p in client.list_project().get_projects())
emit(out)
"""


@AUTH_VERSIONS
def test_projects(run_official: Any, emulator: EmulatorServer, auth_version: str) -> None:
    out = run_official(PROJECTS_SCRIPT, emulator, auth_version=auth_version)

    body = out["get"]
    assert body["projectName"] == "conf-alpha"
    assert body["description"] == "first project"
    assert body["status"] == "Normal"
    for key in ("projectName", "description", "status", "owner", "region", "createTime", "lastModifyTime"):
        assert isinstance(body[key], str), key
    assert "conf-alpha" in out["log_print"] and "first project" in out["log_print"]
    assert out["beta"]["resource_group_id"] == "rg-test"
    assert out["beta"]["body"]["dataRedundancyType"] == "ZRS"
    assert out["updated_description"] == "renamed description"

    assert out["list"] == {"count": 3, "total": 3, "names": ["conf-alpha", "conf-beta", "conf-gamma"]}
    assert out["page"] == {"count": 1, "total": 3, "names": ["conf-beta"]}
    assert out["pattern"] == ["conf-beta"]

    errors = out["errors"]
    assert_error(errors["create_twice"], "ProjectAlreadyExist", 400)
    assert_error(errors["get_missing"], "ProjectNotExist", 404)
    assert_error(errors["update_missing"], "ProjectNotExist", 404)
    assert_error(errors["delete_missing"], "ProjectNotExist", 404)
    assert_error(errors["bad_name"], "ParameterInvalid", 400)
    assert "Conf_Bad" in errors["bad_name"]["message"]
    assert_error(out["after_delete"], "ProjectNotExist", 404)
    assert out["remaining"] == ["conf-alpha", "conf-beta"]

    # What the official client wrote is what our client reads.
    ours = emulator.client(in_process=True)
    assert ours.get_project("conf-alpha").get_description() == "renamed description"


LOGSTORES_SCRIPT = """
import io, contextlib
P = "conf-logstores"
out = {}
client.create_project(P, "logstores")
client.create_logstore(
    P, "full", ttl=7, shard_count=3, enable_tracking=True, append_meta=True, auto_split=False,
    max_split_shard=32, hot_ttl=3, mode="standard", telemetry_type="", infrequent_access_ttl=5,
    enable_modify=True,
    encrypt_conf={"enable": True, "encrypt_type": "default",
                  "user_cmk_info": {"cmk_key_id": "key", "arn": "arn", "region_id": "cn-hangzhou"}},
)
client.create_logstore(P, "defaults")
client.create_logstore(P, "forever", preserve_storage=True, shard_count=1)
client.create_logstore(P, "metrics-store", telemetry_type="Metrics", shard_count=1)

def view(name):
    r = client.get_logstore(P, name)
    return {
        "ttl": r.get_ttl(), "shard_count": r.get_shard_count(), "enable_tracking": r.get_enable_tracking(),
        "append_meta": r.append_meta, "auto_split": r.auto_split, "max_split_shard": r.max_split_shard,
        "preserve_storage": r.preserve_storage, "hot_ttl": r.get_hot_ttl(), "mode": r.mode,
        "enable_modify": r.get_enable_modify(), "encrypt_conf": r.get_encrypt_conf(),
        "telemetry_type": getattr(r, "telemetry_type", None),
        "infrequent_access_ttl": getattr(r, "infrequent_access_ttl", None),
        "name": r.logstore_name,
    }

out["full"] = view("full")
out["defaults"] = view("defaults")
out["forever"] = view("forever")
out["metrics"] = view("metrics-store")
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    client.get_logstore(P, "full").log_print()
out["log_print"] = printed.getvalue()

# shard_count is ignored by the official update (it copies the current one from a GET first).
client.update_logstore(P, "full", ttl=14, append_meta=False, auto_split=True, max_split_shard=16, shard_count=9)
out["updated"] = view("full")

listing = client.list_logstore(P)
out["list"] = {"count": listing.get_logstores_count(), "total": listing.get_logstores_total(),
               "names": listing.get_logstores()}
page = client.list_logstore(P, offset=1, size=2)
out["page"] = {"count": page.get_logstores_count(), "total": page.get_logstores_total(), "names": page.get_logstores()}
out["pattern"] = client.list_logstore(P, "metrics").get_logstores()
old_style = client.list_logstores(ListLogstoresRequest(P))
out["list_logstores"] = {"count": old_style.get_count(), "names": sorted(old_style.get_logstores())}

client.delete_logstore(P, "defaults")
out["after_delete"] = sorted(client.list_logstore(P).get_logstores())
out["errors"] = {
    "create_twice": error_of(client.create_logstore, P, "full"),
    "get_deleted": error_of(client.get_logstore, P, "defaults"),
    "delete_deleted": error_of(client.delete_logstore, P, "defaults"),
    "update_missing": error_of(client.update_logstore, P, "missing", ttl=3),
    "bad_name": error_of(client.create_logstore, P, "Bad Name"),
    "no_project": error_of(client.create_logstore, "conf-missing", "ls"),
    "list_no_project": error_of(client.list_logstore, "conf-missing"),
}
emit(out)
"""


@AUTH_VERSIONS
def test_logstores(run_official: Any, emulator: EmulatorServer, auth_version: str) -> None:
    out = run_official(LOGSTORES_SCRIPT, emulator, auth_version=auth_version)

    assert out["full"] == {
        "name": "full",
        "ttl": 7,
        "shard_count": 3,
        "enable_tracking": True,
        "append_meta": True,
        "auto_split": False,
        "max_split_shard": 32,
        "preserve_storage": False,
        "hot_ttl": 3,
        "mode": "standard",
        "enable_modify": True,
        "encrypt_conf": {
            "enable": True,
            "encrypt_type": "default",
            "user_cmk_info": {"cmk_key_id": "key", "arn": "arn", "region_id": "cn-hangzhou"},
        },
        "telemetry_type": "",
        "infrequent_access_ttl": 5,
    }
    defaults = out["defaults"]
    assert (defaults["ttl"], defaults["shard_count"], defaults["enable_tracking"]) == (30, 2, False)
    assert (defaults["auto_split"], defaults["max_split_shard"], defaults["append_meta"]) == (True, 64, False)
    assert defaults["hot_ttl"] == -1 and defaults["encrypt_conf"] is None and defaults["mode"] is None
    assert out["forever"]["ttl"] == 3650 and out["forever"]["preserve_storage"] is True
    assert out["forever"]["shard_count"] == 1
    assert out["metrics"]["telemetry_type"] == "Metrics"
    assert "full" in out["log_print"]

    updated = out["updated"]
    assert (updated["ttl"], updated["append_meta"], updated["auto_split"], updated["max_split_shard"]) == (
        14,
        False,
        True,
        16,
    )
    assert updated["shard_count"] == 3  # unchanged: only split/merge change shards
    assert updated["enable_tracking"] is True and updated["hot_ttl"] == 3  # kept from the GET

    names = ["defaults", "forever", "full", "metrics-store"]
    assert out["list"] == {"count": 4, "total": 4, "names": names}
    assert out["page"] == {"count": 2, "total": 4, "names": names[1:3]}
    assert out["pattern"] == ["metrics-store"]
    assert out["list_logstores"] == {"count": 4, "names": names}
    assert out["after_delete"] == ["forever", "full", "metrics-store"]

    errors = out["errors"]
    assert_error(errors["create_twice"], "LogStoreAlreadyExist", 400)
    assert_error(errors["get_deleted"], "LogStoreNotExist", 404)
    assert_error(errors["delete_deleted"], "LogStoreNotExist", 404)
    assert_error(errors["update_missing"], "LogStoreNotExist", 404)
    assert_error(errors["bad_name"], "LogStoreInfoInvalid", 400)
    assert_error(errors["no_project"], "ProjectNotExist", 404)
    assert_error(errors["list_no_project"], "ProjectNotExist", 404)

    ours = emulator.client(in_process=True).get_logstore("conf-logstores", "full")
    assert (ours.get_ttl(), ours.get_shard_count()) == (14, 3)


SHARDS_SCRIPT = """
P, L = "conf-shards", "store"
out = {}
client.create_project(P, "shards")
client.create_logstore(P, L, shard_count=2)
out["initial"] = client.list_shards(P, L).get_shards_info()
out["split"] = client.split_shard(P, L, 0, "4" + "0" * 31).get_shards_info()
out["merge"] = client.merge_shard(P, L, 2).get_shards_info()
out["final"] = client.list_shards(P, L).get_shards_info()
out["errors"] = {
    "bad_key": error_of(client.split_shard, P, L, 1, "not-hex"),
    "key_outside": error_of(client.split_shard, P, L, 1, "1" + "0" * 31),
    "split_readonly": error_of(client.split_shard, P, L, 0, "2" + "0" * 31),
    "merge_last": error_of(client.merge_shard, P, L, 1),
    "missing_shard": error_of(client.split_shard, P, L, 42, "9" + "0" * 31),
    "missing_logstore": error_of(client.list_shards, P, "missing"),
}
emit(out)
"""


def _shape(shards: list[dict[str, Any]]) -> list[tuple[int, str, str, str]]:
    return [(s["shardID"], s["status"], s["inclusiveBeginKey"], s["exclusiveEndKey"]) for s in shards]


@AUTH_VERSIONS
def test_shards(run_official: Any, emulator: EmulatorServer, auth_version: str) -> None:
    out = run_official(SHARDS_SCRIPT, emulator, auth_version=auth_version)
    zero, mid, quarter, end = "0" * 32, "8" + "0" * 31, "4" + "0" * 31, "f" * 32

    assert _shape(out["initial"]) == [(0, "readwrite", zero, mid), (1, "readwrite", mid, end)]
    for shard in out["initial"]:
        assert isinstance(shard["createTime"], int)
    assert _shape(out["split"]) == [
        (0, "readonly", zero, mid),
        (2, "readwrite", zero, quarter),
        (3, "readwrite", quarter, mid),
    ]
    assert _shape(out["merge"]) == [
        (4, "readwrite", zero, mid),
        (2, "readonly", zero, quarter),
        (3, "readonly", quarter, mid),
    ]
    assert sorted(_shape(out["final"])) == [
        (0, "readonly", zero, mid),
        (1, "readwrite", mid, end),
        (2, "readonly", zero, quarter),
        (3, "readonly", quarter, mid),
        (4, "readwrite", zero, mid),
    ]
    errors = out["errors"]
    assert_error(errors["bad_key"], "ParameterInvalid", 400)
    assert_error(errors["key_outside"], "ParameterInvalid", 400)
    assert errors["split_readonly"] is not None and errors["split_readonly"]["status"] == 400
    assert_error(errors["merge_last"], "ParameterInvalid", 400)
    assert_error(errors["missing_shard"], "ShardNotExist", 400)
    assert_error(errors["missing_logstore"], "LogStoreNotExist", 404)


PUT_SCRIPT = """
P, L = "conf-put", "store"
client.create_project(P, "put")
client.create_logstore(P, L, shard_count=2)
now = int(time.time())
out = {}

def item(i, **extra):
    it = LogItem(timestamp=now, contents=[("seq", str(i))] + sorted(extra.items()))
    return it

# Every variant goes to shard 0 through its hash key, so the order of the groups is known.
low, high = "0" * 32, "c" + "0" * 31
client.put_logs(PutLogsRequest(P, L, "lz4-topic", "10.0.0.1", [item(0, kind="lz4")], hashKey=low,
                               logtags=[("tag-a", "1"), ("tag-b", "2")]))
client.put_logs(PutLogsRequest(P, L, "zstd-topic", "10.0.0.2", [item(1, kind="zstd")], hashKey=low,
                               compress_type="zstd"))
client.put_logs(PutLogsRequest(P, L, "", "10.0.0.3", [item(2, kind="plain"), item(3, kind="plain")],
                               hashKey=low, compress=False))
client.put_logs(PutLogsRequest(P, L, "routed-high", "10.0.0.4", [item(4, kind="high")], hashKey=high))
client.put_logs(PutLogsRequest(P, L, "unicode", "10.0.0.5", [item(5, text="中文 ✓")], hashKey=low))

from aliyun.log.log_logs_raw_pb2 import LogGroupRaw
group = LogGroupRaw()
group.Topic = "raw-topic"
group.Source = "10.0.0.6"
log = group.Logs.add()
log.Time = now
content = log.Contents.add()
content.Key, content.Value = "raw", b"bytes"
client.put_log_raw(P, L, group)
group.Topic = "raw-plain"
client.put_log_raw(P, L, group, compress=False)

# Load-balanced writes land on some readwrite shard.
for i in range(4):
    client.put_logs(PutLogsRequest(P, L, "lb", "10.0.0.7", [item(100 + i)]))

def shard_groups(shard):
    cursor = client.get_begin_cursor(P, L, shard).get_cursor()
    groups = client.pull_logs(P, L, shard, cursor).get_loggroup_json_list()
    return [{"topic": g["topic"], "source": g["source"], "tags": g["tags"],
             "logs": [{k: v for k, v in log.items() if not k.startswith("@")} for log in g["logs"]],
             "times": [log["@lh_time"] for log in g["logs"]]} for g in groups]

out["now"] = now
out["shard0"] = shard_groups(0)
out["shard1"] = shard_groups(1)
out["errors"] = {
    "no_logstore": error_of(client.put_logs, PutLogsRequest(P, "missing", "", "", [item(0)])),
    "no_project": error_of(client.put_logs, PutLogsRequest("conf-missing", L, "", "", [item(0)])),
    "raw_no_logstore": error_of(client.put_log_raw, P, "missing", group),
}
emit(out)
"""


@AUTH_VERSIONS
def test_put_logs(run_official: Any, emulator: EmulatorServer, auth_version: str) -> None:
    out = run_official(PUT_SCRIPT, emulator, auth_version=auth_version)
    balanced = {"lb", "raw-topic", "raw-plain"}  # written without a hash key: any shard
    lb = [g for g in out["shard0"] + out["shard1"] if g["topic"] in balanced]
    shard0 = [g for g in out["shard0"] if g["topic"] not in balanced]
    shard1 = [g for g in out["shard1"] if g["topic"] not in balanced]

    assert [(g["topic"], g["source"], g["tags"], g["logs"]) for g in shard0] == [
        ("lz4-topic", "10.0.0.1", {"tag-a": "1", "tag-b": "2"}, [{"seq": "0", "kind": "lz4"}]),
        ("zstd-topic", "10.0.0.2", {}, [{"seq": "1", "kind": "zstd"}]),
        ("", "10.0.0.3", {}, [{"seq": "2", "kind": "plain"}, {"seq": "3", "kind": "plain"}]),
        ("unicode", "10.0.0.5", {}, [{"seq": "5", "text": "中文 ✓"}]),
    ]
    assert [(g["topic"], g["logs"]) for g in shard1] == [("routed-high", [{"seq": "4", "kind": "high"}])]
    assert all(t == out["now"] for g in shard0 + shard1 for t in g["times"])

    raw = [g for g in lb if g["topic"].startswith("raw")]
    assert sorted(g["topic"] for g in raw) == ["raw-plain", "raw-topic"]
    assert all(g["logs"] == [{"raw": "bytes"}] and g["source"] == "10.0.0.6" for g in raw)
    plain_lb = [g for g in lb if g["topic"] == "lb"]
    assert sorted(g["logs"][0]["seq"] for g in plain_lb) == ["100", "101", "102", "103"]

    errors = out["errors"]
    assert_error(errors["no_logstore"], "LogStoreNotExist", 404)
    assert_error(errors["no_project"], "ProjectNotExist", 404)
    assert_error(errors["raw_no_logstore"], "LogStoreNotExist", 404)


AUTH_SCRIPT = """
out = {}
client.create_project("conf-auth", "auth")
wrong = make_client(secret="not-the-secret")
out["wrong_secret"] = {
    "get_project": error_of(wrong.get_project, "conf-auth"),
    "list_project": error_of(wrong.list_project),
    "put_logs": error_of(wrong.put_logs, PutLogsRequest("conf-auth", "x", "", "", [LogItem(contents=[("a", "b")])])),
}
unknown = LogClient(ENDPOINT, "unknown-key-id", "secret", auth_version=AUTH_VERSION, region=REGION)
out["unknown_key"] = error_of(unknown.get_project, "conf-auth")
out["still_fine"] = client.get_project("conf-auth").get_description()
emit(out)
"""


@AUTH_VERSIONS
def test_authentication_errors(run_official: Any, emulator: EmulatorServer, auth_version: str) -> None:
    out = run_official(AUTH_SCRIPT, emulator, auth_version=auth_version)
    for name, found in out["wrong_secret"].items():
        assert found is not None, name
        assert_error(found, "SignatureNotMatch", 401)
    assert out["unknown_key"] is not None and out["unknown_key"]["status"] == 401
    assert out["unknown_key"]["code"] in ("Unauthorized", "InvalidAccessKeyId")
    assert out["still_fine"] == "auth"
