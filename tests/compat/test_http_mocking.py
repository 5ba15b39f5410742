"""Test suites that mock the official SDK's HTTP with ``responses`` or ``requests-mock`` work here.

Written the way users write them: register an answer for the URL the SDK calls
(``http://<project>.<endpoint>/...``), make the call, look at what was sent. Nothing here
touches the network; an unmocked call would fail instead of reaching DNS.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses
from google.protobuf.message import DecodeError

from aliyun.log import GetLogsRequest, LogClient, LogItem, ProjectNotExist, PutLogsRequest

requests_mock = pytest.importorskip("requests_mock")

ENDPOINT = "cn-hangzhou.log.aliyuncs.com"
BASE = f"http://my-project.{ENDPOINT}"
LOGS_BODY = {
    "meta": {"progress": "Complete", "count": 1, "processedRows": 7, "elapsedMillisecond": 3, "hasSQL": False},
    "data": [{"__time__": "1700000000", "__source__": "10.0.0.1", "level": "ERROR", "msg": "boom"}],
}
ERROR_BODY = {"errorCode": "ProjectNotExist", "errorMessage": "The Project does not exist : my-project"}


def _client() -> LogClient:
    return LogClient(ENDPOINT, "test-ak-id", "test-ak-secret")


def _put(client: LogClient) -> Any:
    items = [LogItem(1700000000, [("level", "INFO"), ("msg", "hello")])]
    return client.put_logs(PutLogsRequest("my-project", "app", "web", "10.0.0.1", items))


def _get_logs(client: LogClient) -> Any:
    return client.get_logs(GetLogsRequest("my-project", "app", 1700000000, 1700000600, query="level: ERROR"))


def _decoded_group(body: bytes, headers: Any) -> Any:
    """The protobuf LogGroup the SDK sent (lz4 or raw, per its headers)."""
    from aliyun.log.compress import Compressor
    from aliyun.log.log_logs_pb2 import LogGroup

    raw = Compressor.decompress_response(headers, body)
    group = LogGroup()
    try:
        group.ParseFromString(raw)
    except DecodeError as exc:  # pragma: no cover - the assertion message is the point
        raise AssertionError(f"not a LogGroup: {exc}") from exc
    return group


# -- responses ------------------------------------------------------------------------------------


@responses.activate
def test_responses_intercepts_put_logs() -> None:
    responses.add(responses.POST, f"{BASE}/logstores/app/shards/lb", status=200, headers={"x-log-requestid": "REQ-PUT"})
    result = _put(_client())
    assert result.get_request_id() == "REQ-PUT"
    assert len(responses.calls) == 1
    sent = responses.calls[0].request
    assert sent.headers["Host"] == f"my-project.{ENDPOINT}"
    assert sent.headers["Authorization"].startswith("LOG test-ak-id:")
    group = _decoded_group(sent.body, sent.headers)
    assert group.Topic == "web" and group.Source == "10.0.0.1"
    assert [(c.Key, c.Value) for c in group.Logs[0].Contents] == [("level", "INFO"), ("msg", "hello")]


@responses.activate
def test_responses_intercepts_get_logs() -> None:
    responses.add(
        responses.POST,
        f"{BASE}/logstores/app/logs",
        json=LOGS_BODY,
        status=200,
        headers={"x-log-requestid": "REQ-GET"},
    )
    result = _get_logs(_client())
    assert result.is_completed()
    assert [log.get_contents()["msg"] for log in result.get_logs()] == ["boom"]
    sent = json.loads(responses.calls[0].request.body)
    assert sent["query"] == "level: ERROR" and sent["from"] == 1700000000 and sent["to"] == 1700000600


@responses.activate
def test_responses_error_answer_raises_the_sls_error() -> None:
    responses.add(responses.GET, f"{BASE}/", json=ERROR_BODY, status=404, headers={"x-log-requestid": "REQ-ERR"})
    with pytest.raises(ProjectNotExist) as caught:
        _client().get_project("my-project")
    assert caught.value.get_error_code() == "ProjectNotExist"
    assert caught.value.get_request_id() == "REQ-ERR"
    assert caught.value.get_resp_status() == 404
    assert len(responses.calls) == 1  # a 404 is final, never retried


@responses.activate
def test_responses_unmatched_call_fails_instead_of_reaching_the_network() -> None:
    from aliyun.log import LogException
    from aliyun.log._pipeline.retry import RetryPolicy

    client = LogClient(ENDPOINT, "test-ak-id", "test-ak-secret", retry=RetryPolicy(max_attempts=1))
    with pytest.raises(LogException) as caught:
        client.get_project("my-project")
    assert "Connection refused by Responses" in str(caught.value)


# -- requests-mock --------------------------------------------------------------------------------


def test_requests_mock_intercepts_put_logs() -> None:
    with requests_mock.Mocker() as mocker:
        mocker.post(f"{BASE}/logstores/app/shards/lb", status_code=200, headers={"x-log-requestid": "REQ-PUT"})
        result = _put(_client())
        assert result.get_request_id() == "REQ-PUT"
        assert mocker.call_count == 1
        sent = mocker.last_request
        assert sent.headers["x-log-apiversion"] == "0.6.0"
        group = _decoded_group(sent.body, sent.headers)
        assert [(c.Key, c.Value) for c in group.Logs[0].Contents] == [("level", "INFO"), ("msg", "hello")]


def test_requests_mock_intercepts_get_logs() -> None:
    with requests_mock.Mocker() as mocker:
        mocker.post(f"{BASE}/logstores/app/logs", json=LOGS_BODY, headers={"x-log-requestid": "REQ-GET"})
        result = _get_logs(_client())
        assert result.get_count() == 1
        assert result.get_logs()[0].get_contents()["level"] == "ERROR"
        assert mocker.last_request.json()["query"] == "level: ERROR"


def test_requests_mock_error_answer_raises_the_sls_error() -> None:
    with requests_mock.Mocker() as mocker:
        mocker.get(f"{BASE}/", json=ERROR_BODY, status_code=404, headers={"x-log-requestid": "REQ-ERR"})
        with pytest.raises(ProjectNotExist) as caught:
            _client().get_project("my-project")
        assert caught.value.get_request_id() == "REQ-ERR"
        assert mocker.call_count == 1


def test_requests_mock_connection_error_is_retried_then_raised() -> None:
    from aliyun.log import LogException
    from aliyun.log._pipeline.retry import RetryPolicy

    client = LogClient(ENDPOINT, "test-ak-id", "test-ak-secret", retry=RetryPolicy(max_attempts=2, base_delay=0.0))
    with requests_mock.Mocker() as mocker:
        mocker.get(f"{BASE}/", exc=requests.exceptions.ConnectTimeout("no route"))
        with pytest.raises(LogException):
            client.get_project("my-project")
        assert mocker.call_count == 2  # a connect timeout is known unsent: retried
