"""PullLogs with an SPL query, and a consumer group whose workers filter with one (docs/consumer.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _consumer_support import (
    LOGSTORE,
    PROJECT,
    Record,
    put_ids,
    recording_processor,
    start_worker,
    stop_all,
    wait_until,
)

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

QUERY = "* | where cast(id as bigint) % 10 = 0 | extend tenth = cast(cast(id as bigint) / 10 as varchar)"


def _write(client: LogClient, project: str) -> None:
    client.create_logstore(project, "spl", shard_count=1)
    for start in range(0, 100, 20):
        items = [
            LogItem(timestamp=1_700_000_000, contents=[("id", str(i)), ("level", "x")])
            for i in range(start, start + 20)
        ]
        client.put_logs(PutLogsRequest(project, "spl", logitems=items))


def test_pull_logs_applies_the_query_and_reports_what_it_read(client: LogClient, project: str) -> None:
    _write(client, project)
    cursor = client.get_cursor(project, "spl", 0, "begin").get_cursor()
    response = client.pull_logs(project, "spl", 0, cursor, count=3, query=QUERY + " | project-away level")
    logs = response.get_flatten_logs_json()
    assert [(log["id"], log["tenth"]) for log in logs] == [(str(i), str(i // 10)) for i in range(0, 60, 10)]
    assert all("level" not in log for log in logs)
    assert response.get_loggroup_count() == 3  # every group read kept a log
    assert response.get_raw_log_group_count_before_query() == 3
    assert response.get_raw_size_before_query() > response.get_raw_size() > 0
    end = client.get_cursor(project, "spl", 0, "end").get_cursor()
    rest = client.pull_logs(project, "spl", 0, response.get_next_cursor(), query="* | where id = 'none'")
    assert rest.get_loggroup_count() == 0 and rest.get_log_count() == 0
    assert rest.get_next_cursor() == end  # the cursor still passes the groups the query emptied
    assert rest.get_raw_log_group_count_before_query() == 2
    plain = client.pull_logs(project, "spl", 0, cursor, count=1)
    assert plain.get_raw_log_group_count_before_query() == -1  # no query: no such header


def test_pull_log_iterates_with_a_query(client: LogClient, project: str) -> None:
    _write(client, project)
    ids = [
        log["id"]
        for batch in client.pull_log(project, "spl", 0, "begin", "end", query="* | where id like '9%'")
        for log in batch.get_flatten_logs_json()
    ]
    assert ids == ["9", *[str(i) for i in range(90, 100)]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("* | sort id", "not supported"),
        ("* | where id > 5", "cannot be applied"),
        ("id:1 | where a = 'b'", "start with"),
    ],
)
def test_bad_query_answers_parameter_invalid(client: LogClient, project: str, query: str, message: str) -> None:
    _write(client, project)
    cursor = client.get_cursor(project, "spl", 0, "begin").get_cursor()
    with pytest.raises(LogException) as err:
        client.pull_logs(project, "spl", 0, cursor, query=query)
    assert err.value.get_error_code() == "ParameterInvalid"
    assert err.value.get_resp_status() == 400
    assert message in err.value.get_error_message()


def test_processor_is_refused_clearly(client: LogClient, project: str) -> None:
    _write(client, project)
    cursor = client.get_cursor(project, "spl", 0, "begin").get_cursor()
    with pytest.raises(LogException) as err:
        client.pull_logs(project, "spl", 0, cursor, processor="my-processor")
    assert err.value.get_error_code() == "ParameterInvalid"


@pytest.fixture
def consumer_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, listen=False, fsync="never") as server:
        client = server.client(in_process=True)
        client.create_project(PROJECT, "spl consumer")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=2)
        yield server


def test_consumer_workers_receive_only_what_their_query_keeps(consumer_server: EmulatorServer) -> None:
    record = Record()
    workers = [
        start_worker(
            consumer_server, recording_processor(record, "a"), "a", query="* | where cast(id as bigint) % 3 = 0"
        )
    ]
    try:
        put_ids(consumer_server.client(in_process=True), range(3_000), per_group=50)
        wait_until(lambda: len(record.unique()) == 1_000, timeout=120, what="every third id")
        assert sorted(record.ids()) == list(range(0, 3_000, 3))
    finally:
        stop_all(workers)
