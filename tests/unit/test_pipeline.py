"""The send path without a network: endpoints, retry decisions, error mapping, headers."""

from __future__ import annotations

import json
from typing import Callable

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest, RetryPolicy, ServerError
from aliyun.log._pipeline.endpoint import parse_endpoint
from aliyun.log._transport import HttpRequest, HttpResponse, TransportError


class FakeTransport:
    """Answers from a script of callables; records every request."""

    def __init__(self, *answers: Callable[[HttpRequest], HttpResponse]) -> None:
        self.answers = list(answers)
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.requests.append(request)
        return self.answers.pop(0)(request)

    def close(self) -> None:
        pass


def ok(body: object = None) -> Callable[[HttpRequest], HttpResponse]:
    payload = b"" if body is None else json.dumps(body).encode()
    return lambda request: HttpResponse(200, {"x-log-requestid": "RID"}, payload)


def error(status: int, code: str) -> Callable[[HttpRequest], HttpResponse]:
    body = json.dumps({"errorCode": code, "errorMessage": "boom"}).encode()
    return lambda request: HttpResponse(status, {"x-log-requestid": "RID-ERR"}, body)


def refused(sent: bool) -> Callable[[HttpRequest], HttpResponse]:
    def answer(request: HttpRequest) -> HttpResponse:
        raise TransportError("connection refused", sent=sent)

    return answer


def make_client(transport: FakeTransport, **policy: object) -> tuple[LogClient, list[float]]:
    sleeps: list[float] = []
    settings: dict[str, object] = {"max_attempts": 4, "base_delay": 0.1, **policy}
    retry = RetryPolicy(sleep=sleeps.append, rand=lambda: 1.0, **settings)  # type: ignore[arg-type]
    return LogClient("cn-hangzhou.log.aliyuncs.com", "ak", "sk", transport=transport, retry=retry), sleeps


PROJECT = {
    "projectName": "p1",
    "description": "d",
    "status": "Normal",
    "owner": "o",
    "region": "r",
    "createTime": "1",
    "lastModifyTime": "2",
}


@pytest.mark.parametrize(
    ("text", "scheme", "host", "port", "raw"),
    [
        ("cn-hangzhou.log.aliyuncs.com", "http", "cn-hangzhou.log.aliyuncs.com", 80, False),
        ("https://cn-hangzhou.log.aliyuncs.com", "https", "cn-hangzhou.log.aliyuncs.com", 443, False),
        ("host:8080", "http", "host", 8080, False),
        ("http://host:8080/anything", "http", "host", 8080, False),
        ("127.0.0.1", "http", "127.0.0.1", 80, True),
        ("127.0.0.1:18900", "http", "127.0.0.1", 18900, True),
        ("http://127.0.0.1:18900", "http", "127.0.0.1", 18900, True),
        ("localhost:9000", "http", "localhost", 9000, True),
        ("[::1]:9000", "http", "::1", 9000, True),
    ],
)
def test_endpoint_forms(text: str, scheme: str, host: str, port: int, raw: bool) -> None:
    endpoint = parse_endpoint(text)
    assert (endpoint.scheme, endpoint.host, endpoint.port, endpoint.raw) == (scheme, host, port, raw)
    assert endpoint.host_header("proj") == f"proj.{host}"
    assert endpoint.connect_host("proj") == (host if raw else f"proj.{host}")


def test_request_shape_v1() -> None:
    transport = FakeTransport(ok(PROJECT))
    client, _ = make_client(transport)
    assert client.get_project("p1").get_projectname() == "p1"
    request = transport.requests[0]
    assert (request.method, request.host, request.port, request.target) == (
        "GET",
        "p1.cn-hangzhou.log.aliyuncs.com",
        80,
        "/",
    )
    headers = request.headers
    assert headers["Host"] == "p1.cn-hangzhou.log.aliyuncs.com"
    assert headers["x-log-apiversion"] == "0.6.0"
    assert headers["x-log-bodyrawsize"] == "0"
    assert headers["Authorization"].startswith("LOG ak:")
    assert headers["x-log-signaturemethod"] == "hmac-sha1"


def test_raw_ip_endpoint_connects_to_the_ip_with_project_host_header() -> None:
    transport = FakeTransport(ok(PROJECT))
    client = LogClient("127.0.0.1:18900", "ak", "sk", transport=transport)
    client.get_project("p1")
    assert (transport.requests[0].host, transport.requests[0].port) == ("127.0.0.1", 18900)
    assert transport.requests[0].headers["Host"] == "p1.127.0.0.1"


def test_idempotent_call_is_retried_on_5xx_with_backoff() -> None:
    transport = FakeTransport(error(503, "ServerBusy"), error(500, "InternalServerError"), ok(PROJECT))
    client, sleeps = make_client(transport)
    client.get_project("p1")
    assert len(transport.requests) == 3
    assert sleeps == [pytest.approx(0.1), pytest.approx(0.2)]
    dates = {r.headers["Date"] for r in transport.requests}
    assert len(transport.requests[0].headers["Authorization"]) > 10 and dates  # signed on every attempt


def test_attempt_cap() -> None:
    transport = FakeTransport(*[error(500, "InternalServerError")] * 4)
    client, _ = make_client(transport)
    with pytest.raises(ServerError) as info:
        client.get_project("p1")
    assert len(transport.requests) == 4
    assert info.value.retriable


def test_put_logs_not_retried_after_ambiguous_failure() -> None:
    transport = FakeTransport(error(500, "InternalServerError"))
    client, _ = make_client(transport)
    with pytest.raises(LogException):
        client.put_logs(PutLogsRequest("p1", "ls", "", "src", [LogItem(contents=[("k", "v")])]))
    assert len(transport.requests) == 1


def test_put_logs_retried_when_not_applied() -> None:
    transport = FakeTransport(refused(sent=False), error(403, "ShardWriteQuotaExceed"), ok())
    client, _ = make_client(transport)
    client.put_logs(PutLogsRequest("p1", "ls", "", "src", [LogItem(contents=[("k", "v")])]))
    assert len(transport.requests) == 3
    assert transport.requests[0].body == transport.requests[2].body  # compressed once, sent as is


def test_put_logs_retry_opt_in() -> None:
    transport = FakeTransport(error(500, "InternalServerError"), ok())
    client, _ = make_client(transport, retry_non_idempotent=True)
    client.put_logs(PutLogsRequest("p1", "ls", "", "src", [LogItem(contents=[("k", "v")])]))
    assert len(transport.requests) == 2


def test_4xx_is_never_retried_and_maps_to_its_class() -> None:
    from aliyun.log import ProjectNotExist

    transport = FakeTransport(error(404, "ProjectNotExist"))
    client, _ = make_client(transport)
    with pytest.raises(ProjectNotExist) as info:
        client.get_project("p1")
    assert (info.value.get_request_id(), info.value.get_resp_status()) == ("RID-ERR", 404)
    assert len(transport.requests) == 1


def test_connection_failure_is_log_request_error_with_cause() -> None:
    transport = FakeTransport(*[refused(sent=True)] * 4)
    client, _ = make_client(transport)
    with pytest.raises(LogException) as info:
        client.get_project("p1")
    assert info.value.get_error_code() == "LogRequestError"
    assert isinstance(info.value.__cause__, TransportError)


def test_deadline_stops_retrying() -> None:
    now = [0.0]
    transport = FakeTransport(*[error(503, "ServerBusy")] * 4)
    retry = RetryPolicy(
        max_attempts=10,
        base_delay=10,
        max_delay=10,
        deadline=15,
        clock=lambda: now[0],
        sleep=lambda s: now.__setitem__(0, now[0] + s),
        rand=lambda: 1.0,
    )
    client = LogClient("h", "ak", "sk", transport=transport, retry=retry)
    with pytest.raises(LogException):
        client.get_project("p1")
    assert len(transport.requests) == 2


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [(502, b"", "LogRequestError"), (400, b"<html>", "BadResponse"), (400, b'{"x": 1}', "LogRequestError")],
)
def test_unusual_error_answers(status: int, body: bytes, code: str) -> None:
    transport = FakeTransport(lambda r: HttpResponse(status, {}, body))
    client, _ = make_client(transport, max_attempts=1)
    with pytest.raises(LogException) as info:
        client.get_project("p1")
    assert info.value.get_error_code() == code


def test_secrets_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG, logger="aliyun.log")
    transport = FakeTransport(error(503, "ServerBusy"), ok(PROJECT))
    client = LogClient(
        "h",
        "ak",
        "super-secret-value",
        securityToken="token-value",
        transport=transport,
        retry=RetryPolicy(sleep=lambda s: None),
    )
    client.get_project("p1")
    text = caplog.text
    assert "super-secret-value" not in text and "token-value" not in text
    assert "Authorization" not in text and "LOG ak:" not in text
