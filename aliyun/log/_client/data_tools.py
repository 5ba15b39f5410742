"""Moving data between logstores: ``copy_data`` and ``transform_data`` (thin methods over
:mod:`aliyun.log.logclient_operator`, where the work is described)."""

from __future__ import annotations

from typing import Any, Callable, Optional

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
