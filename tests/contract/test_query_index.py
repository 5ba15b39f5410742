"""Index calls through our LogClient against the emulator: CRUD, round trips, what gets indexed, restarts."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from _remote_emulator import in_process_only

from aliyun.log import (
    GetLogsRequest,
    IndexConfig,
    IndexJsonKeyConfig,
    IndexKeyConfig,
    IndexLineConfig,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
)
from aliyun.log.emulator import EmulatorServer

TOKENS = [",", " ", '"', '"', ";", "=", "(", ")", "[", "]", "{", "}", "?", "@", "&", "<", ">", "/", ":", "\n", "\t"]
# The README's index JSON (its JavaScript literals written as Python).
README_INDEX: dict[str, Any] = {
    "keys": {
        "f1": {"caseSensitive": False, "token": TOKENS, "type": "text", "doc_value": True},
        "f2": {"doc_value": True, "type": "long"},
    },
    "storage": "pg",
    "ttl": 2,
    "index_mode": "v2",
    "line": {"caseSensitive": False, "token": TOKENS},
}
T = 1_700_000_000


def put(client: LogClient, project: str, logstore: str, *logs: dict[str, str], at: int = T) -> None:
    items = [LogItem(at + i, list(log.items()), 0) for i, log in enumerate(logs)]
    client.put_logs(PutLogsRequest(project, logstore, "", "", items))


def search(client: LogClient, project: str, logstore: str, query: str) -> list[dict[str, Any]]:
    answer = client.get_logs(GetLogsRequest(project, logstore, T - 10, T + 1000, query=query))
    return [log.get_contents() for log in answer.get_logs()]


def test_readme_index_round_trip(client: LogClient, logstore: str, project: str) -> None:
    config = IndexConfig()
    config.from_json(README_INDEX)
    sent = config.to_json()
    assert "ttl" not in sent  # accepted by from_json, never sent
    assert sent["storage"] == "pg" and sent["index_mode"] == "v2"  # unknown keys kept
    client.create_index(project, logstore, config)

    stored = client.get_index_config(project, logstore)
    view = stored.get_body()
    assert view["keys"]["f1"]["token"] == TOKENS
    assert view["keys"]["f2"] == {"doc_value": True, "type": "long"}
    assert view["storage"] == "pg" and view["index_mode"] == "v2"
    # What both SDK versions need to parse it: tokens, case flags, ttl, lastModifyTime.
    assert view["line"]["caseSensitive"] is False and view["keys"]["f1"]["caseSensitive"] is False
    assert isinstance(view["ttl"], int) and isinstance(view["lastModifyTime"], int)

    parsed = stored.get_index_config()
    assert parsed.line_config is not None and parsed.line_config.token_list == TOKENS
    assert parsed.key_config_list["f2"].index_type == "long"
    assert parsed.key_config_list["f1"].doc_value is True
    assert parsed.modify_time == view["lastModifyTime"]
    again = parsed.to_json()
    assert again["keys"] == sent["keys"] and again["line"] == sent["line"]
    assert again["storage"] == "pg"


def test_full_config_round_trip(client: LogClient, logstore: str, project: str) -> None:
    json_keys = IndexJsonKeyConfig(index_all=True, max_depth=3)
    json_keys.add_key("user.id", "long", doc_value=True)
    json_keys.add_key("user.name", "text", alias="name")
    config = IndexConfig(
        line_config=IndexLineConfig([",", " "], True, include_keys=["msg", "extra"], chinese=True),
        key_config_list={
            "extra": IndexKeyConfig([","], index_type="json", doc_value=True, json_key_config=json_keys),
            "latency": IndexKeyConfig(index_type="double", doc_value=True, alias="lat"),
        },
        all_keys_config=IndexKeyConfig([" "]),
        log_reduce=True,
        scan_index=False,
    )
    config.set_log_reduce_white_list(["msg"])
    config.set_docvalue_max_text_len(4096)
    sent = config.to_json()
    assert sent["line"]["include_keys"] == ["msg", "extra"]  # kept (0.9.52 would drop it)
    client.create_index(project, logstore, config)
    view = client.get_index_config(project, logstore).get_body()
    for key in ("line", "keys", "all_keys", "log_reduce", "log_reduce_white_list", "max_text_len", "scan_index"):
        assert view[key] == sent[key], key
    parsed = client.get_index_config(project, logstore).get_index_config()
    assert parsed.to_json() == sent
    assert parsed.key_config_list["extra"].get_json_key_config().json_keys["user.id"] == {  # type: ignore[union-attr]
        "type": "long",
        "doc_value": True,
    }


def test_index_errors(client: LogClient, logstore: str, project: str) -> None:
    def code_of(call: Any) -> tuple[str, int]:
        with pytest.raises(LogException) as err:
            call()
        return err.value.get_error_code(), err.value.get_resp_status()

    assert code_of(lambda: client.get_index_config(project, logstore)) == ("IndexConfigNotExist", 400)
    assert code_of(lambda: client.update_index(project, logstore, README_INDEX)) == ("IndexConfigNotExist", 400)
    assert code_of(lambda: client.delete_index(project, logstore)) == ("IndexConfigNotExist", 400)
    assert code_of(lambda: client.create_index(project, logstore, {"storage": "pg"})) == ("IndexInfoInvalid", 400)
    bad_type = {"keys": {"a": {"type": "date"}}}
    assert code_of(lambda: client.create_index(project, logstore, bad_type)) == ("IndexInfoInvalid", 400)
    assert code_of(lambda: client.create_index(project, "missing", README_INDEX)) == ("LogStoreNotExist", 404)
    client.create_index(project, logstore, README_INDEX)
    assert code_of(lambda: client.create_index(project, logstore, README_INDEX)) == ("IndexAlreadyExist", 400)
    with pytest.raises(LogException):
        client.create_index(project, logstore, "not json")


def test_only_logs_written_after_the_index_are_searchable(client: LogClient, logstore: str, project: str) -> None:
    put(client, project, logstore, {"f1": "before"})
    client.create_index(project, logstore, README_INDEX)
    put(client, project, logstore, {"f1": "after"}, at=T + 1)
    assert search(client, project, logstore, "*") == [{"__topic__": "", "f1": "after"}]


def test_update_applies_to_new_logs(client: LogClient, logstore: str, project: str) -> None:
    client.create_index(project, logstore, {"line": {"token": [" "]}})
    put(client, project, logstore, {"level": "error", "n": "1"})
    with pytest.raises(LogException) as err:
        search(client, project, logstore, "level:error")
    assert err.value.get_error_code() == "ParameterInvalid"  # not a key index yet
    first = client.get_index_config(project, logstore).get_body()["lastModifyTime"]
    updated = {"line": {"token": [" "]}, "keys": {"level": {"type": "text", "token": [], "doc_value": True}}}
    client.update_index(project, logstore, updated)
    assert client.get_index_config(project, logstore).get_body()["keys"]["level"]["type"] == "text"
    assert client.get_index_config(project, logstore).get_body()["lastModifyTime"] >= first
    put(client, project, logstore, {"level": "error", "n": "2"}, at=T + 5)
    assert [row["n"] for row in search(client, project, logstore, "level:error")] == ["2"]
    assert [row["n"] for row in search(client, project, logstore, "error")] == ["1", "2"]  # old log: full text


def test_delete_index_and_create_again(client: LogClient, logstore: str, project: str) -> None:
    client.create_index(project, logstore, README_INDEX)
    put(client, project, logstore, {"f1": "one"})
    client.delete_index(project, logstore)
    with pytest.raises(LogException) as err:
        search(client, project, logstore, "*")
    assert err.value.get_error_code() == "IndexConfigNotExist"
    client.create_index(project, logstore, README_INDEX)
    assert search(client, project, logstore, "*") == []  # a new index starts empty
    put(client, project, logstore, {"f1": "two"}, at=T + 2)
    assert [row["f1"] for row in search(client, project, logstore, "*")] == ["two"]


def test_a_recreated_logstore_has_no_index(client: LogClient, project: str) -> None:
    client.create_logstore(project, "again", shard_count=1)
    client.create_index(project, "again", README_INDEX)
    put(client, project, "again", {"f1": "old"})
    client.delete_logstore(project, "again")
    client.create_logstore(project, "again", shard_count=1)
    with pytest.raises(LogException) as err:
        client.get_index_config(project, "again")
    assert err.value.get_error_code() == "IndexConfigNotExist"
    client.create_index(project, "again", README_INDEX)
    assert search(client, project, "again", "*") == []


def test_binary_values_are_indexed_as_text(client: LogClient, logstore: str, project: str) -> None:
    client.create_index(project, logstore, {"line": {"token": [" "]}})
    item = LogItem(T, [("raw", b"caf\xe9 ok")], 0)
    client.put_logs(PutLogsRequest(project, logstore, "", "", [item]))
    assert [row["raw"] for row in search(client, project, logstore, "ok")] == ["caf\ufffd ok"]


def test_append_meta_tags_are_searchable(client: LogClient, project: str) -> None:
    client.create_logstore(project, "meta", shard_count=1, append_meta=True)
    client.create_index(project, "meta", {"line": {"token": [" "]}})
    put(client, project, "meta", {"msg": "x"})
    rows = search(client, project, "meta", "__tag__:__receive_time__:*")
    assert len(rows) == 1 and "__tag__:__receive_time__" in rows[0]


def test_index_and_data_survive_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with EmulatorServer(port=0, data_dir=data_dir, listen=False) as server:
        client = server.client(in_process=True)
        client.create_project("restart-proj", "")
        client.create_logstore("restart-proj", "ls", shard_count=1)
        client.create_index("restart-proj", "ls", README_INDEX)
        put(client, "restart-proj", "ls", {"f1": "kept", "f2": "7"})
        view = client.get_index_config("restart-proj", "ls").get_body()
    with EmulatorServer(port=0, data_dir=data_dir, listen=False) as server:
        client = server.client(in_process=True)
        assert client.get_index_config("restart-proj", "ls").get_body() == view
        assert search(client, "restart-proj", "ls", "f2 > 5") == [{"__topic__": "", "f1": "kept", "f2": "7"}]
        put(client, "restart-proj", "ls", {"f1": "new", "f2": "8"}, at=T + 3)
        assert [r["f1"] for r in search(client, "restart-proj", "ls", "f2 > 5")] == ["kept", "new"]


@in_process_only
def test_in_memory_service_without_data_dir() -> None:
    from aliyun.log.emulator.service import EmulatorService

    service = EmulatorService(None)
    try:
        service.projects.create("mem-proj", "")
        service.logstores.create("mem-proj", {"logstoreName": "ls", "shardCount": 1})
        service.indexes.create("mem-proj", "ls", copy.deepcopy(README_INDEX))
        assert service.indexes.get("mem-proj", "ls")["keys"]["f2"]["type"] == "long"
        result = service.queries.get_logs("mem-proj", "ls", {"from": T, "to": T + 10})
        assert result.rows == [] and result.processed_rows == 0 and result.complete
    finally:
        service.close()
