"""A scheduled SQL job on the emulator's clock: every minute, count the requests per status.

Starts a local SLS emulator whose clock moves only when told, writes access logs, creates a
scheduled SQL job with the official ``ScheduledSQL`` classes, moves the clock three minutes on
and prints what the job wrote to its destination logstore and the runs it recorded.

    python3 examples/scheduled_sql.py
"""

from __future__ import annotations

from aliyun.log import IndexConfig, IndexKeyConfig, IndexLineConfig, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock
from aliyun.log.job import JobSchedule
from aliyun.log.scheduled_sql import ScheduledSQL, ScheduledSQLConfiguration

PROJECT = "web-shop"
START = 1_700_000_040  # a whole minute


def status_job(first_run: int) -> ScheduledSQL:
    schedule = JobSchedule()
    schedule.setType("FixedRate")
    schedule.setInterval("1m")
    schedule.setDelay(0)
    config = ScheduledSQLConfiguration()
    config.setSourceLogstore("access")
    config.setScript("* | select status, count(*) as requests group by status order by status")
    config.setDestProject(PROJECT)
    config.setDestLogstore("status-per-minute")
    config.setFromTimeExpr("@m-1m")  # each run reads the minute before it
    config.setToTimeExpr("@m")
    config.setFromTime(first_run)
    config.setToTime(0)  # no end
    job = ScheduledSQL()
    job.setName("status-per-minute")
    job.setDisplayName("Requests per status, every minute")
    job.setSchedule(schedule)
    job.setConfiguration(config)
    return job


def main() -> None:
    clock = ManualClock(START)
    with EmulatorServer(port=0, clock=clock) as server:
        client = server.client()
        client.create_project(PROJECT, "scheduled SQL example")
        keys = {"status": IndexKeyConfig(doc_value=True), "requests": IndexKeyConfig(doc_value=True)}
        for logstore in ("access", "status-per-minute"):
            client.create_logstore(PROJECT, logstore, shard_count=1)
            client.create_index(PROJECT, logstore, IndexConfig(line_config=IndexLineConfig(), key_config_list=keys))

        # three minutes of traffic
        for minute, statuses in enumerate((["200", "200", "404"], ["200", "500"], ["200", "200", "200"])):
            at = START + 60 * minute
            items = [LogItem(at + second, [("status", status)]) for second, status in enumerate(statuses)]
            client.put_logs(PutLogsRequest(PROJECT, "access", "", "", items))

        client.create_scheduled_sql(PROJECT, status_job(START + 60))
        clock.advance(3 * 60)  # three runs fall due; the next request sees them done

        runs = client.list_scheduled_sql_job_instance(PROJECT, "status-per-minute", START, START + 600)
        for run in sorted(runs.get_scheduled_sql_jobs(), key=lambda run: run["scheduleTimeInMillis"]):
            print(f"run at {run['scheduleTimeInMillis'] // 1000}: {run['state']}")
        written = client.get_log(PROJECT, "status-per-minute", START - 60, START + 600, size=100).get_logs()
        for log in sorted(written, key=lambda log: (log.get_time(), log.get_contents()["status"])):
            contents = log.get_contents()
            print(f"minute {log.get_time()}: status {contents['status']} x {contents['requests']}")


if __name__ == "__main__":
    main()
