"""Document families of the ``datamod`` area: soft-delete tasks (see :mod:`.datamod`)."""

from __future__ import annotations

from .documents import DocumentFamily

__all__ = ["DATAMOD_FAMILIES", "DELETE_LOGS_TASK"]

#: a soft-delete task of a logstore: what it deletes and how far it got. SLS documents no
#: not-exist code for a task; ``TaskNotExist`` is the emulator's choice (docs/changing-data.md).
DELETE_LOGS_TASK = DocumentFamily(
    kind="deletelogtask",
    name_field="taskId",
    not_exist="TaskNotExist",
    already_exist="TaskAlreadyExist",
    list_key="tasks",
    list_documents=True,
    logstore_level=True,
    name_pattern=False,
)

DATAMOD_FAMILIES = {DELETE_LOGS_TASK.kind: DELETE_LOGS_TASK}
