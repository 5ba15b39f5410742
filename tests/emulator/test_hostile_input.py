"""Malformed and hostile input gets a clear 4xx SLS error, never a 5xx, and the server keeps serving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
from _wire import Answer, call

from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.errors import SLSError

PROJECT = "hostile"
HOST = f"{PROJECT}.127.0.0.1"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False) as emulator:
        app = emulator.app
        created = call(
            app,
            "POST",
            "/",
            host=HOST,
            body=json.dumps({"projectName": PROJECT, "description": "keep me"}).encode(),
            headers=JSON,
        )
        assert created.status == 200
        body = json.dumps({"logstoreName": "logs", "shardCount": 1}).encode()
        assert call(app, "POST", "/logstores", host=HOST, body=body, headers=JSON).status == 200
        index = json.dumps({"line": {"token": [" ", ","]}, "keys": {}}).encode()
        assert call(app, "POST", "/logstores/logs/index", host=HOST, body=index, headers=JSON).status == 200
        group = json.dumps({"consumerGroup": "group", "timeout": 10, "order": False}).encode()
        assert call(app, "POST", "/logstores/logs/consumergroups", host=HOST, body=group, headers=JSON).status == 200
        yield emulator


def still_serving(server: EmulatorServer) -> None:
    assert call(server.app, "GET", "/logstores/logs", host=HOST).status == 200


def assert_4xx(answer: Answer, code: str) -> None:
    assert 400 <= answer.status < 500, (answer.status, answer.body[:200])
    assert answer.error_code() == code, answer.body[:200]


DEEP_ARRAY = b"[" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("POST", "/logstores", "LogStoreInfoInvalid"),
        ("PUT", "/logstores/logs", "LogStoreInfoInvalid"),
        ("PUT", "/", "ParameterInvalid"),
        ("POST", "/logstores/logs/index", "IndexInfoInvalid"),
        ("POST", "/logstores/logs/logs", "ParameterInvalid"),
        ("POST", "/logstores/logs/consumergroups", "JsonInfoInvalid"),
        ("POST", "/configs", "InvalidParameter"),
        ("POST", "/machinegroups", "InvalidParameter"),
        ("PUT", "/logstores/logs/index", "IndexInfoInvalid"),
        ("POST", "/logstores/logs/shipper", "ParameterInvalid"),
        ("PUT", "/logstores/logs/consumergroups/group", "JsonInfoInvalid"),
        ("POST", "/logstores/logs/consumergroups/group?type=heartbeat&consumer=c", "JsonInfoInvalid"),
        ("POST", "/logstores/logs/consumergroups/group?type=checkpoint&consumer=c", "JsonInfoInvalid"),
    ],
)
@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT, b"[" * 65 + b"]" * 65], ids=["array", "object", "depth-65"])
def test_deeply_nested_json(server: EmulatorServer, method: str, path: str, code: str, body: bytes) -> None:
    path, _, query = path.partition("?")
    answer = call(server.app, method, path, host=HOST, query=parse_qsl(query), body=body, headers=JSON)
    assert_4xx(answer, code)
    assert b"nested" in answer.body
    still_serving(server)


def test_json_at_the_depth_limit_is_parsed(server: EmulatorServer) -> None:
    # 64 levels is allowed: the answer is about the content, not the nesting.
    answer = call(server.app, "POST", "/logstores", host=HOST, body=b"[" * 64 + b"]" * 64, headers=JSON)
    assert_4xx(answer, "LogStoreInfoInvalid")
    assert b"nested" not in answer.body


def get_logs(server: EmulatorServer, **fields: object) -> Answer:
    body = {"from": 0, "to": 2**31, "query": "*", "line": 10, **fields}
    return call(server.app, "POST", "/logstores/logs/logs", host=HOST, body=json.dumps(body).encode(), headers=JSON)


@pytest.mark.parametrize(
    "query",
    [
        "(" * 1000 + "a" + ")" * 1000,
        "not " * 1000 + "a",
        "a and " + "(not " * 600 + "b" + ")" * 600,
        "(" * 101 + "a" + ")" * 101,
    ],
    ids=["parentheses", "not", "mixed", "depth-101"],
)
def test_deeply_nested_search(server: EmulatorServer, query: str) -> None:
    assert_4xx(get_logs(server, query=query), "ParameterInvalid")
    still_serving(server)


def test_deeply_nested_sql(server: EmulatorServer) -> None:
    # The SQL translator has no depth limit of its own; the server answers 400 all the same.
    answer = get_logs(server, query="* | select " + "(" * 1000 + "1" + ")" * 1000 + " as x")
    assert_4xx(answer, "ParameterInvalid")
    still_serving(server)


def test_search_at_the_depth_limit_runs(server: EmulatorServer) -> None:
    answer = get_logs(server, query="(" * 100 + "a" + ")" * 100)
    assert answer.status == 200, answer.body[:200]


@pytest.mark.parametrize("query", ["a" * (1 << 20), "a or " * 200_000 + "b"], ids=["one-term", "many-terms"])
def test_megabyte_query_is_refused(server: EmulatorServer, query: str) -> None:
    answer = get_logs(server, query=query)
    assert_4xx(answer, "ParameterInvalid")
    assert b"limit" in answer.body
    histograms = call(
        server.app,
        "GET",
        "/logstores/logs",
        host=HOST,
        query=[("type", "histogram"), ("from", "0"), ("to", "10"), ("query", query)],
    )
    assert_4xx(histograms, "ParameterInvalid")


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "nan", "Infinity", "1" * 5000])
def test_get_cursor_from_out_of_range(server: EmulatorServer, value: str) -> None:
    answer = call(server.app, "GET", "/logstores/logs/shards/0", host=HOST, query=[("type", "cursor"), ("from", value)])
    assert_4xx(answer, "ParameterInvalid")
    assert len(answer.body) < 400


@pytest.mark.parametrize("raw", [b"1e309", b"-1e309", b"1e400"])
@pytest.mark.parametrize("field", ["from", "to", "line", "offset"])
def test_get_logs_with_an_infinite_number(server: EmulatorServer, field: str, raw: bytes) -> None:
    body = {"from": 0, "to": 100, "query": "*", "line": 10, "offset": 0}
    text = json.dumps({**body, field: "@"}).encode().replace(b'"@"', raw)
    answer = call(server.app, "POST", "/logstores/logs/logs", host=HOST, body=text, headers=JSON)
    assert 400 <= answer.status < 500, answer.body
    still_serving(server)


@pytest.mark.parametrize("raw", [b"1e309", b"-1e309"])
@pytest.mark.parametrize(
    ("method", "path", "template", "code"),
    [
        ("POST", "/logstores", '{"logstoreName": "inf-ttl", "ttl": @}', "LogStoreInfoInvalid"),
        ("POST", "/logstores", '{"logstoreName": "inf-shards", "shardCount": @}', "LogStoreInfoInvalid"),
        (
            "POST",
            "/logstores/logs/consumergroups",
            '{"consumerGroup": "g", "timeout": @, "order": false}',
            "JsonInfoInvalid",
        ),
    ],
)
def test_infinite_numbers_in_json_settings(
    server: EmulatorServer, method: str, path: str, template: str, code: str, raw: bytes
) -> None:
    body = template.encode().replace(b"@", raw)
    assert_4xx(call(server.app, method, path, host=HOST, body=body, headers=JSON), code)


@pytest.mark.parametrize(
    ("method", "path", "body", "code"),
    [
        ("POST", "/logstores", {"logstoreName": "name\n", "shardCount": 1}, "LogStoreInfoInvalid"),
        (
            "POST",
            "/logstores/logs/consumergroups",
            {"consumerGroup": "group\n", "timeout": 10, "order": False},
            "JsonInfoInvalid",
        ),
        (
            "POST",
            "/machinegroups",
            {"groupName": "group\n", "machineIdentifyType": "ip", "machineList": []},
            "InvalidParameter",
        ),
    ],
)
def test_names_ending_in_a_newline(
    server: EmulatorServer, method: str, path: str, body: dict[str, object], code: str
) -> None:
    answer = call(server.app, method, path, host=HOST, body=json.dumps(body).encode(), headers=JSON)
    assert 400 <= answer.status < 500, answer.body
    assert answer.error_code() == code


def test_project_name_ending_in_a_newline(server: EmulatorServer) -> None:
    # A Host header cannot carry the newline; the body of CreateProject can.
    with pytest.raises(SLSError) as info:
        server.service.projects.create("newline\n", "")
    assert (info.value.code, info.value.status) == ("ParameterInvalid", 400)


def test_shard_split_key_ending_in_a_newline(server: EmulatorServer) -> None:
    key = "7f" + "0" * 30 + "\n"
    answer = call(server.app, "POST", "/logstores/logs/shards/0", host=HOST, query=[("action", "split"), ("key", key)])
    assert_4xx(answer, "ParameterInvalid")


@pytest.mark.parametrize("body", [b"null", b"[]", b"{}", b'"text"', b'{"description": null}'])
def test_update_project_without_a_description_keeps_it(server: EmulatorServer, body: bytes) -> None:
    answer = call(server.app, "PUT", "/", host=HOST, body=body, headers=JSON)
    assert_4xx(answer, "ParameterInvalid")
    got = call(server.app, "GET", "/", host=HOST)
    assert json.loads(got.body)["description"] == "keep me"
