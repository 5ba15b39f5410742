"""Metric stores, substores and the logstore settings (metering mode, multimodal configuration)
of ``LogClient``.

A metric store is a logstore created with ``telemetryType: Metrics`` plus a substore ``prom``
holding the four Prometheus columns; the calls here keep the official names, parameters and
answer classes (docs/projects-logstores.md "Metric stores and logstore settings").
"""

from __future__ import annotations

from typing import Any, Optional

from .. import _ops as ops
from .._ops import check_label
from .._ops.metrics import METRIC_KEYS, METRIC_SORTED_KEYS, METRIC_SUBSTORE, METRIC_TIME_INDEX, METRICS
from ..logstore_config_response import DeleteLogStoreResponse, GetLogStoreResponse, UpdateLogStoreResponse
from ..metering_mode_response import (
    GetLogStoreMeteringModeResponse,
    GetMetricStoreMeteringModeResponse,
    UpdateLogStoreMeteringModeResponse,
    UpdateMetricStoreMeteringModeResponse,
)
from ..multimodal_config_response import (
    GetLogStoreMultimodalConfigurationResponse,
    PutLogStoreMultimodalConfigurationResponse,
)
from ..substore_config_response import (
    CreateMetricsStoreResponse,
    CreateSubStoreResponse,
    DeleteSubStoreResponse,
    GetSubStoreResponse,
    GetSubStoreTTLResponse,
    ListSubStoreResponse,
    UpdateSubStoreResponse,
    UpdateSubStoreTTLResponse,
)
from .core import ClientCore

__all__ = ["MetricStoresMixin"]


def _substore_body(name: str, keys: Any, ttl: int, sorted_key_count: int, time_index: int) -> dict[str, Any]:
    return {
        "name": name,
        "ttl": int(ttl),
        "sortedKeyCount": int(sorted_key_count),
        "timeIndex": int(time_index),
        "keys": list(keys),
    }


class MetricStoresMixin(ClientCore):
    """Metric stores, substores, metering modes and multimodal configurations."""

    # these come from the logstore mixin of the same client
    create_logstore: Any
    get_logstore: Any
    update_logstore: Any
    delete_logstore: Any

    # -- metric stores ------------------------------------------------------------------------

    def create_metric_store(
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
        hot_ttl: int = -1,
        mode: Optional[str] = None,
    ) -> CreateMetricsStoreResponse:
        """Create a metric store: a logstore of telemetry type ``Metrics`` and its ``prom`` substore.

        The parameters are :meth:`create_logstore`'s. The answer holds both answers
        (``get_logstore_response()``, ``get_substore_response()``).

        :type project_name: string
        :type logstore_name: string
        :type ttl: int
        :param ttl: retention in days.
        :type shard_count: int
        :type enable_tracking: bool
        :type append_meta: bool
        :type auto_split: bool
        :type max_split_shard: int
        :type preserve_storage: bool
        :type encrypt_conf: dict
        :type hot_ttl: int
        :type mode: string
        :raises LogException: ``LogStoreAlreadyExist``.
        """
        # the name is checked first: a logstore created under a name no substore path can carry
        # would be a metric store without its substore
        check_label("logstore", logstore_name)
        created = self.create_logstore(
            project_name,
            logstore_name,
            ttl=ttl,
            shard_count=shard_count,
            enable_tracking=enable_tracking,
            append_meta=append_meta,
            auto_split=auto_split,
            max_split_shard=max_split_shard,
            preserve_storage=preserve_storage,
            encrypt_conf=encrypt_conf,
            telemetry_type=METRICS,
            hot_ttl=hot_ttl,
            mode=mode,
        )
        # a preserved store keeps its data as long as a logstore can (3650 days)
        substore = self.create_substore(
            project_name,
            logstore_name,
            METRIC_SUBSTORE,
            keys=[dict(key) for key in METRIC_KEYS],
            ttl=3650 if preserve_storage else ttl,
            sorted_key_count=METRIC_SORTED_KEYS,
            time_index=METRIC_TIME_INDEX,
        )
        return CreateMetricsStoreResponse(created, substore)

    def delete_metric_store(self, project_name: str, logstore_name: str) -> DeleteLogStoreResponse:
        """Delete a metric store and its data (it is a logstore).

        :type project_name: string
        :type logstore_name: string
        """
        answer: DeleteLogStoreResponse = self.delete_logstore(project_name, logstore_name)
        return answer

    def get_metric_store(self, project_name: str, logstore_name: str) -> GetLogStoreResponse:
        """A metric store's settings (a logstore's, ``telemetryType`` ``Metrics``).

        :type project_name: string
        :type logstore_name: string
        """
        answer: GetLogStoreResponse = self.get_logstore(project_name, logstore_name)
        return answer

    def update_metric_store(
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
    ) -> UpdateLogStoreResponse:
        """Change a metric store's settings; a new ``ttl`` applies to its substores too.

        The parameters are :meth:`update_logstore`'s (``None`` keeps the current value).

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
        """
        if ttl is not None:
            self.update_substore_ttl(project_name, logstore_name, ttl)
        answer: UpdateLogStoreResponse = self.update_logstore(
            project_name,
            logstore_name,
            ttl=ttl,
            enable_tracking=enable_tracking,
            shard_count=shard_count,
            append_meta=append_meta,
            auto_split=auto_split,
            max_split_shard=max_split_shard,
            preserve_storage=preserve_storage,
            encrypt_conf=encrypt_conf,
            hot_ttl=hot_ttl,
            mode=mode,
            telemetry_type=METRICS,
        )
        return answer

    def get_metric_store_metering_mode(
        self, project_name: str, metric_store_name: str
    ) -> GetMetricStoreMeteringModeResponse:
        """A metric store's metering mode (``get_metering_mode()``).

        :type project_name: string
        :type metric_store_name: string
        """
        data, headers = self._call_json(ops.GET_METRIC_STORE_METERING_MODE, project_name, logstore=metric_store_name)
        return GetMetricStoreMeteringModeResponse(data, headers)

    def update_metric_store_metering_mode(
        self, project_name: str, metric_store_name: str, metering_mode: str
    ) -> UpdateMetricStoreMeteringModeResponse:
        """Set a metric store's metering mode.

        :type project_name: string
        :type metric_store_name: string
        :type metering_mode: string
        :param metering_mode: ``ChargeByFunction`` or ``ChargeByDataIngest``.
        """
        body = {"meteringMode": metering_mode}
        _, headers = self._call_json(
            ops.UPDATE_METRIC_STORE_METERING_MODE, project_name, body=body, logstore=metric_store_name
        )
        return UpdateMetricStoreMeteringModeResponse(headers)

    # -- logstore settings --------------------------------------------------------------------

    def get_logstore_metering_mode(self, project_name: str, logstore_name: str) -> GetLogStoreMeteringModeResponse:
        """A logstore's metering mode (``get_metering_mode()``).

        :type project_name: string
        :type logstore_name: string
        """
        data, headers = self._call_json(ops.GET_LOGSTORE_METERING_MODE, project_name, logstore=logstore_name)
        return GetLogStoreMeteringModeResponse(data, headers)

    def update_logstore_metering_mode(
        self, project_name: str, logstore_name: str, metering_mode: str
    ) -> UpdateLogStoreMeteringModeResponse:
        """Set a logstore's metering mode.

        :type project_name: string
        :type logstore_name: string
        :type metering_mode: string
        :param metering_mode: ``ChargeByFunction`` (by feature) or ``ChargeByDataIngest``.
        """
        body = {"meteringMode": metering_mode}
        _, headers = self._call_json(ops.UPDATE_LOGSTORE_METERING_MODE, project_name, body=body, logstore=logstore_name)
        return UpdateLogStoreMeteringModeResponse(headers)

    def get_logstore_multimodal_configuration(
        self, project_name: str, logstore_name: str
    ) -> GetLogStoreMultimodalConfigurationResponse:
        """A logstore's multimodal configuration (``get_status()``, ``get_anonymous_write()``).

        :type project_name: string
        :type logstore_name: string
        """
        data, headers = self._call_json(ops.GET_LOGSTORE_MULTIMODAL_CONFIGURATION, project_name, logstore=logstore_name)
        return GetLogStoreMultimodalConfigurationResponse(data, headers)

    def put_logstore_multimodal_configuration(
        self, project_name: str, logstore_name: str, status: str, anonymous_write: Optional[str] = None
    ) -> PutLogStoreMultimodalConfigurationResponse:
        """Set a logstore's multimodal configuration.

        :type project_name: string
        :type logstore_name: string
        :type status: string
        :param status: ``Enabled`` or ``Disabled``.
        :type anonymous_write: string
        :param anonymous_write: ``Enabled`` or ``Disabled`` (left unchanged when ``None``).
        """
        body = {"status": status}
        if anonymous_write is not None:
            body["anonymousWrite"] = anonymous_write
        _, headers = self._call_json(
            ops.PUT_LOGSTORE_MULTIMODAL_CONFIGURATION, project_name, body=body, logstore=logstore_name
        )
        return PutLogStoreMultimodalConfigurationResponse(headers)

    # -- substores ----------------------------------------------------------------------------

    def create_substore(
        self,
        project_name: str,
        logstore_name: str,
        substore_name: str,
        keys: list[dict[str, Any]],
        ttl: int,
        sorted_key_count: int,
        time_index: int,
    ) -> CreateSubStoreResponse:
        """Create a substore of a metric store.

        :type project_name: string
        :type logstore_name: string
        :type substore_name: string
        :type keys: list
        :param keys: its columns, ``{"name", "type"}`` with types ``text``, ``long``, ``double``, ``labels``.
        :type ttl: int
        :param ttl: retention in days.
        :type sorted_key_count: int
        :param sorted_key_count: how many leading keys the data is sorted by.
        :type time_index: int
        :param time_index: the index of the time key (a ``long`` after the sorted keys).
        """
        body = _substore_body(substore_name, keys, ttl, sorted_key_count, time_index)
        _, headers = self._call_json(ops.CREATE_SUBSTORE, project_name, body=body, logstore=logstore_name)
        return CreateSubStoreResponse(headers)

    def update_substore(
        self,
        project_name: str,
        logstore_name: str,
        substore_name: str,
        keys: list[dict[str, Any]],
        ttl: int,
        sorted_key_count: int,
        time_index: int,
    ) -> UpdateSubStoreResponse:
        """Ask to change a substore; SLS answers 501 ``NotImplemented`` (change the TTL with
        :meth:`update_substore_ttl`).

        :type project_name: string
        :type logstore_name: string
        :type substore_name: string
        :type keys: list
        :type ttl: int
        :type sorted_key_count: int
        :type time_index: int
        """
        body = _substore_body(substore_name, keys, ttl, sorted_key_count, time_index)
        _, headers = self._call_json(
            ops.UPDATE_SUBSTORE, project_name, body=body, logstore=logstore_name, substore=substore_name
        )
        return UpdateSubStoreResponse(headers)

    def delete_substore(self, project_name: str, logstore_name: str, substore_name: str) -> DeleteSubStoreResponse:
        """Delete a substore.

        :type project_name: string
        :type logstore_name: string
        :type substore_name: string
        """
        _, headers = self._call_json(ops.DELETE_SUBSTORE, project_name, logstore=logstore_name, substore=substore_name)
        return DeleteSubStoreResponse(headers)

    def get_substore(self, project_name: str, logstore_name: str, substore_name: str) -> GetSubStoreResponse:
        """A substore (``get_keys()``, ``get_ttl()``, ``get_sorted_key_count()``, ``get_time_index()``).

        :type project_name: string
        :type logstore_name: string
        :type substore_name: string
        """
        data, headers = self._call_json(ops.GET_SUBSTORE, project_name, logstore=logstore_name, substore=substore_name)
        return GetSubStoreResponse(data, headers)

    def list_substore(self, project_name: str, logstore_name: str) -> ListSubStoreResponse:
        """The substore names of a metric store (``get_substores()``).

        :type project_name: string
        :type logstore_name: string
        """
        data, headers = self._call_json(ops.LIST_SUBSTORE, project_name, logstore=logstore_name)
        return ListSubStoreResponse(data, headers)

    def get_substore_ttl(self, project_name: str, logstore_name: str) -> GetSubStoreTTLResponse:
        """The storage TTL of a metric store's substores (``get_ttl()``).

        :type project_name: string
        :type logstore_name: string
        """
        data, headers = self._call_json(ops.GET_SUBSTORE_TTL, project_name, logstore=logstore_name)
        return GetSubStoreTTLResponse(data, headers)

    def update_substore_ttl(self, project_name: str, logstore_name: str, ttl: int) -> UpdateSubStoreTTLResponse:
        """Set the storage TTL of every substore of a metric store.

        :type project_name: string
        :type logstore_name: string
        :type ttl: int
        :param ttl: days, 1..3650.
        """
        _, headers = self._call_json(ops.UPDATE_SUBSTORE_TTL, project_name, params={"ttl": ttl}, logstore=logstore_name)
        return UpdateSubStoreTTLResponse(headers)
