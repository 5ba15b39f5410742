"""Answers of the scheduled SQL job calls and of their job instances."""

from __future__ import annotations

from typing import Any

from ._responses import DocumentResponse, HeaderFirstAck, HeaderFirstPage

__all__ = [
    "CreateScheduledSQLResponse",
    "DeleteScheduledSQLResponse",
    "GetScheduledSQLResponse",
    "GetScheduledSqlJobInstanceResponse",
    "ListScheduledSQLResponse",
    "ListScheduledSqlJobInstancesResponse",
    "ModifyScheduledSqlJobStateResponse",
    "UpdateScheduledSQLResponse",
]


class CreateScheduledSQLResponse(HeaderFirstAck):
    """Answer of ``create_scheduled_sql``."""


class UpdateScheduledSQLResponse(HeaderFirstAck):
    """Answer of ``update_scheduled_sql``."""


class DeleteScheduledSQLResponse(HeaderFirstAck):
    """Answer of ``delete_scheduled_sql``."""


class ModifyScheduledSqlJobStateResponse(HeaderFirstAck):
    """Answer of ``modify_scheduled_sql_job_instance_state`` (a rerun)."""


class GetScheduledSQLResponse(DocumentResponse):
    """One scheduled SQL job's JSON document."""

    document_name = "scheduled_sql"

    def get_scheduled_sql(self) -> Any:
        """The job's JSON document."""
        return self.body


class GetScheduledSqlJobInstanceResponse(DocumentResponse):
    """One run (instance) of a scheduled SQL job."""

    document_name = "instance"

    def get_instance(self) -> Any:
        """The instance's JSON document."""
        return self.body


class ListScheduledSQLResponse(HeaderFirstPage):
    """One page of scheduled SQL jobs (``results``)."""

    def get_scheduled_sql_jobs(self) -> list[Any]:
        """The jobs of this page."""
        return self._items


class ListScheduledSqlJobInstancesResponse(HeaderFirstPage):
    """One page of a job's runs (``results``)."""

    def get_scheduled_sql_jobs(self) -> list[Any]:
        """The runs of this page (official name)."""
        return self._items
