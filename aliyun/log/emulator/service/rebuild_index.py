"""Index rebuilds that really index: a ``RebuildIndex`` job makes the logs of ``[fromTime, toTime)``
that were stored before the logstore's index existed searchable.

An index only takes the logs written while it exists (:mod:`.index`: the shard ends at
CreateIndex, ``shardPositions``, are where indexing starts). A rebuild job reads the groups
before those ends, keeps the logs whose time is in its window and hands them to the index. The
rules (docs/jobs.md "Rebuilding an index" says the same for users):

* Creating the job checks its logstore and index, ``fromTime < toTime`` and ``toTime`` at least
  :data:`SETTLE_SECONDS` before the emulator's clock (as SLS requires). The job starts ``RUNNING``;
  the next tick does the work and the job is ``SUCCEEDED`` with ``executionDetails``
  (``progress`` 100, ``indexedLogs``), or ``FAILED`` with the reason.
* What was rebuilt belongs to the index, not to the job: it is recorded per index generation
  (meta kind ``index_rebuild``, in the logstore's scope) as a list of windows, kept when the job
  is deleted and dropped with the index or the logstore. Windows overlap freely: each old group
  is indexed once with the logs of all windows (its earlier part dropped first).
* After a start-up (when an index is reopened, or rebuilt from the shard logs after damage,
  only the logs since CreateIndex are certain to be there), the first tick applies every
  recorded window again, so a rebuild is never lost.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

from ..._codec import decode_log_group
from ..errors import SLSError, bad_request
from ..query.wire import StoredGroup
from .documents import DocumentService
from .resource_store import MetaDocs
from .state import LogstoreState

if TYPE_CHECKING:
    from . import EmulatorService

__all__ = ["RebuildIndexRunner", "SETTLE_SECONDS"]

logger = logging.getLogger(__name__)

#: how long before now a rebuild window must end (SLS's rule: 900 seconds)
SETTLE_SECONDS = 900
#: groups read from a shard log at a time
_READ_GROUPS = 200
RUNNING, SUCCEEDED, FAILED = "RUNNING", "SUCCEEDED", "FAILED"


def _in(windows: list[tuple[int, int]], at: int) -> bool:
    return any(begin <= at < end for begin, end in windows)


class RebuildIndexRunner:
    """Runs the ``RUNNING`` rebuild jobs of one emulator, and re-applies rebuilds after a start."""

    def __init__(self, service: EmulatorService, jobs: DocumentService) -> None:
        self.service = service
        self.state = service.state
        self.jobs = jobs
        self.rebuilt = MetaDocs(self.state, "index_rebuild")
        self._pending: Optional[bool] = None  # None: to be computed
        self._restored = False

    # -- rules --------------------------------------------------------------------------------

    def check(self, project: str, doc: Mapping[str, Any]) -> None:
        """What creating the job ``doc`` requires (``LogStoreNotExist``, ``IndexConfigNotExist``,
        ``ParameterInvalid``)."""
        config = doc.get("configuration") or {}
        self.service.indexes.existing(project, str(config.get("logstore")))
        try:
            begin, end = int(config["fromTime"]), int(config["toTime"])
        except (TypeError, ValueError):
            raise bad_request("ParameterInvalid", "fromTime and toTime must be Unix seconds") from None
        if not begin < end:
            raise bad_request("ParameterInvalid", f"fromTime {begin} must be before toTime {end}")
        if end > self.state.now() - SETTLE_SECONDS:
            raise bad_request("ParameterInvalid", f"toTime must be at least {SETTLE_SECONDS} seconds ago")

    def job_changed(self, project: str, doc: Mapping[str, Any]) -> None:
        """A job was created: the next tick runs it."""
        self._pending = None

    def due(self, now: int) -> bool:
        """Whether a tick has work: a ``RUNNING`` job, or the first tick after a start."""
        if not self._restored:
            return True
        if self._pending is None:
            self._pending = next(self._running(), None) is not None
        return self._pending

    def _running(self) -> Any:
        for project in list(self.state.projects):
            for doc in self.jobs.docs.all(project).values():
                if doc.get("type") == "RebuildIndex" and doc.get("status") == RUNNING:
                    yield project, doc

    def run_due(self, now: int) -> None:
        """Re-apply the recorded rebuilds once after a start, then run the jobs waiting."""
        if not self._restored:
            self._restored = True
            for project in list(self.state.projects):
                for logstore in list(self.state.project(project).logstores.values()):
                    windows = self._windows(logstore)
                    if windows:
                        self._apply(logstore, windows)
        for project, doc in list(self._running()):
            self._run(project, doc)
        self._pending = None

    # -- the work -----------------------------------------------------------------------------

    def _run(self, project: str, doc: Mapping[str, Any]) -> None:
        config = doc.get("configuration") or {}
        window = (int(config["fromTime"]), int(config["toTime"]))
        try:
            logstore = self.state.logstore(project, str(config.get("logstore")))
            self.service.indexes.existing(project, logstore.name)
            windows = sorted({*self._windows(logstore), window})
            self._record(logstore, windows)
            counts = self._apply(logstore, windows, only=[window])
        except SLSError as exc:
            details: dict[str, Any] = {"progress": 0, "errorCode": exc.code, "errorMessage": exc.message}
            self.jobs.change(project, doc["name"], {"status": FAILED, "executionDetails": details})
            return
        details = {"progress": 100, "indexedLogs": counts}
        self.jobs.change(project, doc["name"], {"status": SUCCEEDED, "executionDetails": details})

    def _windows(self, logstore: LogstoreState) -> list[tuple[int, int]]:
        if logstore.index is None:
            return []
        found = self.rebuilt.get(self.state.logstore_scope(logstore), str(logstore.index.doc["generation"]))
        return [(int(begin), int(end)) for begin, end in (found or {}).get("windows", [])]

    def _record(self, logstore: LogstoreState, windows: list[tuple[int, int]]) -> None:
        scope = self.state.logstore_scope(logstore)
        generation = str(self.service.indexes.existing(logstore.project, logstore.name).doc["generation"])
        for stale in set(self.rebuilt.all(scope)) - {generation}:  # windows of a deleted index
            self.rebuilt.delete(scope, stale)
        self.rebuilt.put(scope, generation, {"windows": [list(window) for window in windows]})

    def _apply(
        self, logstore: LogstoreState, windows: list[tuple[int, int]], only: Optional[list[tuple[int, int]]] = None
    ) -> int:
        """Index, per group stored before CreateIndex, its logs in ``windows`` (the group's
        earlier part dropped first); the number of those logs in ``only`` (default: ``windows``)."""
        index = self.service.indexes.existing(logstore.project, logstore.name)
        engine, index_doc, feed = index.engine, index.doc, index.feed
        created = {int(shard): int(end) for shard, end in (index_doc.get("shardPositions") or {}).items()}
        counted = only if only is not None else windows
        total = 0
        with feed.lock:  # the index takes nothing else meanwhile
            for shard in list(logstore.shards.values()):
                log = shard.log
                stop = created.get(shard.shard_id, 0)
                position = 0 if log is None else log.begin
                while log is not None and position < stop:
                    records = log.read(position, _READ_GROUPS, stop)
                    if not records:
                        break
                    batch = []
                    for record in records:
                        group = decode_log_group(bytes(record.payload))
                        kept = [entry for entry in group.Logs if _in(windows, int(entry.Time))]
                        if not kept:
                            continue
                        total += sum(1 for entry in kept if _in(counted, int(entry.Time)))
                        del group.Logs[:]
                        group.Logs.extend(kept)
                        engine.drop_group(shard.shard_id, record.seq)
                        payload = group.SerializeToString()
                        batch.append(StoredGroup(payload, shard.shard_id, record.seq, record.receive_time))
                    engine.ingest_groups(batch)
                    position = records[-1].seq + 1
        logger.info("rebuilt the index of %s/%s: %d logs", logstore.project, logstore.name, total)
        return total
