"""The ``/jobs`` family: one store of named job documents for every job type.

SLS keeps alerts, reports, ETL, ingestion, export, scheduled SQL and index-rebuild jobs in one
namespace per project, told apart by the document's ``type`` and listed by ``jobType``. This
module only declares the family (names, error codes, list shape, checks); the states and
actions of jobs are :mod:`.jobs`, the runs of scheduled SQL :mod:`.scheduled_sql`. The wire
facts are in docs/jobs.md.
"""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from .documents import DocumentFamily
from .scheduled_sql import check_scheduled_sql

__all__ = ["JOB", "JOBS_FAMILIES", "JOB_TYPES"]

#: the job types the store accepts (the ``type`` of a job document)
JOB_TYPES = frozenset(
    {"Alert", "Report", "ETL", "Ingestion", "RebuildIndex", "AuditJob", "Export", "ScheduledSQL", "Scheduled"}
)

# Fields a job of a type cannot do without: what its run (or the console) reads.
_NEEDS: dict[str, tuple[str, ...]] = {
    "ScheduledSQL": ("script", "sourceLogstore", "destLogstore"),
    "RebuildIndex": ("logstore", "fromTime", "toTime"),
    "Export": ("logstore", "sink"),
}


def _check_job(doc: dict[str, Any]) -> None:
    kind = doc.get("type")
    if kind not in JOB_TYPES:
        raise bad_request("ParameterInvalid", f"unsupported job type: {kind!r}")
    for key in ("configuration", "schedule"):
        if doc.get(key) is not None and not isinstance(doc[key], dict):
            raise bad_request("ParameterInvalid", f"{key} must be a JSON object")
    config = doc.get("configuration") or {}
    for needed in _NEEDS.get(str(kind), ()):
        if config.get(needed) in (None, ""):
            raise bad_request("ParameterInvalid", f"a {kind} job needs configuration.{needed}")
    if kind == "ScheduledSQL":
        check_scheduled_sql(doc)


JOB = DocumentFamily(
    kind="job",
    name_field="name",
    not_exist="JobNotExist",
    already_exist="JobAlreadyExist",
    list_key="results",
    list_documents=True,
    exact_filters={"jobType": "type", "logstore": "configuration.logstore"},
    required=("type",),
    validate=_check_job,
    modify_time_field="lastModifiedTime",
)

#: the families of this module, by meta-store kind
JOBS_FAMILIES: dict[str, DocumentFamily] = {JOB.kind: JOB}
