"""Project jobs (alerts, reports, ETL, ingestion, exports, scheduled SQL...): their type and
schedule names, and the accessor classes export and scheduled-SQL jobs are built from."""

from __future__ import annotations

from typing import Any, Optional

from ._bean import Bean, accessors
from .sink import DataSink

__all__ = ["AbstractJob", "Export", "ExportConfiguration", "JobSchedule", "JobScheduleType", "JobType", "ScheduledJob"]


class JobScheduleType:
    """``schedule.type`` values."""

    FIXED_RATE = "FixedRate"
    HOURLY = "Hourly"
    DAILY = "Daily"
    WEEKLY = "Weekly"
    CRON = "Cron"
    DRY_RUN = "DryRun"
    RESIDENT = "Resident"


class JobType:
    """``type`` values of a job (one ``/jobs`` namespace per project holds them all)."""

    ALERT = "Alert"
    REPORT = "Report"
    ETL = "ETL"
    INGESTION = "Ingestion"
    REBUILD_INDEX = "RebuildIndex"
    AUDIT_JOB = "AuditJob"
    EXPORT = "Export"
    SCHEDULED_SQL = "ScheduledSQL"


@accessors("toTime", "logstore", "accessKeyId", "accessKeySecret", "roleArn", "instanceType", "fromTime",
           "sink", "parameters", read_only=("version",))  # fmt: skip
class ExportConfiguration(Bean):
    """What an export job reads (``logstore``, ``fromTime``..``toTime``) and where it writes (``sink``)."""

    def __init__(self) -> None:
        super().__init__()
        self._set("version", "v2.0")

    def setSink(self, sink: DataSink) -> None:
        """Set the destination (an :class:`~aliyun.log.oss_sink.AliyunOSSSink` or a MaxCompute sink)."""
        self._set("sink", sink)


@accessors("name", "displayName", "description", "type", "recyclable", "createTime", "lastModifiedTime")
class AbstractJob(Bean):
    """Fields every job has."""


@accessors("id", "displayName", "jobName", "type", "interval", "cronExpression", "delay", "dayOfWeek", "hour",
           "status", "createTime", "lastModifiedTime", "startTime", "completeTime", "fromTime", "toTime",
           "description", "timeZone", booleans=("runImmediately",))  # fmt: skip
class JobSchedule(Bean):
    """When a job runs: ``type`` (a :class:`JobScheduleType`), ``interval`` (``"60s"``, ``"1h"``), a
    ``cronExpression``, ``delay`` seconds, ``dayOfWeek``/``hour`` for weekly/daily runs."""

    def __init__(self) -> None:
        super().__init__()
        self._set("runImmediately", False)

    def jobScheduleToDict(self) -> dict[str, Any]:
        """The ``schedule`` object of a job body."""
        keys = ("id", "displayName", "jobName", "type", "interval", "cronExpression", "delay", "dayOfWeek", "hour",
                "timeZone")  # fmt: skip
        return {key: self._get(key) for key in keys}

    @staticmethod
    def from_dict(value: dict[str, Any]) -> JobSchedule:
        """A schedule from the ``schedule`` object of a job answer (unknown keys kept)."""
        schedule = JobSchedule()
        schedule._fields.update(value or {})
        return schedule


@accessors("status", "schedule")
class ScheduledJob(AbstractJob):
    """A job with a :class:`JobSchedule` and a ``status`` (``ENABLED`` / ``DISABLED``)."""

    def __init__(self) -> None:
        super().__init__()
        self._set("schedule", JobSchedule())


class Export(ScheduledJob):
    """An export job: runs resident, delivering a logstore to a sink."""

    def __init__(self) -> None:
        super().__init__()
        self.configuration: Optional[ExportConfiguration] = None
        self.scheduleId: Optional[str] = None
        self.setType(JobType.EXPORT)  # type: ignore[attr-defined]
        schedule = JobSchedule()
        schedule.setType(JobScheduleType.RESIDENT)  # type: ignore[attr-defined]
        self.setSchedule(schedule)  # type: ignore[attr-defined]

    def setConfiguration(self, configuration: ExportConfiguration) -> None:
        """Set what to export and where."""
        self.configuration = configuration

    def getConfiguration(self) -> Optional[ExportConfiguration]:
        """What to export and where."""
        return self.configuration

    def getScheduleId(self) -> Optional[str]:
        """The schedule id the service gave this job."""
        return self.scheduleId
