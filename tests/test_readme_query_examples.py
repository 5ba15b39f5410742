"""The original README's index, topic and query examples, run as written against the emulator.

The README writes its JSON with JavaScript literals (``false``/``true``); they appear here as Python
literals, otherwise every line is the README's.
"""

from __future__ import annotations

from collections.abc import Iterator
from time import time

import pytest

from aliyun.log import LogClient, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer


@pytest.fixture
def client() -> Iterator[LogClient]:
    with EmulatorServer(port=0, listen=False) as server:
        client = server.client(in_process=True)
        client.create_project("project1", "README examples")
        client.create_logstore("project1", "logstore1", shard_count=2)
        yield client


def _create_readme_index(client: LogClient) -> None:
    from aliyun.log import IndexConfig

    request_json = {
        "keys": {
            "f1": {
                "caseSensitive": False,
                "token": [",", " ", '"', '"', ";", "=", "(", ")", "[", "]", "{", "}", "?", "@", "&", "<", ">", "/",
                          ":", "\n", "\t"],
                "type": "text",
                "doc_value": True,
            },
            "f2": {"doc_value": True, "type": "long"},
        },
        "storage": "pg",
        "ttl": 2,
        "index_mode": "v2",
        "line": {
            "caseSensitive": False,
            "token": [",", " ", '"', '"', ";", "=", "(", ")", "[", "]", "{", "}", "?", "@", "&", "<", ">", "/", ":",
                      "\n", "\t"],
        },
    }  # fmt: skip
    request = IndexConfig()
    request.from_json(request_json)
    res = client.create_index("project1", "logstore1", request)
    res.log_print()


def test_index_management(client: LogClient, capsys: pytest.CaptureFixture[str]) -> None:
    _create_readme_index(client)
    # 修改 / 获取 / 删除: update_index, get_index_config, delete_index
    res = client.get_index_config("project1", "logstore1")
    res.log_print()
    config = res.get_index_config()
    config.key_config_list["f2"].doc_value = False
    updated = client.update_index("project1", "logstore1", config)
    updated.log_print()
    assert client.get_index_config("project1", "logstore1").get_index_config().key_config_list["f2"].doc_value is False
    deleted = client.delete_index("project1", "logstore1")
    deleted.log_print()
    out = capsys.readouterr().out
    assert "CreateIndexResponse" in out and "DeleteIndexResponse" in out and '"f1"' in out


def test_list_topic(client: LogClient, capsys: pytest.CaptureFixture[str]) -> None:
    _create_readme_index(client)
    client.put_logs(PutLogsRequest("project1", "logstore1", "topic-a", "", [LogItem(contents=[("f1", "x")])]))
    from aliyun.log import ListTopicsRequest

    request = ListTopicsRequest("project1", "logstore1")
    res = client.list_topic(request)
    res.log_print()
    assert res.get_topics() == ["topic-a"]
    assert "topic-a" in capsys.readouterr().out


def test_get_logs(client: LogClient, capsys: pytest.CaptureFixture[str]) -> None:
    _create_readme_index(client)
    now = int(time())
    items = [LogItem(now - 1000 + i, [("f1", f"value {i}"), ("f2", str(i))]) for i in range(300)]
    client.put_logs(PutLogsRequest("project1", "logstore1", "", "", items))

    from aliyun.log import GetLogsRequest

    request_json = {  # noqa: F841 (the README builds it and then uses the keyword form)
        "project": "project1", "logstore": "logstore1", "topic": "", "toTime": str(int(time())), "offset": "0",
        "query": "*", "line": "100", "fromTime": str(int(time() - 3600)), "reverse": "false",
    }  # fmt: skip
    request = GetLogsRequest("project1", "logstore1", fromTime=int(time() - 3600), toTime=int(time()), topic="",
                             query="*", line=1000, offset=0, reverse=False)  # fmt: skip
    res = client.get_logs(request)
    res.log_print()
    assert res.get_count() == 300  # line=1000 is read 100 rows at a time
    assert [int(log.get_contents()["f2"]) for log in res.get_logs()] == list(range(300))
    assert "GetLogsResponse" in capsys.readouterr().out


def test_get_histograms(client: LogClient) -> None:
    # 获取数据分布图: the README names get_histograms without an example; this is the usual form.
    _create_readme_index(client)
    now = int(time())
    client.put_logs(PutLogsRequest("project1", "logstore1", "", "", [LogItem(now - 30, [("f2", "5")])]))
    from aliyun.log import GetHistogramsRequest

    request = GetHistogramsRequest("project1", "logstore1", fromTime=int(time() - 3600), toTime=int(time()) + 1,
                                   topic="", query="f2 > 1")  # fmt: skip
    res = client.get_histograms(request)
    res.log_print()
    assert res.get_total_count() == 1 and res.is_completed()
