"""Scheduled SQL on the emulator's clock: each due window runs and writes its rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock
from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.service.scheduled_sql import (
    MAX_RUNS_PER_TICK,
    ScheduledSQLRunner,
    eval_time_expr,
    schedule_times,
)
from aliyun.log.job import JobSchedule
from aliyun.log.scheduled_sql import (
    Log2MetricParameters,
    ScheduledSQL,
    ScheduledSQLConfiguration,
)
from aliyun.log.scheduled_sql_response import GetScheduledSQLResponse, ListScheduledSQLResponse

P = "sql-project"
T0 = 1_699_999_980  # a whole minute
KEY = {"type": "text", "token": [","], "doc_value": True}
INDEX = {"line": {"token": [",", " "]}, "keys": {"status": KEY, "c": KEY}}
SCRIPT = "* | select status, count(*) as c group by status order by status"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture(params=["in-process", "socket"])
def client(request: pytest.FixtureRequest, clock: ManualClock, tmp_path: Path) -> Iterator[LogClient]:
    listen = request.param == "socket"
    with EmulatorServer(port=0, data_dir=tmp_path / "data", clock=clock, listen=listen) as server:
        client = server.client(in_process=not listen)
        client.create_project(P, "scheduled SQL")
        for name in ("src", "dst"):
            client.create_logstore(P, name, shard_count=1)
            client.create_index(P, name, INDEX)
        yield client


def write(client: LogClient, at: int, *statuses: str) -> None:
    items = [LogItem(timestamp=at + i, contents=[("status", status)]) for i, status in enumerate(statuses)]
    client.put_logs(PutLogsRequest(P, "src", "", "", items))


def job(name: str, script: str = SCRIPT, source: str = "src", **config: Any) -> ScheduledSQL:
    schedule = JobSchedule()
    schedule.setType("FixedRate")  # type: ignore[attr-defined]
    schedule.setInterval("1m")  # type: ignore[attr-defined]
    schedule.setDelay(0)  # type: ignore[attr-defined]
    configuration = ScheduledSQLConfiguration()
    configuration.setScript(script)  # type: ignore[attr-defined]
    configuration.setSourceLogstore(source)  # type: ignore[attr-defined]
    configuration.setDestProject(P)  # type: ignore[attr-defined]
    configuration.setDestLogstore("dst")  # type: ignore[attr-defined]
    configuration.setFromTimeExpr("@m-1m")  # type: ignore[attr-defined]
    configuration.setToTimeExpr("@m")  # type: ignore[attr-defined]
    configuration.setFromTime(T0 + 60)  # type: ignore[attr-defined]
    configuration.setToTime(0)  # type: ignore[attr-defined]
    for key, value in config.items():
        getattr(configuration, "set" + key[0].upper() + key[1:])(value)
    sql = ScheduledSQL()
    sql.setName(name)  # type: ignore[attr-defined]
    sql.setDisplayName(name.upper())  # type: ignore[attr-defined]
    sql.setSchedule(schedule)  # type: ignore[attr-defined]
    sql.setConfiguration(configuration)  # type: ignore[attr-defined]
    return sql


def dest_rows(client: LogClient, query: str = "*") -> list[dict[str, str]]:
    logs = client.get_log(P, "dst", T0 - 3600, T0 + 7200, query=query, size=100).get_logs()
    return sorted(
        ({k: v for k, v in log.get_contents().items() if k not in ("__topic__", "__source__")} for log in logs),
        key=lambda row: (row.get("status", ""), row.get("c", ""), row.get("__labels__", "")),
    )


def instances(client: LogClient, name: str) -> list[dict[str, Any]]:
    return client.list_scheduled_sql_job_instance(P, name, T0, T0 + 3600).get_scheduled_sql_jobs()


def test_three_windows_write_their_aggregates(client: LogClient, clock: ManualClock) -> None:
    write(client, T0, "200", "200", "500")
    write(client, T0 + 60, "404")
    write(client, T0 + 120, "200", "500", "500")
    client.create_scheduled_sql(P, job("per-status"))
    doc = client.get_scheduled_sql(P, "per-status")
    assert isinstance(doc, GetScheduledSQLResponse)
    assert (doc.get_scheduled_sql()["status"], doc.get_scheduled_sql()["type"]) == ("ENABLED", "ScheduledSQL")
    assert instances(client, "per-status") == []  # nothing is due before T0 + 60
    assert dest_rows(client) == []

    clock.advance(180)  # T0 + 180: the windows of T0+60, T0+120 and T0+180 are due

    runs = instances(client, "per-status")
    assert [run["scheduleTimeInMillis"] for run in runs] == [(T0 + t) * 1000 for t in (180, 120, 60)]
    assert {run["state"] for run in runs} == {"SUCCEEDED"}
    assert dest_rows(client) == [
        {"status": "200", "c": "1"},
        {"status": "200", "c": "2"},
        {"status": "404", "c": "1"},
        {"status": "500", "c": "1"},
        {"status": "500", "c": "2"},
    ]
    # each window's rows carry the window's start as their time
    assert [row["status"] for row in dest_rows(client, f"* | select status where __time__ = {T0}")] == [
        "200",
        "500",
    ]
    first = client.get_scheduled_sql_job_instance(P, "per-status", runs[-1]["instanceId"], result="true")
    assert json.loads(first.get_instance()["result"]) == {
        "fromTime": T0,
        "toTime": T0 + 60,
        "processedRows": 3,
        "writtenRows": 2,
    }
    assert "result" not in client.get_scheduled_sql_job_instance(P, "per-status", runs[-1]["instanceId"]).get_body()

    clock.advance(59)  # the next window is not due yet
    assert len(instances(client, "per-status")) == 3


def test_rerun_writes_the_window_again_and_late_logs_count(client: LogClient, clock: ManualClock) -> None:
    write(client, T0, "200")
    client.create_scheduled_sql(P, job("rerun"))
    clock.advance(60)
    (run,) = instances(client, "rerun")
    write(client, T0 + 30, "200")  # late data of the first window
    client.modify_scheduled_sql_job_instance_state(P, "rerun", run["instanceId"], "RUNNING")
    again = client.get_scheduled_sql_job_instance(P, "rerun", run["instanceId"], "true").get_instance()
    assert again["state"] == "SUCCEEDED"
    assert json.loads(again["result"])["processedRows"] == 2
    assert dest_rows(client) == [{"status": "200", "c": "1"}, {"status": "200", "c": "2"}]
    with pytest.raises(LogException) as info:
        client.modify_scheduled_sql_job_instance_state(P, "rerun", run["instanceId"], "SUCCEEDED")
    assert info.value.get_error_code() == "BadParameters"
    with pytest.raises(LogException) as info:
        client.get_scheduled_sql_job_instance(P, "rerun", "0000000000000000")
    assert info.value.get_error_code() == "JobInstanceNotExist"


def test_a_failing_run_is_recorded_and_the_schedule_goes_on(client: LogClient, clock: ManualClock) -> None:
    client.create_logstore(P, "unindexed", shard_count=1)
    client.create_scheduled_sql(P, job("broken", source="unindexed"))
    clock.advance(120)
    runs = instances(client, "broken")
    assert [run["state"] for run in runs] == ["FAILED", "FAILED"]
    assert runs[0]["errorCode"] == "IndexConfigNotExist"
    failed = client.list_scheduled_sql_job_instance(P, "broken", T0, T0 + 3600, state="SUCCEEDED")
    assert failed.get_scheduled_sql_jobs() == [] and failed.get_total() == 0


def test_log_to_metric(client: LogClient, clock: ManualClock) -> None:
    write(client, T0, "200", "200", "500")
    params = Log2MetricParameters()
    params.setMetricKeys(["c"])  # type: ignore[attr-defined]
    params.setLabelKeys(["status"])  # type: ignore[attr-defined]
    params.setAddLabels({"env": "test"})  # type: ignore[attr-defined]
    params.setTimeKey("")  # type: ignore[attr-defined]
    client.create_scheduled_sql(P, job("metrics", dataFormat="log2metric", parameters=params))
    clock.advance(60)
    points = dest_rows(client)
    assert points == [
        {
            "__name__": "c",
            "__labels__": "env#$#test|status#$#200",
            "__time_nano__": str(T0 * 10**9),
            "__value__": "2.0",
        },
        {
            "__name__": "c",
            "__labels__": "env#$#test|status#$#500",
            "__time_nano__": str(T0 * 10**9),
            "__value__": "1.0",
        },
    ]


def test_crud_listing_and_deleting_drops_the_instances(client: LogClient, clock: ManualClock) -> None:
    client.create_scheduled_sql(P, job("a"))
    client.create_scheduled_sql(P, job("b"))
    listing = client.list_scheduled_sql(P)
    assert isinstance(listing, ListScheduledSQLResponse)
    assert [doc["name"] for doc in listing.get_scheduled_sql_jobs()] == ["a", "b"]
    changed = job("a", script="* | select count(*) as c")
    client.update_scheduled_sql(P, changed)
    assert client.get_scheduled_sql(P, "a").get_scheduled_sql()["configuration"]["script"].endswith("as c")
    clock.advance(60)
    (old,) = instances(client, "a")
    client.delete_scheduled_sql(P, "a")
    with pytest.raises(LogException) as info:
        client.get_scheduled_sql_job_instance(P, "a", old["instanceId"])
    assert info.value.get_error_code() == "JobNotExist"
    client.create_scheduled_sql(P, job("a"))
    (new,) = instances(client, "a")  # a re-created job runs its due window afresh, under a new id
    assert new["scheduleTimeInMillis"] == old["scheduleTimeInMillis"] and new["instanceId"] != old["instanceId"]
    with pytest.raises(LogException) as info:
        client.get_scheduled_sql(P, "gone")
    assert info.value.get_error_code() == "JobNotExist"


def test_client_side_checks() -> None:
    client = LogClient("cn-hangzhou.log.aliyuncs.com", "ak", "sk")
    early = job("early")
    early.getConfiguration().setFromTime(1_000)  # type: ignore[attr-defined]
    with pytest.raises(LogException) as info:
        client.create_scheduled_sql(P, early)
    assert info.value.get_error_code() == "BadParameters"
    backwards = job("backwards", toTime=T0)
    with pytest.raises(LogException) as info:
        client.create_scheduled_sql(P, backwards)
    assert info.value.get_error_code() == "BadParameters"
    wrong = job("wrong")
    wrong.setConfiguration({"script": "x"})  # type: ignore[attr-defined]
    with pytest.raises(LogException) as info:
        client.check_upsert_scheduled_sql(P, wrong, "POST", "/jobs")
    assert info.value.get_error_code() == "BadConfig"
    with pytest.raises(LogException) as info:
        client.check_upsert_scheduled_sql(P, job("x"), "GET", "/logstores")
    assert info.value.get_error_code() == "BadParameters"


def test_unsupported_schedules_are_refused(client: LogClient) -> None:
    cron = job("cron")
    cron.getSchedule().setType("Cron")  # type: ignore[attr-defined]
    with pytest.raises(LogException) as info:
        client.create_scheduled_sql(P, cron)
    assert info.value.get_error_code() == "ParameterInvalid"
    bad_expr = job("expr", fromTimeExpr="yesterday")
    with pytest.raises(LogException) as info:
        client.create_scheduled_sql(P, bad_expr)
    assert info.value.get_error_code() == "ParameterInvalid"


def test_time_expressions_and_schedule_times() -> None:
    at = 1_700_003_725  # 2023-11-14 23:15:25 UTC
    assert eval_time_expr("@m", at) == 1_700_003_700
    assert eval_time_expr("@m - 5m", at) == 1_700_003_400
    assert eval_time_expr("@h-1h", at) == 1_699_999_200
    assert eval_time_expr("@d", at) == 1_699_920_000
    assert eval_time_expr("@d", at, zone=8 * 3600) == 1_699_977_600  # midnight in +0800
    assert eval_time_expr("@s+1w", at) == at + 604_800
    doc = {"schedule": {"type": "Hourly", "delay": 30}, "configuration": {"fromTime": 1_700_000_001}}
    assert list(schedule_times(doc, 0, 1_700_010_000)) == [1_700_002_800, 1_700_006_400]
    daily = {"schedule": {"type": "Daily", "hour": 2, "timeZone": "+0800"}, "configuration": {"fromTime": at}}
    assert next(schedule_times(daily, 0, 2**40)) == 1_700_071_200  # 02:00 +0800 = 18:00 UTC
    bounded = {"schedule": {"type": "FixedRate", "interval": "10m"}, "configuration": {"fromTime": 600, "toTime": 1800}}
    assert list(schedule_times(bounded, 0, 10_000)) == [600, 1200]


def test_a_disabled_job_does_not_run_until_enabled(client: LogClient, clock: ManualClock) -> None:
    client.create_scheduled_sql(P, job("paused"))
    client._send("DisableJob", P, "/jobs/paused", params={"action": "disable"})
    assert client.get_scheduled_sql(P, "paused").get_scheduled_sql()["status"] == "DISABLED"
    clock.advance(120)
    assert instances(client, "paused") == []
    client._send("EnableJob", P, "/jobs/paused", params={"action": "enable"})
    assert len(instances(client, "paused")) == 2  # the windows missed while disabled run on enabling


def test_a_backlog_is_caught_up_a_bounded_number_of_runs_per_request(client: LogClient, clock: ManualClock) -> None:
    client.create_scheduled_sql(P, job("backlog"))
    clock.advance(150 * 60)  # 150 windows due
    first = client.list_scheduled_sql_job_instance(P, "backlog", T0, T0 + 86400)
    assert first.get_total() == MAX_RUNS_PER_TICK
    second = client.list_scheduled_sql_job_instance(P, "backlog", T0, T0 + 86400, size=-1)
    assert second.get_total() == 150 and len(second.get_scheduled_sql_jobs()) == 150
    assert {run["state"] for run in second.get_scheduled_sql_jobs()} == {"SUCCEEDED"}


def test_the_schedule_survives_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    with EmulatorServer(port=0, data_dir=tmp_path / "data", clock=clock, listen=False) as server:
        client = server.client()
        client.create_project(P, "scheduled SQL")
        for name in ("src", "dst"):
            client.create_logstore(P, name, shard_count=1)
            client.create_index(P, name, INDEX)
        write(client, T0, "200")
        client.create_scheduled_sql(P, job("durable"))
        clock.advance(60)
        assert len(instances(client, "durable")) == 1
    with EmulatorServer(port=0, data_dir=tmp_path / "data", clock=clock, listen=False) as server:
        client = server.client()
        write(client, T0 + 60, "500")
        clock.advance(60)
        runs = instances(client, "durable")
        assert [run["scheduleTimeInMillis"] for run in runs] == [(T0 + 120) * 1000, (T0 + 60) * 1000]
        assert dest_rows(client) == [{"status": "200", "c": "1"}, {"status": "500", "c": "1"}]


def test_failing_job_work_never_fails_a_request(
    client: LogClient, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.create_scheduled_sql(P, job("later"))
    clock.advance(60)

    def full_disk(self: ScheduledSQLRunner, now: int) -> None:
        raise SLSError("InternalServerError", "the disk is full", 500)

    with monkeypatch.context() as patch:
        patch.setattr(ScheduledSQLRunner, "run_due", full_disk)
        assert client.get_scheduled_sql(P, "later").get_scheduled_sql()["status"] == "ENABLED"
    assert len(instances(client, "later")) == 1  # the work stayed due and ran on the next request
