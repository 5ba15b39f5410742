"""Project calls of ``LogClient``."""

from __future__ import annotations

from typing import Any, Optional

from .. import _ops as ops
from ..project_response import (
    CreateProjectResponse,
    DeleteProjectResponse,
    GetProjectResponse,
    ListProjectResponse,
    UpdateProjectResponse,
)
from ._listing import list_pages
from .core import ClientCore

__all__ = ["ProjectsMixin"]


class ProjectsMixin(ClientCore):
    """Create, read, update, delete and list projects."""

    def create_project(
        self,
        project_name: str,
        project_des: str,
        resource_group_id: str = "",
        data_redundancy_type: Optional[str] = None,
    ) -> CreateProjectResponse:
        """Create a project.

        :type project_name: string
        :param project_name: 3-63 lowercase letters, digits and ``-``.
        :type project_des: string
        :param project_des: description.
        :type resource_group_id: string
        :param resource_group_id: resource group (``''``: the default group).
        :type data_redundancy_type: string
        :param data_redundancy_type: ``LRS`` or ``ZRS``; the service default when ``None``.
        :raises ProjectAlreadyExist: a project with this name exists.
        """
        body: dict[str, Any] = {
            "projectName": project_name,
            "description": project_des,
            "resourceGroupId": resource_group_id,
        }
        if data_redundancy_type:
            body["dataRedundancyType"] = data_redundancy_type
        _, headers = self._call_json(ops.CREATE_PROJECT, project_name, body=body)
        return CreateProjectResponse(headers)

    def get_project(self, project_name: str) -> GetProjectResponse:
        """Get a project's attributes.

        :type project_name: string
        :raises ProjectNotExist: no such project.
        """
        data, headers = self._call_json(ops.GET_PROJECT, project_name)
        return GetProjectResponse(data, headers)

    def update_project(self, project_name: str, project_des: str) -> UpdateProjectResponse:
        """Change a project's description.

        :type project_name: string
        :type project_des: string
        """
        _, headers = self._call_json(ops.UPDATE_PROJECT, project_name, body={"description": project_des})
        return UpdateProjectResponse(headers)

    def delete_project(self, project_name: str) -> DeleteProjectResponse:
        """Delete a project (it must hold no logstore).

        :type project_name: string
        """
        _, headers = self._call_json(ops.DELETE_PROJECT, project_name)
        return DeleteProjectResponse(headers)

    def list_project(
        self,
        offset: int = 0,
        size: int = 100,
        project_name_pattern: Optional[str] = None,
        resource_group_id: str = "",
        description: Optional[str] = None,
    ) -> ListProjectResponse:
        """List projects, ``size`` at a time from ``offset``.

        ``size=-1`` (or above 500) reads every page and returns them merged.

        :type project_name_pattern: string
        :param project_name_pattern: keep projects whose name contains this text.

        :type offset: int
        :type size: int
        :type resource_group_id: string
        :type description: string
        """

        def fetch(page_offset: int, page_size: int) -> ListProjectResponse:
            params: dict[str, Any] = {
                "offset": page_offset,
                "size": page_size,
                "resourceGroupId": resource_group_id,
            }
            if project_name_pattern:
                params["projectName"] = project_name_pattern
            if description:
                params["description"] = description
            data, headers = self._call_json(ops.LIST_PROJECT, None, params=params)
            return ListProjectResponse(data, headers)

        return list_pages(self, fetch, offset, size)
