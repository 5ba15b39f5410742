"""Machine group rules (docs/resources.md "Machine groups"), and applying configs to groups.

Groups are stored as sent, plus ``createTime`` / ``lastModifyTime`` (integer seconds). Applying
a config to a group is idempotent (the official copy helper re-applies in a loop); so is
removing one that is not applied.

There are no logtail agents behind the emulator, so ``ListMachines`` reports every entry of the
group's ``machineList`` as a machine that has just sent a heartbeat: for an ``ip`` group the
entry is its ``ip``, for a ``userdefined`` group its ``userdefined-id``. ``machine-uniqueid`` is
derived from the project, group and entry, so it is stable across calls and restarts.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, Optional

from ..errors import SLSError, bad_request, not_found
from .names import check_resource_name
from .paging import Page, PageRequest, page
from .resource_store import CONFIG_KIND, GROUP_KIND, Bindings, MetaDocs
from .state import EmulatorState

__all__ = ["MachineGroupService"]

_INVALID = "InvalidParameter"
IDENTIFY_TYPES = ("ip", "userdefined")


def _validated(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request(_INVALID, "the machine group must be a JSON object")
    check_resource_name("machine group", body.get("groupName"), _INVALID)
    if body.get("machineIdentifyType") not in IDENTIFY_TYPES:
        raise bad_request(_INVALID, f"machineIdentifyType must be one of {IDENTIFY_TYPES}")
    machines = body.get("machineList", [])
    if not isinstance(machines, list) or not all(isinstance(item, str) for item in machines):
        raise bad_request(_INVALID, "machineList must be a list of strings")
    if not isinstance(body.get("groupType", ""), str):
        raise bad_request(_INVALID, "groupType must be a string")
    if not isinstance(body.get("groupAttribute", {}), dict):
        raise bad_request(_INVALID, "groupAttribute must be a JSON object")
    return body


class MachineGroupService:
    """Machine groups of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.docs = MetaDocs(state, GROUP_KIND)
        self.configs = MetaDocs(state, CONFIG_KIND)
        self.bindings = Bindings(state)

    def require(self, project: str, name: str) -> dict[str, Any]:
        """A group, or ``MachineGroupNotExist``."""
        found = self.docs.get(project, name)
        if found is None:
            raise not_found("MachineGroupNotExist", f"machine group {name} does not exist")
        return dict(found)

    def create(self, project: Optional[str], body: Any) -> None:
        """Create a group (``MachineGroupAlreadyExist`` if the name is taken)."""
        group = _validated(body)
        with self.state.lock:
            owner = self.state.project(project).name
            name = group["groupName"]
            if self.docs.get(owner, name) is not None:
                raise SLSError("MachineGroupAlreadyExist", f"machine group {name} already exists", 400)
            now = self.state.now()
            self.docs.put(owner, name, {**group, "createTime": now, "lastModifyTime": now})

    def update(self, project: Optional[str], name: str, body: Any) -> None:
        """Replace a group; applied configs stay applied."""
        group = _validated(body)
        if group["groupName"] != name:
            raise bad_request("BadRequest", f"groupName {group['groupName']!r} differs from the path ({name!r})")
        with self.state.lock:
            owner = self.state.project(project).name
            old = self.require(owner, name)
            created = int(old.get("createTime") or self.state.now())
            self.docs.put(owner, name, {**group, "createTime": created, "lastModifyTime": self.state.now()})

    def get(self, project: Optional[str], name: str) -> dict[str, Any]:
        """A group as stored."""
        return self.require(self.state.project(project).name, name)

    def delete(self, project: Optional[str], name: str) -> None:
        """Delete a group and its bindings."""
        with self.state.lock:
            owner = self.state.project(project).name
            self.require(owner, name)
            self.docs.delete(owner, name)
            self.bindings.drop_group(owner, name)

    def list(self, project: Optional[str], paging: PageRequest) -> Page[str]:
        """One page of group names."""
        names = list(self.docs.all(self.state.project(project).name))
        return page(names, paging)

    def machines(self, project: Optional[str], name: str, paging: PageRequest) -> Page[dict[str, Any]]:
        """One page of the group's (simulated) machines."""
        owner = self.state.project(project).name
        group = self.require(owner, name)
        now = self.state.now()
        by_ip = group.get("machineIdentifyType") == "ip"
        machines = [
            {
                "ip": entry if by_ip else "",
                "machine-uniqueid": _unique_id(owner, name, entry),
                "userdefined-id": "" if by_ip else entry,
                "lastHeartbeatTime": now,
            }
            for entry in group.get("machineList") or []
        ]
        return page(machines, paging)

    def apply(self, project: Optional[str], group: str, config: str) -> None:
        """Apply a config to a group (idempotent)."""
        with self.state.lock:
            owner = self.state.project(project).name
            self.require(owner, group)
            self._require_config(owner, config)
            self.bindings.add(owner, group, config)

    def remove(self, project: Optional[str], group: str, config: str) -> None:
        """Stop applying a config to a group (idempotent)."""
        with self.state.lock:
            owner = self.state.project(project).name
            self.require(owner, group)
            self._require_config(owner, config)
            self.bindings.remove(owner, group, config)

    def applied_configs(self, project: Optional[str], group: str) -> dict[str, Any]:
        """The configs applied to a group."""
        owner = self.state.project(project).name
        self.require(owner, group)
        configs = self.bindings.configs_of(owner, group)
        return {"count": len(configs), "configs": configs}

    def _require_config(self, project: str, config: str) -> None:
        if self.configs.get(project, config) is None:
            raise not_found("ConfigNotExist", f"config {config} does not exist")


def _unique_id(project: str, group: str, entry: str) -> str:
    digest = hashlib.md5(f"{project}/{group}/{entry}".encode(), usedforsecurity=False).digest()
    return str(uuid.UUID(bytes=digest)).upper()
