"""Scheduled SQL jobs of ``LogClient`` and their instances (runs), on the ``/jobs`` store.

A scheduled SQL job is a :class:`~aliyun.log.scheduled_sql.ScheduledSQL` object sent as a job of
type ``ScheduledSQL``; each run is a job instance under ``/jobs/<name>/jobinstances``. On the
emulator the jobs really run on its clock (docs/jobs.md "Scheduled SQL").
"""

from __future__ import annotations

from typing import Any, Optional

from .._ops import match
from ..errors import BadParameters
from ..logexception import LogException
from ..scheduled_sql import ScheduledSQLConfiguration
from ..scheduled_sql_response import (
    CreateScheduledSQLResponse,
    DeleteScheduledSQLResponse,
    GetScheduledSqlJobInstanceResponse,
    GetScheduledSQLResponse,
    ListScheduledSqlJobInstancesResponse,
    ListScheduledSQLResponse,
    ModifyScheduledSqlJobStateResponse,
    UpdateScheduledSQLResponse,
)
from ..util import parse_timestamp
from ._listing import list_pages
from .job_calls import Headers, JobCalls

__all__ = ["ScheduledSQLMixin"]

#: the earliest ``fromTime`` of a scheduled SQL job (2016-01-01 00:00 UTC), a service rule the
#: official client checks before sending
SQL_EPOCH = 1451577600
_UPSERT_CALLS = frozenset({"CreateJob", "UpdateJob"})


def _check_scheduled_sql(scheduled_sql: Any) -> dict[str, Any]:
    """The job body of ``scheduled_sql`` after the client-side checks of its configuration."""
    config = scheduled_sql.getConfiguration()
    if not isinstance(config, ScheduledSQLConfiguration):
        raise LogException("BadConfig", "the scheduled sql config is not ScheduledSQLConfiguration type !")
    from_time, to_time = int(config.getFromTime() or 0), int(config.getToTime() or 0)  # type: ignore[attr-defined]
    bounded = SQL_EPOCH < from_time < to_time
    open_ended = from_time > SQL_EPOCH and to_time == 0
    if not (bounded or open_ended):
        raise BadParameters(
            "BadParameters",
            f"Invalid fromTime: {from_time} toTime: {to_time}, please ensure fromTime more than {SQL_EPOCH}.",
        )
    body: dict[str, Any] = scheduled_sql.scheduled_sql_to_dict()
    return body


class ScheduledSQLMixin(JobCalls):
    """Create, read, replace, delete and list scheduled SQL jobs; list, read and rerun their runs."""

    def check_upsert_scheduled_sql(
        self, project_name: str, scheduled_sql: Any, method: str, resource: str
    ) -> tuple[Any, Headers]:
        """Check a job and send it with ``method`` to ``resource`` (``POST /jobs`` creates,
        ``PUT /jobs/<name>`` replaces); the JSON answer and the headers.

        :type project_name: string
        :type scheduled_sql: ScheduledSQL
        :type method: string
        :param method: ``POST`` or ``PUT``.
        :type resource: string
        :param resource: ``/jobs`` or ``/jobs/<name>``.
        :raises LogException: ``BadConfig``: not a ``ScheduledSQLConfiguration``;
            ``BadParameters``: ``fromTime`` not after 2016-01-01 or not before ``toTime``; or
            a method and resource that are not a create or a replace of a job
        """
        body = _check_scheduled_sql(scheduled_sql)
        routed = match(str(method), str(resource), {}, True)
        if routed is None or routed[0].name not in _UPSERT_CALLS:
            raise BadParameters("BadParameters", f"{method} {resource} neither creates nor replaces a job")
        if routed[0].name == "CreateJob":
            return self._job_create(project_name, body)
        return self._job_update(project_name, routed[1]["job"], body)

    def create_scheduled_sql(self, project_name: str, scheduled_sql: Any) -> CreateScheduledSQLResponse:
        """Create a scheduled SQL job (``ENABLED``: on the emulator it runs on the clock).

        :type project_name: string
        :type scheduled_sql: ScheduledSQL
        :param scheduled_sql: the job (name, schedule, configuration).
        :return: CreateScheduledSQLResponse
        :raises LogException: ``JobAlreadyExist``, and the checks of ``check_upsert_scheduled_sql``
        """
        data, headers = self._job_create(project_name, _check_scheduled_sql(scheduled_sql))
        return CreateScheduledSQLResponse(headers, data)

    def update_scheduled_sql(self, project_name: str, scheduled_sql: Any) -> UpdateScheduledSQLResponse:
        """Replace a scheduled SQL job, named by ``scheduled_sql.getName()``.

        :type project_name: string
        :type scheduled_sql: ScheduledSQL
        :return: UpdateScheduledSQLResponse
        :raises LogException: ``JobNotExist``
        """
        body = _check_scheduled_sql(scheduled_sql)
        data, headers = self._job_update(project_name, scheduled_sql.getName(), body)
        return UpdateScheduledSQLResponse(headers, data)

    def delete_scheduled_sql(self, project_name: str, job_name: str) -> DeleteScheduledSQLResponse:
        """Delete a scheduled SQL job and its instances.

        :type project_name: string
        :type job_name: string
        :return: DeleteScheduledSQLResponse
        """
        data, headers = self._job_delete(project_name, job_name)
        return DeleteScheduledSQLResponse(headers, data)

    def get_scheduled_sql(self, project_name: str, job_name: str) -> GetScheduledSQLResponse:
        """A scheduled SQL job's document (``get_scheduled_sql()``).

        :type project_name: string
        :type job_name: string
        :return: GetScheduledSQLResponse
        """
        data, headers = self._job_get(project_name, job_name)
        return GetScheduledSQLResponse(headers, data)

    def list_scheduled_sql(self, project_name: str, offset: int = 0, size: int = 100) -> ListScheduledSQLResponse:
        """Scheduled SQL job documents, ``size`` from ``offset`` (``-1``: all).

        :type project_name: string
        :type offset: int
        :type size: int
        :return: ListScheduledSQLResponse
        """
        return self._job_list(
            project_name, "ScheduledSQL", offset, size, lambda data, headers: ListScheduledSQLResponse(headers, data)
        )

    def list_scheduled_sql_job_instance(
        self,
        project: str,
        job_name: str,
        from_time: Any,
        to_time: Any,
        state: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListScheduledSqlJobInstancesResponse:
        """The runs of a job scheduled in ``[from_time, to_time)``, newest first.

        :type project: string
        :type job_name: string
        :type from_time: int
        :param from_time: Unix seconds or a time text (``"2024-01-01 00:00:00"``, ``"1 hour ago"``).
        :type to_time: int
        :type state: string
        :param state: only runs in this state (``SUCCEEDED``, ``FAILED``, ``RUNNING``).
        :type offset: int
        :type size: int
        :param size: runs per page; ``-1``: all.
        :return: ListScheduledSqlJobInstancesResponse
        """
        start, end = parse_timestamp(from_time), parse_timestamp(to_time)

        def fetch(page_offset: int, page_size: int) -> ListScheduledSqlJobInstancesResponse:
            params: dict[str, Any] = {
                "offset": str(page_offset),
                "size": str(page_size),
                "jobType": "ScheduledSQL",
                "start": start,
                "end": end,
            }
            if state:
                params["state"] = state
            data, headers = self._job_instances(project, job_name, params)
            return ListScheduledSqlJobInstancesResponse(headers, data)

        return list_pages(self, fetch, int(offset), int(size))

    def get_scheduled_sql_job_instance(
        self, project: str, job_name: str, instance_id: str, result: Optional[str] = None
    ) -> GetScheduledSqlJobInstanceResponse:
        """One run of a job (``get_instance()``); with ``result="true"`` its ``result`` too.

        :type project: string
        :type job_name: string
        :type instance_id: string
        :type result: string
        :param result: ``"true"`` to include the run's result.
        :return: GetScheduledSqlJobInstanceResponse
        """
        params = {"result": result} if result else {}
        data, headers = self._job_instance(project, job_name, instance_id, params)
        return GetScheduledSqlJobInstanceResponse(headers, data)

    def modify_scheduled_sql_job_instance_state(
        self, project: str, job_name: str, instance_id: str, state: str
    ) -> ModifyScheduledSqlJobStateResponse:
        """Rerun one run of a job: ``state`` must be ``RUNNING``.

        :type project: string
        :type job_name: string
        :type instance_id: string
        :type state: string
        :return: ModifyScheduledSqlJobStateResponse
        :raises LogException: ``BadParameters`` for another state
        """
        if state != "RUNNING":
            raise BadParameters("BadParameters", f"Invalid state: {state}, state must be RUNNING.")
        data, headers = self._job_instance_state(project, job_name, instance_id, state)
        return ModifyScheduledSqlJobStateResponse(headers, data)
