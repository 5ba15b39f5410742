"""Resources and their records (``LogClient`` calls): documents of the service, no project.

A resource (``Resource``: a name, a type, a schema of columns, a description, an ACL) holds
records (``ResourceRecord``: an id, a tag and a JSON value); the alert center keeps its users,
templates and policies this way. Several fields travel as JSON text inside the JSON body (the
schema, the ACL, a record's value), as the official client sends them (docs/tags.md "Resources
and records").
"""

from __future__ import annotations

import json
from typing import Any, Optional

from .. import _ops as ops
from ..errors import BadParameters
from ..resource_params import Resource, ResourceRecord
from ..resource_response import (
    CreateRecordResponse,
    CreateResourceResponse,
    DeleteRecordResponse,
    DeleteResourceResponse,
    GetRecordResponse,
    GetResourceResponse,
    ListRecordResponse,
    ListResourcesResponse,
    UpdateRecordResponse,
    UpdateResourceResponse,
    UpsertRecordResponse,
)
from .core import ClientCore

__all__ = ["ResourcesMixin", "id_list", "require"]


def require(value: Any, kind: type, what: str) -> Any:
    """``value`` if it is a ``kind``, else ``BadParameters`` (before anything is sent)."""
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadParameters("BadParameters", f"{what} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def id_list(ids: Any, what: str) -> str:
    """A list of ids as the comma-separated query value; each id must be a string without a comma."""
    require(ids, list, what)
    for item in ids:
        if not isinstance(item, str) or "," in item:
            raise BadParameters("BadParameters", f"{what} must hold strings without commas, got {item!r}")
    return ",".join(ids)


def _record_body(record: ResourceRecord, *, with_id: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"value": json.dumps(record.value)}
    if with_id and record.record_id:
        body["id"] = record.record_id
    if record.tag is not None:
        body["tag"] = record.tag
    return body


def _resource_body(resource: Resource, *, create: bool) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if create:
        body = {"name": resource.resource_name, "type": resource.resource_type}
    schema = resource.schema_list
    if schema is not None and (schema or not create):
        body["schema"] = json.dumps({"schema": [item.to_dict() for item in schema]})
    for key, value in (("description", resource.description), ("extInfo", resource.ext_info)):
        if value is not None and (value or not create):
            body[key] = value
    if resource.acl:
        body["acl"] = json.dumps(resource.acl)
    return body


class ResourcesMixin(ClientCore):
    """create/update/delete/get/list resources and their records."""

    # -- resources --------------------------------------------------------------------------

    def create_resource(self, resource: Resource) -> CreateResourceResponse:
        """Create a resource.

        :type resource: Resource
        :param resource: needs ``resource_name`` and ``resource_type`` (``ValueError`` otherwise).
        :raises LogException: ``ResourceAlreadyExist`` when the name is taken.
        """
        require(resource, Resource, "resource")
        resource.check_for_create()
        data, headers = self._call_json(ops.CREATE_RESOURCE, None, body=_resource_body(resource, create=True))
        return CreateResourceResponse(headers, data)

    def update_resource(self, resource: Resource) -> UpdateResourceResponse:
        """Change the schema, description, ext info or ACL of a resource (only the fields set).

        :type resource: Resource
        :param resource: names the resource by ``resource_name``.
        :raises LogException: ``ResourceNotExist``.
        """
        require(resource, Resource, "resource")
        resource.check_for_update()
        body = _resource_body(resource, create=False)
        data, headers = self._call_json(ops.UPDATE_RESOURCE, None, body=body, resource=resource.resource_name)
        return UpdateResourceResponse(headers, data)

    def delete_resource(self, resource_name: str) -> DeleteResourceResponse:
        """Delete a resource and its records.

        :type resource_name: string
        :param resource_name: the resource.
        """
        data, headers = self._call_json(
            ops.DELETE_RESOURCE, None, resource=require(resource_name, str, "resource_name")
        )
        return DeleteResourceResponse(headers, data)

    def get_resource(self, resource_name: str) -> GetResourceResponse:
        """A resource (``get_resource()``: a ``Resource``).

        :type resource_name: string
        :param resource_name: the resource.
        """
        data, headers = self._call_json(ops.GET_RESOURCE, None, resource=require(resource_name, str, "resource_name"))
        return GetResourceResponse(headers, data)

    def list_resources(
        self, offset: int = 0, size: int = 100, resource_type: Optional[str] = None, resource_names: Any = None
    ) -> ListResourcesResponse:
        """One page of resources (``get_resources()``), of one type and/or among some names.

        :type offset: int
        :type size: int
        :type resource_type: string
        :param resource_type: only resources of this type.
        :type resource_names: list
        :param resource_names: only resources with these names.
        """
        params: dict[str, Any] = {"offset": require(offset, int, "offset"), "size": require(size, int, "size")}
        if resource_names:
            params["names"] = id_list(resource_names, "resource_names")
        if resource_type:
            params["type"] = require(resource_type, str, "resource_type")
        data, headers = self._call_json(ops.LIST_RESOURCES, None, params=params)
        return ListResourcesResponse(data, headers)

    # -- records ------------------------------------------------------------------------------

    def create_resource_record(self, resource_name: str, record: ResourceRecord) -> CreateRecordResponse:
        """Add a record to a resource (the service chooses an id when the record has none).

        :type resource_name: string
        :type record: ResourceRecord
        :param record: needs a ``value`` (``ValueError`` otherwise).
        :raises LogException: ``ResourceNotExist``, ``ResourceRecordAlreadyExist``.
        """
        require(record, ResourceRecord, "record")
        record.check_value()
        body = _record_body(record, with_id=True)
        data, headers = self._call_json(
            ops.CREATE_RESOURCE_RECORD, None, body=body, resource=require(resource_name, str, "resource_name")
        )
        return CreateRecordResponse(headers, data)

    def update_resource_record(self, resource_name: str, record: ResourceRecord) -> UpdateRecordResponse:
        """Replace a record's value (and tag, when set).

        :type resource_name: string
        :type record: ResourceRecord
        :param record: needs ``record_id`` and ``value``.
        :raises LogException: ``ResourceRecordNotExist``.
        """
        require(record, ResourceRecord, "record")
        record.check_for_update()
        data, headers = self._call_json(
            ops.UPDATE_RESOURCE_RECORD,
            None,
            body=_record_body(record, with_id=False),
            resource=require(resource_name, str, "resource_name"),
            record=record.record_id,
        )
        return UpdateRecordResponse(headers, data)

    def upsert_resource_record(self, resource_name: str, records: list[ResourceRecord]) -> UpsertRecordResponse:
        """Create or replace each record (by id) in one call.

        :type resource_name: string
        :type records: list[ResourceRecord]
        :param records: ``ResourceRecord`` objects, each with a value (at most 100).
        """
        require(records, list, "records")
        if not records:
            raise BadParameters("BadParameters", "records must not be empty")
        bodies = []
        for record in records:
            require(record, ResourceRecord, "each record")
            record.check_value()
            bodies.append(_record_body(record, with_id=True))
        data, headers = self._call_json(
            ops.UPSERT_RESOURCE_RECORDS,
            None,
            body={"records": bodies},
            resource=require(resource_name, str, "resource_name"),
        )
        return UpsertRecordResponse(headers, data)

    def delete_resource_record(self, resource_name: str, record_ids: list[str]) -> DeleteRecordResponse:
        """Delete the records with these ids (ids without a record are skipped).

        :type resource_name: string
        :type record_ids: list
        """
        data, headers = self._call_json(
            ops.DELETE_RESOURCE_RECORDS,
            None,
            params={"ids": id_list(record_ids, "record_ids")},
            resource=require(resource_name, str, "resource_name"),
        )
        return DeleteRecordResponse(headers, data)

    def get_resource_record(self, resource_name: str, record_id: str) -> GetRecordResponse:
        """A record (``get_record()``: a ``ResourceRecord``).

        :type resource_name: string
        :type record_id: string
        """
        data, headers = self._call_json(
            ops.GET_RESOURCE_RECORD,
            None,
            resource=require(resource_name, str, "resource_name"),
            record=require(record_id, str, "record_id"),
        )
        return GetRecordResponse(headers, data)

    def list_resource_records(
        self,
        resource_name: str,
        tag: Optional[str] = None,
        record_ids: Any = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListRecordResponse:
        """One page of a resource's records (``get_records()``), with one tag and/or among ids.

        :type resource_name: string
        :type tag: string
        :param tag: only records with this tag.
        :type record_ids: list
        :param record_ids: only records with these ids.
        :type offset: long int
        :type size: long int
        """
        params: dict[str, Any] = {"offset": require(offset, int, "offset"), "size": require(size, int, "size")}
        if tag is not None:
            params["tag"] = require(tag, str, "tag")
        if record_ids:
            params["ids"] = id_list(record_ids, "record_ids")
        data, headers = self._call_json(
            ops.LIST_RESOURCE_RECORDS, None, params=params, resource=require(resource_name, str, "resource_name")
        )
        return ListRecordResponse(data, headers)
