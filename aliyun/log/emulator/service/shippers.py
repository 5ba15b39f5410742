"""Shipper rules (docs/resources.md "Shippers"); the task schedule is in :mod:`.shipper_schedule`.

A shipper belongs to a logstore (scope ``<project>/<logstore>``, so deleting the logstore or
project deletes it). It is stored as sent plus ``createTime`` / ``lastModifyTime``, with the
retry times of its tasks kept next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..errors import SLSError, bad_request
from .names import check_resource_name
from .paging import Page, PageRequest, page
from .resource_store import SHIPPER_KIND, MetaDocs
from .shipper_schedule import Schedule, SimulatedTask, default_interval
from .state import EmulatorState, LogstoreState

__all__ = ["ShipperService", "TaskPage"]

TARGET_TYPES = ("oss", "odps")
TASK_STATUSES = ("", "success", "fail", "running")
MAX_TASK_RANGE = 48 * 3600
MAX_RETRY_TASKS = 10
_INVALID = "ParameterInvalid"


def _validated(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request(_INVALID, "the shipper must be a JSON object")
    check_resource_name("shipper", body.get("shipperName"), _INVALID)
    target_type = body.get("targetType")
    if target_type not in TARGET_TYPES:
        raise bad_request(_INVALID, f"targetType must be one of {TARGET_TYPES}, got {target_type!r}")
    target = body.get("targetConfiguration")
    if not isinstance(target, dict):
        raise bad_request(_INVALID, "targetConfiguration must be a JSON object")
    interval = target.get("bufferInterval", default_interval(target_type))
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise bad_request(_INVALID, f"bufferInterval must be a positive integer, got {interval!r}")
    return body


def _not_found(name: str) -> SLSError:
    # The API reference gives ShipperNotExist status 400, not 404.
    return SLSError("ShipperNotExist", f"shipper {name} does not exist", 400)


@dataclass(frozen=True)
class TaskPage:
    """One page of a shipper's tasks, and how many tasks of the whole range have each status."""

    tasks: list[SimulatedTask]
    total: int
    statistics: dict[str, int]


class ShipperService:
    """Shippers of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.docs = MetaDocs(state, SHIPPER_KIND)

    def _logstore(self, project: Optional[str], logstore: str) -> tuple[LogstoreState, str]:
        found = self.state.logstore(project or "", logstore)
        return found, self.state.logstore_scope(found)

    def _require(self, scope: str, name: str) -> dict[str, Any]:
        found = self.docs.get(scope, name)
        if found is None:
            raise _not_found(name)
        return dict(found)

    def create(self, project: Optional[str], logstore: str, body: Any) -> None:
        """Create a shipper (``ShipperAlreadyExist`` if the name is taken)."""
        shipper = _validated(body)
        with self.state.lock:
            _, scope = self._logstore(project, logstore)
            name = shipper["shipperName"]
            if self.docs.get(scope, name) is not None:
                raise SLSError("ShipperAlreadyExist", f"shipper {name} already exists", 400)
            now = self.state.now()
            self.docs.put(
                scope, name, {"shipper": {**shipper, "createTime": now, "lastModifyTime": now}, "retries": {}}
            )

    def update(self, project: Optional[str], logstore: str, name: str, body: Any) -> None:
        """Replace a shipper's settings (creation time and task retries are kept)."""
        shipper = _validated(body)
        if shipper["shipperName"] != name:
            raise bad_request(_INVALID, f"shipperName {shipper['shipperName']!r} differs from the path ({name!r})")
        with self.state.lock:
            _, scope = self._logstore(project, logstore)
            doc = self._require(scope, name)
            created = doc["shipper"]["createTime"]
            doc["shipper"] = {**shipper, "createTime": created, "lastModifyTime": self.state.now()}
            self.docs.put(scope, name, doc)

    def get(self, project: Optional[str], logstore: str, name: str) -> dict[str, Any]:
        """A shipper as stored."""
        _, scope = self._logstore(project, logstore)
        return dict(self._require(scope, name)["shipper"])

    def delete(self, project: Optional[str], logstore: str, name: str) -> None:
        """Delete a shipper."""
        with self.state.lock:
            _, scope = self._logstore(project, logstore)
            self._require(scope, name)
            self.docs.delete(scope, name)

    def list(self, project: Optional[str], logstore: str, paging: PageRequest) -> Page[str]:
        """One page of shipper names."""
        _, scope = self._logstore(project, logstore)
        return page(list(self.docs.all(scope)), paging)

    def _schedule(self, scope: str, doc: dict[str, Any]) -> Schedule:
        shipper = doc["shipper"]
        target = shipper.get("targetConfiguration") or {}
        interval = int(target.get("bufferInterval", default_interval(shipper.get("targetType", ""))))
        retries = {int(index): int(when) for index, when in (doc.get("retries") or {}).items()}
        return Schedule(f"{scope}/{shipper['shipperName']}", int(shipper["createTime"]), interval, retries)

    def tasks(
        self,
        project: Optional[str],
        logstore: str,
        name: str,
        start_time: int,
        end_time: int,
        status: Optional[str],
        paging: PageRequest,
    ) -> TaskPage:
        """One page of the tasks started in ``[start_time, end_time]``, with per-status counts of
        the whole range."""
        if end_time < start_time or end_time - start_time > MAX_TASK_RANGE:
            raise bad_request(_INVALID, f"the time range [{start_time}, {end_time}] must be at most 48 hours")
        wanted = status or ""
        if wanted not in TASK_STATUSES:
            raise bad_request(_INVALID, f"status must be one of {TASK_STATUSES}, got {wanted!r}")
        _, scope = self._logstore(project, logstore)
        schedule = self._schedule(scope, self._require(scope, name))
        statistics = {"running": 0, "success": 0, "fail": 0}
        matching = []
        for task in schedule.tasks_between(start_time, end_time, self.state.now()):
            statistics[task.status] += 1
            if not wanted or task.status == wanted:
                matching.append(task)
        found = page(matching, paging)
        return TaskPage(found.items, found.total, statistics)

    def retry(self, project: Optional[str], logstore: str, name: str, body: Any) -> None:
        """Run failed tasks again (at most 10 ids; ids that are not failed tasks are left alone)."""
        if not isinstance(body, list) or not all(isinstance(item, str) for item in body):
            raise bad_request(_INVALID, "the body must be a JSON array of task ids")
        if len(body) > MAX_RETRY_TASKS:
            raise bad_request(_INVALID, f"at most {MAX_RETRY_TASKS} tasks per retry, got {len(body)}")
        with self.state.lock:
            _, scope = self._logstore(project, logstore)
            doc = self._require(scope, name)
            schedule = self._schedule(scope, doc)
            now = self.state.now()
            retries = dict(doc.get("retries") or {})
            for task_id in body:
                index = schedule.index_of(task_id)
                if index is None or not schedule.exists(index, now):
                    raise bad_request(_INVALID, f"task {task_id!r} is not a task of shipper {name}")
                if schedule.task(index, now).status == "fail":
                    retries[str(index)] = now
            doc["retries"] = retries
            self.docs.put(scope, name, doc)
