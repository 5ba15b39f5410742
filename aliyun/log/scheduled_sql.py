"""Scheduled SQL jobs: a SQL run on a schedule over a source logstore, writing its result to a
destination logstore or metricstore (``log2log``, ``log2metric``, ``metric2metric``)."""

from __future__ import annotations

from typing import Any, Union

from ._bean import Bean, accessors
from .job import JobSchedule, JobType, ScheduledJob

__all__ = [
    "Log2MetricParameters",
    "Metric2MetricParameters",
    "ScheduledSQL",
    "ScheduledSQLBaseParameters",
    "ScheduledSQLConfiguration",
    "ScheduledSQLParameters",
    "dict_to_schedule_rule",
    "dict_to_scheduled_sql_config",
]


class ScheduledSQLParameters(Bean):
    """Base of the data-format specific parameters; :meth:`toDict` picks the right form."""

    def paramsToDict(self) -> dict[str, Any]:
        """The parameters as the job body carries them."""
        return {}

    def toDict(self, dataFormat: str) -> Any:
        """The parameters for ``dataFormat``, or ``None`` when they are of another format's class.

        :raises ValueError: an unknown data format.
        """
        kinds: dict[str, type] = {
            "log2metric": Log2MetricParameters,
            "metric2metric": Metric2MetricParameters,
            "log2log": ScheduledSQLBaseParameters,
        }
        kind = kinds.get(str(dataFormat).lower())
        if kind is None:
            raise ValueError(f"Unsupported dataFormat: {dataFormat}")
        return self.toDictByType(kind)

    def toDictByType(self, dateFormatType: type) -> Any:
        """:meth:`paramsToDict` if this object is a ``dateFormatType``, else ``None``."""
        return self.paramsToDict() if isinstance(self, dateFormatType) else None


class ScheduledSQLBaseParameters(ScheduledSQLParameters):
    """Free-form parameters restricted to declared field names (:meth:`withFields`)."""

    def __init__(self) -> None:
        super().__init__()
        self._base: dict[str, Any] = {}
        self._allowed: set[str] = set()

    def withFields(self, *fields: str) -> None:
        """Declare parameter names that may be set."""
        self._allowed.update(fields)

    def getBaseParams(self) -> dict[str, Any]:
        """The parameters set so far."""
        return self._base

    def setBaseParams(self, params: dict[str, Any]) -> None:
        """Replace all parameters; ignored unless every key was declared."""
        if set(params) <= self._allowed:
            self._base = params

    def addBaseParams(self, key: str, value: Any) -> None:
        """Set one declared parameter (an undeclared key is ignored)."""
        if key in self._allowed:
            self._base[key] = value

    def paramsToDict(self) -> dict[str, Any]:
        return self._base


@accessors("timeKey", "metricKeys", "labelKeys", "hashLabels", "addLabels")
class Log2MetricParameters(ScheduledSQLBaseParameters):
    """``log2metric``: which columns are the time, the metric values and the labels."""

    def paramsToDict(self) -> dict[str, Any]:
        return {key: self._get(key) for key in ("timeKey", "metricKeys", "labelKeys", "hashLabels", "addLabels")}


@accessors("metricName", "addLabels", "hashLabels")
class Metric2MetricParameters(ScheduledSQLBaseParameters):
    """``metric2metric``: the new metric's name and labels."""

    def paramsToDict(self) -> dict[str, Any]:
        return {key: self._get(key) for key in ("metricName", "addLabels", "hashLabels")}


_CONFIG_KEYS = ("sourceLogstore", "roleArn", "destRoleArn", "script", "sqlType", "resourcePool", "destEndpoint",
                "destProject", "destLogstore", "fromTimeExpr", "toTimeExpr", "maxRunTimeInSeconds", "maxRetries",
                "fromTime", "toTime", "dataFormat")  # fmt: skip


@accessors(*_CONFIG_KEYS, "parameters")
class ScheduledSQLConfiguration(Bean):
    """What the job runs (``script`` over ``sourceLogstore`` in ``fromTimeExpr``..``toTimeExpr``) and
    where the result goes (``destProject``/``destLogstore`` at ``destEndpoint``)."""

    def __init__(self) -> None:
        super().__init__()
        defaults = {
            "sqlType": "standard",
            "resourcePool": "enhanced",
            "maxRunTimeInSeconds": 900,
            "maxRetries": 5,
            "fromTime": 0,
            "toTime": 0,
            "dataFormat": "log2log",
            "parameters": ScheduledSQLParameters(),
        }
        self._fields.update(defaults)

    def configurationToDict(self) -> dict[str, Any]:
        """The ``configuration`` object of the job body."""
        config = {key: self._get(key) for key in _CONFIG_KEYS}
        params: Union[dict[str, Any], ScheduledSQLParameters, None] = self._get("parameters")
        if isinstance(params, ScheduledSQLParameters):
            config["parameters"] = params.toDict(str(self._get("dataFormat")))
        else:
            config["parameters"] = params
        return config


@accessors("scheduleId", "configuration")
class ScheduledSQL(ScheduledJob):
    """A scheduled SQL job: name, schedule and :class:`ScheduledSQLConfiguration`."""

    def __init__(self) -> None:
        super().__init__()
        self._set("scheduleId", "")
        self._set("configuration", ScheduledSQLConfiguration())
        self._set("type", JobType.SCHEDULED_SQL)

    def scheduled_sql_to_dict(self) -> dict[str, Any]:
        """The job body."""
        return {
            "name": self._get("name"),
            "displayName": self._get("displayName"),
            "description": self._get("description"),
            "schedule": self._get("schedule").jobScheduleToDict(),
            "configuration": self._get("configuration").configurationToDict(),
            "type": self._get("type"),
        }


def dict_to_scheduled_sql_config(dict_config: dict[str, Any]) -> ScheduledSQLConfiguration:
    """A configuration from the ``configuration`` object of a job answer."""
    config = ScheduledSQLConfiguration()
    config._fields.update(dict_config or {})
    return config


def dict_to_schedule_rule(dict_rule: dict[str, Any]) -> JobSchedule:
    """A schedule from the ``schedule`` object of a job answer."""
    return JobSchedule.from_dict(dict_rule)
