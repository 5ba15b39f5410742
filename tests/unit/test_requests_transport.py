"""The requests-based transport: exact bytes on the wire, proxies, failure classification, pooling."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aliyun.log import LogClient
from aliyun.log._transport import HttpRequest, TransportError
from aliyun.log._transport.requests_http import RequestsTransport


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, dict[str, str], bytes, int]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        port = self.client_address[1]
        self.seen.append((self.command, self.path, dict(self.headers.items()), body, port))
        self.send_response(201)
        self.send_header("x-log-requestid", "R1")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture()
def server() -> Iterator[ThreadingHTTPServer]:
    _Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _request(port: int, target: str, body: bytes = b"", method: str = "POST") -> HttpRequest:
    headers = {"Host": "proj.example.com", "x-log-apiversion": "0.6.0"}
    return HttpRequest(method, "http", "127.0.0.1", port, target, headers, body)


def test_sends_target_headers_and_body_unchanged(server: ThreadingHTTPServer) -> None:
    transport = RequestsTransport(trust_env=False)
    target = "/logstores/a%2Fb/shards/lb?x=%7E%20y&z=a%3Db"
    answer = transport.send(_request(server.server_port, target, b"\x00\x01payload"), 5.0)
    assert answer.status == 201 and answer.body == b"ok" and answer.header("X-LOG-REQUESTID") == "R1"
    method, path, headers, body, _ = _Recorder.seen[0]
    assert (method, path, body) == ("POST", target, b"\x00\x01payload")
    assert headers["Host"] == "proj.example.com"
    assert headers["Content-Length"] == str(len(b"\x00\x01payload"))
    # the session's default headers (Accept: */*, gzip) are not mixed into a signed request
    assert "Accept" not in headers and "gzip" not in headers.get("Accept-Encoding", "")


def test_connections_are_pooled(server: ThreadingHTTPServer) -> None:
    transport = RequestsTransport(trust_env=False)
    for _ in range(3):
        transport.send(_request(server.server_port, "/", method="GET"), 5.0)
    assert len({port for *_, port in _Recorder.seen}) == 1
    transport.close()
    transport.send(_request(server.server_port, "/", method="GET"), 5.0)
    assert len({port for *_, port in _Recorder.seen}) == 2


def test_explicit_proxy_receives_the_absolute_url(server: ThreadingHTTPServer) -> None:
    transport = RequestsTransport(proxy=f"http://127.0.0.1:{server.server_port}", trust_env=False)
    request = HttpRequest("GET", "http", "proj.cn-hangzhou.log.aliyuncs.com", 80, "/logstores", {}, b"")
    transport.send(request, 5.0)
    assert _Recorder.seen[0][1] == "http://proj.cn-hangzhou.log.aliyuncs.com/logstores"


def test_environment_proxy_is_followed(server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    transport = RequestsTransport()
    request = HttpRequest("GET", "http", "proj.example.invalid", 80, "/", {}, b"")
    transport.send(request, 5.0)
    assert _Recorder.seen[0][1] == "http://proj.example.invalid/"


def test_refused_connection_is_known_unsent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransportError) as caught:
        RequestsTransport(trust_env=False).send(_request(port, "/"), 2.0)
    assert caught.value.sent is False


def test_client_default_transport_is_requests() -> None:
    client = LogClient("cn-hangzhou.log.aliyuncs.com", "id", "secret")
    assert isinstance(client._sender.transport, RequestsTransport)


def test_environment_change_after_a_call_takes_effect(
    server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{dead_port}")
    transport = RequestsTransport()
    request = HttpRequest("GET", "http", "proj.example.invalid", 80, "/", {}, b"")
    with pytest.raises(TransportError):
        transport.send(request, 2.0)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_port}")
    transport.send(request, 2.0)
    assert _Recorder.seen[0][1] == "http://proj.example.invalid/"


class _Big(BaseHTTPRequestHandler):
    """Answers 3 MiB in one read's worth, or (path /cut) promises 3 MiB and closes after 10 bytes."""

    protocol_version = "HTTP/1.1"
    body = bytes(range(256)) * (3 * 4096)
    ports: list[int] = []

    def do_GET(self) -> None:
        self.ports.append(self.client_address[1])
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        if self.path == "/cut":
            self.wfile.write(self.body[:10])
            self.close_connection = True
            return
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        return None


def test_large_bodies_are_read_whole_and_the_connection_is_reused() -> None:
    _Big.ports = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Big)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        transport = RequestsTransport(trust_env=False)
        for _ in range(3):
            answer = transport.send(_request(httpd.server_port, "/", method="GET"), 5.0)
            assert answer.body == _Big.body
        assert len(set(_Big.ports)) == 1
        with pytest.raises(TransportError) as caught:
            transport.send(_request(httpd.server_port, "/cut", method="GET"), 5.0)
        assert caught.value.sent is True
    finally:
        httpd.shutdown()
        httpd.server_close()
