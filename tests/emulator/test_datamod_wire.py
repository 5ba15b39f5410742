"""The emulator's side of changing stored logs and of asynchronous SQL: wire shapes, bad
requests, durability across a restart, and the async-query pool (cancel, bound)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from aliyun.log import DeleteLogsRequest, ListDeleteLogsTasksRequest, LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query import QueryResult
from aliyun.log.emulator.service import async_sql

P, LS = "datamod-http", "ls"
T0 = 1_700_000_000
INDEX = {
    "line": {"token": [" "]},
    "keys": {"level": {"type": "text", "doc_value": True}, "i": {"type": "long", "doc_value": True}},
}


def setup_store(client: LogClient, *, modifiable: bool = True) -> None:
    client.create_project(P, "d")
    client.create_logstore(P, LS, shard_count=1, enable_modify=modifiable)
    client.create_index(P, LS, INDEX)
    items = [LogItem(T0 + i, [("level", "E" if i % 2 else "I"), ("i", str(i))]) for i in range(6)]
    client.put_logs(PutLogsRequest(P, LS, "", "", items))


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def send(client: LogClient, op: str, path: str, body: Any = None, **kwargs: Any) -> Any:
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    return client._send(op, P, path, body=raw, content_type="application/json", **kwargs)


def levels(client: LogClient) -> list[str]:
    logs = client.get_log(P, LS, T0 - 1, T0 + 60, size=100).get_logs()
    return sorted(log.get_contents()["level"] for log in logs)


@pytest.fixture
def client() -> Any:
    with EmulatorServer(listen=False) as server:
        yield server.client()


def test_bad_bodies_answer_sls_errors(client: LogClient) -> None:
    setup_store(client)
    for op, path in (("DeleteLogs", f"/logstores/{LS}/deletelogs"), ("UpdateLogs", f"/logstores/{LS}/updatelogs")):
        for body in (b"not json", [1, 2], {"from": "x", "to": 1}, {"from": T0}):
            error = error_of(lambda op=op, path=path, body=body: send(client, op, path, body))
            assert (error.get_error_code(), error.get_resp_status()) == ("ParameterInvalid", 400), (op, body)
    task = error_of(lambda: send(client, "CreateDeleteLogsTask", f"/logstores/{LS}/deletelogtasks", {"query": "*"}))
    assert task.get_error_code() == "ParameterInvalid"  # no range
    modification = error_of(lambda: send(client, "EnableLogStoreModify", f"/logstores/{LS}/modification", {}))
    assert modification.get_error_code() == "ParameterInvalid"  # only {"enabled": true}
    nested = error_of(
        lambda: send(client, "UpdateLogs", f"/logstores/{LS}/updatelogs", {"rowId": "1", "data": {"a": {"b": 1}}})
    )
    assert nested.get_error_code() == "ParameterInvalid"
    assert levels(client) == ["E", "E", "E", "I", "I", "I"]  # nothing changed


def test_change_answers_carry_the_count_in_body_and_header(client: LogClient) -> None:
    setup_store(client)
    answer = send(client, "DeleteLogs", f"/logstores/{LS}/deletelogs", {"from": T0, "to": T0 + 60, "query": "level:E"})
    assert json.loads(answer.body) == {"affected_rows": 3}
    assert answer.header("x-log-affectedrows") == "3"
    updated = send(client, "UpdateLogs", f"/logstores/{LS}/updatelogs", {"rowId": "0", "data": {"level": 7}})
    assert updated.header("x-log-affectedrows") == "1"
    assert levels(client) == ["7", "I", "I"]  # numbers are stored as text, like every log value


def test_async_sql_answers_json_without_a_protobuf_accept(client: LogClient) -> None:
    setup_store(client)
    body = {"logstore": LS, "query": "* | select count(*) as c", "from": T0, "to": T0 + 60}
    submitted = json.loads(send(client, "SubmitAsyncSql", "/asyncsql", body).body)
    assert submitted["state"] in ("RUNNING", "FINISHED") and submitted["id"]
    for _ in range(600):
        answer = json.loads(send(client, "GetAsyncSql", f"/asyncsql/{submitted['id']}").body)
        if answer["state"] != "RUNNING":
            break
        threading.Event().wait(0.05)
    assert answer["state"] == "FINISHED"
    assert answer["rows"] == [["6"]]
    assert answer["async_sql_meta_pb"]["keys"] == ["c"] and answer["async_sql_meta_pb"]["result_rows"] == 1


def test_async_sql_is_project_scoped(client: LogClient) -> None:
    setup_store(client)
    client.create_project("other", "d")
    body = {"logstore": LS, "query": "* | select 1", "from": T0, "to": T0 + 60}
    query_id = json.loads(send(client, "SubmitAsyncSql", "/asyncsql", body).body)["id"]
    elsewhere = error_of(lambda: client._send("GetAsyncSql", "other", f"/asyncsql/{query_id}"))
    assert (elsewhere.get_error_code(), elsewhere.get_resp_status()) == ("QueryNotExist", 404)


def test_changes_survive_a_restart(tmp_path: Path) -> None:
    with EmulatorServer(data_dir=tmp_path, listen=False) as server:
        client = server.client()
        setup_store(client)
        client.delete_logs(DeleteLogsRequest(P, LS, T0, T0 + 60, query="i:1"))
        client.delete_logs_v2(project=P, logstore=LS, from_time=T0, to_time=T0 + 60, query="i:3")
        client.update_logs(project=P, logstore=LS, rowid="0", log_item={"level": "changed"})
        before = levels(client)
    with EmulatorServer(data_dir=tmp_path, listen=False) as server:
        client = server.client()
        assert levels(client) == before == ["E", "I", "I", "changed"]
        logs = client.get_log(P, LS, T0 - 1, T0 + 60, query="level:changed").get_logs()
        assert logs[0].get_contents()["__rowid__"] == "0"
        tasks = client.list_delete_logs_tasks(ListDeleteLogsTasksRequest(P, LS))
        assert tasks.get_total() == 1
        assert sum(b.get_log_count() for b in client.pull_log(P, LS, 0, "begin", "end")) == 6


# -- the async-query pool, with a query path that blocks until released ---------------------


class _BlockingQueries:
    """Stands in for QueryService: every query waits for ``release``, then answers one row."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Semaphore(0)
        self.indexes = self

    def engine(self, project: Any, logstore: str) -> object:
        return object()

    def get_logs(self, project: Any, logstore: str, values: Any) -> QueryResult:
        self.started.release()
        self.release.wait(30)
        if values["query"].endswith("fail"):
            raise SLSError("ParameterInvalid", "bad statement")
        return QueryResult([{"c": "1"}], processed_rows=4, keys=["c"], has_sql=True)


def test_deleting_a_running_query_cancels_it_and_drops_its_result() -> None:
    queries = _BlockingQueries()
    service = async_sql.AsyncSqlService(queries)  # type: ignore[arg-type]
    try:
        body = {"logstore": "ls", "query": "* | select 1", "from": 1, "to": 2}
        job = service.submit("p", body)
        assert queries.started.acquire(timeout=10)
        assert service.get("p", job["id"], 0, 10)["state"] == "RUNNING"
        assert service.delete("p", job["id"]) == {"id": job["id"], "state": "CANCELLED"}
        queries.release.set()
        with pytest.raises(SLSError) as info:
            service.get("p", job["id"], 0, 10)
        assert info.value.code == "QueryNotExist"
    finally:
        queries.release.set()
        service.close()


def test_the_number_of_kept_queries_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(async_sql, "MAX_QUERIES", 3)
    monkeypatch.setattr(async_sql, "WORKERS", 3)
    queries = _BlockingQueries()
    service = async_sql.AsyncSqlService(queries)  # type: ignore[arg-type]
    try:
        body = {"logstore": "ls", "query": "* | select 1", "from": 1, "to": 2}
        ids = [service.submit("p", body)["id"] for _ in range(3)]
        with pytest.raises(SLSError) as info:  # all three still running
            service.submit("p", body)
        assert (info.value.code, info.value.status) == ("ReadQuotaExceed", 403)
        queries.release.set()
        for query_id in ids:
            for _ in range(600):
                if service.get("p", query_id, 0, 10)["state"] != "RUNNING":
                    break
                threading.Event().wait(0.02)
        newest = service.submit("p", {**body, "query": "* | select fail"})["id"]
        with pytest.raises(SLSError):  # the oldest finished one made room
            service.get("p", ids[0], 0, 10)
        for _ in range(600):
            failed = service.get("p", newest, 0, 10)
            if failed["state"] != "RUNNING":
                break
            threading.Event().wait(0.02)
        assert failed == {
            "id": newest,
            "state": "FAILED",
            "error_code": "ParameterInvalid",
            "error_message": "bad statement",
        }
        assert service.get("p", ids[1], 0, 10)["meta"]["processed_rows"] == 4
    finally:
        queries.release.set()
        service.close()
