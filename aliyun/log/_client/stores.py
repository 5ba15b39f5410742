"""External stores, Logtail pipeline configs, store views, SQL instances and shard arrangement
calls of ``LogClient`` (metric stores and logstore settings: :mod:`.metric_stores`).

Each method keeps the official name, parameters and answer class; the wire shapes are in
docs/resources.md.
"""

from __future__ import annotations

from typing import Any, Optional

from .. import _ops as ops
from ..errors import BadParameters
from ..external_store_config_response import (
    CreateExternalStoreResponse,
    DeleteExternalStoreResponse,
    GetExternalStoreResponse,
    ListExternalStoreResponse,
    UpdateExternalStoreResponse,
)
from ..logtail_pipeline_config_response import (
    CreateLogtailPipelineConfigResponse,
    DeleteLogtailPipelineConfigResponse,
    GetLogtailPipelineConfigResponse,
    ListLogtailPipelineConfigResponse,
    UpdateLogtailPipelineConfigResponse,
)
from ..sql_instance_response import CreateSqlInstanceResponse, ListSqlInstanceResponse, UpdateSqlInstanceResponse
from ..store_view_response import (
    CreateStoreViewResponse,
    DeleteStoreViewResponse,
    GetStoreViewResponse,
    ListStoreViewsResponse,
    UpdateStoreViewResponse,
)
from ._listing import body_of, list_pages
from .core import ClientCore

__all__ = ["StoresMixin"]


def _named(body: dict[str, Any], field: str, what: str) -> str:
    """The name a document carries in ``field`` (``BadParameters`` when it has none)."""
    name = body.get(field)
    if not isinstance(name, str) or not name:
        raise BadParameters("BadParameters", f"{what} has no {field}: nothing names it")
    return name


def _store_view_body(store_view: Any) -> dict[str, Any]:
    """A :class:`~aliyun.log.StoreView` (or its JSON form) as the request body."""
    to_json = getattr(store_view, "_to_json_dict", None)
    if callable(to_json):
        body = to_json()
        if isinstance(body, dict):
            return body
    return body_of(store_view, "store_view")


class StoresMixin(ClientCore):
    """External stores, pipeline configs, store views, SQL instances, ``arrange_shard``."""

    # -- external stores ----------------------------------------------------------------------

    def create_external_store(self, project_name: str, config: Any) -> CreateExternalStoreResponse:
        """Create an external store (an RDS/PostgreSQL table, OSS objects or an uploaded CSV).

        :type project_name: string
        :param project_name: the project.
        :type config: ExternalStoreConfigBase
        :param config: the store, as :class:`~aliyun.log.ExternalStoreConfig`,
            :class:`~aliyun.log.ExternalStoreOssConfig`, :class:`~aliyun.log.ExternalStoreCsvConfig`
            or their JSON form.
        :raises LogException: ``LogStoreAlreadyExist`` when a logstore or external store has the name.
        """
        body = body_of(config, "config")
        _, headers = self._call_json(ops.CREATE_EXTERNAL_STORE, project_name, body=body)
        return CreateExternalStoreResponse(headers)

    def update_external_store(self, project_name: str, config: Any) -> UpdateExternalStoreResponse:
        """Replace an external store, named by the ``externalStoreName`` of ``config``.

        :type project_name: string
        :type config: ExternalStoreConfigBase
        :param config: the new configuration.
        """
        body = body_of(config, "config")
        name = _named(body, "externalStoreName", "config")
        _, headers = self._call_json(ops.UPDATE_EXTERNAL_STORE, project_name, body=body, externalstore=name)
        return UpdateExternalStoreResponse(headers)

    def delete_external_store(self, project_name: str, store_name: str) -> DeleteExternalStoreResponse:
        """Delete an external store.

        :type project_name: string
        :type store_name: string
        :param store_name: the external store's name.
        """
        _, headers = self._call_json(ops.DELETE_EXTERNAL_STORE, project_name, externalstore=store_name)
        return DeleteExternalStoreResponse(headers)

    def get_external_store(self, project_name: str, store_name: str) -> GetExternalStoreResponse:
        """An external store's configuration (``get_external_store_config()`` on the answer).

        :type project_name: string
        :type store_name: string
        :param store_name: the external store's name.
        """
        data, headers = self._call_json(ops.GET_EXTERNAL_STORE, project_name, externalstore=store_name)
        if isinstance(data, dict):
            data.setdefault("externalStoreName", store_name)
        return GetExternalStoreResponse(data, headers)

    def list_external_store(
        self, project_name: str, external_store_name_pattern: Optional[str] = None, offset: int = 0, size: int = 100
    ) -> ListExternalStoreResponse:
        """External store names containing ``external_store_name_pattern``; ``get_logstores()``.

        :type project_name: string
        :type external_store_name_pattern: string
        :param external_store_name_pattern: a part of the names to list (all when ``None``).
        :type offset: int
        :type size: int
        :param size: at most this many (``-1``: all).
        """

        def fetch(page_offset: int, page_size: int) -> ListExternalStoreResponse:
            params: dict[str, Any] = {"offset": page_offset, "size": page_size}
            if external_store_name_pattern is not None:
                params["externalStoreName"] = external_store_name_pattern
            data, headers = self._call_json(ops.LIST_EXTERNAL_STORE, project_name, params=params)
            return ListExternalStoreResponse(data, headers)

        return list_pages(self, fetch, int(offset), int(size))

    # -- Logtail pipeline configs -------------------------------------------------------------

    def create_logtail_pipeline_config(
        self, project_name: str, config_detail: Any
    ) -> CreateLogtailPipelineConfigResponse:
        """Create a Logtail pipeline configuration.

        :type project_name: string
        :type config_detail: LogtailPipelineConfigDetail
        :param config_detail: the configuration (``configName``, ``inputs``, ``flushers`` ...).
        :raises LogException: ``ConfigAlreadyExist`` when the name is taken.
        """
        body = body_of(config_detail, "config_detail")
        _, headers = self._call_json(ops.CREATE_LOGTAIL_PIPELINE_CONFIG, project_name, body=body)
        return CreateLogtailPipelineConfigResponse(headers)

    def update_logtail_pipeline_config(
        self, project_name: str, config_detail: Any
    ) -> UpdateLogtailPipelineConfigResponse:
        """Replace a pipeline configuration, named by its ``configName``.

        :type project_name: string
        :type config_detail: LogtailPipelineConfigDetail
        :raises LogException: ``ConfigNotExist``.
        """
        body = body_of(config_detail, "config_detail")
        name = _named(body, "configName", "config_detail")
        _, headers = self._call_json(ops.UPDATE_LOGTAIL_PIPELINE_CONFIG, project_name, body=body, pipelineconfig=name)
        return UpdateLogtailPipelineConfigResponse(headers)

    def delete_logtail_pipeline_config(
        self, project_name: str, config_name: str
    ) -> DeleteLogtailPipelineConfigResponse:
        """Delete a pipeline configuration.

        :type project_name: string
        :type config_name: string
        :raises LogException: ``ConfigNotExist``.
        """
        _, headers = self._call_json(ops.DELETE_LOGTAIL_PIPELINE_CONFIG, project_name, pipelineconfig=config_name)
        return DeleteLogtailPipelineConfigResponse(headers)

    def get_logtail_pipeline_config(self, project_name: str, config_name: str) -> GetLogtailPipelineConfigResponse:
        """A pipeline configuration (``get_pipeline_config()``: a ``LogtailPipelineConfigDetail``).

        :type project_name: string
        :type config_name: string
        :raises LogException: ``ConfigNotExist``.
        """
        data, headers = self._call_json(ops.GET_LOGTAIL_PIPELINE_CONFIG, project_name, pipelineconfig=config_name)
        return GetLogtailPipelineConfigResponse(data, headers)

    def list_logtail_pipeline_config(
        self,
        project_name: str,
        config_name: Optional[str] = None,
        logstore_name: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListLogtailPipelineConfigResponse:
        """Pipeline configuration names; ``get_configs()``.

        :type project_name: string
        :type config_name: string
        :param config_name: list only names containing this.
        :type logstore_name: string
        :param logstore_name: list only configurations writing to this logstore.
        :type offset: int
        :type size: int
        :param size: at most this many (``-1``: all).
        """

        def fetch(page_offset: int, page_size: int) -> ListLogtailPipelineConfigResponse:
            params: dict[str, Any] = {"offset": page_offset, "size": page_size}
            if config_name:
                params["configName"] = config_name
            if logstore_name:
                params["logstoreName"] = logstore_name
            data, headers = self._call_json(ops.LIST_LOGTAIL_PIPELINE_CONFIG, project_name, params=params)
            return ListLogtailPipelineConfigResponse(data, headers)

        return list_pages(self, fetch, int(offset), int(size))

    # -- store views --------------------------------------------------------------------------

    def create_store_view(self, project_name: str, store_view: Any) -> CreateStoreViewResponse:
        """Create a store view: one name for several logstores (or metric stores) queried together.

        :type project_name: string
        :type store_view: StoreView
        :param store_view: the view (name, ``store_type`` ``logstore`` or ``metricstore``,
            member stores, which must exist and be of that type).
        :raises LogException: ``StoreViewAlreadyExist``; ``LogStoreNotExist`` for a missing member.
        """
        body = _store_view_body(store_view)
        _, headers = self._call_json(ops.CREATE_STORE_VIEW, project_name, body=body)
        return CreateStoreViewResponse(headers)

    def update_store_view(self, project_name: str, store_view_name: str, store_view: Any) -> UpdateStoreViewResponse:
        """Replace a store view.

        :type project_name: string
        :type store_view_name: string
        :type store_view: StoreView
        :raises LogException: ``StoreViewNotExist``.
        """
        body = _store_view_body(store_view)
        _, headers = self._call_json(ops.UPDATE_STORE_VIEW, project_name, body=body, storeview=store_view_name)
        return UpdateStoreViewResponse(headers)

    def delete_store_view(self, project_name: str, store_view_name: str) -> DeleteStoreViewResponse:
        """Delete a store view (its member stores stay).

        :type project_name: string
        :type store_view_name: string
        :raises LogException: ``StoreViewNotExist``.
        """
        _, headers = self._call_json(ops.DELETE_STORE_VIEW, project_name, storeview=store_view_name)
        return DeleteStoreViewResponse(headers)

    def get_store_view(self, project_name: str, store_view_name: str) -> GetStoreViewResponse:
        """A store view (``get_store_view()``: a :class:`~aliyun.log.StoreView`).

        :type project_name: string
        :type store_view_name: string
        :raises LogException: ``StoreViewNotExist``.
        """
        data, headers = self._call_json(ops.GET_STORE_VIEW, project_name, storeview=store_view_name)
        return GetStoreViewResponse(headers, data)

    def list_store_views(
        self, project_name: str, offset: int = 0, size: int = 100, store_type: Optional[str] = None
    ) -> ListStoreViewsResponse:
        """Store view names; ``get_store_views()``.

        :type project_name: string
        :type offset: int
        :type size: int
        :param size: at most this many (``-1``: all).
        :type store_type: string
        :param store_type: only views of this type (``logstore`` or ``metricstore``).
        """

        def fetch(page_offset: int, page_size: int) -> ListStoreViewsResponse:
            params: dict[str, Any] = {"offset": page_offset, "size": page_size}
            if store_type:
                params["storeType"] = store_type
            data, headers = self._call_json(ops.LIST_STORE_VIEWS, project_name, params=params)
            return ListStoreViewsResponse(headers, data)

        return list_pages(self, fetch, int(offset), int(size))

    # -- SQL instances ------------------------------------------------------------------------

    def create_sql_instance(
        self, project_name: str, sql_instance: int, useAsDefault: bool
    ) -> CreateSqlInstanceResponse:
        """Give the project a dedicated SQL instance.

        :type project_name: string
        :type sql_instance: long
        :param sql_instance: its size in compute units (``cu``).
        :type useAsDefault: bool
        :param useAsDefault: whether the project's queries use it by default (official spelling).
        """
        body = {"cu": sql_instance, "useAsDefault": useAsDefault}
        _, headers = self._call_json(ops.CREATE_SQL_INSTANCE, project_name, body=body)
        return CreateSqlInstanceResponse(headers)

    def update_sql_instance(
        self, project_name: str, sql_instance: int, useAsDefault: bool
    ) -> UpdateSqlInstanceResponse:
        """Change the project's SQL instance.

        :type project_name: string
        :type sql_instance: long
        :param sql_instance: its size in compute units (``cu``).
        :type useAsDefault: bool
        """
        body = {"cu": sql_instance, "useAsDefault": useAsDefault}
        _, headers = self._call_json(ops.UPDATE_SQL_INSTANCE, project_name, body=body)
        return UpdateSqlInstanceResponse(headers)

    def list_sql_instance(self, project_name: str) -> ListSqlInstanceResponse:
        """The project's SQL instances; ``get_body()`` is a list of ``{name, cu, useAsDefault,
        createTime, updateTime}``.

        :type project_name: string
        """
        data, headers = self._call_json(ops.LIST_SQL_INSTANCE, project_name)
        return ListSqlInstanceResponse(headers, data)

    # -- shards -------------------------------------------------------------------------------

    def arrange_shard(self, project: str, logstore: str, count: int) -> Any:
        """Split read-write shards until the logstore has ``count`` of them, of near-equal ranges.

        Built on :meth:`list_shards` and :meth:`split_shard` (see
        :func:`aliyun.log.logclient_operator.arrange_shard`); a logstore that already has
        ``count`` read-write shards is left as it is.

        :type project: string
        :type logstore: string
        :type count: int
        :param count: the read-write shard count wanted.
        :return: the final ``list_shards`` answer.
        """
        from ..logclient_operator import arrange_shard

        return arrange_shard(self, project, logstore, count)
