"""The console's JSON endpoint and routing, without a browser: answers, SLS errors, read-only, no collision."""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

import pytest
from console_seed import COUNT, EMPTY_LOGSTORE, GROUP, LOGSTORE, PROJECT, Seeded

from aliyun.log import GetHistogramsRequest, LogException
from aliyun.log._ops import OPERATIONS
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.__main__ import parse_args
from aliyun.log.emulator.console import ConsoleAPI, ConsoleApp, ConsoleRouter


def request(
    server: EmulatorServer, path: str, *, method: str = "GET", host: Optional[str] = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request(method, path, headers={"Host": host or f"{server.host}:{server.port}"})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def api(server: EmulatorServer, action: str, **params: Any) -> tuple[int, Any]:
    status, _, body = request(server, f"/console/api/{action}?{urlencode(params)}")
    return status, json.loads(body)


@pytest.fixture
def live(console_server: tuple[EmulatorServer, Seeded]) -> EmulatorServer:
    return console_server[0]


@pytest.fixture
def seeded(console_server: tuple[EmulatorServer, Seeded]) -> Seeded:
    return console_server[1]


def test_projects_and_logstores(live: EmulatorServer) -> None:
    status, answer = api(live, "projects")
    assert status == 200
    assert PROJECT in [p["projectName"] for p in answer["projects"]]
    status, answer = api(live, "logstores", project=PROJECT)
    assert status == 200
    assert sorted(answer["logstores"]) == sorted([LOGSTORE, EMPTY_LOGSTORE])


def test_logstore_detail_has_shards_ttl_and_index(live: EmulatorServer) -> None:
    status, answer = api(live, "logstore", project=PROJECT, logstore=LOGSTORE)
    assert status == 200
    assert answer["logstore"]["ttl"] == 30
    assert [(s["shardID"], s["status"]) for s in answer["shards"]] == [(0, "readwrite"), (1, "readwrite")]
    assert answer["shards"][0]["exclusiveEndKey"] == answer["shards"][1]["inclusiveBeginKey"]
    assert set(answer["index"]["keys"]) == {"level", "path", "status", "latency_ms", "msg"}
    _, bare = api(live, "logstore", project=PROJECT, logstore=EMPTY_LOGSTORE)
    assert bare["index"] is None


def test_search_page_is_newest_first_and_counts_match_the_api(live: EmulatorServer, seeded: Seeded) -> None:
    window = {"project": PROJECT, "logstore": LOGSTORE, "from": seeded.start, "to": seeded.end}
    status, hist = api(live, "histograms", query="*", **window)
    assert status == 200 and hist["total"] == COUNT and hist["complete"] is True
    expected = live.client().get_histograms(GetHistogramsRequest(PROJECT, LOGSTORE, seeded.start, seeded.end, "", "*"))
    assert [(b["from"], b["to"], b["count"]) for b in hist["buckets"]] == [
        (h.get_from(), h.get_to(), h.get_count()) for h in expected.get_histograms()
    ]
    _, page = api(live, "logs", query="*", line=20, offset=0, **window)
    times = [int(row["__time__"]) for row in page["rows"]]
    assert len(times) == 20 and times == sorted(times, reverse=True)
    _, last = api(live, "logs", query="*", line=20, offset=40, **window)
    assert len(last["rows"]) == COUNT - 40
    _, errors = api(live, "histograms", query="level:ERROR", **window)
    assert errors["total"] == seeded.level_count("ERROR")


def test_sql_answer_has_keys_and_rows(live: EmulatorServer, seeded: Seeded) -> None:
    query = "* | select level, count(*) as n group by level order by level"
    window = {"from": seeded.start, "to": seeded.end}
    _, answer = api(live, "logs", project=PROJECT, logstore=LOGSTORE, query=query, **window)
    assert answer["meta"]["keys"] == ["level", "n"]
    assert answer["rows"] == [{"level": lv, "n": str(seeded.level_count(lv))} for lv in ("ERROR", "INFO", "WARN")]


def test_sls_errors_pass_through_with_code_message_and_request_id(live: EmulatorServer, seeded: Seeded) -> None:
    status, answer = api(live, "logstores", project="no-such-project")
    assert status == 404 and answer["errorCode"] == "ProjectNotExist" and answer["requestId"]
    bad = "* | select count(* from"
    with pytest.raises(LogException) as raised:
        live.client().get_log(PROJECT, LOGSTORE, seeded.start, seeded.end, query=bad)
    window = {"from": seeded.start, "to": seeded.end}
    status, answer = api(live, "logs", project=PROJECT, logstore=LOGSTORE, query=bad, **window)
    error = raised.value
    assert status == error.get_resp_status()
    assert (answer["errorCode"], answer["errorMessage"]) == (error.get_error_code(), error.get_error_message())
    status, answer = api(live, "logs", project=PROJECT, logstore=EMPTY_LOGSTORE, **{"from": 0, "to": 10})
    assert answer["errorCode"] == "IndexConfigNotExist"


def test_bad_parameters_and_unknown_actions(live: EmulatorServer) -> None:
    status, answer = api(live, "logstores")
    assert (status, answer["errorCode"]) == (400, "ParameterInvalid")
    status, answer = api(live, "logs", project=PROJECT, logstore=LOGSTORE, line="many")
    assert (status, answer["errorCode"]) == (400, "ParameterInvalid")
    status, answer = api(live, "deleteproject", project=PROJECT)
    assert (status, answer["errorCode"]) == (404, "InvalidRequestURI")


def test_consumer_groups_show_members_checkpoints_and_lag(live: EmulatorServer) -> None:
    _, answer = api(live, "consumergroups", project=PROJECT, logstore=LOGSTORE)
    (group,) = answer["groups"]
    assert group["name"] == GROUP and group["timeout"] == 60
    assert group["members"] == [{"consumer": "consumer-a", "shards": [0, 1]}]
    shard0, shard1 = group["shards"]
    # shard 0: checkpoint at the begin cursor, before its one log group; shard 1: at the end.
    assert (shard0["caughtUp"], shard0["groupsBehind"], shard0["lagSeconds"]) == (False, 1, 0)
    assert (shard1["caughtUp"], shard1["groupsBehind"], shard1["lagSeconds"]) == (True, 0, 0)


def test_console_is_read_only(live: EmulatorServer) -> None:
    before = api(live, "projects")[1]
    for method in ("POST", "PUT", "DELETE"):
        status, _, body = request(live, f"/console/api/projects?project={PROJECT}", method=method)
        assert status == 405 and json.loads(body)["errorCode"] == "MethodNotAllowed"
    assert api(live, "projects")[1] == before


def test_static_files_with_security_headers(live: EmulatorServer) -> None:
    status, headers, body = request(live, "/console/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<script type="module" src="main.js">' in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = request(live, "/console/search.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    for sneaky in ("/console/../server.py", "/console/..%2f__init__.py", "/console/api.py", "/console/static/dom.js"):
        assert request(live, sneaky)[0] == 404, sneaky
    status, headers, _ = request(live, "/console")
    assert (status, headers["location"]) == (301, "/console/")


def test_sls_requests_are_unaffected(live: EmulatorServer) -> None:
    # No SLS path is under /console, so the console can never shadow an operation.
    assert not [op.name for op in OPERATIONS if op.path.startswith("/console")]
    # Addressed to a project, /console/ is an SLS request (unsigned here: the API refuses it).
    status, _, body = request(live, "/console/", host=f"{PROJECT}.{live.host}")
    assert status == 401 and json.loads(body)["errorCode"] == "Unauthorized"
    # A foreign host name (a DNS-rebinding page) does not reach the console.
    status, _, body = request(live, "/console/api/projects", host="attacker.example:80")
    assert status == 401 and "errorCode" in json.loads(body)
    assert request(live, "/console/", host=f"localhost:{live.port}")[0] == 200
    # The SDK works as before beside the console, signed, over the socket.
    assert PROJECT in [p["projectName"] for p in live.client().list_project().get_body()["projects"]]


def test_console_can_be_turned_off() -> None:
    with EmulatorServer(port=0, console=False) as server:
        assert server.console_url is None
        status, _, body = request(server, "/console/")
        assert status != 200 and "errorCode" in json.loads(body)
    assert parse_args(["--no-console"]).no_console is True
    assert parse_args([]).no_console is False


def test_console_url_is_on_the_api_port() -> None:
    with EmulatorServer(port=0) as server:
        assert server.console_url == f"http://127.0.0.1:{server.port}/console/"


def test_endpoint_as_wsgi_without_a_socket() -> None:
    # The JSON endpoint alone over an in-process client: the same signed API calls, no HTTP server.
    with EmulatorServer(listen=False) as server:
        server.client().create_project("wsgi-only", "in process")
        app = ConsoleRouter(server.app, ConsoleApp(ConsoleAPI(server.client(in_process=True))), ["127.0.0.1"])
        seen: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            seen["status"], seen["headers"] = status, dict(headers)

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/console/api/projects",
            "QUERY_STRING": "",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
        }
        body = b"".join(app(environ, start_response))
        assert seen["status"] == "200 OK"
        assert [p["projectName"] for p in json.loads(body)["projects"]] == ["wsgi-only"]


def _run_cli(*args: str) -> tuple[list[str], int]:
    """Start ``python -m aliyun.log.emulator --port 0 ARGS``, GET /console/, stop it; its output and that status."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen(
        [sys.executable, "-m", "aliyun.log.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        for line in process.stdout:  # the start-up lines end with the data directory (or the console)
            lines.append(line.rstrip("\n"))
            if line.lstrip().startswith("data directory:"):
                break
        endpoint = lines[0].rsplit("http://", 1)[1]
        host, port = endpoint.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", "/console/")
        status = conn.getresponse().status
        conn.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        rest = process.stdout.read()  # through the same buffer as the lines read above
        process.stdout.close()
    return lines + rest.splitlines(), status


def test_cli_prints_the_console_address_and_no_console_turns_it_off() -> None:
    lines, status = _run_cli()
    endpoint = lines[0].rsplit("http://", 1)[1]
    assert f"  console:           http://{endpoint}/console/" in lines
    assert status == 200
    lines, status = _run_cli("--no-console")
    assert not [line for line in lines if "console" in line]
    assert status != 200
