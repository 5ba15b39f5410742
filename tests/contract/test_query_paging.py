"""Query helpers through our LogClient against the emulator: paging, get_log/get_log_all, histograms,
topics, the two GetLogs forms on the wire, retries of incomplete answers and request errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aliyun.log import (
    GetHistogramsRequest,
    GetLogsRequest,
    GetLogsResponse,
    GetProjectLogsRequest,
    ListTopicsRequest,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
)
from aliyun.log._client import query as query_module
from aliyun.log._client.query import _until_complete

T = 1_700_000_000
COUNT = 250
INDEX = {"line": {"token": [" ", ","]}, "keys": {"n": {"type": "long", "doc_value": True}}}


@pytest.fixture
def filled(client: LogClient, project: str) -> Iterator[tuple[str, str]]:
    """A logstore with 250 logs (n = 0..249, one per second from T) over 5 topics."""
    client.create_logstore(project, "many", shard_count=2)
    client.create_index(project, "many", INDEX)
    for topic in range(5):
        items = [LogItem(T + i, [("n", str(i)), ("msg", f"log {i}")], 0) for i in range(topic, COUNT, 5)]
        client.put_logs(PutLogsRequest(project, "many", f"topic-{topic}", "10.0.0.1", items))
    yield project, "many"


def numbers(answer: GetLogsResponse) -> list[int]:
    return [int(log.get_contents()["n"]) for log in answer.get_logs()]


# -- paging ----------------------------------------------------------------------------------


def test_readme_line_1000_reads_every_page(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    request = GetLogsRequest(project, logstore, fromTime=T, toTime=T + 3600, topic="", query="*", line=1000, offset=0,
                             reverse=False)  # fmt: skip
    answer = client.get_logs(request)
    assert numbers(answer) == list(range(COUNT))
    assert answer.get_count() == COUNT and answer.is_completed()


@pytest.mark.parametrize(("line", "offset", "reverse", "expected"), [
    (150, 0, False, list(range(150))),
    (150, 120, False, list(range(120, 250))),
    (-1, 0, True, list(range(249, -1, -1))),
    (100, 10, False, list(range(10, 110))),
    (0, 0, False, []),
])  # fmt: skip
def test_line_offset_reverse(client: LogClient, filled: tuple[str, str], line: int, offset: int, reverse: bool,
                             expected: list[int]) -> None:  # fmt: skip
    project, logstore = filled
    answer = client.get_logs(GetLogsRequest(project, logstore, T, T + 3600, line=line, offset=offset, reverse=reverse))
    assert numbers(answer) == expected
    assert answer.get_count() == len(expected)


def test_get_log_with_sizes_and_readable_times(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    assert numbers(client.get_log(project, logstore, T, T + 3600, size=-1)) == list(range(COUNT))
    assert numbers(client.get_log(project, logstore, T, T + 3600, query="n < 3", size=5)) == [0, 1, 2]
    assert numbers(client.get_log(project, logstore, str(T), str(T + 10), topic="topic-1")) == [1, 6]
    iso = "2023-11-14 22:13:20+00:00"  # == T
    assert numbers(client.get_log(project, logstore, iso, "2023-11-14 22:13:23+00:00")) == [0, 1, 2]
    sql = client.get_log(project, logstore, T, T + 3600, query="* | select count(*) as c", size=1000)
    assert sql.get_body()["data"] == [{"c": str(COUNT)}]
    assert numbers(client.get_log(project, logstore, T, T + 3600, size=3, v1=True)) == [0, 1, 2]


def test_get_log_all_pages(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    pages = list(client.get_log_all(project, logstore, T, T + 3600, query="n >= 20"))
    assert [p.get_count() for p in pages] == [100, 100, 30]
    assert [n for p in pages for n in numbers(p)] == list(range(20, COUNT))
    backwards = list(client.get_log_all(project, logstore, T, T + 3600, reverse=True, offset=200))
    assert [n for p in backwards for n in numbers(p)] == list(range(49, -1, -1))
    sql = list(client.get_log_all(project, logstore, T, T + 3600, query="* | select max(n) as m"))
    assert len(sql) == 1 and sql[0].get_body()["data"] == [{"m": "249"}]
    assert list(client.get_log_all(project, logstore, T + 5000, T + 6000)) == []
    v2 = list(client.get_log_all_v2(project, logstore, T, T + 3600, query="n < 120"))
    assert [p.get_count() for p in v2] == [100, 20]


def test_both_forms_on_the_wire(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    post = client.get_logs(GetLogsRequest(project, logstore, T, T + 3600, query="log", line=2))
    assert post.get_header("x-log-compresstype") == "lz4"
    assert int(post.get_header("x-log-bodyrawsize")) > 0
    get = client.get_logs(GetLogsRequest(project, logstore, T, T + 3600, query="log", line=2), v1=True)
    assert get.get_header("x-log-progress") == "Complete"
    assert get.get_header("x-log-count") == "2"
    assert get.get_header("x-log-has-sql") == "false"
    assert get.get_header("x-log-where-query") == "log"
    assert get.get_header("x-log-processed-rows") == str(COUNT)
    assert get.get_body()["data"] == post.get_body()["data"]
    assert get.get_processed_rows() == post.get_processed_rows() == COUNT


def test_project_logs(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    sql = f"select count(*) as c from {logstore} where __time__ >= {T + 200}"
    answer = client.get_project_logs(GetProjectLogsRequest(project, sql))
    assert [log.get_contents()["c"] for log in answer.get_logs()] == ["50"]
    assert answer.get_has_sql() is True
    with pytest.raises(LogException) as err:
        client.get_project_logs(GetProjectLogsRequest(project, "select 1"))
    assert err.value.get_error_code() == "ParameterInvalid"


# -- histograms ------------------------------------------------------------------------------


def test_histograms_request_built_with_setters(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    request = GetHistogramsRequest()  # 0.6 form: nothing given yet
    request.set_project(project)
    request.set_logstore(logstore)
    request.set_from("2023-11-14 22:13:20+00:00")
    request.set_to(T + 60)
    request.set_query("n < 30")
    request.set_topic("topic-0")
    answer = client.get_histograms(request)
    assert answer.get_total_count() == 6
    assert sum(h.get_count() for h in answer.get_histograms()) == 6
    assert answer.get_histograms()[0].get_from() == T and answer.get_histograms()[-1].get_to() == T + 60


def test_histograms_through_the_index_path(client: LogClient, filled: tuple[str, str]) -> None:
    # The current API reference writes GetHistograms as GET /logstores/{ls}/index?type=histogram.
    project, logstore = filled
    response = client._send(
        "GetIndex", project, f"/logstores/{logstore}/index",
        params={"type": "histogram", "from": T, "to": T + 3600, "query": "*", "topic": ""},
    )  # fmt: skip
    assert response.header("x-log-count") == str(COUNT)


# -- topics ----------------------------------------------------------------------------------


def test_list_topics_pages_with_tokens(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    everything = client.list_topics(ListTopicsRequest(project, logstore))
    assert everything.get_topics() == [f"topic-{i}" for i in range(5)]
    assert everything.get_count() == 5 and everything.get_next_token() == ""
    seen: list[str] = []
    token = None
    while True:
        page = client.list_topic(ListTopicsRequest(project, logstore, token=token, line=2))
        seen.extend(page.get_topics())
        assert page.get_count() == len(page.get_topics()) <= 2
        token = page.get_next_token()
        if not token:
            break
    assert seen == everything.get_topics()


def test_list_topics_with_unusual_names(client: LogClient, project: str) -> None:
    client.create_logstore(project, "topics", shard_count=1)
    client.create_index(project, "topics", INDEX)
    for topic in ("a", "日志", "b:c d"):
        client.put_logs(PutLogsRequest(project, "topics", topic, "", [LogItem(T, [("n", "1")], 0)]))
    seen: list[str] = []
    token = None
    while token != "":
        page = client.list_topics(ListTopicsRequest(project, "topics", token=token, line=1))
        seen.extend(page.get_topics())
        token = page.get_next_token()
    assert seen == sorted(["a", "日志", "b:c d"])


# -- incomplete answers ----------------------------------------------------------------------


class _Answer:
    def __init__(self, complete: bool) -> None:
        self.complete = complete

    def is_completed(self) -> bool:
        return self.complete


class _FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(("answers", "attempts", "deadline", "calls"), [
    ([True], 5, 10.0, 1),
    ([False, False, True], 5, 10.0, 3),
    ([False] * 9, 5, 10.0, 5),
    ([False] * 9, 5, 1.2, 3),  # 0.5 s pauses: a third call may start at 1.0 s, a fourth not
    ([False] * 9, 1, 10.0, 1),
])  # fmt: skip
def test_until_complete(answers: list[bool], attempts: int, deadline: float, calls: int) -> None:
    fake = _FakeTime()
    made: list[_Answer] = []

    def fetch() -> _Answer:
        made.append(_Answer(answers[len(made)]))
        return made[-1]

    answer = _until_complete(fetch, attempts=attempts, deadline=deadline, clock=fake.clock, sleep=fake.sleep)
    assert len(made) == calls
    assert answer is made[-1]
    assert fake.sleeps == [0.5] * (calls - 1)


def test_get_logs_repeats_an_incomplete_query(monkeypatch: pytest.MonkeyPatch, client: LogClient,
                                              filled: tuple[str, str]) -> None:  # fmt: skip
    project, logstore = filled
    monkeypatch.setattr(query_module, "_INCOMPLETE_PAUSE", 0.0)
    real = client._get_logs_page
    calls: list[int] = []

    def flaky(*args: Any) -> GetLogsResponse:
        answer = real(*args)
        calls.append(1)
        if len(calls) < 3:
            answer.get_meta().meta["progress"] = "Incomplete"
        return answer

    monkeypatch.setattr(client, "_get_logs_page", flaky)
    answer = client.get_logs(GetLogsRequest(project, logstore, T, T + 3600, line=5))
    assert answer.is_completed() and len(calls) == 3
    calls.clear()
    stuck = client.get_logs(GetLogsRequest(project, logstore, T, T + 3600, line=5), incomplete_attempts=2)
    assert not stuck.is_completed() and len(calls) == 2


# -- request errors --------------------------------------------------------------------------


def test_request_errors(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled

    def code_of(call: Any) -> tuple[str, int]:
        with pytest.raises(LogException) as err:
            call()
        return err.value.get_error_code(), err.value.get_resp_status()

    backwards = GetLogsRequest(project, logstore, T + 10, T)
    assert code_of(lambda: client.get_logs(backwards)) == ("InvalidTimeRange", 400)
    assert code_of(lambda: client.get_logs(backwards, v1=True)) == ("InvalidTimeRange", 400)
    assert code_of(lambda: client.get_histograms(GetHistogramsRequest(project, logstore, T + 10, T))) == (
        "InvalidTimeRange",
        400,
    )
    assert code_of(lambda: client.get_logs(GetLogsRequest(project, "nope", T, T + 1))) == ("LogStoreNotExist", 404)
    assert code_of(lambda: client.list_topics(ListTopicsRequest(project, "nope"))) == ("LogStoreNotExist", 404)
    assert code_of(lambda: client.list_topics(ListTopicsRequest(project, logstore, line=0))) == (
        "ParameterInvalid",
        400,
    )
    assert code_of(lambda: client.get_logs(GetLogsRequest(project, logstore, None, T))) == ("BadParameters", 200)
    assert code_of(lambda: client.get_logs(GetLogsRequest(project, logstore, T, T + 5, query="a | where b"))) == (
        "ParameterInvalid",
        400,
    )


def test_service_checks_line_and_offset(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    for params, code in (({"line": "-1"}, "InvalidLine"), ({"offset": "-3"}, "InvalidOffset"),
                         ({"line": "x"}, "InvalidLine"), ({"reverse": "maybe"}, "ParameterInvalid")):  # fmt: skip
        with pytest.raises(LogException) as err:
            client._send("GetLogsV1", project, f"/logstores/{logstore}",
                         params={"type": "log", "from": T, "to": T + 10, **params})  # fmt: skip
        assert err.value.get_error_code() == code
    # More than 100 rows per call is clamped, not refused.
    response = client._send(
        "GetLogsV1", project, f"/logstores/{logstore}", params={"type": "log", "from": T, "to": T + 3600, "line": 500}
    )
    assert response.header("x-log-count") == "100"


def test_hyphenated_logstore_names_unquoted_after_from(client: LogClient, project: str) -> None:
    """The SLS docs' own examples write ``from nginx-moni`` without quotes."""
    client.create_logstore(project, "nginx-moni", shard_count=1)
    client.create_index(project, "nginx-moni", INDEX)
    client.put_logs(PutLogsRequest(project, "nginx-moni", "", "", [LogItem(T + i, [("n", str(i))]) for i in range(7)]))
    answer = client.get_project_logs(GetProjectLogsRequest(project, "select count(*) as c from nginx-moni"))
    assert [log.get_contents()["c"] for log in answer.get_logs()] == ["7"]
    query = "* | select count(*) as c from nginx-moni l where l.n > 2"
    rows = client.get_logs(GetLogsRequest(project, "nginx-moni", T, T + 60, query=query)).get_logs()
    assert [log.get_contents()["c"] for log in rows] == ["4"]
    # elsewhere a minus is still a minus
    minus = "* | select max(n)-min(n) as d from nginx-moni"
    rows = client.get_logs(GetLogsRequest(project, "nginx-moni", T, T + 60, query=minus)).get_logs()
    assert [log.get_contents()["d"] for log in rows] == ["6"]


def test_execute_logstore_and_project_sql(client: LogClient, filled: tuple[str, str]) -> None:
    project, logstore = filled
    answer = client.execute_logstore_sql(project, logstore, T, T + 3600, "* | select count(*) as c", True)
    assert [log.get_contents()["c"] for log in answer.get_logs()] == [str(COUNT)]
    sql = f"select count(*) as c from {logstore} where __time__ < {T + 10}"
    answer = client.execute_project_sql(project, sql, False)
    assert [log.get_contents()["c"] for log in answer.get_logs()] == ["10"]
    with pytest.raises(LogException) as err:
        client.execute_logstore_sql(project, logstore, T, T + 3600, "no analytic part", False)
    assert err.value.get_error_code() == "InvalidParameter"
