"""The official SDK's calls that change stored logs, and its asynchronous SQL, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

DATAMOD_SCRIPT = """
from aliyun.log.get_async_sql_request import GetAsyncSqlRequest
from aliyun.log.delete_async_sql_request import DeleteAsyncSqlRequest

P, T0 = "conf-datamod", 1700000000
FROM, TO = T0 - 10, T0 + 100
TEXT = {"type": "text", "doc_value": True, "token": [" "], "caseSensitive": False}
INDEX = {"line": {"token": [" "]}, "keys": {"level": TEXT, "n": {"type": "long", "doc_value": True}}}
out = {}
client.create_project(P, "datamod")

def store(name, modifiable):
    client.create_logstore(P, name, shard_count=1, enable_modify=modifiable)
    config = IndexConfig()
    config.from_json(INDEX)
    client.create_index(P, name, config)
    items = [LogItem(T0 + i, [("level", "ERROR" if i % 2 else "INFO"), ("n", str(i))]) for i in range(6)]
    client.put_logs(PutLogsRequest(P, name, "web", "", items))

def levels(name, query="*"):
    logs = client.get_log(P, name, FROM, TO, query=query, size=100).get_logs()
    return sorted(log.get_contents()["level"] for log in logs)

def pulled(name):
    return sum(batch.get_log_count() for batch in client.pull_log(P, name, 0, "begin", "end"))

# soft delete
store("soft", False)
task = client.delete_logs(DeleteLogsRequest(P, "soft", FROM, TO, query="level:ERROR")).get_taskid()
status = client.get_delete_logs_status(GetDeleteLogsStatusRequest(P, "soft", task))
out["soft_status"] = [status.is_completed(), status.get_process()]
tasks = client.list_delete_logs_tasks(ListDeleteLogsTasksRequest(P, "soft"))
out["soft_tasks"] = [tasks.get_total(), tasks.is_completed(), [t["taskId"] == task for t in tasks.get_task_list()]]
out["soft_levels"] = levels("soft")
out["soft_count"] = client.get_log(P, "soft", FROM, TO, query="* | select count(*) as c").get_logs()[0].get_contents()
out["soft_pulled"] = pulled("soft")

# row-level changes
store("fixed", False)
out["not_modifiable"] = error_of(client.delete_logs_v2, project=P, logstore="fixed", from_time=FROM, to_time=TO)
client.enable_logstore_modify(P, "fixed")
out["enabled"] = client.get_logstore(P, "fixed").get_enable_modify()
store("rows", True)
deleted = client.delete_logs_v2(project=P, logstore="rows", from_time=FROM, to_time=TO, query="level:ERROR")
out["deleted"] = deleted.get_affected_rows()
rows = [log.get_contents() for log in client.get_log(P, "rows", FROM, TO, size=100).get_logs()]
out["has_rowid"] = all("__rowid__" in row for row in rows)
by_id = client.delete_logs_v2(DeleteLogsV2Request(P, "rows", FROM, TO, rowId=rows[0]["__rowid__"]))
out["deleted_by_id"] = by_id.get_affected_rows()
updated = client.update_logs(project=P, logstore="rows", from_time=FROM, to_time=TO, query="level:INFO",
                             log_item=LogItem(contents=[("level", "WARN")]))
out["updated"] = updated.get_affected_rows()
request = UpdateLogsRequest(P, "rows", FROM, TO, rowId=rows[1]["__rowid__"], updateMode="full", data='{"level": "X"}')
out["updated_full"] = client.update_logs(request).get_affected_rows()
out["rows_levels"] = levels("rows")
out["rows_pulled"] = pulled("rows")

# asynchronous SQL
sql = "* | select level, count(*) as c group by level order by level"
submitted = client.submit_async_sql(SubmitAsyncSqlRequest(P, "soft", sql, FROM, TO))
query_id = submitted.get_query_id()
deadline = time.time() + 30
while True:
    answer = client.get_async_sql(GetAsyncSqlRequest(P, query_id, 0, 10))
    if answer.get_state() != "RUNNING" or time.time() > deadline:
        break
    time.sleep(0.05)
out["async"] = [answer.get_state(), answer.get_keys(), answer.get_rows(), answer.get_result_rows()]
out["async_deleted"] = client.delete_async_sql(DeleteAsyncSqlRequest(P, query_id)).get_state()
out["async_gone"] = error_of(client.get_async_sql, GetAsyncSqlRequest(P, query_id))
emit(out)
"""


def test_official_client_changes_data_and_runs_async_sql(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(DATAMOD_SCRIPT, emulator)

    assert out["soft_status"] == [True, 100]
    assert out["soft_tasks"] == [1, True, [True]]
    assert out["soft_levels"] == ["INFO"] * 3
    assert out["soft_count"] == {"c": "3"}
    assert out["soft_pulled"] == 6

    assert (out["not_modifiable"]["code"], out["not_modifiable"]["status"]) == ("ParameterInvalid", 400)
    assert out["enabled"] is True
    assert out["deleted"] == 3 and out["has_rowid"] and out["deleted_by_id"] == 1
    assert out["updated"] == 2 and out["updated_full"] == 1
    assert out["rows_levels"] == ["WARN", "X"]
    assert out["rows_pulled"] == 6

    assert out["async"] == ["FINISHED", ["level", "c"], [["INFO", "3"]], 1]
    assert out["async_deleted"] == "FINISHED"
    assert (out["async_gone"]["code"], out["async_gone"]["status"]) == ("QueryNotExist", 404)
