"""Tags on projects and their resources, and a project's resource group (``LogClient`` calls).

A resource is named by its type and id: a project by its name, anything in a project by
``<project>#<name>`` (``my-proj#web`` for the logstore ``web``). A call about a resource in a
project goes to that project's host, any other to the service host, as the official client
sends them (docs/tags.md "Tags").
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Optional

from .. import _ops as ops
from .._ops import Operation, check_project
from ..errors import BadParameters
from ..logresponse import LogResponse
from ..project_tags_response import GetProjectTagsResponse
from ..tag_response import GetResourceTagsResponse
from .core import ClientCore

__all__ = ["TagsMixin"]


def _host_of(resource_type: str, resource_id: Optional[str]) -> Optional[str]:
    """The project whose host a call about this resource goes to (``None``: the service host)."""
    if not isinstance(resource_type, str) or not resource_type:
        raise BadParameters("BadParameters", f"invalid resource_type: {resource_type!r}")
    if resource_id is None or resource_id == "":
        return None
    if not isinstance(resource_id, str):
        raise BadParameters("BadParameters", f"invalid resource_id: {resource_id!r}")
    if resource_type.lower() == "project":
        return check_project(resource_id)
    project, sep, _ = resource_id.partition("#")
    return check_project(project) if sep else None


def _tag_list(tags: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"key": str(key), "value": str(value)} for key, value in tags.items()]


class TagsMixin(ClientCore):
    """tag/untag/list tags of projects and resources; change_resource_group."""

    # -- the three wire calls, once -----------------------------------------------------------

    def _tags_change(self, add: bool, resource_type: str, resource_id: str, tags: Any) -> LogResponse:
        host = _host_of(resource_type, resource_id)
        if not resource_id:
            raise BadParameters("BadParameters", "resource_id must name a resource")
        op: Operation
        if add:
            op = ops.TAG_RESOURCES if host is None else ops.TAG_RESOURCES_AT_PROJECT
        else:
            op = ops.UNTAG_RESOURCES if host is None else ops.UNTAG_RESOURCES_AT_PROJECT
        body = {"resourceType": resource_type, "resourceId": [resource_id], "tags": tags}
        data, headers = self._call_json(op, host, body=body)
        return LogResponse(headers, data)

    def _tags_pages(
        self, resource_type: str, resource_id: Optional[str], filters: Mapping[str, Any], host: Optional[str]
    ) -> Iterator[tuple[Any, dict[str, str]]]:
        params: dict[str, Any] = {"resourceType": resource_type, "tags": json.dumps(_tag_list(filters))}
        if resource_id:
            params["resourceId"] = json.dumps([resource_id])
        op = ops.LIST_TAG_RESOURCES if host is None else ops.LIST_TAG_RESOURCES_AT_PROJECT
        token = ""
        while True:
            data, headers = self._call_json(op, host, params={**params, "nextToken": token})
            yield data, headers
            token = str((data or {}).get("nextToken") or "")
            if not token:
                return

    # -- projects -------------------------------------------------------------------------------

    def tag_project(self, project_name: str, **tags: Any) -> LogResponse:
        """Add tags (``key=value`` keyword arguments) to a project, overwriting keys it has.

        :type project_name: string
        :param project_name: the project.
        :raises LogException: ``ParameterInvalid`` for a bad key or value, ``ExceedQuota``
            past 20 tags on the project.
        """
        return self._tags_change(True, "project", check_project(project_name), _tag_list(tags))

    def untag_project(self, project_name: str, *tag_keys: str) -> LogResponse:
        """Remove the tags with these keys from a project (absent keys are ignored).

        :type project_name: string
        :param project_name: the project.
        """
        return self._tags_change(False, "project", check_project(project_name), list(tag_keys))

    def get_project_tags(self, project_name: str, **filer_tags: Any) -> Iterator[GetProjectTagsResponse]:
        """The tags of a project, a page at a time (a generator of ``GetProjectTagsResponse``;
        ``get_tags()`` is a dict). Keyword arguments keep only a project carrying all those
        tags (an empty value matches any value).

        :type project_name: string
        :param project_name: the project.
        """
        check_project(project_name)
        for data, headers in self._tags_pages("project", project_name, filer_tags, None):
            yield GetProjectTagsResponse(headers, data)

    # -- any resource -----------------------------------------------------------------------------

    def tag_resources(self, resource_type: str, resource_id: str, **tags: Any) -> LogResponse:
        """Add tags to a resource.

        :type resource_type: string
        :param resource_type: ``project``, ``logstore``, ``dashboard``, ``machine_group`` or
            ``logtail_config``.
        :type resource_id: string
        :param resource_id: the project's name for a project, ``<project>#<name>`` otherwise.
        :raises LogException: ``ProjectNotExist``, ``LogStoreNotExist`` ... for a missing
            resource; ``ParameterInvalid``, ``ExceedQuota`` as for :meth:`tag_project`.
        """
        return self._tags_change(True, resource_type, resource_id, _tag_list(tags))

    def untag_resources(self, resource_type: str, resource_id: str, *tag_keys: str) -> LogResponse:
        """Remove the tags with these keys from a resource.

        :type resource_type: string
        :param resource_type: as for :meth:`tag_resources`.
        :type resource_id: string
        :param resource_id: as for :meth:`tag_resources`.
        """
        return self._tags_change(False, resource_type, resource_id, list(tag_keys))

    def list_tag_resources(
        self, resource_type: str, resource_id: Optional[str], **filer_tags: Any
    ) -> Iterator[GetResourceTagsResponse]:
        """The tags of one resource, or (``resource_id`` empty or ``None``) of every resource
        of the type carrying all of ``filer_tags``; a generator of ``GetResourceTagsResponse``
        pages (``get_tags()``: a set of ``Tag``).

        :type resource_type: string
        :param resource_type: as for :meth:`tag_resources`.
        :type resource_id: string
        :param resource_id: as for :meth:`tag_resources`, or ``None``.
        """
        host = _host_of(resource_type, resource_id)
        for data, headers in self._tags_pages(resource_type, resource_id, filer_tags, host):
            yield GetResourceTagsResponse(headers, data)

    def change_resource_group(
        self, resource_id: str, resource_group_id: str, resource_type: str = "PROJECT"
    ) -> LogResponse:
        """Move a project into another resource group.

        :type resource_id: string
        :param resource_id: the project's name.
        :type resource_group_id: string
        :param resource_group_id: the resource group's id.
        :type resource_type: string
        :param resource_type: ``PROJECT`` (the only type).
        """
        body = {"resourceId": resource_id, "resourceGroupId": resource_group_id, "resourceType": resource_type}
        data, headers = self._call_json(ops.CHANGE_RESOURCE_GROUP, check_project(resource_id), body=body)
        return LogResponse(headers, data)
