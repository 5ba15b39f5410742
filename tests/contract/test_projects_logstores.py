"""Projects, logstores and shards through our LogClient against the emulator."""

from __future__ import annotations

import pytest

from aliyun.log import (
    ListLogstoresRequest,
    LogClient,
    LogException,
    LogStoreAlreadyExist,
    LogStoreNotExist,
    ProjectAlreadyExist,
    ProjectNotExist,
    ResourceNotFound,
)


def test_project_lifecycle(client: LogClient) -> None:
    client.create_project("lifecycle-proj", "first")
    with pytest.raises(ProjectAlreadyExist):
        client.create_project("lifecycle-proj", "again")
    project = client.get_project("lifecycle-proj")
    assert project.get_projectname() == "lifecycle-proj"
    assert project.get_description() == "first"
    assert project.get_status() == "Normal"
    client.update_project("lifecycle-proj", "second")
    assert client.get_project("lifecycle-proj").get_description() == "second"
    names = [p["projectName"] for p in client.list_project(size=-1).get_projects()]
    assert "lifecycle-proj" in names
    filtered = client.list_project(project_name_pattern="lifecycle")
    assert [p["projectName"] for p in filtered.get_projects()] == ["lifecycle-proj"]
    client.delete_project("lifecycle-proj")
    with pytest.raises(ProjectNotExist) as info:
        client.get_project("lifecycle-proj")
    assert info.value.get_resp_status() == 404
    assert info.value.get_request_id()
    assert isinstance(info.value, ResourceNotFound)


def test_invalid_project_name_is_rejected(client: LogClient) -> None:
    with pytest.raises(LogException) as info:
        client.create_project("Bad_Name", "x")
    assert info.value.get_error_code() == "ParameterInvalid"
    assert info.value.get_resp_status() == 400


def test_logstore_lifecycle(client: LogClient, project: str) -> None:
    client.create_logstore(project, "store-a", ttl=30, shard_count=3, append_meta=True)
    with pytest.raises(LogStoreAlreadyExist):
        client.create_logstore(project, "store-a")
    store = client.get_logstore(project, "store-a")
    assert (store.get_ttl(), store.get_shard_count(), store.get_append_meta()) == (30, 3, True)
    client.update_logstore(project, "store-a", ttl=60)
    assert client.get_logstore(project, "store-a").get_ttl() == 60
    # 0.6-style positional call: ttl and an unchanged shard count
    client.update_logstore(project, "store-a", 90, 3)
    assert client.get_logstore(project, "store-a").get_ttl() == 90
    with pytest.raises(LogException) as info:
        client.update_logstore(project, "store-a", 90, 5)
    assert info.value.get_error_code() == "ParameterInvalid"
    client.create_logstore(project, "store-b")
    assert client.list_logstore(project).get_logstores() == ["store-a", "store-b"]
    assert client.list_logstore(project, "b").get_logstores() == ["store-b"]
    assert client.list_logstores(ListLogstoresRequest(project)).get_logstores() == ["store-a", "store-b"]
    page = client.list_logstore(project, offset=1, size=1)
    assert (page.get_count(), page.get_total(), page.get_logstores()) == (1, 2, ["store-b"])
    client.delete_logstore(project, "store-b")
    with pytest.raises(LogStoreNotExist):
        client.get_logstore(project, "store-b")


def test_unknown_project_in_logstore_call(client: LogClient) -> None:
    with pytest.raises(ProjectNotExist):
        client.list_logstore("no-such-project")


def test_shards_split_and_merge(client: LogClient, project: str) -> None:
    client.create_logstore(project, "sharded", shard_count=2)
    shards = client.list_shards(project, "sharded").get_shards_info()
    assert [(s["shardID"], s["inclusiveBeginKey"], s["exclusiveEndKey"]) for s in shards] == [
        (0, "0" * 32, "8" + "0" * 31),
        (1, "8" + "0" * 31, "f" * 32),
    ]
    result = client.split_shard(project, "sharded", 0, "4" + "0" * 31).get_shards_info()
    assert [(s["shardID"], s["status"]) for s in result] == [(0, "readonly"), (2, "readwrite"), (3, "readwrite")]
    with pytest.raises(LogException) as info:
        client.split_shard(project, "sharded", 2, "9" + "0" * 31)
    assert info.value.get_error_code() == "ParameterInvalid"
    merged = client.merge_shard(project, "sharded", 2).get_shards_info()
    assert merged[0]["shardID"] == 4
    assert (merged[0]["inclusiveBeginKey"], merged[0]["exclusiveEndKey"]) == ("0" * 32, "8" + "0" * 31)
    assert [s["status"] for s in merged[1:]] == ["readonly", "readonly"]
    assert client.get_logstore(project, "sharded").get_shard_count() == 2
    with pytest.raises(LogException):
        client.merge_shard(project, "sharded", 1)  # the last shard has no right neighbour
    client.delete_shard(project, "sharded", 2)
    assert 2 not in [s["shardID"] for s in client.list_shards(project, "sharded").get_shards_info()]
