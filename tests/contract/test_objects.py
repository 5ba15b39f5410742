"""Objects of a logstore and resource policies: our ``LogClient`` against the emulator (both modes)."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log import LogClient, LogException
from aliyun.log.emulator.service.objects import MAX_OBJECT_BYTES
from aliyun.log.resource_policy import ResourcePolicyResourceType

POLICY = json.dumps(
    {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": ["log:GetLogStoreLogs"], "Principal": ["*"], "Resource": "*"}],
    }
)


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def test_objects_keep_bytes_and_headers(client: LogClient, project: str, logstore: str) -> None:
    data = bytes(range(256)) * 4
    put = client.put_object(project, logstore, "blob_1", data, {"Content-Type": "image/png", "x-log-meta-owner": "ann"})
    assert put.get_etag()
    got = client.get_object(project, logstore, "blob_1")
    assert got.get_body() == data
    assert got.get_content_type() == "image/png"
    assert got.get_etag() == put.get_etag()
    assert {k.lower(): v for k, v in got.get_headers().items()}["x-log-meta-owner"] == "ann"

    client.put_object(project, logstore, "blob_1", "text, replaced")  # text is sent as UTF-8
    again = client.get_object(project, logstore, "blob_1")
    assert again.get_body() == b"text, replaced"
    assert again.get_content_type() == "application/octet-stream"  # no type given this time
    assert "x-log-meta-owner" not in {k.lower() for k in again.get_headers()}

    client.put_object(project, logstore, "empty", b"")
    assert client.get_object(project, logstore, "empty").get_body() == b""


def test_objects_go_with_their_logstore(client: LogClient, project: str, logstore: str) -> None:
    client.put_object(project, logstore, "kept", b"x")
    client.delete_logstore(project, logstore)
    client.create_logstore(project, logstore, shard_count=1)
    missing = error_of(lambda: client.get_object(project, logstore, "kept"))
    assert (missing.get_error_code(), missing.resp_status) == ("ObjectNotExist", 404)


def test_object_errors(client: LogClient, project: str, logstore: str) -> None:
    assert error_of(lambda: client.get_object(project, logstore, "absent")).get_error_code() == "ObjectNotExist"
    no_store = error_of(lambda: client.put_object(project, "absent-store", "o", b"x"))
    assert no_store.get_error_code() == "LogStoreNotExist"
    too_big = error_of(lambda: client.put_object(project, logstore, "big", b"x" * (MAX_OBJECT_BYTES + 1)))
    assert (too_big.get_error_code(), too_big.resp_status) == ("PostBodyTooLarge", 400)
    # refused before sending: names outside the documented characters, content of another type
    for bad in ("a/b", "..", "a.b", "", "x y"):
        refused = error_of(lambda name=bad: client.put_object(project, logstore, name, b"x"))  # type: ignore[misc]
        assert refused.get_error_code() == "BadParameters", bad
    assert error_of(lambda: client.put_object(project, logstore, "o", 42)).get_error_code() == (  # type: ignore[arg-type]
        "InvalidParameter"
    )
    # names the client refuses never name anything in the emulator either (only a metadata key)
    for raw in ("a.b", "x" * 257, "%00"):
        sent = error_of(
            lambda r=raw: client._send("PutObject", project, f"/logstores/{logstore}/objects/{r}", body=b"x")
        )  # type: ignore[misc]
        assert (sent.get_error_code(), sent.resp_status) == ("ParameterInvalid", 400), raw


def test_resource_policies(client: LogClient, project: str, logstore: str) -> None:
    client.put_resource_policy(project, ResourcePolicyResourceType.PROJECT, POLICY)
    client.put_resource_policy(project, "project", POLICY)
    got = client.get_resource_policy(project, "project")
    assert (got.get_resource_type(), got.get_resource_name(), got.get_revision()) == ("project", "", 2)
    assert json.loads(got.get_policy_document()) == json.loads(POLICY)
    assert got.get_create_time() <= got.get_update_time()

    client.put_resource_policy(project, "logstore", POLICY, logstore, dry_run=True)  # checked, not stored
    none_yet = error_of(lambda: client.get_resource_policy(project, "logstore", logstore))
    assert (none_yet.get_error_code(), none_yet.resp_status) == ("ResourcePolicyNotExist", 404)
    client.put_resource_policy(project, "logstore", POLICY, logstore)
    assert client.get_resource_policy(project, "logstore", logstore).get_resource_name() == logstore

    client.delete_resource_policy(project, "project")
    assert error_of(lambda: client.get_resource_policy(project, "project")).get_error_code() == (
        "ResourcePolicyNotExist"
    )
    assert client.get_resource_policy(project, "logstore", logstore).get_revision() == 1

    client.delete_logstore(project, logstore)  # the policy goes with its logstore
    client.create_logstore(project, logstore, shard_count=1)
    assert error_of(lambda: client.get_resource_policy(project, "logstore", logstore)).resp_status == 404


def test_resource_policy_errors(client: LogClient, project: str) -> None:
    for bad in ("not json", json.dumps({"Version": "1"}), json.dumps({"Version": "1", "Statement": [{"Effect": "x"}]})):
        refused = error_of(lambda doc=bad: client.put_resource_policy(project, "project", doc))  # type: ignore[misc]
        assert refused.get_error_code() == "ParameterInvalid"
    no_store = error_of(lambda: client.put_resource_policy(project, "logstore", POLICY, "absent"))
    assert no_store.get_error_code() == "LogStoreNotExist"
    unnamed = error_of(lambda: client.put_resource_policy(project, "logstore", POLICY))
    assert unnamed.get_error_code() == "ParameterInvalid"
    # the official client's own checks, before sending
    assert error_of(lambda: client.put_resource_policy(project, "machine", POLICY)).get_error_code() == (
        "InvalidParameter"
    )
    assert error_of(lambda: client.put_resource_policy(project, "project", "")).get_error_code() == "InvalidParameter"
    assert error_of(lambda: client.get_resource_policy("", "project")).get_error_code() == "BadParameters"


def test_this_area_survives_a_restart(tmp_path: Any) -> None:
    from aliyun.log.emulator import EmulatorServer
    from aliyun.log.resource_params import Resource, ResourceRecord
    from aliyun.log.topostore_params import Topostore, TopostoreNode

    data_dir = tmp_path / "data"
    with EmulatorServer(port=0, data_dir=data_dir, listen=False) as server:
        client = server.client(in_process=True)
        client.create_project("durable-tags", "restart test")
        client.create_logstore("durable-tags", "logs", shard_count=1)
        client.tag_resources("logstore", "durable-tags#logs", tier="gold")
        client.put_object("durable-tags", "logs", "blob", b"\x00kept", {"x-log-meta-a": "1"})
        client.put_resource_policy("durable-tags", "project", POLICY)
        client.create_resource(Resource("durable.res", "userdefine"))
        client.create_resource_record("durable.res", ResourceRecord("r1", None, {"v": 1}))
        client.create_topostore(Topostore("durable-topo"))
        client.create_topostore_node("durable-topo", TopostoreNode("n1", "host"))

    with EmulatorServer(port=0, data_dir=data_dir, listen=False) as server:
        client = server.client(in_process=True)
        tags = {
            t.get_tag_key()
            for page in client.list_tag_resources("logstore", "durable-tags#logs")
            for t in page.get_tags()
        }
        assert tags == {"tier"}
        assert client.get_object("durable-tags", "logs", "blob").get_body() == b"\x00kept"
        assert client.get_resource_policy("durable-tags", "project").get_revision() == 1
        assert client.get_resource_record("durable.res", "r1").get_record().get_value() == {"v": 1}
        assert client.get_topostore_node("durable-topo", "n1").get_node().get_node_type() == "host"
