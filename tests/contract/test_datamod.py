"""Changing stored logs and asynchronous SQL: our ``LogClient`` against the emulator.

Each test writes logs, changes them (soft delete, DeleteLogs, UpdateLogs), then checks that the
query paths (search, SQL, histograms) see the change while ``pull_logs`` still returns the logs
as written.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from aliyun.log import (
    DeleteLogsRequest,
    DeleteLogsV2Request,
    GetDeleteLogsStatusRequest,
    GetHistogramsRequest,
    ListDeleteLogsTasksRequest,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
    SubmitAsyncSqlRequest,
    UpdateLogsRequest,
)
from aliyun.log.async_sql_response import AsyncSqlResponse
from aliyun.log.delete_async_sql_request import DeleteAsyncSqlRequest
from aliyun.log.get_async_sql_request import GetAsyncSqlRequest

T0 = 1_700_000_000
FROM, TO = T0 - 10, T0 + 100
INDEX = {
    "line": {"token": [" ", ",", ":"]},
    "keys": {
        "level": {"type": "text", "doc_value": True},
        "n": {"type": "long", "doc_value": True},
        "user": {"type": "text", "doc_value": True},
    },
}


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def write(client: LogClient, project: str, logstore: str, count: int = 10) -> None:
    items = [
        LogItem(T0 + i, [("level", "ERROR" if i % 2 else "INFO"), ("n", str(i)), ("user", f"u{i}")])
        for i in range(count)
    ]
    client.put_logs(PutLogsRequest(project, logstore, "web", "", items))


def make_store(client: LogClient, project: str, name: str, *, modifiable: bool) -> str:
    client.create_logstore(project, name, ttl=7, shard_count=1, enable_modify=modifiable)
    client.create_index(project, name, INDEX)
    write(client, project, name)
    return name


def search(client: LogClient, project: str, logstore: str, query: str = "*") -> list[dict[str, str]]:
    answer = client.get_log(project, logstore, FROM, TO, query=query, size=100)
    return [log.get_contents() for log in answer.get_logs()]


def pulled(client: LogClient, project: str, logstore: str) -> int:
    return sum(batch.get_log_count() for batch in client.pull_log(project, logstore, 0, "begin", "end"))


def sql_rows(client: LogClient, project: str, logstore: str, sql: str) -> list[dict[str, str]]:
    answer = client.get_log(project, logstore, FROM, TO, query=sql)
    return [log.get_contents() for log in answer.get_logs()]


# -- soft delete -----------------------------------------------------------------------------


def test_soft_delete_hides_logs_from_queries_but_not_from_pull(client: LogClient, project: str) -> None:
    store = make_store(client, project, "soft", modifiable=False)
    answer = client.delete_logs(DeleteLogsRequest(project, store, FROM, TO, query="level:ERROR"))
    task = answer.get_taskid()
    assert task

    status = client.get_delete_logs_status(GetDeleteLogsStatusRequest(project, store, task))
    assert status.is_completed() and status.get_process() == 100

    assert sorted(row["level"] for row in search(client, project, store)) == ["INFO"] * 5
    assert search(client, project, store, "level:ERROR") == []
    assert sql_rows(client, project, store, "* | select count(*) as c") == [{"c": "5"}]
    histogram = client.get_histograms(GetHistogramsRequest(project, store, FROM, TO, query="*"))
    assert histogram.get_total_count() == 5
    assert pulled(client, project, store) == 10  # the shard log keeps every log

    tasks = client.list_delete_logs_tasks(ListDeleteLogsTasksRequest(project, store))
    assert tasks.get_total() == 1 and tasks.is_completed()
    listed = tasks.get_task_list()[0]
    assert (listed["taskId"], listed["query"], listed["progress"]) == (task, "level:ERROR", 100)


def test_soft_delete_respects_time_range_and_topic(client: LogClient, project: str) -> None:
    store = make_store(client, project, "ranged", modifiable=False)
    client.delete_logs(DeleteLogsRequest(project, store, T0, T0 + 4, topic="other", query="*"))
    assert len(search(client, project, store)) == 10  # another topic: nothing deleted
    client.delete_logs(DeleteLogsRequest(project, store, T0, T0 + 4, topic="web"))
    assert sorted(int(row["n"]) for row in search(client, project, store)) == [4, 5, 6, 7, 8, 9]


def test_soft_delete_errors(client: LogClient, project: str) -> None:
    store = make_store(client, project, "softerr", modifiable=False)
    sql = error_of(lambda: client.delete_logs(DeleteLogsRequest(project, store, FROM, TO, query="* | select 1")))
    assert (sql.get_error_code(), sql.resp_status) == ("ParameterInvalid", 400)
    missing = error_of(lambda: client.get_delete_logs_status(GetDeleteLogsStatusRequest(project, store, "nope")))
    assert (missing.get_error_code(), missing.resp_status) == ("TaskNotExist", 404)
    client.create_logstore(project, "noindex", ttl=7, shard_count=1)
    unindexed = error_of(lambda: client.delete_logs(DeleteLogsRequest(project, "noindex", FROM, TO)))
    assert unindexed.get_error_code() == "IndexConfigNotExist"
    gone = error_of(lambda: client.delete_logs(DeleteLogsRequest(project, "absent", FROM, TO)))
    assert gone.get_error_code() == "LogStoreNotExist"
    # a failed task is not listed
    assert client.list_delete_logs_tasks(ListDeleteLogsTasksRequest(project, store)).get_total() == 0


# -- row-level delete and update -------------------------------------------------------------


def test_delete_and_update_need_a_modifiable_logstore(client: LogClient, project: str) -> None:
    store = make_store(client, project, "fixed", modifiable=False)
    refused = error_of(lambda: client.delete_logs_v2(project=project, logstore=store, from_time=FROM, to_time=TO))
    assert (refused.get_error_code(), refused.resp_status) == ("ParameterInvalid", 400)
    refused = error_of(lambda: client.update_logs(project=project, logstore=store, rowid="1", log_item={"a": "b"}))
    assert refused.get_error_code() == "ParameterInvalid"
    assert "__rowid__" not in search(client, project, store)[0]

    client.enable_logstore_modify(project, store)
    assert client.get_logstore(project, store).get_enable_modify() is True
    assert "__rowid__" in search(client, project, store)[0]
    assert client.delete_logs_v2(project=project, logstore=store, from_time=FROM, to_time=TO).get_affected_rows() == 10


def test_delete_by_query_and_by_row_id(client: LogClient, project: str) -> None:
    store = make_store(client, project, "rows", modifiable=True)
    deleted = client.delete_logs_v2(project=project, logstore=store, from_time=FROM, to_time=TO, query="level:ERROR")
    assert deleted.get_affected_rows() == 5
    rows = search(client, project, store)
    assert len(rows) == 5 and all(row["__rowid__"] for row in rows)

    first = rows[0]
    answer = client.delete_logs_v2(DeleteLogsV2Request(project, store, FROM, TO, rowId=first["__rowid__"]))
    assert answer.get_affected_rows() == 1
    again = client.delete_logs_v2(project=project, logstore=store, row_id=first["__rowid__"])
    assert again.get_affected_rows() == 0  # deleting twice is harmless
    assert first["user"] not in {row["user"] for row in search(client, project, store)}
    assert sql_rows(client, project, store, "* | select count(*) as c") == [{"c": "4"}]
    assert pulled(client, project, store) == 10


def test_update_partial_and_full(client: LogClient, project: str) -> None:
    store = make_store(client, project, "upd", modifiable=True)
    changed = client.update_logs(
        project=project, logstore=store, from_time=FROM, to_time=TO, query="level:ERROR", log_item={"level": "WARN"}
    )
    assert changed.get_affected_rows() == 5
    levels = sql_rows(client, project, store, "* | select level, count(*) as c group by level order by level")
    assert levels == [{"level": "INFO", "c": "5"}, {"level": "WARN", "c": "5"}]
    warn = search(client, project, store, "level:WARN and n > 6")
    assert sorted(row["n"] for row in warn) == ["7", "9"]  # the other fields are kept

    target = warn[0]
    item = LogItem(contents=[("user", "replaced")])
    full = client.update_logs(
        project=project, logstore=store, rowid=target["__rowid__"], log_item=item, update_mode="full"
    )
    assert full.get_affected_rows() == 1
    (row,) = search(client, project, store, "user:replaced")
    assert row["__rowid__"] == target["__rowid__"]  # the id survives the update
    assert "level" not in row and "n" not in row

    request = UpdateLogsRequest(project, store, FROM, TO, query="user:replaced", data='{"user": "again"}')
    assert client.update_logs(request).get_affected_rows() == 1
    assert len(search(client, project, store, "user:again")) == 1
    assert pulled(client, project, store) == 10
    pulled_users = [
        log["user"]
        for batch in client.pull_log(project, store, 0, "begin", "end")
        for log in batch.get_flatten_logs_json()
    ]
    assert "again" not in pulled_users and "u7" in pulled_users


def test_update_errors(client: LogClient, project: str) -> None:
    store = make_store(client, project, "upderr", modifiable=True)

    def update(**kwargs: Any) -> LogException:
        return error_of(lambda: client.update_logs(project=project, logstore=store, **kwargs))

    assert update(rowid="1").get_error_code() == "ParameterInvalid"  # no data
    assert update(rowid="1", data='{"__time__": "1"}').get_error_code() == "ParameterInvalid"
    assert update(rowid="1", data="not json").get_error_code() == "ParameterInvalid"
    assert update(rowid="1", data='{"a": "b"}', update_mode="merge").get_error_code() == "ParameterInvalid"
    assert update(data='{"a": "b"}').get_error_code() == "ParameterInvalid"  # neither rowId nor range
    sql = update(from_time=FROM, to_time=TO, query="* | select 1", data='{"a": "b"}')
    assert sql.get_error_code() == "ParameterInvalid"
    unknown = client.update_logs(project=project, logstore=store, rowid="not-an-id", data='{"a": "b"}')
    assert unknown.get_affected_rows() == 0


# -- asynchronous SQL ------------------------------------------------------------------------


def wait_done(client: LogClient, project: str, query_id: str, **page: int) -> AsyncSqlResponse:
    deadline = time.monotonic() + 30
    while True:
        answer = client.get_async_sql(GetAsyncSqlRequest(project, query_id, **page))
        if answer.get_state() != "RUNNING" or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def test_async_sql_returns_the_rows_of_the_synchronous_query(client: LogClient, project: str) -> None:
    store = make_store(client, project, "asql", modifiable=False)
    sql = "* | select user, n from log order by n limit 1000"
    submitted = client.submit_async_sql(SubmitAsyncSqlRequest(project, store, sql, FROM, TO))
    assert submitted.get_query_id() and submitted.get_state() in ("RUNNING", "FINISHED")

    done = wait_done(client, project, submitted.get_query_id())
    assert done.get_state() == "FINISHED"
    assert done.get_keys() == ["user", "n"]
    assert done.get_result_rows() == 10 and done.get_processed_rows() == 10
    synchronous = [[row["user"], row["n"]] for row in sql_rows(client, project, store, sql)]
    assert done.get_rows() == synchronous

    page = wait_done(client, project, submitted.get_query_id(), offset=3, line=4)
    assert page.get_rows() == synchronous[3:7]

    removed = client.delete_async_sql(DeleteAsyncSqlRequest(project, submitted.get_query_id()))
    assert removed.get_state() == "FINISHED"
    gone = error_of(lambda: client.get_async_sql(GetAsyncSqlRequest(project, submitted.get_query_id())))
    assert (gone.get_error_code(), gone.resp_status) == ("QueryNotExist", 404)


def test_async_sql_sees_deleted_rows_as_gone(client: LogClient, project: str) -> None:
    store = make_store(client, project, "asqldel", modifiable=False)
    client.delete_logs(DeleteLogsRequest(project, store, FROM, TO, query="level:INFO"))
    query_id = client.submit_async_sql(SubmitAsyncSqlRequest(project, store, "* | select count(*)", FROM, TO))
    assert wait_done(client, project, query_id.get_query_id()).get_rows() == [["5"]]


def test_async_sql_failures(client: LogClient, project: str) -> None:
    store = make_store(client, project, "asqlerr", modifiable=False)
    failing = client.submit_async_sql(SubmitAsyncSqlRequest(project, store, "* | select nosuch from log", FROM, TO))
    done = wait_done(client, project, failing.get_query_id())
    assert done.get_state() == "FAILED"
    assert done.get_error_code() == "ParameterInvalid" and done.get_error_message()
    assert done.get_rows() == []

    search_only = error_of(lambda: client.submit_async_sql(SubmitAsyncSqlRequest(project, store, "*", FROM, TO)))
    assert search_only.get_error_code() == "ParameterInvalid"
    bad_range = error_of(lambda: client.submit_async_sql(SubmitAsyncSqlRequest(project, store, "*|select 1", TO, FROM)))
    assert bad_range.get_error_code() == "InvalidTimeRange"  # as GetLogs answers it
    absent = error_of(lambda: client.submit_async_sql(SubmitAsyncSqlRequest(project, "absent", "*|select 1", FROM, TO)))
    assert absent.get_error_code() == "LogStoreNotExist"
    bad_line = error_of(lambda: client.get_async_sql(GetAsyncSqlRequest(project, failing.get_query_id(), line=5000)))
    assert bad_line.get_error_code() == "ParameterInvalid"
    with pytest.raises(LogException):  # an empty id is refused before anything is sent
        client.get_async_sql(GetAsyncSqlRequest(project, ""))
