"""Scheduled SQL that really runs: each due schedule time becomes a job instance whose SQL runs
over its window on the source logstore, its rows written to the destination logstore.

The rules (docs/jobs.md "Scheduled SQL" says the same for users):

* Schedule times. ``FixedRate`` jobs run every ``interval`` (``"60s"``, ``"5m"``, ``"1h"``,
  ``"1d"``) from ``configuration.fromTime`` (the creation time when it is 0); ``Hourly`` on
  whole hours, ``Daily`` at ``hour`` o'clock in ``timeZone`` (``"+0800"``; UTC when absent),
  both from ``fromTime`` on. A non-zero ``configuration.toTime`` ends the schedule (exclusive).
  A time ``t`` runs once the clock reaches ``t + delay`` and the job is ``ENABLED``.
* Window. ``fromTimeExpr`` / ``toTimeExpr`` evaluated at ``t``: ``@s``, ``@m``, ``@h`` or ``@d``
  (``t`` truncated to that unit; ``@d`` in the job's time zone) followed by offsets such as
  ``-1m`` or ``+8h`` (units ``s m h d w``). Without them the window is the interval before ``t``.
* Run. ``script`` is a query of the emulator's engine on ``sourceLogstore`` (which needs an
  index) over ``[from, to)``; every result row is written to ``destLogstore`` of ``destProject``
  (the job's project when empty; ``destEndpoint`` is not contacted, the project must be on this
  emulator). ``log2log`` writes each row as a log whose time is the row's ``__time__`` (the
  window start without one); ``log2metric`` writes one metric point (``__name__``,
  ``__labels__``, ``__time_nano__``, ``__value__``) per ``metricKeys`` column of each row.
* Instances. Each run is an instance (``/jobs/<job>/jobinstances/<id>``) with ``state``
  ``SUCCEEDED`` or ``FAILED`` (``errorCode``/``errorMessage`` then), its times in milliseconds
  and, on request, ``result``: JSON text with the window and the rows processed and written.
  Setting an instance's state to ``RUNNING`` reruns its window on the next tick (its rows are
  written again, as SLS does).
* Catch-up. Ticks come before each request (:meth:`JobService.tick`); a tick runs at most
  :data:`MAX_RUNS_PER_TICK` instances per job, oldest first, and the next tick goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Optional

from ..._codec import encode_log_group
from ..errors import SLSError, bad_request, not_found
from .documents import DocumentService
from .paging import Page, PageRequest, page
from .resource_store import MetaDocs

if TYPE_CHECKING:
    from . import EmulatorService

__all__ = ["MAX_RUNS_PER_TICK", "ScheduledSQLRunner", "check_scheduled_sql", "eval_time_expr", "schedule_times"]

logger = logging.getLogger(__name__)

MAX_RUNS_PER_TICK = 100
#: logs per written log group
_GROUP_SIZE = 1000
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_EXPR = re.compile(r"^\s*@([smhd])((?:\s*[+-]\s*\d+\s*[smhdw])*)\s*$")
_OFFSET = re.compile(r"([+-])\s*(\d+)\s*([smhdw])")
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_ZONE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_RUN_TYPES = ("FixedRate", "Hourly", "Daily")
SUCCEEDED, FAILED, RUNNING = "SUCCEEDED", "FAILED", "RUNNING"


# -- schedules and windows: pure functions ---------------------------------------------------


def _zone_offset(text: Any) -> int:
    found = _ZONE.match(str(text or "+0000"))
    if found is None:
        raise bad_request("ParameterInvalid", f"invalid timeZone: {text!r}")
    sign = -1 if found.group(1) == "-" else 1
    return sign * (int(found.group(2)) * 3600 + int(found.group(3)) * 60)


def _interval(schedule: Mapping[str, Any]) -> int:
    kind = schedule.get("type")
    if kind == "Hourly":
        return 3600
    if kind == "Daily":
        return 86400
    found = _INTERVAL.match(str(schedule.get("interval") or ""))
    if found is None or int(found.group(1)) <= 0:
        raise bad_request("ParameterInvalid", f"invalid schedule interval: {schedule.get('interval')!r}")
    return int(found.group(1)) * _UNITS[found.group(2)]


def eval_time_expr(expr: str, at: int, zone: int = 0) -> int:
    """A window bound: ``@m-1m`` at ``at`` (seconds; ``zone``: seconds east of UTC for ``@d``)."""
    found = _EXPR.match(expr)
    if found is None:
        raise bad_request("ParameterInvalid", f"invalid time expression: {expr!r}")
    unit = _UNITS[found.group(1)]
    shift = zone if found.group(1) == "d" else 0
    value = (at + shift) // unit * unit - shift
    for sign, amount, offset_unit in _OFFSET.findall(found.group(2)):
        value += (1 if sign == "+" else -1) * int(amount) * _UNITS[offset_unit]
    return value


def check_scheduled_sql(doc: Mapping[str, Any]) -> None:
    """The schedule and window of a scheduled SQL document can be run, else ``ParameterInvalid``."""
    schedule = doc.get("schedule") or {}
    if schedule.get("type") not in _RUN_TYPES:
        raise bad_request(
            "ParameterInvalid",
            f"schedule type {schedule.get('type')!r}: the emulator runs FixedRate, Hourly and Daily schedules",
        )
    _interval(schedule)
    zone = _zone_offset(schedule.get("timeZone"))
    config = doc.get("configuration") or {}
    for key in ("fromTimeExpr", "toTimeExpr"):
        if config.get(key):
            eval_time_expr(str(config[key]), 0, zone)
    if str(config.get("dataFormat") or "log2log").lower() not in ("log2log", "log2metric"):
        raise bad_request("ParameterInvalid", f"dataFormat {config.get('dataFormat')!r} is not supported")


def _first_time(doc: Mapping[str, Any]) -> int:
    schedule = doc.get("schedule") or {}
    config = doc.get("configuration") or {}
    start = int(config.get("fromTime") or 0) or int(doc.get("createTime") or 0)
    kind = schedule.get("type")
    if kind == "FixedRate":
        return start
    zone = _zone_offset(schedule.get("timeZone"))
    unit = _interval(schedule)
    hour = int(schedule.get("hour") or 0) * 3600 if kind == "Daily" else 0
    aligned = (start + zone - hour) // unit * unit - zone + hour
    return aligned if aligned >= start else aligned + unit


def schedule_times(doc: Mapping[str, Any], after: int, until: int) -> Iterator[int]:
    """Schedule times ``t >= after`` of a job whose run time ``t + delay`` is at most ``until``."""
    schedule = doc.get("schedule") or {}
    interval = _interval(schedule)
    delay = int(schedule.get("delay") or 0)
    end = int((doc.get("configuration") or {}).get("toTime") or 0)
    first = _first_time(doc)
    at = first if after <= first else first + -(-(after - first) // interval) * interval
    while at + delay <= until and (end == 0 or at < end):
        yield at
        at += interval


def window(doc: Mapping[str, Any], at: int) -> tuple[int, int]:
    """The ``[from, to)`` window of the instance scheduled at ``at``."""
    schedule = doc.get("schedule") or {}
    config = doc.get("configuration") or {}
    zone = _zone_offset(schedule.get("timeZone"))
    begin = eval_time_expr(str(config["fromTimeExpr"]), at, zone) if config.get("fromTimeExpr") else None
    end = eval_time_expr(str(config["toTimeExpr"]), at, zone) if config.get("toTimeExpr") else at
    return (end - _interval(schedule) if begin is None else begin), end


# -- turning result rows into logs -----------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [part.strip() for part in value.split(",") if part.strip()]
    return [str(item) for item in value or []]


def _row_time(row: Mapping[str, str], key: str, default: int) -> int:
    try:
        return int(float(row[key]))
    except (KeyError, ValueError):
        return default


def log_rows(rows: list[dict[str, str]], default_time: int) -> list[tuple[int, None, list[tuple[str, str]]]]:
    """``log2log``: each row a log (its ``__time__`` the log time)."""
    return [
        (_row_time(row, "__time__", default_time), None, [(k, v) for k, v in row.items() if k != "__time__"])
        for row in rows
    ]


def metric_rows(
    rows: list[dict[str, str]], params: Mapping[str, Any], default_time: int
) -> list[tuple[int, None, list[tuple[str, str]]]]:
    """``log2metric``: one metric point per metric column of each row, labels sorted by name."""
    metric_keys = _as_list(params.get("metricKeys"))
    label_keys = _as_list(params.get("labelKeys"))
    added = params.get("addLabels") or {}
    if isinstance(added, str):
        added = json.loads(added) if added.strip() else {}
    time_key = str(params.get("timeKey") or "__time__")
    points = []
    for row in rows:
        at = _row_time(row, time_key, default_time)
        labels = {key: row[key] for key in label_keys if key in row}
        labels.update({str(k): str(v) for k, v in dict(added).items()})
        label_text = "|".join(f"{key}#$#{labels[key]}" for key in sorted(labels))
        for metric in metric_keys:
            if metric not in row:
                continue
            try:
                value = float(row[metric])
            except ValueError:
                continue
            contents = [
                ("__name__", metric),
                ("__labels__", label_text),
                ("__time_nano__", str(at * 1_000_000_000)),
                ("__value__", repr(value)),
            ]
            points.append((at, None, contents))
    return points


# -- the runner ------------------------------------------------------------------------------


class ScheduledSQLRunner:
    """Runs the due instances of every enabled scheduled SQL job of one emulator."""

    def __init__(self, service: EmulatorService, jobs: DocumentService) -> None:
        self.service = service
        self.state = service.state
        self.jobs = jobs
        #: per job: the next schedule time to run (``{"scheduleId", "next"}``)
        self.progress = MetaDocs(self.state, "sql_progress")
        #: instances, named ``<job>/<instance id>`` in the project's scope
        self.instances = MetaDocs(self.state, "sql_instance")
        self._next_due: Optional[int] = None  # None: to be computed

    # -- scheduling ---------------------------------------------------------------------------

    def job_changed(self, project: str, doc: Mapping[str, Any]) -> None:
        """A job was created, updated, enabled or disabled: start (or re-time) its schedule."""
        progress = self.progress.get(project, doc["name"])
        if progress is None or progress.get("scheduleId") != doc.get("scheduleId"):
            self.progress.put(project, doc["name"], {"scheduleId": doc.get("scheduleId"), "next": _first_time(doc)})
        self._next_due = None

    def forget(self, project: str, name: str) -> None:
        """A job was deleted: its progress and instances go with it."""
        self.progress.delete(project, name)
        for key in list(self.instances.all(project)):
            if key.split("/", 1)[0] == name:
                self.instances.delete(project, key)
        self._next_due = None

    def _enabled_jobs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for project in list(self.state.projects):
            for doc in self.jobs.docs.all(project).values():
                if doc.get("type") == "ScheduledSQL" and doc.get("status") == "ENABLED":
                    yield project, doc

    def _pending_reruns(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for project in list(self.state.projects):
            for key, instance in self.instances.all(project).items():
                if instance.get("state") == RUNNING:
                    yield project, key, instance

    def due(self, now: int) -> bool:
        """Whether a tick at ``now`` has anything to run."""
        if self._next_due is None:
            self._next_due = self._compute_next_due()
        return self._next_due <= now

    def _compute_next_due(self) -> int:
        candidates = [0] if next(self._pending_reruns(), None) is not None else []
        for project, doc in self._enabled_jobs():
            progress = self.progress.get(project, doc["name"]) or {"next": _first_time(doc)}
            upcoming = next(schedule_times(doc, int(progress["next"]), 2**62), None)
            if upcoming is not None:
                candidates.append(upcoming + int((doc.get("schedule") or {}).get("delay") or 0))
        return min(candidates, default=2**62)

    def run_due(self, now: int) -> None:
        """Run every due instance (reruns first), oldest first."""
        for project, key, instance in list(self._pending_reruns()):
            doc = self.jobs.docs.get(project, key.split("/", 1)[0])
            if doc is not None:
                self._run(project, doc, int(instance["scheduleTimeInMillis"]) // 1000, now)
        for project, doc in list(self._enabled_jobs()):
            progress = self.progress.get(project, doc["name"]) or {"scheduleId": doc.get("scheduleId")}
            start = int(progress.get("next", _first_time(doc)))
            for count, at in enumerate(schedule_times(doc, start, now)):
                if count == MAX_RUNS_PER_TICK:
                    break
                self._run(project, doc, at, now)
                self.progress.put(project, doc["name"], {"scheduleId": doc.get("scheduleId"), "next": at + 1})
        self._next_due = None

    # -- one run ------------------------------------------------------------------------------

    def instance_id(self, project: str, doc: Mapping[str, Any], at: int) -> str:
        """The id of the instance of ``doc`` scheduled at ``at``: stable, new for a re-created job."""
        seed = f"{project}/{doc['name']}/{doc.get('scheduleId')}/{at}".encode()
        return hashlib.md5(seed, usedforsecurity=False).hexdigest()[:16].upper()

    def _run(self, project: str, doc: Mapping[str, Any], at: int, now: int) -> None:
        instance_id = self.instance_id(project, doc, at)
        key = f"{doc['name']}/{instance_id}"
        old = self.instances.get(project, key) or {}
        begin, end = window(doc, at)
        record: dict[str, Any] = {
            "instanceId": instance_id,
            "jobName": doc["name"],
            "displayName": doc.get("displayName") or "",
            "description": doc.get("description") or "",
            "jobScheduleId": doc.get("scheduleId") or "",
            "scheduleTimeInMillis": at * 1000,
            "createTimeInMillis": old.get("createTimeInMillis", now * 1000),
            "beginTimeInMillis": now * 1000,
            "updateTimeInMillis": now * 1000,
            "errorCode": "",
            "errorMessage": "",
        }
        try:
            processed, written = self._execute(project, doc, begin, end)
        except SLSError as exc:
            record.update(state=FAILED, errorCode=exc.code, errorMessage=exc.message)
            summary: dict[str, Any] = {"fromTime": begin, "toTime": end, "processedRows": 0, "writtenRows": 0}
            logger.info("scheduled SQL %s/%s at %s failed: %s", project, doc["name"], at, exc.code)
        else:
            record["state"] = SUCCEEDED
            summary = {"fromTime": begin, "toTime": end, "processedRows": processed, "writtenRows": written}
        record["result"] = json.dumps(summary)
        self.instances.put(project, key, record)

    def _execute(self, project: str, doc: Mapping[str, Any], begin: int, end: int) -> tuple[int, int]:
        config = doc.get("configuration") or {}
        if end <= begin:
            raise bad_request("InvalidTimeRange", f"the window [{begin}, {end}) is empty")
        values = {"from": begin, "to": end, "query": str(config.get("script") or ""), "line": 100}
        result = self.service.queries.get_logs(project, str(config["sourceLogstore"]), values)
        processed = result.processed_rows
        if str(config.get("dataFormat") or "log2log").lower() == "log2metric":
            logs = metric_rows(result.rows, config.get("parameters") or {}, begin)
        else:
            logs = log_rows(result.rows, begin)
        dest_project = str(config.get("destProject") or project)
        dest = str(config["destLogstore"])
        self.state.logstore(dest_project, dest)  # LogStoreNotExist / ProjectNotExist before writing
        for first in range(0, len(logs), _GROUP_SIZE):
            group = encode_log_group(logs[first : first + _GROUP_SIZE], "", "scheduled-sql", [])
            self.service.data.put_logs(dest_project, dest, group)
        return processed, len(logs)

    # -- instances through the API ------------------------------------------------------------

    def _job(self, project: Optional[str], name: str) -> dict[str, Any]:
        doc = self.jobs.get(project, name)
        if doc.get("type") != "ScheduledSQL":
            raise not_found("JobNotExist", f"scheduled SQL job {name} does not exist")
        return doc

    def list_instances(
        self, project: Optional[str], name: str, params: Mapping[str, Optional[str]], paging: PageRequest
    ) -> Page[dict[str, Any]]:
        """ListJobInstances: the instances scheduled in ``[start, end)`` (seconds), newest first,
        with the given ``state`` when there is one."""
        self._job(project, name)
        start = _seconds(params.get("start"), "start")
        end = _seconds(params.get("end"), "end")
        wanted = params.get("state")
        found = [
            {k: v for k, v in instance.items() if k != "result"}
            for key, instance in self.instances.all(project or "").items()
            if key.split("/", 1)[0] == name
            and start * 1000 <= int(instance["scheduleTimeInMillis"]) < end * 1000
            and (not wanted or instance.get("state") == wanted)
        ]
        found.sort(key=lambda instance: -int(instance["scheduleTimeInMillis"]))
        return page(found, paging)

    def get_instance(self, project: Optional[str], name: str, instance_id: str, result: bool) -> dict[str, Any]:
        """GetJobInstance: one instance (``result`` only when asked for)."""
        self._job(project, name)
        instance = self.instances.get(project or "", f"{name}/{instance_id}")
        if instance is None:
            raise not_found("JobInstanceNotExist", f"instance {instance_id} of job {name} does not exist")
        return dict(instance) if result else {k: v for k, v in instance.items() if k != "result"}

    def rerun(self, project: Optional[str], name: str, instance_id: str, state: Optional[str]) -> None:
        """ModifyJobInstanceState to ``RUNNING``: the instance's window runs again on the next tick."""
        if state != RUNNING:
            raise bad_request("ParameterInvalid", f"an instance's state can only be set to RUNNING, not {state!r}")
        instance = self.get_instance(project, name, instance_id, True)
        if instance.get("state") != RUNNING:
            instance.update(state=RUNNING, updateTimeInMillis=self.state.now() * 1000)
            self.instances.put(project or "", f"{name}/{instance_id}", instance)
        self._next_due = None


def _seconds(value: Optional[str], name: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise bad_request("ParameterInvalid", f"{name} must be Unix seconds, got {value!r}") from None
