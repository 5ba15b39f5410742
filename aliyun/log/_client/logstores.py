"""Logstore calls of ``LogClient``."""

from __future__ import annotations

from typing import Any, Optional

from .. import _ops as ops
from ..errors import BadParameters, ParameterInvalid
from ..listlogstoresrequest import ListLogstoresRequest
from ..listlogstoresresponse import ListLogstoresResponse
from ..logstore_config_response import (
    CreateLogStoreResponse,
    DeleteLogStoreResponse,
    GetLogStoreResponse,
    ListLogStoreResponse,
    UpdateLogStoreResponse,
)
from ._listing import list_pages
from .core import ClientCore

__all__ = ["LogstoresMixin"]

_TELEMETRY_TYPES = ("", "None", "Metrics", "Event")


class LogstoresMixin(ClientCore):
    """Create, read, update, delete and list logstores."""

    def create_logstore(
        self,
        project_name: str,
        logstore_name: str,
        ttl: int = 30,
        shard_count: int = 2,
        enable_tracking: bool = False,
        append_meta: bool = False,
        auto_split: bool = True,
        max_split_shard: int = 64,
        preserve_storage: bool = False,
        encrypt_conf: Optional[dict[str, Any]] = None,
        telemetry_type: str = "",
        hot_ttl: int = -1,
        mode: Optional[str] = None,
        infrequent_access_ttl: int = -1,
        enable_modify: bool = False,
    ) -> CreateLogStoreResponse:
        """Create a logstore.

        :type ttl: int
        :param ttl: retention in days, 1..3650 (3650 = permanent).
        :type shard_count: int
        :param shard_count: initial number of shards (they split the MD5 key space evenly).
        :type preserve_storage: bool
        :param preserve_storage: keep data forever (sets ``ttl`` to 3650).
        :type telemetry_type: string
        :param telemetry_type: ``''`` for logs, ``Metrics`` for a metric store.
        :type hot_ttl: int
        :param hot_ttl: days in hot storage (``-1``: not set).
        :type mode: string
        :param mode: ``standard`` or ``query``.
        :type project_name: string
        :type logstore_name: string
        :type enable_tracking: bool
        :type append_meta: bool
        :type auto_split: bool
        :type max_split_shard: int
        :type encrypt_conf: dict
        :type infrequent_access_ttl: int
        :type enable_modify: bool
        :raises LogStoreAlreadyExist: the name is taken.
        """
        if preserve_storage:
            ttl = 3650
        body: dict[str, Any] = {
            "logstoreName": logstore_name,
            "ttl": int(ttl),
            "shardCount": int(shard_count),
            "enable_tracking": bool(enable_tracking),
            "autoSplit": bool(auto_split),
            "maxSplitShard": int(max_split_shard),
            "appendMeta": bool(append_meta),
            "telemetryType": telemetry_type if telemetry_type in _TELEMETRY_TYPES else "",
        }
        if enable_modify:
            body["enableModify"] = True
        if hot_ttl != -1:
            body["hot_ttl"] = int(hot_ttl)
        if encrypt_conf is not None:
            body["encrypt_conf"] = encrypt_conf
        if mode:
            body["mode"] = mode
        if infrequent_access_ttl >= 0:
            body["infrequentAccessTTL"] = int(infrequent_access_ttl)
        _, headers = self._call_json(ops.CREATE_LOGSTORE, project_name, body=body)
        return CreateLogStoreResponse(headers)

    def get_logstore(self, project_name: str, logstore_name: str) -> GetLogStoreResponse:
        """Get a logstore's settings.

        :type project_name: string
        :type logstore_name: string
        :raises LogStoreNotExist: no such logstore.
        """
        data, headers = self._call_json(ops.GET_LOGSTORE, project_name, logstore=logstore_name)
        return GetLogStoreResponse(data, headers)

    def update_logstore(
        self,
        project_name: str,
        logstore_name: str,
        ttl: Optional[int] = None,
        enable_tracking: Optional[bool] = None,
        shard_count: Optional[int] = None,
        append_meta: Optional[bool] = None,
        auto_split: Optional[bool] = None,
        max_split_shard: Optional[int] = None,
        preserve_storage: Optional[bool] = None,
        encrypt_conf: Optional[dict[str, Any]] = None,
        hot_ttl: int = -1,
        mode: Optional[str] = None,
        telemetry_type: Optional[str] = None,
        infrequent_access_ttl: int = -1,
    ) -> UpdateLogStoreResponse:
        """Change a logstore's settings; arguments left ``None`` keep their current value.

        The shard count cannot change here (use :meth:`split_shard` / :meth:`merge_shard`). A
        0.6-style call ``update_logstore(project, logstore, ttl, shard_count)`` is recognised
        (a shard count is an ``int``, never a ``bool``); asking for a different shard count
        raises ``ParameterInvalid``, as the service answers.

        :type project_name: string
        :type logstore_name: string
        :type ttl: int
        :type enable_tracking: bool
        :type shard_count: int
        :type append_meta: bool
        :type auto_split: bool
        :type max_split_shard: int
        :type preserve_storage: bool
        :type encrypt_conf: dict
        :type hot_ttl: int
        :type mode: string
        :type telemetry_type: string
        :type infrequent_access_ttl: int
        """
        if isinstance(enable_tracking, int) and not isinstance(enable_tracking, bool):
            shard_count, enable_tracking = enable_tracking, None
        current = self.get_logstore(project_name, logstore_name)
        if shard_count is not None and int(shard_count) != current.get_shard_count():
            raise ParameterInvalid(
                "ParameterInvalid",
                f"shard count cannot be changed by update_logstore ({current.get_shard_count()} -> "
                f"{shard_count}); use split_shard or merge_shard",
            )
        if preserve_storage:
            ttl = 3650
        body: dict[str, Any] = {
            "logstoreName": logstore_name,
            "ttl": int(ttl if ttl is not None else current.get_ttl()),
            "enable_tracking": bool(enable_tracking if enable_tracking is not None else current.get_enable_tracking()),
            "shardCount": current.get_shard_count(),
            "autoSplit": bool(auto_split if auto_split is not None else current.get_auto_split()),
            "maxSplitShard": int(max_split_shard if max_split_shard is not None else current.get_max_split_shard()),
            "appendMeta": bool(append_meta if append_meta is not None else current.get_append_meta()),
        }
        if hot_ttl != -1:
            body["hot_ttl"] = int(hot_ttl)
        if encrypt_conf is not None:
            body["encrypt_conf"] = encrypt_conf
        if mode:
            body["mode"] = mode
        if telemetry_type is not None:
            body["telemetryType"] = telemetry_type
        if infrequent_access_ttl >= 0:
            body["infrequentAccessTTL"] = int(infrequent_access_ttl)
        _, headers = self._call_json(ops.UPDATE_LOGSTORE, project_name, body=body, logstore=logstore_name)
        return UpdateLogStoreResponse(headers)

    def delete_logstore(self, project_name: str, logstore_name: str) -> DeleteLogStoreResponse:
        """Delete a logstore and all its data.

        :type project_name: string
        :type logstore_name: string
        """
        _, headers = self._call_json(ops.DELETE_LOGSTORE, project_name, logstore=logstore_name)
        return DeleteLogStoreResponse(headers)

    def list_logstore(
        self,
        project_name: str,
        logstore_name_pattern: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListLogStoreResponse:
        """List logstore names, ``size`` at a time (``-1``: all, merged).

        :type logstore_name_pattern: string
        :param logstore_name_pattern: keep names containing this text.

        :type project_name: string
        :type offset: int
        :type size: int
        """

        def fetch(page_offset: int, page_size: int) -> ListLogStoreResponse:
            return ListLogStoreResponse(
                *self._logstore_page(project_name, page_offset, page_size, logstore_name_pattern)
            )

        return list_pages(self, fetch, offset, size)

    def list_logstores(self, request: ListLogstoresRequest) -> ListLogstoresResponse:
        """List every logstore of ``request.project`` (the request-object form).

        :type request: ListLogstoresRequest
        """
        project = request.get_project()
        if not project:
            raise BadParameters("BadParameters", "ListLogstoresRequest needs a project")

        def fetch(offset: int, size: int) -> ListLogstoresResponse:
            return ListLogstoresResponse(*self._logstore_page(project, offset, size, None))

        return list_pages(self, fetch, 0, -1)

    def _logstore_page(
        self, project: str, offset: int, size: int, pattern: Optional[str]
    ) -> tuple[Any, dict[str, str]]:
        """One ListLogStores page (both list forms read it)."""
        params: dict[str, Any] = {"offset": offset, "size": size}
        if pattern:
            params["logstoreName"] = pattern
        return self._call_json(ops.LIST_LOGSTORES, project, params=params)
