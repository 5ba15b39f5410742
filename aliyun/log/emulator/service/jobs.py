"""Jobs: the ``/jobs`` documents with their states and actions, and the work that runs on the clock.

Storage is the ``job`` family's :class:`~.documents.DocumentService`; this module adds what a
job has beyond its document:

* a ``status`` kept by the service. Jobs that run on a schedule (alerts, reports, scheduled
  SQL) are ``ENABLED`` or ``DISABLED`` and switch with ``action=enable`` / ``disable``; resident
  jobs (ETL, ingestion, export) are ``RUNNING`` or ``STOPPED`` and take ``action=START`` /
  ``STOP`` / ``RESTART`` (``RESTART`` may carry a new document); an index rebuild goes from
  ``RUNNING`` to ``SUCCEEDED`` (or ``FAILED``) as it works and takes no action. Transitions are
  immediate: nothing outside the emulator is started or stopped.
* a ``scheduleId`` for scheduled and resident jobs, given at creation and kept by updates.
* work on the clock: :meth:`JobService.tick` runs what is due (index rebuilds,
  :mod:`.rebuild_index`; scheduled SQL instances, :mod:`.scheduled_sql`); the HTTP layer calls it
  before each request, so every answer sees the jobs as if they had run on time (docs/jobs.md).

A call made through a type-specific path (``/alerts``) passes ``job_type``: such a call only
sees jobs of that type.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Protocol

from ..errors import SLSError, bad_request, not_found
from .documents import DocumentPage, DocumentService
from .paging import PageRequest

if TYPE_CHECKING:
    from . import EmulatorService

__all__ = ["ACTIONS", "JobService"]

logger = logging.getLogger(__name__)

ENABLED, DISABLED = "ENABLED", "DISABLED"
RUNNING, STOPPED, SUCCEEDED, FAILED = "RUNNING", "STOPPED", "SUCCEEDED", "FAILED"

#: job types switched on and off (``status`` ENABLED / DISABLED)
TOGGLED = frozenset({"Alert", "Report", "ScheduledSQL", "AuditJob", "Scheduled"})
#: resident job types (``status`` RUNNING / STOPPED)
RESIDENT = frozenset({"ETL", "Ingestion", "Export"})

#: action → (the job types it applies to, the status it leads to)
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "enable": (TOGGLED, ENABLED),
    "disable": (TOGGLED, DISABLED),
    "START": (RESIDENT, RUNNING),
    "STOP": (RESIDENT, STOPPED),
    "RESTART": (RESIDENT, RUNNING),
}


class Runner(Protocol):
    """Work of one job type on the clock."""

    def due(self, now: int) -> bool: ...

    def run_due(self, now: int) -> None: ...


def _initial_status(doc: Mapping[str, Any]) -> str:
    kind = doc["type"]
    if kind in TOGGLED:
        # a document may be created disabled; anything else is enabled, as SLS does
        return DISABLED if doc.get("status") == DISABLED else ENABLED
    return RUNNING


class JobService:
    """States, actions and scheduled work of the jobs of one emulator."""

    def __init__(self, service: EmulatorService) -> None:
        from .rebuild_index import RebuildIndexRunner
        from .scheduled_sql import ScheduledSQLRunner

        self.service = service
        self.state = service.state
        self.docs: DocumentService = service.documents["job"]
        self.sql = ScheduledSQLRunner(service, self.docs)
        self.rebuilds = RebuildIndexRunner(service, self.docs)
        self._tick_lock = threading.Lock()

    # -- the store ----------------------------------------------------------------------------

    def _typed(self, project: Optional[str], name: str, job_type: Optional[str]) -> dict[str, Any]:
        doc = self.docs.get(project, name)
        if job_type is not None and doc.get("type") != job_type:
            raise not_found(self.docs.family.not_exist, f"{job_type.lower()} {name} does not exist")
        return doc

    def create(self, project: Optional[str], body: Any, job_type: Optional[str] = None) -> dict[str, Any]:
        """CreateJob: the document stored with its first status (and a schedule id)."""
        if job_type is not None and isinstance(body, dict):
            body = {**body, "type": job_type}
        doc = dict(self.docs.checked(body))
        doc["status"] = _initial_status(doc)
        if doc["type"] == "RebuildIndex":
            self.rebuilds.check(project or "", doc)
        if doc["type"] in TOGGLED | RESIDENT:
            doc["scheduleId"] = uuid.uuid4().hex
        stored = self.docs.create(project, doc)
        self._changed(project, stored)
        return stored

    def update(self, project: Optional[str], name: str, body: Any, job_type: Optional[str] = None) -> dict[str, Any]:
        """UpdateJob: a new document of the same type; status and schedule id are kept."""
        old = self._typed(project, name, job_type)
        if isinstance(body, dict):
            body = {**body, "type": body.get("type", old["type"])}
        doc = dict(self.docs.checked(body))
        if doc["type"] != old["type"]:
            raise bad_request("ParameterInvalid", f"job {name} is of type {old['type']}, not {doc['type']}")
        status = old.get("status")
        if doc["type"] in TOGGLED and doc.get("status") in (ENABLED, DISABLED):
            status = doc["status"]  # an alert document carries its own status
        doc["status"] = status
        for kept in ("scheduleId",):
            if kept in old:
                doc[kept] = old[kept]
        stored = self.docs.update(project, name, doc)
        self._changed(project, stored)
        return stored

    def get(self, project: Optional[str], name: str, job_type: Optional[str] = None) -> dict[str, Any]:
        """GetJob: the stored document."""
        return self._typed(project, name, job_type)

    def delete(self, project: Optional[str], name: str, job_type: Optional[str] = None) -> None:
        """DeleteJob: the document and what the job recorded (its instances)."""
        self._typed(project, name, job_type)
        self.docs.delete(project, name)
        self.sql.forget(project or "", name)

    def list(
        self,
        project: Optional[str],
        params: Mapping[str, Optional[str]],
        paging: PageRequest,
        job_type: Optional[str] = None,
    ) -> DocumentPage:
        """ListJobs: a page of documents, filtered by ``jobType`` (and ``logstore``)."""
        if job_type is not None:
            params = {**params, "jobType": job_type}
        return self.docs.list(project, params, paging)

    def act(
        self,
        project: Optional[str],
        name: str,
        action: str,
        body: Any = None,
        job_type: Optional[str] = None,
    ) -> dict[str, Any]:
        """An action (``enable``, ``START`` ...): the status it leads to, or ``ParameterInvalid``
        for an action that does not apply to the job's type. ``RESTART`` with a body replaces
        the document first."""
        old = self._typed(project, name, job_type)
        types, status = ACTIONS[action]
        if old["type"] not in types:
            raise bad_request("ParameterInvalid", f"action {action} does not apply to a job of type {old['type']}")
        if action == "enable" and old.get("status") == ENABLED:
            # SLS refuses to enable what is enabled already
            raise bad_request("ParameterInvalid", f"job {name} is already enabled")
        if action == "RESTART" and body:
            self.update(project, name, body)
        stored = self.docs.change(project, name, {"status": status})
        self._changed(project, stored)
        return stored

    def _changed(self, project: Optional[str], doc: Mapping[str, Any]) -> None:
        if doc.get("type") == "ScheduledSQL":
            self.sql.job_changed(project or "", doc)
        elif doc.get("type") == "RebuildIndex":
            self.rebuilds.job_changed(project or "", doc)

    # -- work on the clock --------------------------------------------------------------------

    def tick(self) -> None:
        """Run every piece of job work due by the emulator's clock (cheap when nothing is due).

        One thread at a time; the others wait, so an answer never shows half of a tick. A run
        whose job fails is recorded as failed by its runner; work the emulator itself cannot do
        (a full disk) is logged, stays due, and never fails the request that came with the tick."""
        now = self.state.now()
        every: tuple[Runner, ...] = (self.rebuilds, self.sql)
        runners = [runner for runner in every if runner.due(now)]
        if not runners:
            return
        with self._tick_lock:
            for runner in runners:  # rebuilds first: a scheduled query may read what they index
                try:
                    runner.run_due(now)
                except SLSError as exc:  # a full disk, say: the work stays due for the next tick
                    self.state.faults.log(
                        "job work", "job work failed (%s: %s); retried on the next request", exc.code, exc.message
                    )
