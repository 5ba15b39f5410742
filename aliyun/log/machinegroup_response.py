"""Responses of the machine group calls (and of applying configs to groups)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, PagedListResponse
from .logtail_config_response import print_json_line
from .machine_group_detail import MachineGroupDetail, MachineStatus

__all__ = [
    "ApplyConfigToMachineGroupResponse",
    "CreateMachineGroupResponse",
    "DeleteMachineGroupResponse",
    "GetConfigAppliedMachineGroupsResponse",
    "GetMachineGroupAppliedConfigResponse",
    "GetMachineGroupResponse",
    "ListMachineGroupResponse",
    "ListMachinesResponse",
    "RemoveConfigToMachineGroupResponse",
    "UpdateMachineGroupResponse",
]


class CreateMachineGroupResponse(LogResponse):
    """Answer of ``create_machine_group``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class UpdateMachineGroupResponse(LogResponse):
    """Answer of ``update_machine_group``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class DeleteMachineGroupResponse(LogResponse):
    """Answer of ``delete_machine_group``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class ApplyConfigToMachineGroupResponse(LogResponse):
    """Answer of ``apply_config_to_machine_group``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class RemoveConfigToMachineGroupResponse(LogResponse):
    """Answer of ``remove_config_to_machine_group``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class GetMachineGroupResponse(LogResponse):
    """Answer of ``get_machine_group``."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.machine_group = MachineGroupDetail().from_json(resp)

    def get_machine_group(self) -> MachineGroupDetail:
        """The group."""
        return self.machine_group

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("machine_group", self.machine_group.to_json())]


class ListMachineGroupResponse(PagedListResponse):
    """Answer of ``list_machine_group``: one page of group names."""

    items_key = "machinegroups"

    @property
    def machine_groups(self) -> list[str]:
        """The group names of this page."""
        return self._items

    def get_machine_group(self) -> list[str]:
        """The group names of this page."""
        return self._items

    def get_machine_group_count(self) -> int:
        """Number of names in this page."""
        return self.count

    def get_machine_group_total(self) -> int:
        """Number of groups in the project."""
        return self._total

    def log_print(self) -> None:
        """Print ``{"count": ..., "machinegroups": [...], "total": ...}`` on one line (the README's form)."""
        print_json_line({"count": self.count, "machinegroups": self._items, "total": self._total})


class ListMachinesResponse(LogResponse):
    """Answer of ``list_machines``: one page of the machines of a group."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.count = int(resp.get("count", 0))
        self.total = int(resp.get("total", 0))
        self.machines = [MachineStatus.from_json(item) for item in resp.get("machines") or []]

    def get_machine_count(self) -> int:
        """Number of machines in this page."""
        return self.count

    def get_machine_total(self) -> int:
        """Number of machines in the group."""
        return self.total

    def get_machines(self) -> list[MachineStatus]:
        """The machines of this page."""
        return self.machines

    def get_count(self) -> int:
        """Number of machines in this page."""
        return self.count

    def get_total(self) -> int:
        """Number of machines in the group."""
        return self.total

    def merge(self, response: ListMachinesResponse) -> ListMachinesResponse:
        """Append another page to this one."""
        self.count += response.count
        self.total = response.total
        self.machines.extend(response.machines)
        return self

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("count", self.count),
            ("total", self.total),
            ("machines", [machine.to_json() for machine in self.machines]),
        ]


class GetMachineGroupAppliedConfigResponse(LogResponse):
    """Answer of ``get_machine_group_applied_configs``: the configs applied to a group."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.count = int(resp.get("count", 0))
        self.configs: list[str] = list(resp.get("configs") or [])

    def get_config_count(self) -> int:
        """Number of configs."""
        return self.count

    def get_configs(self) -> list[str]:
        """The config names."""
        return self.configs

    def log_print(self) -> None:
        """Print ``{"count": ..., "configs": [...]}`` on one line (the README's form)."""
        print_json_line({"count": self.count, "configs": self.configs})


class GetConfigAppliedMachineGroupsResponse(LogResponse):
    """Answer of ``get_config_applied_machine_groups``: the groups a config is applied to."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.count = int(resp.get("count", 0))
        self.machine_groups: list[str] = list(resp.get("machinegroups") or [])

    def get_machine_group_count(self) -> int:
        """Number of groups."""
        return self.count

    def get_machine_groups(self) -> list[str]:
        """The group names."""
        return self.machine_groups

    def log_print(self) -> None:
        """Print ``{"count": ..., "machinegroups": [...]}`` on one line (the README's form)."""
        print_json_line({"count": self.count, "machinegroups": self.machine_groups})
