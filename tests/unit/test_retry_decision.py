"""One retry decision: the error's class (``retriable``, ``unapplied``), the operation's idempotency
and the transport's ``sent`` fact; and the credential refresh inside the one send method."""

from __future__ import annotations

import json
import pickle
from typing import Callable

import pytest

from aliyun.log import (
    LogClient,
    LogException,
    LogItem,
    LogRequestError,
    ProjectQuotaExceed,
    PutLogsRequest,
    QuotaExceeded,
    RetryPolicy,
    ServerError,
)
from aliyun.log._transport import HttpRequest, HttpResponse, TransportError
from aliyun.log.errors import make_exception

POLICY = RetryPolicy()
OPT_IN = RetryPolicy(retry_non_idempotent=True)


@pytest.mark.parametrize(
    ("error", "idempotent", "expected"),
    [
        (make_exception("ProjectNotExist", "m", status=404), True, False),
        (make_exception("SignatureNotMatch", "m", status=401), True, False),
        (make_exception("InvalidParameter", "m", status=400), True, False),
        (make_exception("InternalServerError", "m", status=500), True, True),
        (make_exception("InternalServerError", "m", status=500), False, False),
        (make_exception("RequestTimeout", "m", status=500), False, False),
        (make_exception("ServerBusy", "m", status=503), False, True),  # turned away before handling
        (make_exception("WriteQuotaExceed", "m", status=403), False, True),
        (make_exception("ShardWriteQuotaExceed", "m", status=403), False, True),
        (make_exception("ReadQuotaExceed", "m", status=403), True, True),
        (make_exception("ProjectQuotaExceed", "m", status=400), False, False),  # a count, not a rate
        (make_exception("SomethingNew", "m", status=502), True, True),
        (make_exception("SomethingNew", "m", status=502), False, False),
        (make_exception("SomethingNew", "m", status=403), True, False),
        # codes SLS does not document: no special treatment, their status decides (docs/protocol.md)
        (make_exception("QpsLimitExceeded", "m", status=403), True, False),
        (make_exception("ExceedQuota", "m", status=403), True, False),
        (LogRequestError("LogRequestError", "refused", sent=False), False, True),
        (LogRequestError("LogRequestError", "reset", sent=True), False, False),
        (LogRequestError("LogRequestError", "reset", sent=True), True, True),
    ],
)
def test_decision_matrix(error: LogException, idempotent: bool, expected: bool) -> None:
    assert POLICY.should_retry(error, idempotent=idempotent) is expected


def test_opting_in_retries_ambiguous_failures_of_non_idempotent_calls() -> None:
    assert OPT_IN.should_retry(make_exception("InternalServerError", "m", status=500), idempotent=False)
    assert OPT_IN.should_retry(LogRequestError("LogRequestError", "reset", sent=True), idempotent=False)
    assert not OPT_IN.should_retry(make_exception("Unauthorized", "m", status=401), idempotent=False)


def test_a_5xx_answer_is_a_server_error_whatever_its_body() -> None:
    error = make_exception("BadResponse", "<html>gateway</html>", status=502)
    assert isinstance(error, ServerError) and error.get_error_code() == "BadResponse"
    assert make_exception("InternalServerError", "m", status=500).retriable


def test_project_quota_is_a_quota_error_that_is_not_retried() -> None:
    error = make_exception("ProjectQuotaExceed", "too many logstores", status=400)
    assert isinstance(error, ProjectQuotaExceed) and isinstance(error, QuotaExceeded)
    assert not error.retriable and not error.unapplied


def test_sent_is_a_field_that_survives_pickling() -> None:
    error = LogRequestError("LogRequestError", "refused", sent=False)
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.sent, again.get_error_message()) == (LogRequestError, False, "refused")
    assert LogRequestError("LogRequestError", "x").sent is True


# -- through the client ---------------------------------------------------------------------


class Script:
    """Answers from a list of callables and records every request."""

    def __init__(self, *answers: Callable[[HttpRequest], HttpResponse]) -> None:
        self.answers = list(answers)
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.requests.append(request)
        return self.answers.pop(0)(request)

    def close(self) -> None:
        pass


def answer(status: int, code: str = "") -> Callable[[HttpRequest], HttpResponse]:
    body = json.dumps({"errorCode": code, "errorMessage": "m"}).encode() if code else b""
    return lambda request: HttpResponse(status, {"x-log-requestid": "R"}, body)


def refused(sent: bool) -> Callable[[HttpRequest], HttpResponse]:
    def fail(request: HttpRequest) -> HttpResponse:
        raise TransportError("no connection", sent=sent)

    return fail


def client_over(script: Script, attempts: int = 4) -> LogClient:
    retry = RetryPolicy(max_attempts=attempts, sleep=lambda s: None, rand=lambda: 0.0)
    return LogClient("cn-hangzhou.log.aliyuncs.com", "ak", "sk", transport=script, retry=retry)


def put(client: LogClient) -> None:
    client.put_logs(PutLogsRequest("p", "ls", "", "src", [LogItem(contents=[("k", "v")])]))


def test_put_logs_is_sent_again_after_a_refused_connection_but_not_after_a_reset() -> None:
    script = Script(refused(sent=False), answer(200))
    put(client_over(script))
    assert len(script.requests) == 2
    script = Script(refused(sent=True), answer(200))
    with pytest.raises(LogRequestError) as info:
        put(client_over(script))
    assert info.value.sent is True and len(script.requests) == 1


def test_the_sent_fact_reaches_the_caller() -> None:
    with pytest.raises(LogRequestError) as info:
        put(client_over(Script(refused(sent=False)), attempts=1))
    assert info.value.sent is False


class Refresher:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[str, str, None]:
        self.calls += 1
        return ("fresh-id", "fresh-secret", None)


def test_the_refresh_happens_inside_the_send_path_even_without_retries() -> None:
    script = Script(answer(401, "SecurityTokenExpired"), answer(200))
    client = client_over(script, attempts=1)
    refresher = Refresher()
    client.set_credentials_auto_refresher(refresher)
    client.delete_project("p")
    assert refresher.calls == 1 and len(script.requests) == 2
    first, second = (r.headers["Authorization"] for r in script.requests)
    assert first.startswith("LOG ak:") and second.startswith("LOG fresh-id:")


def test_the_refreshed_attempt_is_then_retried_like_any_other() -> None:
    script = Script(answer(401, "Unauthorized"), answer(500, "InternalServerError"), answer(200))
    client = client_over(script, attempts=2)
    refresher = Refresher()
    client.set_credentials_auto_refresher(refresher)
    client.get_project("p")
    assert refresher.calls == 1 and len(script.requests) == 3


def test_a_clock_skew_does_not_refresh() -> None:
    script = Script(answer(400, "RequestTimeExpired"))
    client = client_over(script)
    refresher = Refresher()
    client.set_credentials_auto_refresher(refresher)
    with pytest.raises(LogException):
        client.get_project("p")
    assert refresher.calls == 0 and len(script.requests) == 1
