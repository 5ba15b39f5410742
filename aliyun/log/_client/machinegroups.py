"""Machine group calls of ``LogClient``, and applying logtail configs to groups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import _ops as ops
from ..machine_group_detail import MachineStatus
from ..machinegroup_response import (
    ApplyConfigToMachineGroupResponse,
    CreateMachineGroupResponse,
    DeleteMachineGroupResponse,
    GetMachineGroupAppliedConfigResponse,
    GetMachineGroupResponse,
    ListMachineGroupResponse,
    ListMachinesResponse,
    RemoveConfigToMachineGroupResponse,
    UpdateMachineGroupResponse,
)
from ._listing import body_of, check_page_size, iterate, list_pages
from .core import ClientCore

__all__ = ["MachineGroupsMixin"]


class MachineGroupsMixin(ClientCore):
    """Create, read, update, delete and list machine groups; apply configs to them."""

    def create_machine_group(self, project_name: str, group_detail: Any) -> CreateMachineGroupResponse:
        """Create a machine group.

        :type group_detail: MachineGroupDetail
        :param group_detail: a :class:`~aliyun.log.MachineGroupDetail`, a dict or JSON text of
            the REST document.
        :type project_name: string
        :raises MachineGroupAlreadyExist: a group with this name exists.
        """
        body = body_of(group_detail, "group_detail")
        _, headers = self._call_json(ops.CREATE_MACHINE_GROUP, project_name, body=body)
        return CreateMachineGroupResponse(headers)

    def update_machine_group(self, project_name: str, group_detail: Any) -> UpdateMachineGroupResponse:
        """Replace a machine group (named by the ``groupName`` inside ``group_detail``).

        The configs applied to the group stay applied.

        :type project_name: string
        :type group_detail: MachineGroupDetail
        :raises MachineGroupNotExist: no such group.
        """
        body = body_of(group_detail, "group_detail")
        _, headers = self._call_json(ops.UPDATE_MACHINE_GROUP, project_name, body=body, group=body.get("groupName"))
        return UpdateMachineGroupResponse(headers)

    def delete_machine_group(self, project_name: str, group_name: str) -> DeleteMachineGroupResponse:
        """Delete a machine group.

        :type project_name: string
        :type group_name: string
        :raises MachineGroupNotExist: no such group.
        """
        _, headers = self._call_json(ops.DELETE_MACHINE_GROUP, project_name, group=group_name)
        return DeleteMachineGroupResponse(headers)

    def get_machine_group(self, project_name: str, group_name: str) -> GetMachineGroupResponse:
        """Get a machine group (a :class:`~aliyun.log.MachineGroupDetail` in ``get_machine_group()``).

        :type project_name: string
        :type group_name: string
        :raises MachineGroupNotExist: no such group.
        """
        data, headers = self._call_json(ops.GET_MACHINE_GROUP, project_name, group=group_name)
        return GetMachineGroupResponse(data, headers)

    def list_machine_group(self, project_name: str, offset: int = 0, size: int = 100) -> ListMachineGroupResponse:
        """List machine group names, ``size`` at a time from ``offset`` (``size=-1``: all, merged).

        :type project_name: string
        :type offset: int
        :type size: int
        """

        def fetch(page_offset: int, page_size: int) -> ListMachineGroupResponse:
            params = {"offset": page_offset, "size": page_size}
            data, headers = self._call_json(ops.LIST_MACHINE_GROUP, project_name, params=params)
            return ListMachineGroupResponse(data, headers)

        return list_pages(self, fetch, offset, size)

    def iter_machine_groups(self, project_name: str, *, page_size: int = 500) -> Iterator[str]:
        """Yield every machine group name of a project, ``page_size`` per request."""
        check_page_size(page_size)
        return iterate(
            lambda offset, size: self.list_machine_group(project_name, offset, size),
            ListMachineGroupResponse.get_machine_group,
            page_size,
        )

    def list_machines(
        self, project_name: str, group_name: str, offset: int = 0, size: int = 100
    ) -> ListMachinesResponse:
        """List the machines of a group (their heartbeat status), ``size`` at a time (``-1``: all).

        :type project_name: string
        :type group_name: string
        :type offset: int
        :type size: int
        :raises MachineGroupNotExist: no such group.
        """

        def fetch(page_offset: int, page_size: int) -> ListMachinesResponse:
            params = {"offset": page_offset, "size": page_size}
            data, headers = self._call_json(ops.LIST_MACHINES, project_name, params=params, group=group_name)
            return ListMachinesResponse(data, headers)

        return list_pages(self, fetch, offset, size)

    def iter_machines(self, project_name: str, group_name: str, *, page_size: int = 500) -> Iterator[MachineStatus]:
        """Yield every machine of a group, ``page_size`` per request."""
        check_page_size(page_size)
        return iterate(
            lambda offset, size: self.list_machines(project_name, group_name, offset, size),
            ListMachinesResponse.get_machines,
            page_size,
        )

    def apply_config_to_machine_group(
        self, project_name: str, config_name: str, group_name: str
    ) -> ApplyConfigToMachineGroupResponse:
        """Apply a logtail config to a machine group (applying twice is harmless).

        :type project_name: string
        :type config_name: string
        :type group_name: string
        :raises ConfigNotExist: no such config.
        :raises MachineGroupNotExist: no such group.
        """
        _, headers = self._call_json(
            ops.APPLY_CONFIG_TO_MACHINE_GROUP, project_name, group=group_name, config=config_name
        )
        return ApplyConfigToMachineGroupResponse(headers)

    def remove_config_to_machine_group(
        self, project_name: str, config_name: str, group_name: str
    ) -> RemoveConfigToMachineGroupResponse:
        """Stop applying a logtail config to a machine group.

        :type project_name: string
        :type config_name: string
        :type group_name: string
        :raises ConfigNotExist: no such config.
        :raises MachineGroupNotExist: no such group.
        """
        _, headers = self._call_json(
            ops.REMOVE_CONFIG_FROM_MACHINE_GROUP, project_name, group=group_name, config=config_name
        )
        return RemoveConfigToMachineGroupResponse(headers)

    def get_machine_group_applied_configs(
        self, project_name: str, group_name: str
    ) -> GetMachineGroupAppliedConfigResponse:
        """The logtail configs applied to a machine group.

        :type project_name: string
        :type group_name: string
        :raises MachineGroupNotExist: no such group.
        """
        data, headers = self._call_json(ops.GET_APPLIED_CONFIGS, project_name, group=group_name)
        return GetMachineGroupAppliedConfigResponse(data, headers)
