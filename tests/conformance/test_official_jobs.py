"""The official SDK's job calls (alerts, ETL, export, ingestion, scheduled SQL) against the emulator."""

from __future__ import annotations

import time
from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

JOBS_SCRIPT = """
P = "conf-jobs"
out = {}
client.create_project(P, "jobs")
client.create_logstore(P, "web", shard_count=1)

alert = {"name": "errors", "displayName": "Errors", "type": "Alert",
         "configuration": {"queryList": [{"project": P, "store": "web", "query": "*"}]},
         "schedule": {"type": "FixedRate", "interval": "5m"}}
client.create_alert(P, alert)
out["create_alert"] = error_of(client.create_alert, P, alert)
out["alert"] = client.get_alert(P, "errors").get_entity()
client.disable_alert(P, "errors")
out["disabled"] = client.get_alert(P, "errors").get_entity()["status"]
client.enable_alert(P, "errors")
client.update_alert(P, dict(alert, displayName="Renamed"))
after = client.get_alert(P, "errors").get_entity()
out["updated"] = [after["displayName"], after["status"]]
listing = client.list_alert(P)
out["alerts"] = [[job["name"] for job in listing.get_alerts()], listing.get_total()]
client.copy_alert(P, "errors", to_alert_name="errors-copy")
out["copied"] = client.get_alert(P, "errors-copy").get_entity()["displayName"]

client.create_etl(P, "enrich", {"logstore": "web", "script": "e_set('a', 'b')"}, {"type": "Resident"}, "Enrich")
client.stop_etl(P, "enrich")
out["etl_stopped"] = client.get_etl(P, "enrich").get_etl()["status"]
client.start_etl(P, "enrich")
out["etls"] = [job["status"] for job in client.list_etls(P).get_etls()]
client.delete_etl(P, "enrich")
out["missing_etl"] = error_of(client.get_etl, P, "enrich")

ingestion = {"name": "from-oss", "displayName": "OSS", "type": "Ingestion",
             "configuration": {"logstore": "web", "source": {"type": "OSS", "bucket": "b"}},
             "schedule": {"type": "Resident"}}
client.create_ingestion(P, json.dumps(ingestion))
client.stop_ingestion(P, "from-oss")
client.restart_ingestion(P, "from-oss", json.dumps(dict(ingestion, displayName="OSS 2")))
doc = client.get_ingestion(P, "from-oss").get_ingestion()
out["ingestion"] = [doc["displayName"], doc["status"]]
out["ingestions"] = [job["name"] for job in client.list_ingestion(P, "web").get_ingestions()]

from aliyun.log.job import Export, ExportConfiguration
from aliyun.log.oss_sink import AliyunOSSSink
export = Export()
export.setName("to-oss")
export.setDisplayName("To OSS")
config = ExportConfiguration()
config.setLogstore("web")
config.setRoleArn("acs:ram::1:role/x")
config.setFromTime(1700000000)
config.setToTime(0)
config.setSink(AliyunOSSSink("acs:ram::1:role/x", "bkt", "p/", "", "%Y/%m", "time", 256, 300, "+0800", "json",
                             "none", {}))
export.setConfiguration(config)
client.create_export(P, export)
out["export"] = client.get_export(P, "to-oss").get_export()["configuration"]["sink"]["bucket"]
out["exports"] = [job["name"] for job in client.list_logstore_export(P, "web").get_exports()]
client.delete_export(P, "to-oss")
out["missing_export"] = error_of(client.get_export, P, "to-oss")
emit(out)
"""

SQL_SETUP = """
P, T0 = PARAMS["project"], PARAMS["t0"]
from aliyun.log.job import JobSchedule
from aliyun.log.scheduled_sql import ScheduledSQL, ScheduledSQLConfiguration
client.create_project(P, "scheduled SQL")
key = {"type": "text", "token": [","], "doc_value": True}
for name in ("src", "dst"):
    client.create_logstore(P, name, shard_count=1)
    index = IndexConfig()
    index.from_json({"line": {"token": [","]}, "keys": {"status": key, "c": key}})
    client.create_index(P, name, index)
items = [LogItem(timestamp=T0 + i, contents=[("status", s)]) for i, s in enumerate(["200", "500", "500"])]
client.put_logs(PutLogsRequest(P, "src", "", "", items))
schedule = JobSchedule()
schedule.setType("FixedRate")
schedule.setInterval("1m")
config = ScheduledSQLConfiguration()
config.setScript("* | select status, count(*) as c group by status")
config.setSourceLogstore("src")
config.setDestProject(P)
config.setDestLogstore("dst")
config.setFromTimeExpr("@m-1m")
config.setToTimeExpr("@m")
config.setFromTime(T0 + 60)
config.setToTime(0)
job = ScheduledSQL()
job.setName("per-status")
job.setDisplayName("Per status")
job.setDescription("status counts")
job.setSchedule(schedule)
job.setConfiguration(config)
client.create_scheduled_sql(P, job)
out = {"status": client.get_scheduled_sql(P, "per-status").get_scheduled_sql()["status"]}
out["names"] = [j["name"] for j in client.list_scheduled_sql(P).get_scheduled_sql_jobs()]
out["early"] = error_of(client.check_upsert_scheduled_sql, P, job, "PUT", "/jobs/per-status")
emit(out)
"""

SQL_CHECK = """
P, T0 = PARAMS["project"], PARAMS["t0"]
runs = client.list_scheduled_sql_job_instance(P, "per-status", T0, T0 + 3600).get_scheduled_sql_jobs()
first = runs[-1]["instanceId"]
detail = client.get_scheduled_sql_job_instance(P, "per-status", first, result="true").get_instance()
client.modify_scheduled_sql_job_instance_state(P, "per-status", first, "RUNNING")
logs = client.get_log(P, "dst", T0 - 60, T0 + 600, query="* | select status, c order by status").get_logs()
emit({
    "runs": [[r["scheduleTimeInMillis"], r["state"]] for r in runs],
    "result": json.loads(detail["result"]),
    "rows": [[log.get_contents()["status"], log.get_contents()["c"]] for log in logs],
    "bad_state": error_of(client.modify_scheduled_sql_job_instance_state, P, "per-status", first, "FAILED"),
})
"""


def test_alerts_etl_ingestion_export(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(JOBS_SCRIPT, emulator)

    assert (out["create_alert"]["code"], out["create_alert"]["status"]) == ("JobAlreadyExist", 400)
    assert (out["alert"]["name"], out["alert"]["status"]) == ("errors", "ENABLED")
    assert out["disabled"] == "DISABLED"
    assert out["updated"] == ["Renamed", "ENABLED"]
    assert out["alerts"] == [["errors"], 1]
    assert out["copied"] == "Renamed"
    assert out["etl_stopped"] == "STOPPED" and out["etls"] == ["RUNNING"]
    assert (out["missing_etl"]["code"], out["missing_etl"]["status"]) == ("JobNotExist", 404)
    assert out["ingestion"] == ["OSS 2", "RUNNING"] and out["ingestions"] == ["from-oss"]
    assert out["export"] == "bkt" and out["exports"] == ["to-oss"]
    assert out["missing_export"]["code"] == "JobNotExist"


def test_scheduled_sql_runs_on_the_clock(run_official: Any, emulator: EmulatorServer) -> None:
    t0 = int(time.time()) // 60 * 60 - 600  # whole minutes, well inside the signature's time skew
    emulator.clock.freeze(t0 + 30)
    params = {"project": "conf-sql", "t0": t0}
    setup = run_official(SQL_SETUP, emulator, params=params)
    assert setup["status"] == "ENABLED" and setup["names"] == ["per-status"]
    assert setup["early"] is None  # the upsert call of the official client goes through

    emulator.clock.advance(150)  # t0 + 180: the windows of t0+60, t0+120 and t0+180 ran
    out = run_official(SQL_CHECK, emulator, params=params)
    assert out["runs"] == [[(t0 + t) * 1000, "SUCCEEDED"] for t in (180, 120, 60)]
    assert out["result"] == {"fromTime": t0, "toTime": t0 + 60, "processedRows": 3, "writtenRows": 2}
    # the first window's rows, written twice: once on schedule and once by the rerun
    assert out["rows"] == [["200", "1"], ["200", "1"], ["500", "2"], ["500", "2"]]
    assert out["bad_state"]["code"] == "BadParameters"  # the client refuses anything but RUNNING


REBUILD_SCRIPT = """
P = "conf-rebuild"
now = int(time.time())
client.create_project(P, "rebuild")
client.create_logstore(P, "web", shard_count=1)
items = [LogItem(timestamp=now - 2000 + i, contents=[("n", str(i))]) for i in range(10)]
client.put_logs(PutLogsRequest(P, "web", "", "", items))
index = IndexConfig()
index.from_json({"line": {"token": [","]}, "keys": {"n": {"type": "long", "doc_value": True}}})
client.create_index(P, "web", index)
before = client.get_log(P, "web", now - 3000, now, query="*").get_count()
client.create_rebuild_index(P, "web", "rebuild-1", "Rebuild", now - 2000, now - 1995)
job = client.get_rebuild_index(P, "rebuild-1")
after = client.get_log(P, "web", now - 3000, now, query="* | select count(*) as c").get_logs()
emit({
    "before": before,
    "status": job.get_status(),
    "details": job.get_execution_details(),
    "configuration": job.get_configuration(),
    "after": after[0].get_contents()["c"],
    "too_recent": error_of(client.create_rebuild_index, P, "web", "rebuild-2", "R", now - 600, now - 60),
})
"""


def test_rebuild_index_makes_old_logs_searchable(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(REBUILD_SCRIPT, emulator)
    assert out["before"] == 0
    assert out["status"] == "SUCCEEDED"
    assert out["details"] == {"progress": 100, "indexedLogs": 5}
    assert out["configuration"]["logstore"] == "web"
    assert out["after"] == "5"
    assert (out["too_recent"]["code"], out["too_recent"]["status"]) == ("ParameterInvalid", 400)
