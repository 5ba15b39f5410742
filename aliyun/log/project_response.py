"""Responses of the project calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .logresponse import LogResponse, PagedListResponse

__all__ = [
    "CreateProjectResponse",
    "DeleteProjectResponse",
    "GetProjectResponse",
    "ListProjectResponse",
    "UpdateProjectResponse",
]


class CreateProjectResponse(LogResponse):
    """Answer of ``create_project``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class DeleteProjectResponse(LogResponse):
    """Answer of ``delete_project``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class UpdateProjectResponse(LogResponse):
    """Answer of ``update_project``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class GetProjectResponse(LogResponse):
    """Answer of ``get_project``: the project's attributes."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.description = str(resp.get("description", ""))
        self.projectname = str(resp.get("projectName", ""))
        self.status = str(resp.get("status", ""))
        self.region = str(resp.get("region", ""))
        self.owner = str(resp.get("owner", ""))
        self.create_time = str(resp.get("createTime", ""))
        self.last_modify_time = str(resp.get("lastModifyTime", ""))
        self.resource_group_id = str(resp.get("resourceGroupId", ""))
        self.data_redundancy_type = str(resp.get("dataRedundancyType", ""))

    def get_description(self) -> str:
        """The project's description."""
        return self.description

    def get_projectname(self) -> str:
        """The project's name."""
        return self.projectname

    def get_status(self) -> str:
        """``Normal`` or ``Disable``."""
        return self.status

    def get_region(self) -> str:
        """The region the project lives in."""
        return self.region

    def get_owner(self) -> str:
        """The owner's account id."""
        return self.owner

    def get_create_time(self) -> str:
        """Creation time, as the service writes it."""
        return self.create_time

    def get_last_modify_time(self) -> str:
        """Last modification time, as the service writes it."""
        return self.last_modify_time

    def get_resource_group_id(self) -> str:
        """The resource group (``''`` for the default)."""
        return self.resource_group_id

    def get_data_redundancy_type(self) -> str:
        """``LRS`` or ``ZRS`` (``''`` when the service does not say)."""
        return self.data_redundancy_type

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("projectName", self.projectname),
            ("description", self.description),
            ("status", self.status),
            ("region", self.region),
            ("owner", self.owner),
            ("createTime", self.create_time),
            ("lastModifyTime", self.last_modify_time),
            ("resourceGroupId", self.resource_group_id),
            ("dataRedundancyType", self.data_redundancy_type),
        ]


class ListProjectResponse(PagedListResponse):
    """Answer of ``list_project``: one page of projects (dicts with the project attributes)."""

    items_key = "projects"

    @property
    def projects(self) -> list[dict[str, Any]]:
        """The projects of this page."""
        return self._items

    def get_projects(self) -> list[dict[str, Any]]:
        """The projects of this page."""
        return self._items


# Official home of this class; defined in its own module by the drop-in work.
from .project_tags_response import GetProjectTagsResponse  # noqa: E402

__all__ += ["GetProjectTagsResponse"]
