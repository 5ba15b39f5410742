"""Changing stored logs: soft-delete tasks, DeleteLogs, UpdateLogs and EnableLogStoreModify.

Only what queries see changes: the index marks rows deleted or replaces them
(:meth:`~aliyun.log.emulator.query.LogstoreIndex.delete_rows`, ``update_rows``), while the shard
logs, and so PullLogs and consumers, keep every log as written (as on SLS). The wire shapes and
the emulator's choices are in docs/changing-data.md.

* A soft-delete task (``POST /logstores/{ls}/deletelogtasks``) is a document of the
  ``deletelogtask`` family (:mod:`.families_datamod`). The emulator runs it before it answers,
  so the task it returns already reports ``progress`` 100; the document is stored first with
  progress 0 and is removed again if the marking fails, so a listed task is one that ran.
* DeleteLogs / UpdateLogs need a logstore that allows modification (``enableModify``, set at
  CreateLogStore or by EnableLogStoreModify); otherwise they fail with ``ParameterInvalid``
  (SLS documents no code for it; the emulator's choice).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any, Optional

from ..errors import SLSError, bad_request
from ..query import LogstoreIndex, no_index_error
from .documents import DocumentPage, DocumentService
from .index import IndexService
from .logstores import LogstoreService
from .paging import PageRequest

__all__ = ["DataModService"]

#: update modes of UpdateLogs (``partial`` is the default)
_MODES = ("partial", "full")
#: fields an update may not set: they are the log's time and origin, or the service's own
_RESERVED = ("__time__", "__topic__", "__source__", "__rowid__", "__time_ns_part__")


def _opt_int(body: Mapping[str, Any], name: str) -> Optional[int]:
    value = body.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad_request("ParameterInvalid", f"{name} must be an integer, got {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request("ParameterInvalid", f"{name} must be an integer, got {str(value)[:64]!r}") from None


def _opt_text(body: Mapping[str, Any], name: str) -> Optional[str]:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise bad_request("ParameterInvalid", f"{name} must be a string")
    return str(value)


def _object(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("ParameterInvalid", f"the {what} body must be a JSON object")
    return body


def _update_fields(data: Any) -> dict[str, str]:
    """The fields an UpdateLogs ``data`` sets: a JSON object (or its text) of scalar values."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            raise bad_request("ParameterInvalid", "data must be a JSON object of field values") from None
    if not isinstance(data, dict) or not data:
        raise bad_request("ParameterInvalid", "data must be a non-empty JSON object of field values")
    fields: dict[str, str] = {}
    for key, value in data.items():
        if not key or key in _RESERVED or key.startswith("__tag__:"):
            raise bad_request("ParameterInvalid", f"field {key!r} cannot be updated")
        if isinstance(value, (dict, list)) or value is None:
            raise bad_request("ParameterInvalid", f"the value of {key!r} must be a string or a number")
        fields[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return fields


class DataModService:
    """Soft-delete tasks and row-level changes of one emulator's logstores."""

    def __init__(self, indexes: IndexService, logstores: LogstoreService, tasks: DocumentService) -> None:
        self.indexes = indexes
        self.logstores = logstores
        self.tasks = tasks

    def _index(self, project: Optional[str], logstore: str) -> LogstoreIndex:
        """The logstore's index, holding every log stored so far (changes address those)."""
        engine, complete = self.indexes.searchable(project, logstore)
        if engine is None:
            raise no_index_error()
        if not complete:  # a change must not miss logs that were written but not indexed
            raise SLSError("InternalServerError", "the logstore's index is behind its shards; retry", 500)
        return engine

    # -- soft delete ------------------------------------------------------------------------

    def create_delete_task(self, project: Optional[str], logstore: str, body: Any) -> dict[str, Any]:
        """Run a soft-delete task: hide the matching logs of ``[from, to)`` from every query."""
        request = _object(body, "delete-logs task")
        from_time, to_time = _opt_int(request, "from"), _opt_int(request, "to")
        if from_time is None or to_time is None:
            raise bad_request("ParameterInvalid", "from and to are required")
        query = _opt_text(request, "query") or ""
        topic = _opt_text(request, "topic") or None
        engine = self._index(project, logstore)
        task_id = uuid.uuid4().hex
        doc = {"taskId": task_id, "from": from_time, "to": to_time, "query": query, "topic": topic or "", "progress": 0}
        self.tasks.create(project, doc, logstore)
        try:
            deleted = engine.delete_rows(query, from_time, to_time, topic=topic)
        except BaseException:
            self.tasks.delete(project, task_id, logstore)
            raise
        return self.tasks.change(project, task_id, {"progress": 100, "affectedRows": deleted}, logstore)

    def delete_task(self, project: Optional[str], logstore: str, task_id: str) -> dict[str, Any]:
        """One task's document (``TaskNotExist`` when there is none)."""
        return self.tasks.get(project, task_id, logstore)

    def list_delete_tasks(
        self, project: Optional[str], logstore: str, params: Mapping[str, Optional[str]], paging: PageRequest
    ) -> DocumentPage:
        """A page of the logstore's tasks (rendered ``{"count", "total", "tasks"}``)."""
        return self.tasks.list(project, params, paging, logstore)

    # -- row-level changes ------------------------------------------------------------------

    def modifiable(self, project: Optional[str], logstore: str) -> bool:
        """Whether the logstore allows DeleteLogs and UpdateLogs (its ``enableModify``)."""
        return bool(self.logstores.get(project, logstore).get("enableModify"))

    def _require_modifiable(self, project: Optional[str], logstore: str) -> None:
        if not self.modifiable(project, logstore):
            raise bad_request(
                "ParameterInvalid",
                f"logstore {logstore} does not allow modification: create it with enableModify "
                "or call EnableLogStoreModify",
            )

    def _selection(self, request: Mapping[str, Any]) -> tuple[str, Optional[int], Optional[int], Optional[str]]:
        """``(query, from, to, rowId)`` of a change: a row id, or a range (and a search)."""
        row_id = _opt_text(request, "rowId") or None
        from_time, to_time = _opt_int(request, "from"), _opt_int(request, "to")
        if row_id is None and (from_time is None or to_time is None):
            raise bad_request("ParameterInvalid", "give rowId, or from and to (with a query)")
        return _opt_text(request, "query") or "", from_time, to_time, row_id

    def delete_logs(self, project: Optional[str], logstore: str, body: Any) -> int:
        """DeleteLogs: the row ``rowId`` or the logs a search matches; returns how many."""
        request = _object(body, "DeleteLogs")
        self._require_modifiable(project, logstore)
        query, from_time, to_time, row_id = self._selection(request)
        return self._index(project, logstore).delete_rows(query, from_time, to_time, row_id=row_id)

    def update_logs(self, project: Optional[str], logstore: str, body: Any) -> int:
        """UpdateLogs: set fields of the row ``rowId`` or of the logs a search matches."""
        request = _object(body, "UpdateLogs")
        self._require_modifiable(project, logstore)
        query, from_time, to_time, row_id = self._selection(request)
        mode = (_opt_text(request, "updateMode") or "partial").lower()
        if mode not in _MODES:
            raise bad_request("ParameterInvalid", f"updateMode must be partial or full, got {mode!r}")
        fields = _update_fields(request.get("data"))
        engine = self._index(project, logstore)
        return engine.update_rows(query, from_time, to_time, fields, full=mode == "full", row_id=row_id)

    def enable_modify(self, project: Optional[str], logstore: str, body: Any) -> None:
        """EnableLogStoreModify: ``{"enabled": true}`` (modification cannot be turned off)."""
        request = _object(body, "modification")
        if request.get("enabled") is not True:
            raise bad_request("ParameterInvalid", 'modification can only be enabled ({"enabled": true})')
        if not self.modifiable(project, logstore):
            self.logstores.update(project, logstore, {"enableModify": True})
