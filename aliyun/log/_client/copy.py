"""Copying resources between projects: ``copy_project`` and ``copy_logstore``.

Both are compositions of public calls (no server API of their own), so they work between
regions and accounts through ``to_client``.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Optional

from ..errors import BadParameters, IndexConfigNotExist
from ..logresponse import LogResponse
from .core import ClientCore

__all__ = ["CopyMixin", "CopyResponse"]


class CopyResponse(LogResponse):
    """What a copy did: ``{"logstores": [...], "indexes": [...], "configs": [...], "machinegroups": [...]}``."""

    def get_copied(self) -> dict[str, list[str]]:
        """Names copied, per resource kind."""
        return dict(self.body)

    def log_print(self) -> None:
        """Print the copied resources."""
        print(type(self).__name__)
        print(json.dumps(self.body, ensure_ascii=False))


class CopyMixin(ClientCore):
    """Copy a project's or a logstore's setup."""

    def copy_project(
        self,
        from_project: str,
        to_project: str,
        to_client: Optional[Any] = None,
        copy_machine_group: bool = True,
        copy_dashboards: bool = False,
        copy_alerts: bool = False,
    ) -> CopyResponse:
        """Copy a project's logstores (settings and shard count), indexes, logtail configs and
        machine groups (with the configs applied to them) to a new project.

        Data is not copied. The target must not exist (``ProjectAlreadyExist`` otherwise), as the
        original README says.

        :type to_client: LogClient
        :param to_client: a ``LogClient`` for another region or account (default: this client).
        :type copy_machine_group: bool
        :param copy_machine_group: also copy machine groups. **Default True**, as the original
            README promises; the official 0.9 SDK made it opt-in (default False).
        :type copy_dashboards: bool
        :param copy_dashboards: accepted for compatibility; dashboards are not supported and a
            true value raises ``BadParameters``.
        :type copy_alerts: bool
        :param copy_alerts: as ``copy_dashboards``.

        :type from_project: string
        :type to_project: string
        """
        if copy_dashboards or copy_alerts:
            raise BadParameters("BadParameters", "copying dashboards and alerts is not supported")
        source: Any = self
        target: Any = to_client if to_client is not None else self
        copied: dict[str, list[str]] = {"logstores": [], "indexes": [], "configs": [], "machinegroups": []}
        project = source.get_project(from_project)
        target.create_project(to_project, project.get_description())
        names = source.list_logstore(from_project, size=-1).get_logstores()
        for name in names:
            if self._copy_logstore_setup(source, target, from_project, name, to_project, name):
                copied["indexes"].append(name)
            copied["logstores"].append(name)
        config_names = source.list_logtail_config(from_project, size=-1).get_configs()
        for config_name in config_names:
            detail = source.get_logtail_config(from_project, config_name).get_body()
            if (detail.get("outputDetail") or {}).get("logstoreName") not in names:
                continue
            target.create_logtail_config(to_project, detail)
            copied["configs"].append(config_name)
        if copy_machine_group:
            for group_name in source.list_machine_group(from_project, size=-1).get_machine_group():
                group = source.get_machine_group(from_project, group_name).get_body()
                target.create_machine_group(to_project, _strip_times(group))
                for config_name in source.get_machine_group_applied_configs(from_project, group_name).get_configs():
                    if config_name in copied["configs"]:
                        target.apply_config_to_machine_group(to_project, config_name, group_name)
                copied["machinegroups"].append(group_name)
        return CopyResponse({}, copied)

    def copy_logstore(
        self,
        from_project: str,
        from_logstore: str,
        to_logstore: str,
        to_project: Optional[str] = None,
        to_client: Optional[Any] = None,
        to_region_endpoint: Optional[str] = None,
        keep_config_name: bool = False,
    ) -> CopyResponse:
        """Copy one logstore's settings, shard count, index and logtail configs.

        :type to_project: string
        :param to_project: target project (default: the same project).
        :type to_client: LogClient
        :param to_client: a ``LogClient`` for the target (default: this client).
        :type to_region_endpoint: string
        :param to_region_endpoint: accepted for compatibility; pass ``to_client`` instead.
        :param keep_config_name: keep config names; by default copies are named
            ``<to_logstore>_<config>`` so they do not clash in the same project.

        :type from_project: string
        :type from_logstore: string
        :type to_logstore: string
        """
        if to_region_endpoint and to_client is None:
            raise BadParameters("BadParameters", "pass to_client=LogClient(to_region_endpoint, ...) instead")
        source: Any = self
        target: Any = to_client if to_client is not None else self
        to_project = to_project or from_project
        copied: dict[str, list[str]] = {"logstores": [to_logstore], "indexes": [], "configs": [], "machinegroups": []}
        if self._copy_logstore_setup(source, target, from_project, from_logstore, to_project, to_logstore):
            copied["indexes"].append(to_logstore)
        for config_name in source.list_logtail_config(from_project, size=-1).get_configs():
            detail = source.get_logtail_config(from_project, config_name).get_body()
            output = detail.get("outputDetail") or {}
            if output.get("logstoreName") != from_logstore:
                continue
            new = copy.deepcopy(detail)
            new["outputDetail"]["logstoreName"] = to_logstore
            if not keep_config_name:
                new["configName"] = f"{to_logstore}_{config_name}"
            target.create_logtail_config(to_project, _strip_times(new))
            copied["configs"].append(new["configName"])
        return CopyResponse({}, copied)

    @staticmethod
    def _copy_logstore_setup(
        source: Any, target: Any, from_project: str, from_logstore: str, to_project: str, to_logstore: str
    ) -> bool:
        """Create the target logstore like the source; copy the index. True when an index was copied."""
        store = source.get_logstore(from_project, from_logstore)
        shards = source.list_shards(from_project, from_logstore).get_shards_info()
        readwrite = sum(1 for s in shards if s.get("status") == "readwrite") or store.get_shard_count()
        target.create_logstore(
            to_project,
            to_logstore,
            ttl=store.get_ttl(),
            shard_count=readwrite,
            enable_tracking=store.get_enable_tracking(),
            append_meta=store.get_append_meta(),
            auto_split=store.get_auto_split(),
            max_split_shard=store.get_max_split_shard(),
        )
        try:
            index = source.get_index_config(from_project, from_logstore).get_body()
        except IndexConfigNotExist:
            return False
        body = {k: v for k, v in index.items() if k not in ("lastModifyTime", "createTime")}
        target.create_index(to_project, to_logstore, body)
        return True


def _strip_times(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("createTime", "lastModifyTime", "modifyTime")}
