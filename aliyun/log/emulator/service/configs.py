"""Logtail config rules (docs/resources.md "Logtail configs").

A config is stored exactly as the client sent it, plus ``createTime`` and ``lastModifyTime``
(integer seconds; ``modifyTime`` too when the client's document carries that older key), and
returned verbatim: clients rebuild typed objects from it and fail on missing keys. The checks
made here are the ones that keep those clients working: a name, an ``inputType``, object-valued
``inputDetail`` / ``outputDetail``, an existing ``outputDetail.logstoreName``, and ``logPath`` /
``filePattern`` for file configs.
"""

from __future__ import annotations

from typing import Any, Optional

from ..errors import SLSError, bad_request, not_found
from .names import check_resource_name
from .paging import Page, PageRequest, page
from .resource_store import CONFIG_KIND, Bindings, MetaDocs
from .state import EmulatorState

__all__ = ["ConfigService"]

_INVALID = "InvalidParameter"


def _validated(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request(_INVALID, "the config must be a JSON object")
    check_resource_name("config", body.get("configName"), _INVALID)
    input_type = body.get("inputType")
    if not isinstance(input_type, str) or not input_type:
        raise bad_request(_INVALID, "inputType must be a non-empty string (file, syslog, plugin ...)")
    detail = body.get("inputDetail")
    if not isinstance(detail, dict):
        raise bad_request(_INVALID, "inputDetail must be a JSON object")
    output = body.get("outputDetail")
    if not isinstance(output, dict) or not isinstance(output.get("logstoreName"), str):
        raise bad_request(_INVALID, "outputDetail.logstoreName must be a string")
    if input_type == "file":
        for key in ("logPath", "filePattern"):
            if not isinstance(detail.get(key), str):
                raise bad_request(_INVALID, f"inputDetail.{key} must be a string for a file config")
    return body


class ConfigService:
    """Logtail configs of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.docs = MetaDocs(state, CONFIG_KIND)
        self.bindings = Bindings(state)

    def _stamp(self, body: dict[str, Any], created: int, now: int) -> dict[str, Any]:
        stored = dict(body)
        stored["createTime"] = created
        stored["lastModifyTime"] = now
        if "modifyTime" in stored:
            stored["modifyTime"] = now
        return stored

    def require(self, project: str, name: str) -> dict[str, Any]:
        """A config, or ``ConfigNotExist``."""
        found = self.docs.get(project, name)
        if found is None:
            raise not_found("ConfigNotExist", f"config {name} does not exist")
        return dict(found)

    def create(self, project: Optional[str], body: Any) -> None:
        """Create a config (``ConfigAlreadyExist`` if the name is taken)."""
        config = _validated(body)
        with self.state.lock:
            owner = self.state.project(project)
            name = config["configName"]
            if self.docs.get(owner.name, name) is not None:
                raise SLSError("ConfigAlreadyExist", f"config {name} already exists", 400)
            owner.logstore(config["outputDetail"]["logstoreName"])
            now = self.state.now()
            self.docs.put(owner.name, name, self._stamp(config, now, now))

    def update(self, project: Optional[str], name: str, body: Any) -> None:
        """Replace a config; the name in the body must be the one in the path."""
        config = _validated(body)
        if config["configName"] != name:
            raise bad_request("BadRequest", f"configName {config['configName']!r} differs from the path ({name!r})")
        with self.state.lock:
            owner = self.state.project(project)
            old = self.require(owner.name, name)
            owner.logstore(config["outputDetail"]["logstoreName"])
            created = int(old.get("createTime") or self.state.now())
            self.docs.put(owner.name, name, self._stamp(config, created, self.state.now()))

    def get(self, project: Optional[str], name: str) -> dict[str, Any]:
        """A config as stored."""
        return self.require(self.state.project(project).name, name)

    def delete(self, project: Optional[str], name: str) -> None:
        """Delete a config and its bindings to machine groups."""
        with self.state.lock:
            owner = self.state.project(project).name
            self.require(owner, name)
            self.docs.delete(owner, name)
            self.bindings.drop_config(owner, name)

    def list(
        self,
        project: Optional[str],
        paging: PageRequest,
        logstore_filter: str = "",
        name_filter: str = "",
    ) -> Page[str]:
        """One page of config names (filters are substring matches)."""
        owner = self.state.project(project).name
        names = [
            name
            for name, doc in self.docs.all(owner).items()
            if name_filter in name and logstore_filter in str((doc.get("outputDetail") or {}).get("logstoreName", ""))
        ]
        return page(names, paging)

    def applied_groups(self, project: Optional[str], name: str) -> dict[str, Any]:
        """The machine groups a config is applied to."""
        owner = self.state.project(project).name
        self.require(owner, name)
        groups = self.bindings.groups_of(owner, name)
        return {"count": len(groups), "machinegroups": groups}
