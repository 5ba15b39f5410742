"""A body over the server's limit is answered with an SLS error the sender can read, over a real socket."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest

from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.http.app import MAX_BODY
from aliyun.log.emulator.http.limits import MAX_DRAINED_BODY


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as emulator:
        emulator.client().create_project("big-bodies", "")
        yield emulator


def assert_post_body_too_large(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 400, body[:200]
    assert headers["content-type"] == "application/json"
    assert headers["x-log-requestid"]
    assert json.loads(body)["errorCode"] == "PostBodyTooLarge"


def test_65_mib_body_sent_in_full(server: EmulatorServer) -> None:
    # http.client sends the whole body before reading, as requests and the official SDK do.
    body = b"\0" * (65 * 1024 * 1024)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(
            "POST",
            "/logstores/logs/shards/lb",
            body=body,
            headers={"Host": "big-bodies.127.0.0.1", "Content-Type": "application/x-protobuf"},
        )
        answer = connection.getresponse()
        payload = answer.read()
        headers = {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()
    assert_post_body_too_large(answer.status, headers, payload)
    assert headers.get("connection") == "close"
    assert server.client().get_project("big-bodies").get_projectname() == "big-bodies"


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(rest) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk
        rest += chunk
    return int(lines[0].split(" ")[1]), headers, rest


@pytest.mark.parametrize(
    ("length", "extra"),
    [(MAX_DRAINED_BODY + 1, ""), (MAX_BODY * 2, "Expect: 100-continue\r\n")],
    ids=["beyond-draining", "expect-continue"],
)
def test_declared_oversize_is_answered_without_the_body(server: EmulatorServer, length: int, extra: str) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            (
                "POST /logstores/logs/shards/lb HTTP/1.1\r\nHost: big-bodies.127.0.0.1\r\n"
                f"Content-Type: application/x-protobuf\r\nContent-Length: {length}\r\n{extra}\r\n"
            ).encode()
        )
        status, headers, body = read_answer(sock)
    assert_post_body_too_large(status, headers, body)


def test_malformed_request_line_gets_an_sls_error(server: EmulatorServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n")
        status, headers, body = read_answer(sock)
    assert status == 400
    assert json.loads(body)["errorCode"] == "ParameterInvalid"
    assert headers["x-log-requestid"]


def test_bulk_bodies_under_the_limit_round_trip_uncompressed(server: EmulatorServer) -> None:
    """A PutLogs body past waitress's own spill sizes (512 KiB in, 1 MiB out) is read and
    answered from memory (see BODY_IN_MEMORY) and comes back byte for byte."""
    from aliyun.log import LogItem, PutLogsRequest
    from aliyun.log.emulator.server import BODY_IN_MEMORY

    client = server.client()
    client.create_logstore("big-bodies", "bulk", shard_count=1)
    items = [LogItem(1_700_000_000, [("n", str(n)), ("text", f"{n:08d}" * 40)]) for n in range(6_000)]
    request = PutLogsRequest("big-bodies", "bulk", "t", "s", items, compress=False)
    client.put_logs(request)  # about 2.1 MB uncompressed
    cursor = client.get_begin_cursor("big-bodies", "bulk", 0).get_cursor()
    pulled = client.pull_logs("big-bodies", "bulk", 0, cursor, count=10, compress=False)
    assert 1024 * 1024 < len(pulled.get_raw_body()) < BODY_IN_MEMORY
    rows = pulled.get_flatten_logs_json()
    assert [row["n"] for row in rows] == [str(n) for n in range(6_000)]
    assert rows[-1]["text"] == f"{5_999:08d}" * 40
