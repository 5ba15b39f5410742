"""Jobs of ``LogClient``: alerts, ETL, exports, ingestion and index rebuilds, all in ``/jobs``.

SLS keeps every job type in one ``/jobs`` store per project, each a JSON document named by its
``name`` and typed by its ``type``; lists filter on ``jobType``, and state changes are ``PUT``
with ``action=`` (``enable``/``disable`` for alerts, ``START``/``STOP``/``RESTART`` for resident
jobs). The wire calls are :class:`~.job_calls.JobCalls`, once each; scheduled SQL is
:mod:`.scheduled_sql`. Each public method keeps the official name, parameters and answer class
(docs/jobs.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .._ops import check_label
from ..common_response import (
    CreateEntityResponse,
    DeleteEntityResponse,
    GetEntityResponse,
    ListEntityResponse,
    UpdateEntityResponse,
)
from ..errors import BadParameters
from ..etl_config_response import (
    CreateEtlResponse,
    DeleteEtlResponse,
    GetEtlResponse,
    ListEtlsResponse,
    StartEtlResponse,
    StopEtlResponse,
    UpdateEtlResponse,
)
from ..export_response import (
    CreateExportResponse,
    DeleteExportResponse,
    GetExportResponse,
    ListExportResponse,
    UpdateExportResponse,
)
from ..ingestion_response import (
    CreateIngestionResponse,
    DeleteIngestionResponse,
    GetIngestionResponse,
    ListIngestionResponse,
    RestartIngestionResponse,
    StartIngestionResponse,
    StopIngestionResponse,
    UpdateIngestionResponse,
)
from ..logresponse import LogResponse
from ..rebuild_index_response import CreateRebuildIndexResponse, GetRebuildIndexResponse
from ..util import export_deserialize, maxcompute_sink_deserialize, oss_sink_deserialize
from ._listing import body_of
from .scheduled_sql import ScheduledSQLMixin

__all__ = ["JobsMixin"]


def _name_of(body: Mapping[str, Any], what: str) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise BadParameters("BadParameters", f"{what} has no name: nothing names the job to update")
    return name


class JobsMixin(ScheduledSQLMixin):
    """Alerts, ETL, export, ingestion and index-rebuild jobs (and, inherited, scheduled SQL)."""

    # -- alerts -------------------------------------------------------------------------------

    def create_alert(self, project: str, detail: Any) -> CreateEntityResponse:
        """Create an alert (a job of type ``Alert``, which is added when ``detail`` has no type).

        :type project: string
        :param project: the project.
        :type detail: dict/string
        :param detail: the alert document (``name``, ``displayName``, ``configuration``,
            ``schedule`` ...): a dict, JSON text or an object with ``to_json()``.
        :return: CreateEntityResponse
        :raises LogException: ``JobAlreadyExist`` when the name is taken
        """
        body = dict(body_of(detail, "detail"))
        body.setdefault("type", "Alert")
        data, headers = self._job_create(project, body)
        return CreateEntityResponse(headers, data)

    def update_alert(self, project: str, detail: Any) -> UpdateEntityResponse:
        """Replace an alert, named by the ``name`` of ``detail``.

        :type project: string
        :type detail: dict/string
        :param detail: the whole alert document.
        :return: UpdateEntityResponse
        :raises LogException: ``JobNotExist``
        """
        body = dict(body_of(detail, "detail"))
        body.setdefault("type", "Alert")
        data, headers = self._job_update(project, _name_of(body, "detail"), body)
        return UpdateEntityResponse(headers, data)

    def get_alert(self, project: str, entity: str) -> GetEntityResponse:
        """An alert's document (``get_entity()``), with its ``status`` (``ENABLED``/``DISABLED``).

        :type project: string
        :type entity: string
        :param entity: the alert's name.
        :return: GetEntityResponse
        :raises LogException: ``JobNotExist``
        """
        data, headers = self._job_get(project, entity)
        return GetEntityResponse(headers, data)

    def delete_alert(self, project: str, entity: str) -> DeleteEntityResponse:
        """Delete an alert.

        :type project: string
        :type entity: string
        :param entity: the alert's name.
        :return: DeleteEntityResponse
        :raises LogException: ``JobNotExist``
        """
        data, headers = self._job_delete(project, entity)
        return DeleteEntityResponse(headers, data)

    def list_alert(self, project: str, offset: int = 0, size: int = 100) -> ListEntityResponse:
        """Alert documents, ``size`` from ``offset`` (``-1``: all); ``get_alerts()`` on the answer.

        :type project: string
        :type offset: int
        :type size: int
        :return: ListEntityResponse
        """
        return self._job_list(
            project,
            "Alert",
            offset,
            size,
            lambda data, headers: ListEntityResponse(headers, data, resource_name="alerts", entities_key="results"),
        )

    def enable_alert(self, project_name: str, job_name: str) -> LogResponse:
        """Switch an alert on (``status`` ``ENABLED``).

        :type project_name: string
        :type job_name: string
        :param job_name: the alert's name.
        :return: LogResponse
        :raises LogException: ``JobNotExist``
        """
        _, headers = self._job_action(project_name, job_name, "enable")
        return LogResponse(headers)

    def disable_alert(self, project_name: str, job_name: str) -> LogResponse:
        """Switch an alert off (``status`` ``DISABLED``).

        :type project_name: string
        :type job_name: string
        :param job_name: the alert's name.
        :return: LogResponse
        :raises LogException: ``JobNotExist``
        """
        _, headers = self._job_action(project_name, job_name, "disable")
        return LogResponse(headers)

    def copy_alert(
        self,
        from_project: str,
        from_alert_name: str,
        to_project: Optional[str] = None,
        to_alert_name: Optional[str] = None,
        to_client: Optional[Any] = None,
        to_region_endpoint: Optional[str] = None,
    ) -> None:
        """Copy an alert, to another name and/or project (and another region with ``to_client``).

        Queries of the copy that named the source project name the target project. An alert of
        that name already in the target is left as it is.

        :type from_project: string
        :type from_alert_name: string
        :type to_project: string
        :param to_project: the target project (default: the same project).
        :type to_alert_name: string
        :param to_alert_name: the copy's name (default: the same name).
        :type to_client: LogClient
        :param to_client: a client of the target region or account (default: this client).
        :type to_region_endpoint: string
        :param to_region_endpoint: the target endpoint when ``to_client`` is not given.
        """
        from ..logclient_operator import copy_alert

        copy_alert(self, from_project, from_alert_name, to_project, to_alert_name, to_client, to_region_endpoint)

    # -- ETL ----------------------------------------------------------------------------------

    @staticmethod
    def _etl_body(
        name: str, configuration: Any, schedule: Any, display_name: str, description: Optional[str]
    ) -> dict[str, Any]:
        return {
            "name": name,
            "configuration": configuration,
            "schedule": schedule,
            "description": description,
            "displayName": display_name,
            "type": "ETL",
        }

    def create_etl(
        self,
        project_name: str,
        name: str,
        configuration: Any,
        schedule: Any,
        display_name: str,
        description: Optional[str] = None,
    ) -> CreateEtlResponse:
        """Create a data transformation (ETL) job; it starts ``RUNNING``.

        :type project_name: string
        :type name: string
        :param name: the job's name.
        :type configuration: dict
        :param configuration: the ETL configuration (``logstore``, ``script``, ``sinks`` ...).
        :type schedule: dict
        :param schedule: the job schedule (``{"type": "Resident"}``).
        :type display_name: string
        :type description: string
        :return: CreateEtlResponse
        :raises LogException: ``JobAlreadyExist``
        """
        body = self._etl_body(name, configuration, schedule, display_name, description)
        data, headers = self._job_create(project_name, body)
        return CreateEtlResponse(headers, data)

    def update_etl(
        self,
        project_name: str,
        name: str,
        configuration: Any,
        schedule: Any,
        display_name: str,
        description: Optional[str] = None,
    ) -> UpdateEtlResponse:
        """Replace an ETL job's document (its status is kept).

        :type project_name: string
        :type name: string
        :type configuration: dict
        :type schedule: dict
        :type display_name: string
        :type description: string
        :return: UpdateEtlResponse
        :raises LogException: ``JobNotExist``
        """
        body = self._etl_body(name, configuration, schedule, display_name, description)
        data, headers = self._job_update(project_name, name, body)
        return UpdateEtlResponse(headers, data)

    def get_etl(self, project_name: str, name: str) -> GetEtlResponse:
        """An ETL job's document (``get_etl()``), with its ``status``.

        :type project_name: string
        :type name: string
        :return: GetEtlResponse
        :raises LogException: ``JobNotExist``
        """
        data, headers = self._job_get(project_name, name)
        return GetEtlResponse(headers, data)

    def delete_etl(self, project_name: str, name: str) -> DeleteEtlResponse:
        """Delete an ETL job.

        :type project_name: string
        :type name: string
        :return: DeleteEtlResponse
        :raises LogException: ``JobNotExist``
        """
        data, headers = self._job_delete(project_name, name)
        return DeleteEtlResponse(headers, data)

    def start_etl(self, project_name: str, name: str) -> StartEtlResponse:
        """Start a stopped ETL job (``status`` ``RUNNING``).

        :type project_name: string
        :type name: string
        :return: StartEtlResponse
        """
        data, headers = self._job_action(project_name, name, "START")
        return StartEtlResponse(headers, data)

    def stop_etl(self, project_name: str, name: str) -> StopEtlResponse:
        """Stop an ETL job (``status`` ``STOPPED``).

        :type project_name: string
        :type name: string
        :return: StopEtlResponse
        """
        data, headers = self._job_action(project_name, name, "STOP")
        return StopEtlResponse(headers, data)

    def list_etls(self, project_name: str, offset: int = 0, size: int = 100) -> ListEtlsResponse:
        """ETL job documents, ``size`` from ``offset`` (``-1``: all); ``get_etls()``.

        :type project_name: string
        :type offset: int
        :type size: int
        :return: ListEtlsResponse
        """
        return self._job_list(project_name, "ETL", offset, size, ListEtlsResponse)

    # -- exports ------------------------------------------------------------------------------

    def create_export(self, project_name: str, export: Any) -> CreateExportResponse:
        """Create an export job (a logstore delivered to OSS or MaxCompute); it starts ``RUNNING``.

        The emulator stores it with its state; nothing is delivered (docs/emulator.md).

        :type project_name: string
        :type export: Export
        :param export: an :class:`aliyun.log.job.Export` whose configuration's sink is an
            ``AliyunOSS`` or ``AliyunODPS`` sink.
        :return: CreateExportResponse
        :raises TypeError: for another sink type.
        :raises LogException: ``JobAlreadyExist``.
        """
        sink_config = export.getConfiguration().getSink()
        sink_type = sink_config.getType()
        if sink_type == "AliyunODPS":
            sink = maxcompute_sink_deserialize(sink_config)
        elif sink_type == "AliyunOSS":
            sink = oss_sink_deserialize(sink_config)
        else:
            raise TypeError(f"export job type must in AliyunODPS or AliyunOSS, not {sink_type}")
        data, headers = self._job_create(project_name, body_of(export_deserialize(export, sink), "export"))
        return CreateExportResponse(headers, data)

    def update_export(self, project_name: str, job_name: str, export: str) -> UpdateExportResponse:
        """Replace an export job's document and restart it (``action=RESTART``).

        :type project_name: string
        :type job_name: string
        :type export: string
        :param export: the whole job document as JSON text.
        :return: UpdateExportResponse
        :raises TypeError: when ``export`` is not text.
        """
        if not isinstance(export, str):
            raise TypeError("export type must be string")
        data, headers = self._job_action(project_name, job_name, "RESTART", body_of(export, "export"))
        return UpdateExportResponse(headers, data)

    def get_export(self, project_name: str, job_name: str) -> GetExportResponse:
        """An export job's document (``get_export()``).

        :type project_name: string
        :type job_name: string
        :return: GetExportResponse
        :raises LogException: ``JobNotExist``
        """
        data, headers = self._job_get(project_name, job_name)
        return GetExportResponse(headers, data)

    def delete_export(self, project_name: str, job_name: str) -> DeleteExportResponse:
        """Delete an export job.

        :type project_name: string
        :type job_name: string
        :return: DeleteExportResponse
        """
        data, headers = self._job_delete(project_name, job_name)
        return DeleteExportResponse(headers, data)

    def list_export(self, project_name: str, offset: int = 0, size: int = 100) -> ListExportResponse:
        """Export job documents, ``size`` from ``offset`` (``-1``: all); ``get_exports()``.

        :type project_name: string
        :type offset: int
        :type size: int
        :return: ListExportResponse
        """
        return self._job_list(project_name, "Export", offset, size, ListExportResponse)

    def list_logstore_export(
        self, project_name: str, logstore_name: str, offset: int = 0, size: int = 100
    ) -> ListExportResponse:
        """The export jobs reading one logstore (``configuration.logstore``).

        :type project_name: string
        :type logstore_name: string
        :type offset: int
        :type size: int
        :return: ListExportResponse
        """
        return self._job_list(project_name, "Export", offset, size, ListExportResponse, logstore=logstore_name)

    # -- ingestion ----------------------------------------------------------------------------

    def list_ingestion(
        self, project_name: str, logstore_name: str = "", offset: int = 0, size: int = 100
    ) -> ListIngestionResponse:
        """Ingestion job documents (of one logstore when ``logstore_name`` is given).

        :type project_name: string
        :type logstore_name: string
        :type offset: int
        :type size: int
        :return: ListIngestionResponse
        """
        return self._job_list(project_name, "Ingestion", offset, size, ListIngestionResponse, logstore=logstore_name)

    def create_ingestion(self, project_name: str, ingestion_config: Any) -> CreateIngestionResponse:
        """Create an ingestion job (data imported from OSS, Kafka, a database ...); it starts
        ``RUNNING``. The emulator stores it with its state and contacts no source.

        :type project_name: string
        :type ingestion_config: string
        :param ingestion_config: the job document as JSON text (or a dict).
        :return: CreateIngestionResponse
        :raises LogException: ``JobAlreadyExist``
        """
        data, headers = self._job_create(project_name, body_of(ingestion_config, "ingestion_config"))
        return CreateIngestionResponse(headers, data)

    def update_ingestion(
        self, project_name: str, ingestion_name: str, ingestion_config: Any
    ) -> UpdateIngestionResponse:
        """Replace an ingestion job's document (its status is kept).

        :type project_name: string
        :type ingestion_name: string
        :type ingestion_config: string
        :return: UpdateIngestionResponse
        """
        body = body_of(ingestion_config, "ingestion_config")
        data, headers = self._job_update(project_name, ingestion_name, body)
        return UpdateIngestionResponse(headers, data)

    def delete_ingestion(self, project_name: str, ingestion_name: str) -> DeleteIngestionResponse:
        """Delete an ingestion job.

        :type project_name: string
        :type ingestion_name: string
        :return: DeleteIngestionResponse
        """
        data, headers = self._job_delete(project_name, ingestion_name)
        return DeleteIngestionResponse(headers, data)

    def get_ingestion(self, project_name: str, ingestion_name: str) -> GetIngestionResponse:
        """An ingestion job's document (``get_ingestion()``), with its ``status``.

        :type project_name: string
        :type ingestion_name: string
        :return: GetIngestionResponse
        """
        data, headers = self._job_get(project_name, ingestion_name)
        return GetIngestionResponse(data, headers)

    def start_ingestion(self, project_name: str, ingestion_name: str) -> StartIngestionResponse:
        """Start a stopped ingestion job.

        :type project_name: string
        :type ingestion_name: string
        :return: StartIngestionResponse
        """
        data, headers = self._job_action(project_name, ingestion_name, "START")
        return StartIngestionResponse(headers, data)

    def stop_ingestion(self, project_name: str, ingestion_name: str) -> StopIngestionResponse:
        """Stop an ingestion job.

        :type project_name: string
        :type ingestion_name: string
        :return: StopIngestionResponse
        """
        data, headers = self._job_action(project_name, ingestion_name, "STOP")
        return StopIngestionResponse(headers, data)

    def restart_ingestion(
        self, project_name: str, ingestion_name: str, ingestion_config: Any
    ) -> RestartIngestionResponse:
        """Replace an ingestion job's document and run it again (``RUNNING``).

        :type project_name: string
        :type ingestion_name: string
        :type ingestion_config: string
        :return: RestartIngestionResponse
        """
        body = body_of(ingestion_config, "ingestion_config")
        data, headers = self._job_action(project_name, ingestion_name, "RESTART", body)
        return RestartIngestionResponse(headers, data)

    # -- index rebuilds -----------------------------------------------------------------------

    def create_rebuild_index(
        self, project: str, logstore: str, job_name: str, display_name: str, from_time: int, to_time: int
    ) -> CreateRebuildIndexResponse:
        """Index the logs of ``[from_time, to_time)`` that were stored before the logstore's index
        existed (a job of type ``RebuildIndex``; ``get_rebuild_index`` follows its status).

        :type project: string
        :type logstore: string
        :param logstore: the logstore whose index takes the logs.
        :type job_name: string
        :type display_name: string
        :type from_time: int
        :param from_time: Unix seconds.
        :type to_time: int
        :param to_time: Unix seconds, at least 900 seconds ago.
        :return: CreateRebuildIndexResponse
        :raises LogException: ``JobAlreadyExist``, ``IndexConfigNotExist``, ``ParameterInvalid``
        """
        body = {
            "configuration": {"fromTime": from_time, "toTime": to_time, "logstore": check_label("logstore", logstore)},
            "displayName": display_name,
            "name": job_name,
            "recyclable": False,
            "type": "RebuildIndex",
        }
        data, headers = self._job_create(project, body)
        return CreateRebuildIndexResponse(headers, data)

    def get_rebuild_index(self, project: str, job_name: str) -> GetRebuildIndexResponse:
        """A rebuild job: ``get_status()`` (``RUNNING``, ``SUCCEEDED``, ``FAILED``),
        ``get_execution_details()`` and ``get_configuration()``.

        :type project: string
        :type job_name: string
        :return: GetRebuildIndexResponse
        :raises LogException: ``JobNotExist``
        """
        data, headers = self._job_get(project, job_name)
        return GetRebuildIndexResponse(headers, data)
