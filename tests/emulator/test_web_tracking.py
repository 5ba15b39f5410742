"""Web tracking: unsigned writes from browsers, only into logstores with ``enable_tracking``."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from typing import Any

import lz4.block
import pytest
from _wire import Answer, call

from aliyun.log import GetLogsRequest, IndexConfig, LogClient
from aliyun.log.emulator import EmulatorServer

PROJECT = "tracked"
HOST = f"{PROJECT}.127.0.0.1"
BATCH = {
    "__topic__": "page",
    "__source__": "browser-7",
    "__logs__": [{"event": "open", "path": "/home"}, {"event": "click", "path": "/buy"}],
    "__tags__": {"cid": "42", "ua": "test-agent"},
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as emulator:
        client = emulator.client(in_process=True)
        client.create_project(PROJECT, "web tracking")
        client.create_logstore(PROJECT, "web", shard_count=1, enable_tracking=True)
        client.create_logstore(PROJECT, "closed", shard_count=1)
        yield emulator


@pytest.fixture
def client(server: EmulatorServer) -> LogClient:
    return server.client(in_process=True)


def pulled(client: LogClient, logstore: str) -> list[dict[str, Any]]:
    begin = client.get_begin_cursor(PROJECT, logstore, 0).get_cursor()
    return list(client.pull_logs(PROJECT, logstore, 0, begin).get_flatten_logs_json())


def track_get(server: EmulatorServer, logstore: str, **params: str) -> Answer:
    query = [("APIVersion", "0.6.0"), *params.items()]
    return call(server.app, "GET", f"/logstores/{logstore}/track", host=HOST, query=query, sign=False)


def track_post(server: EmulatorServer, logstore: str, body: bytes, **headers: str) -> Answer:
    sent = {"Content-Type": "application/json", "Origin": "https://shop.example", **headers}
    return call(server.app, "POST", f"/logstores/{logstore}/track", host=HOST, body=body, headers=sent, sign=False)


def test_get_form_stores_one_log(server: EmulatorServer, client: LogClient) -> None:
    before = len(pulled(client, "web"))
    began = int(time.time())
    answer = track_get(server, "web", __topic__="clicks", button="buy", page="/cart")
    assert (answer.status, answer.body) == (200, b"")
    assert answer.headers["access-control-allow-origin"] == "*"
    logs = pulled(client, "web")[before:]
    assert len(logs) == 1
    log = logs[0]
    assert (log["button"], log["page"], log["__topic__"]) == ("buy", "/cart", "clicks")
    assert log["__source__"] == "10.1.2.3"  # the sender's address
    assert "APIVersion" not in log
    assert began - 1 <= int(log["__time__"]) <= int(time.time()) + 1  # stamped on receipt


def test_post_form_stores_the_batch(server: EmulatorServer, client: LogClient) -> None:
    before = len(pulled(client, "web"))
    answer = track_post(server, "web", json.dumps(BATCH).encode())
    assert answer.status == 200, answer.body
    logs = pulled(client, "web")[before:]
    assert [(log["event"], log["path"]) for log in logs] == [("open", "/home"), ("click", "/buy")]
    for log in logs:
        assert (log["__topic__"], log["__source__"]) == ("page", "browser-7")
        assert (log["__tag__:cid"], log["__tag__:ua"]) == ("42", "test-agent")


def test_post_form_lz4_compressed(server: EmulatorServer, client: LogClient) -> None:
    before = len(pulled(client, "web"))
    raw = json.dumps({"__logs__": [{"event": "compressed"}], "__source__": "s"}).encode()
    body = lz4.block.compress(raw, store_size=False)
    answer = track_post(server, "web", body, **{"x-log-compresstype": "lz4", "x-log-bodyrawsize": str(len(raw))})
    assert answer.status == 200, answer.body
    assert [log["event"] for log in pulled(client, "web")[before:]] == ["compressed"]


def test_tracked_logs_are_indexed(server: EmulatorServer, client: LogClient) -> None:
    client.create_logstore(PROJECT, "searchable", shard_count=1, enable_tracking=True)
    client.create_index(PROJECT, "searchable", IndexConfig().from_json({"line": {"token": [" ", "/"]}}))
    body = {"__logs__": [{"event": "needle-one"}, {"event": "hay"}], "__source__": "b"}
    assert track_post(server, "searchable", json.dumps(body).encode()).status == 200
    now = int(time.time())
    found = client.get_logs(GetLogsRequest(PROJECT, "searchable", now - 600, now + 600, query="needle-one"))
    assert [log.get_contents()["event"] for log in found.get_logs()] == ["needle-one"]


def test_refused_without_enable_tracking(server: EmulatorServer, client: LogClient) -> None:
    get = track_get(server, "closed", k="v")
    post = track_post(server, "closed", json.dumps(BATCH).encode())
    for answer in (get, post):
        assert (answer.status, answer.error_code()) == (401, "Unauthorized")
        assert "enable_tracking" in json.loads(answer.body)["errorMessage"]
        assert answer.headers["access-control-allow-origin"] == "*"  # the browser may read why
    assert pulled(client, "closed") == []


def test_enabled_later_by_update_logstore(server: EmulatorServer, client: LogClient) -> None:
    client.create_logstore(PROJECT, "later", shard_count=1)
    assert track_get(server, "later", k="v").status == 401
    client.update_logstore(PROJECT, "later", enable_tracking=True)
    assert track_get(server, "later", k="v").status == 200
    client.update_logstore(PROJECT, "later", enable_tracking=False)
    assert track_get(server, "later", k="w").status == 401
    assert [log["k"] for log in pulled(client, "later")] == ["v"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"not json", "PostBodyInvalid"),
        (b"[]", "PostBodyInvalid"),
        (json.dumps({"__logs__": []}).encode(), "PostBodyInvalid"),
        (json.dumps({"__logs__": "x"}).encode(), "PostBodyInvalid"),
        (json.dumps({"__logs__": ["x"]}).encode(), "PostBodyInvalid"),
        (json.dumps({"__logs__": [{"n": 1}]}).encode(), "PostBodyInvalid"),
        (json.dumps({"__logs__": [{"k": "v"}], "__tags__": []}).encode(), "PostBodyInvalid"),
        (json.dumps({"__logs__": [{"k": "v"}] * 4097}).encode(), "PostBodyTooLarge"),
        (b'{"__logs__": ' + b"[" * 10_000, "PostBodyInvalid"),
    ],
)
def test_bad_batches(server: EmulatorServer, client: LogClient, body: bytes, code: str) -> None:
    before = len(pulled(client, "web"))
    answer = track_post(server, "web", body)
    assert (answer.status, answer.error_code()) == (400, code)
    assert pulled(client, "web")[before:] == []


def test_get_form_without_content(server: EmulatorServer) -> None:
    answer = track_get(server, "web", __topic__="only-a-topic")
    assert (answer.status, answer.error_code()) == (400, "PostBodyInvalid")


def test_unknown_logstore_and_project(server: EmulatorServer) -> None:
    assert track_get(server, "nowhere", k="v").error_code() == "LogStoreNotExist"
    answer = call(server.app, "GET", "/logstores/web/track", host="ghost.127.0.0.1", query=[("k", "v")], sign=False)
    assert (answer.status, answer.error_code()) == (404, "ProjectNotExist")


def test_preflight(server: EmulatorServer) -> None:
    answer = call(
        server.app,
        "OPTIONS",
        "/logstores/web/track",
        host=HOST,
        sign=False,
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-log-apiversion,x-log-bodyrawsize",
        },
    )
    assert (answer.status, answer.body) == (200, b"")
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert answer.headers["access-control-allow-headers"] == "content-type,x-log-apiversion,x-log-bodyrawsize"


def test_cors_headers_only_on_the_tracking_path(server: EmulatorServer) -> None:
    for answer in (
        call(server.app, "GET", "/logstores/web", host=HOST),
        call(server.app, "GET", "/logstores/web", host=HOST, sign=False),
        call(server.app, "OPTIONS", "/logstores/web", host=HOST, sign=False),
    ):
        assert "access-control-allow-origin" not in answer.headers


def test_other_calls_still_need_a_signature(server: EmulatorServer) -> None:
    body = b"\x0a\x00"  # any bytes: the signature is checked first
    answer = call(server.app, "POST", "/logstores/web/shards/lb", host=HOST, body=body, sign=False)
    assert (answer.status, answer.error_code()) == (401, "Unauthorized")


def test_over_http_as_a_browser_sends_it(server: EmulatorServer, client: LogClient) -> None:
    before = len(pulled(client, "web"))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            "OPTIONS",
            "/logstores/web/track",
            headers={"Host": HOST, "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
        )
        preflight = connection.getresponse()
        preflight.read()
        assert preflight.status == 200
        assert preflight.getheader("Access-Control-Allow-Origin") == "*"
        body = json.dumps({"__logs__": [{"event": "over-http"}], "__source__": "tab"}).encode()
        connection.request(
            "POST",
            "/logstores/web/track?APIVersion=0.6.0",
            body=body,
            headers={
                "Host": HOST,
                "Origin": "http://localhost:3000",
                "Content-Type": "application/json",
                "x-log-apiversion": "0.6.0",
                "x-log-bodyrawsize": str(len(body)),
            },
        )
        answer = connection.getresponse()
        assert (answer.status, answer.read()) == (200, b"")
        assert answer.getheader("Access-Control-Allow-Origin") == "*"
    finally:
        connection.close()
    assert [log["event"] for log in pulled(client, "web")[before:]] == ["over-http"]
