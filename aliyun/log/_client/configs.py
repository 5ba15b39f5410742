"""Logtail config calls of ``LogClient``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional, Union

from .. import _ops as ops
from ..logtail_config_response import (
    CreateLogtailConfigResponse,
    DeleteLogtailConfigResponse,
    GetLogtailConfigResponse,
    ListLogtailConfigResponse,
    UpdateLogtailConfigResponse,
)
from ..machinegroup_response import GetConfigAppliedMachineGroupsResponse
from ._listing import body_of, check_page_size, iterate, list_pages
from .core import ClientCore

__all__ = ["ConfigsMixin"]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ConfigsMixin(ClientCore):
    """Create, read, update, delete and list logtail configs."""

    def create_logtail_config(self, project_name: str, config_detail: Any) -> CreateLogtailConfigResponse:
        """Create a logtail config.

        :type config_detail: LogtailConfigGenerator or SeperatorFileConfigDetail or SimpleFileConfigDetail or FullRegFileConfigDetail or JsonFileConfigDetail or ApsaraFileConfigDetail or SyslogConfigDetail or CommonRegLogConfigDetail
        :param config_detail: a config object (``CommonRegLogConfigDetail``,
            ``SimpleFileConfigDetail`` ... anything with ``to_json()``), a dict or JSON text of
            the REST document. Its ``outputDetail.logstoreName`` must name an existing logstore:
            it is checked first, as the official SDK does.
        :type project_name: string
        :raises LogStoreNotExist: the config's logstore does not exist.
        :raises ConfigAlreadyExist: a config with this name exists.
        """  # noqa: E501 - the aliyunlog CLI reads a type from one line
        body = body_of(config_detail, "config_detail")
        logstore = (body.get("outputDetail") or {}).get("logstoreName")
        if isinstance(logstore, str) and logstore:
            self.get_logstore(project_name, logstore)  # type: ignore[attr-defined]
        _, headers = self._call_json(ops.CREATE_CONFIG, project_name, body=body)
        return CreateLogtailConfigResponse(headers)

    def update_logtail_config(self, project_name: str, config_detail: Any) -> UpdateLogtailConfigResponse:
        """Replace a logtail config (named by the ``configName`` inside ``config_detail``).

        :type project_name: string
        :type config_detail: LogtailConfigGenerator or SeperatorFileConfigDetail or SimpleFileConfigDetail or FullRegFileConfigDetail or JsonFileConfigDetail or ApsaraFileConfigDetail or SyslogConfigDetail or CommonRegLogConfigDetail
        :raises ConfigNotExist: no such config.
        """  # noqa: E501 - the aliyunlog CLI reads a type from one line
        body = body_of(config_detail, "config_detail")
        _, headers = self._call_json(ops.UPDATE_CONFIG, project_name, body=body, config=body.get("configName"))
        return UpdateLogtailConfigResponse(headers)

    def delete_logtail_config(self, project_name: str, config_name: str) -> DeleteLogtailConfigResponse:
        """Delete a logtail config (it is also removed from the machine groups it was applied to).

        :type project_name: string
        :type config_name: string
        :raises ConfigNotExist: no such config.
        """
        _, headers = self._call_json(ops.DELETE_CONFIG, project_name, config=config_name)
        return DeleteLogtailConfigResponse(headers)

    def get_logtail_config(self, project_name: str, config_name: str) -> GetLogtailConfigResponse:
        """Get a logtail config (typed object in ``.logtail_config``, raw JSON in ``get_body()``).

        :type project_name: string
        :type config_name: string
        :raises ConfigNotExist: no such config.
        """
        data, headers = self._call_json(ops.GET_CONFIG, project_name, config=config_name)
        return GetLogtailConfigResponse(data, headers)

    def list_logtail_config(
        self,
        project_name: str,
        logstore: Optional[Union[str, int]] = None,
        config: Optional[Union[str, int]] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListLogtailConfigResponse:
        """List config names, ``size`` at a time from ``offset`` (``size=-1``: all, merged).

        :type logstore: string
        :param logstore: keep configs writing to this logstore.
        :type config: string
        :param config: keep configs whose name contains this text.

        The 0.6 form ``list_logtail_config(project, offset, size)`` also works: an ``int`` in
        the second or third position is an offset or size (names are always strings).

        :type project_name: string
        :type offset: int
        :type size: int
        """
        if _is_int(logstore):
            offset, logstore = int(logstore), None  # type: ignore[arg-type]
        if _is_int(config):
            size, config = int(config), None  # type: ignore[arg-type]

        def fetch(page_offset: int, page_size: int) -> ListLogtailConfigResponse:
            params: dict[str, Any] = {"offset": page_offset, "size": page_size}
            if logstore:
                params["logstoreName"] = logstore
            if config:
                params["configName"] = config
            data, headers = self._call_json(ops.LIST_CONFIG, project_name, params=params)
            return ListLogtailConfigResponse(data, headers)

        return list_pages(self, fetch, offset, size)

    def iter_logtail_configs(
        self,
        project_name: str,
        *,
        logstore: Optional[str] = None,
        config: Optional[str] = None,
        page_size: int = 500,
    ) -> Iterator[str]:
        """Yield every config name of a project, reading ``page_size`` names per request.

        :param logstore: keep configs writing to this logstore.
        :param config: keep configs whose name contains this text.
        """
        check_page_size(page_size)
        return iterate(
            lambda offset, size: self.list_logtail_config(project_name, logstore, config, offset, size),
            ListLogtailConfigResponse.get_configs,
            page_size,
        )

    def get_config_applied_machine_groups(
        self, project_name: str, config_name: str
    ) -> GetConfigAppliedMachineGroupsResponse:
        """The machine groups a config is applied to.

        :type project_name: string
        :type config_name: string
        :raises ConfigNotExist: no such config.
        """
        data, headers = self._call_json(ops.GET_APPLIED_MACHINE_GROUPS, project_name, config=config_name)
        return GetConfigAppliedMachineGroupsResponse(data, headers)
