"""Answers of the resource and resource-record calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import HeaderFirstAck, ItemsPage
from .logresponse import LogResponse, json_or_empty
from .resource_params import Resource, ResourceRecord

__all__ = [
    "CreateRecordResponse",
    "CreateResourceResponse",
    "DeleteRecordResponse",
    "DeleteResourceResponse",
    "GetRecordResponse",
    "GetResourceResponse",
    "ListRecordResponse",
    "ListResourcesResponse",
    "UpdateRecordResponse",
    "UpdateResourceResponse",
    "UpsertRecordResponse",
]


class CreateResourceResponse(HeaderFirstAck):
    """Answer of ``create_resource``."""


class DeleteResourceResponse(HeaderFirstAck):
    """Answer of ``delete_resource``."""


class UpdateResourceResponse(HeaderFirstAck):
    """Answer of ``update_resource``."""


class CreateRecordResponse(HeaderFirstAck):
    """Answer of ``create_resource_record``."""


class DeleteRecordResponse(HeaderFirstAck):
    """Answer of ``delete_resource_record``."""


class UpdateRecordResponse(HeaderFirstAck):
    """Answer of ``update_resource_record``."""


class UpsertRecordResponse(HeaderFirstAck):
    """Answer of ``upsert_resource_record``."""


class GetResourceResponse(LogResponse):
    """One resource as a :class:`~aliyun.log.resource_params.Resource`."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.resource = Resource.from_dict(body)

    def get_resource(self) -> Resource:
        """The resource."""
        return self.resource

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("resource", self.resource.to_dict())]


class GetRecordResponse(LogResponse):
    """One record as a :class:`~aliyun.log.resource_params.ResourceRecord`."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.record = ResourceRecord.from_dict(body)

    def get_record(self) -> ResourceRecord:
        """The record."""
        return self.record

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("record", self.record.to_dict())]


class ListResourcesResponse(ItemsPage):
    """One page of resources."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        super().__init__(resp, header)
        self.resources = [Resource.from_dict(item) for item in self._raw_items]

    def get_resources(self) -> list[Resource]:
        """The resources of this page."""
        return self.resources

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self.total), ("resources", [r.to_dict() for r in self.resources])]


class ListRecordResponse(ItemsPage):
    """One page of records of a resource."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        super().__init__(resp, header)
        self.records = [ResourceRecord.from_dict(item) for item in self._raw_items]

    def get_records(self) -> list[ResourceRecord]:
        """The records of this page."""
        return self.records

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("count", self.count), ("total", self.total), ("records", [r.to_dict() for r in self.records])]
