"""Project rules: create, read, update, delete, list."""

from __future__ import annotations

import logging
import time
from typing import Any, Optional

from ..errors import SLSError, bad_request
from .names import check_project_name
from .paging import Page, PageRequest, page
from .state import EmulatorState, ProjectState, damaged_error

__all__ = ["ProjectService"]

logger = logging.getLogger(__name__)


def _format_time(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


class ProjectService:
    """Projects of one emulator."""

    def __init__(self, state: EmulatorState, *, region: str = "emulator", owner: str = "emulator") -> None:
        self.state = state
        self.region = region
        self.owner = owner

    def create(self, name: str, description: Any, resource_group_id: Any = "", redundancy: Any = None) -> None:
        """Create a project (``ProjectAlreadyExist`` if taken)."""
        check_project_name(name)
        if not isinstance(description, str):
            raise bad_request("ParameterInvalid", "description must be a string")
        if redundancy not in (None, "", "LRS", "ZRS"):
            raise bad_request("ParameterInvalid", f"invalid dataRedundancyType: {redundancy!r}")
        with self.state.lock:
            if name in self.state.projects:
                raise SLSError("ProjectAlreadyExist", f"Project {name} already exist", 400)
            if name in self.state.damaged_projects:
                raise damaged_error("project", name, self.state.damaged_projects[name])
            now = self.state.now()
            attrs = {
                "projectName": name,
                "description": description,
                "status": "Normal",
                "owner": self.owner,
                "region": self.region,
                "createTime": _format_time(now),
                "lastModifyTime": _format_time(now),
                "resourceGroupId": str(resource_group_id or ""),
                "dataRedundancyType": redundancy or "LRS",
            }
            project = ProjectState(name, attrs)
            with self.state.faults.guard("CreateProject"):
                self.state.save_project(project)  # persisted first: a failure changes nothing
            self.state.projects[name] = project

    def get(self, name: Optional[str]) -> dict[str, Any]:
        """A project's attributes (all strings, as SLS sends them)."""
        return dict(self.state.project(name).attrs)

    def update(self, name: Optional[str], description: Any) -> None:
        """Change the description."""
        if not isinstance(description, str):
            raise bad_request("ParameterInvalid", "description must be a string")
        with self.state.lock:
            project = self.state.project(name)
            attrs = dict(project.attrs, description=description, lastModifyTime=_format_time(self.state.now()))
            with self.state.faults.guard("UpdateProject"):
                self.state.meta.put("project", "", project.name, attrs)
            project.attrs = attrs

    def delete(self, name: Optional[str]) -> None:
        """Delete a project and everything in it."""
        with self.state.lock:
            if name in self.state.damaged_projects and name not in self.state.projects:
                with self.state.faults.guard("DeleteProject"):  # what is left of a damaged project
                    self.state.meta.write([("delete_scope", name), ("delete", "project", "", name)])
                del self.state.damaged_projects[name]
                self.state.drop_project_folders(name)
                return
            project = self.state.project(name)
            # Documents first, in one transaction: a failure leaves the project as it was.
            with self.state.faults.guard("DeleteProject"):
                self.state.meta.write([("delete_scope", project.name), ("delete", "project", "", project.name)])
            for logstore in list(project.logstores.values()):
                try:
                    self.state.drop_logstore_data(logstore)
                except OSError as exc:
                    logger.warning("deleting the data of %s/%s: %s", project.name, logstore.name, exc)
            self.state.drop_project_folders(project.name)
            del self.state.projects[project.name]

    def list_page(
        self, paging: PageRequest, name_filter: str = "", description_filter: str = ""
    ) -> Page[dict[str, Any]]:
        """One page of projects matching the filters (substring matches)."""
        with self.state.lock:
            found = [
                dict(p.attrs)
                for n, p in sorted(self.state.projects.items())
                if name_filter in n and description_filter in str(p.attrs.get("description", ""))
            ]
        return page(found, paging)
