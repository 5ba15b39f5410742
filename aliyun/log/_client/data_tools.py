"""Moving data between logstores: ``copy_data`` and ``transform_data`` (thin methods over
:mod:`aliyun.log.logclient_operator`, where the work is described)."""

from __future__ import annotations

from typing import Any, Callable, Optional

from .._ops import check_project
from ..logresponse import LogResponse
from .core import ClientCore

__all__ = ["DataToolsMixin"]


class DataToolsMixin(ClientCore):
    """Copy or transform a range of a logstore into another one."""

    def copy_data(
        self,
        project: str,
        logstore: str,
        from_time: Any,
        to_time: Any = None,
        to_client: Optional[Any] = None,
        to_project: Optional[str] = None,
        to_logstore: Optional[str] = None,
        shard_list: Any = None,
        batch_size: Optional[int] = None,
        compress: Optional[bool] = None,
        new_topic: Optional[str] = None,
        new_source: Optional[str] = None,
        *,
        progress: Optional[Callable[..., Any]] = None,
        checkpoint: Any = None,
        workers: Optional[int] = None,
    ) -> LogResponse:
        """Copy the logs received in ``from_time``..``to_time`` (server receive time; default
        ``"end"``) to ``to_logstore``/``to_project`` (default: the same), possibly through
        ``to_client`` (another region or account). Streams batch by batch in threads; resumable
        with ``checkpoint``; reports ``progress``. See :func:`aliyun.log.logclient_operator.copy_data`.

        :type project: string
        :type logstore: string
        :type from_time: string/int
        :type to_time: string/int
        :type to_client: LogClient
        :type to_project: string
        :type to_logstore: string
        :type shard_list: string
        :type batch_size: int
        :type compress: bool
        :type new_topic: string
        :type new_source: string
        """
        from ..logclient_operator import copy_data

        return copy_data(
            self, project, logstore, from_time, to_time, to_client, to_project, to_logstore, shard_list,
            batch_size, compress, new_topic, new_source, progress=progress, checkpoint=checkpoint, workers=workers,
        )  # fmt: skip

    def transform_data(
        self,
        project: str,
        logstore: str,
        config: Any,
        from_time: Any,
        to_time: Any = None,
        to_client: Optional[Any] = None,
        to_project: Optional[str] = None,
        to_logstore: Optional[str] = None,
        shard_list: Any = None,
        batch_size: Optional[int] = None,
        compress: Optional[bool] = None,
        cg_name: Optional[str] = None,
        c_name: Optional[str] = None,
        cg_heartbeat_interval: Optional[int] = None,
        cg_data_fetch_interval: Optional[int] = None,
        cg_in_order: Optional[bool] = None,
        cg_worker_pool_size: Optional[int] = None,
        *,
        progress: Optional[Callable[..., Any]] = None,
        checkpoint: Any = None,
        workers: Optional[int] = None,
    ) -> LogResponse:
        """Apply the ETL script ``config`` (a path, module or callable; see
        :mod:`aliyun.log.etl_core`) to the logs received in ``from_time``..``to_time`` and write
        the results to ``to_logstore``. Batch mode unless ``cg_name`` is given (then a consumer
        group reads). See :func:`aliyun.log.logclient_operator.transform_data`.

        :type project: string
        :type logstore: string
        :type config: string
        :type from_time: string/int
        :type to_time: string/int
        :type to_client: LogClient
        :type to_project: string
        :type to_logstore: string
        :type shard_list: string
        :type batch_size: int
        :type compress: bool
        :type cg_name: string
        :type c_name: string
        :type cg_heartbeat_interval: int
        :type cg_data_fetch_interval: int
        :type cg_in_order: bool
        :type cg_worker_pool_size: int
        """
        from ..logclient_operator import transform_data

        return transform_data(
            self, project, logstore, from_time, to_time, to_client, to_project, to_logstore, shard_list, config,
            batch_size, compress, cg_name, c_name, cg_heartbeat_interval, cg_data_fetch_interval, cg_in_order,
            cg_worker_pool_size, progress=progress, checkpoint=checkpoint, workers=workers,
        )  # fmt: skip

    def es_migration(
        self,
        cache_path: str,
        hosts: str,
        project_name: str,
        indexes: Optional[str] = None,
        query: Optional[str] = None,
        logstore_index_mappings: Optional[str] = None,
        pool_size: Optional[int] = None,
        time_reference: Optional[str] = None,
        source: Optional[str] = None,
        topic: Optional[str] = None,
        batch_size: Optional[int] = None,
        wait_time_in_secs: Optional[int] = None,
        auto_creation: bool = True,
        retries_failed: Optional[int] = None,
        cache_duration: str = "1d",
    ) -> LogResponse:
        """Copy Elasticsearch indexes into logstores of ``project_name`` with this client's
        endpoint and credentials (needs the ``es`` extra). Resumable: a second call with the same
        ``cache_path`` continues the same migration. See :mod:`aliyun.log.es_migration` and
        docs/data-tools.md; ``cache_duration`` is how long the cluster keeps a scroll open.

        :type cache_path: string
        :type hosts: string
        :type project_name: string
        :type indexes: string
        :type query: string
        :type logstore_index_mappings: string
        :type pool_size: int
        :type time_reference: string
        :type source: string
        :type topic: string
        :type batch_size: int
        :type wait_time_in_secs: int
        :type auto_creation: bool
        :type retries_failed: int
        :type cache_duration: str
        """
        check_project(project_name)  # before anything is created or contacted
        from ..es_migration import MigrationConfig, MigrationManager

        credentials = self._sender.credentials.current()
        config = MigrationConfig(
            cache_path,
            self._endpoint.url(),
            credentials.access_key_id,
            credentials.access_key_secret,
            project_name=project_name,
            hosts=hosts,
            indexes=indexes,
            query=query,
            scroll=cache_duration,
            time_reference=time_reference,
            logstore_index_mappings=logstore_index_mappings,
            source=source,
            topic=topic,
            pool_size=pool_size,
            batch_size=batch_size,
            wait_time_in_secs=wait_time_in_secs,
            auto_creation=auto_creation,
            retries_failed=retries_failed,
        )
        MigrationManager(config).migrate()
        return LogResponse({})
