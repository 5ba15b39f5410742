"""The wire calls of the ``/jobs`` store, once each (every job family of ``LogClient`` uses them).

Each method sends one entry of the operation table; the public methods of
:mod:`.jobs` and :mod:`.scheduled_sql` build bodies and answers around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, TypeVar

from .. import _ops as ops
from ._listing import Page, list_pages
from .core import ClientCore

__all__ = ["Headers", "JobCalls"]

P = TypeVar("P", bound=Page)
Headers = dict[str, str]


class JobCalls(ClientCore):
    """The wire calls of the ``/jobs`` store, once each."""

    def _job_create(self, project: str, body: Any) -> tuple[Any, Headers]:
        return self._call_json(ops.CREATE_JOB, project, body=body)

    def _job_update(self, project: str, name: str, body: Any) -> tuple[Any, Headers]:
        return self._call_json(ops.UPDATE_JOB, project, body=body, job=name)

    def _job_get(self, project: str, name: str) -> tuple[Any, Headers]:
        return self._call_json(ops.GET_JOB, project, job=name)

    def _job_delete(self, project: str, name: str) -> tuple[Any, Headers]:
        return self._call_json(ops.DELETE_JOB, project, job=name)

    def _job_action(self, project: str, name: str, action: str, body: Any = None) -> tuple[Any, Headers]:
        op = {
            "enable": ops.ENABLE_JOB,
            "disable": ops.DISABLE_JOB,
            "START": ops.START_JOB,
            "STOP": ops.STOP_JOB,
            "RESTART": ops.RESTART_JOB,
        }[action]
        return self._call_json(op, project, body=body, job=name)

    def _job_list(
        self,
        project: str,
        job_type: str,
        offset: int,
        size: int,
        make: Callable[[Any, Headers], P],
        **extra: Any,
    ) -> P:
        """A page (``size`` -1 or above 500: every page, merged) of the jobs of one type."""

        def fetch(page_offset: int, page_size: int) -> P:
            params = {"offset": str(page_offset), "size": str(page_size), "jobType": job_type, **extra}
            data, headers = self._call_json(ops.LIST_JOBS, project, params=params)
            return make(data, headers)

        return list_pages(self, fetch, int(offset), int(size))

    def _job_instances(self, project: str, name: str, params: Mapping[str, Any]) -> tuple[Any, Headers]:
        return self._call_json(ops.LIST_JOB_INSTANCES, project, params=params, job=name)

    def _job_instance(self, project: str, name: str, instance: str, params: Mapping[str, Any]) -> tuple[Any, Headers]:
        return self._call_json(ops.GET_JOB_INSTANCE, project, params=params, job=name, instance=instance)

    def _job_instance_state(self, project: str, name: str, instance: str, state: str) -> tuple[Any, Headers]:
        params = {"state": state}
        return self._call_json(ops.MODIFY_JOB_INSTANCE_STATE, project, params=params, job=name, instance=instance)
