"""Machine groups (where logtail configs are applied) and the machines in them."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any, Optional

__all__ = ["MachineGroupDetail", "MachineStatus"]

# REST (camelCase) key → snake_case alias accepted by ``from_json``
_KEYS = (
    ("groupName", "group_name"),
    ("machineIdentifyType", "machine_type"),
    ("machineList", "machine_list"),
    ("groupType", "group_type"),
    ("groupAttribute", "group_attribute"),
)


class MachineGroupDetail:
    """A machine group.

    :param group_name: the group's name (unique in the project).
    :param machine_type: how machines are identified: ``ip`` or ``userdefined``.
    :param machine_list: IP addresses, or user-defined identities, of the member machines.
    :param group_type: ``''`` or ``Armory``.
    :param group_attribute: ``{"externalName": ..., "groupTopic": ...}`` (both optional).

    Every argument is optional so a group can be built empty and filled with
    :meth:`from_json`, as the original README does.
    """

    def __init__(
        self,
        group_name: Optional[str] = None,
        machine_type: Optional[str] = None,
        machine_list: Optional[list[str]] = None,
        group_type: str = "",
        group_attribute: Optional[dict[str, Any]] = None,
    ) -> None:
        now = int(time.time())
        self.group_name = group_name
        self.machine_type = machine_type
        self.machine_list = machine_list
        self.group_type = group_type
        self.group_attribute: dict[str, Any] = group_attribute if group_attribute is not None else {}
        self.create_time: Optional[int] = now
        self.last_modify_time: Optional[int] = now

    def to_json(self) -> dict[str, Any]:
        """The REST JSON body of create/update."""
        return {
            "groupName": self.group_name,
            "groupType": self.group_type,
            "groupAttribute": self.group_attribute,
            "machineIdentifyType": self.machine_type,
            "machineList": self.machine_list,
        }

    def from_json(self, json_value: Mapping[str, Any]) -> MachineGroupDetail:
        """Fill this group from REST JSON (``groupName`` ...) or snake_case keys (``group_name`` ...).

        Missing keys take the constructor defaults. Returns ``self``.
        """
        values: dict[str, Any] = {}
        for camel, snake in _KEYS:
            if camel in json_value:
                values[snake] = json_value[camel]
            elif snake in json_value:
                values[snake] = json_value[snake]
        self.group_name = values.get("group_name")
        self.machine_type = values.get("machine_type")
        self.machine_list = values.get("machine_list")
        self.group_type = values.get("group_type") or ""
        attribute = values.get("group_attribute")
        self.group_attribute = dict(attribute) if isinstance(attribute, Mapping) else {}
        self.create_time = json_value.get("createTime", json_value.get("create_time"))
        self.last_modify_time = json_value.get("lastModifyTime", json_value.get("last_modify_time"))
        return self

    def __repr__(self) -> str:
        return f"MachineGroupDetail({json.dumps(self.to_json(), ensure_ascii=False)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MachineGroupDetail) and self.to_json() == other.to_json()


class MachineStatus:
    """One machine of a group, as ``list_machines`` reports it.

    :param ip: the machine's IP address.
    :param machine_unique_id: the id logtail generated for the machine.
    :param user_defined_id: the user-defined identity (``''`` for IP groups).
    :param heartbeat_time: last heartbeat (seconds).
    :param binary: logtail version information, when the service sends it.
    """

    def __init__(
        self,
        ip: str,
        machine_unique_id: str,
        user_defined_id: str,
        heartbeat_time: int,
        binary: Optional[Any] = None,
    ) -> None:
        self.ip = ip
        self.machine_unique_id = machine_unique_id
        self.user_defined_id = user_defined_id
        self.heartbeat_time = heartbeat_time
        self.binary = binary

    @classmethod
    def from_json(cls, json_value: Mapping[str, Any]) -> MachineStatus:
        """Build from a REST machine object (``ip``, ``machine-uniqueid``, ``userdefined-id`` ...)."""
        return cls(
            json_value.get("ip", ""),
            json_value.get("machine-uniqueid", ""),
            json_value.get("userdefined-id", ""),
            json_value.get("lastHeartbeatTime", 0),
            json_value.get("binary"),
        )

    def to_json(self) -> dict[str, Any]:
        """The REST machine object."""
        value: dict[str, Any] = {
            "ip": self.ip,
            "machine-uniqueid": self.machine_unique_id,
            "userdefined-id": self.user_defined_id,
            "lastHeartbeatTime": self.heartbeat_time,
        }
        if self.binary is not None:
            value["binary"] = self.binary
        return value

    def log_print(self) -> None:
        """Print the machine on one line."""
        print(
            f"MachineStatus: ip={self.ip}, machine_unique_id={self.machine_unique_id}, "
            f"user_defined_id={self.user_defined_id}, heartbeat_time={self.heartbeat_time}, binary={self.binary}"
        )

    def __repr__(self) -> str:
        return f"MachineStatus({self.to_json()!r})"
