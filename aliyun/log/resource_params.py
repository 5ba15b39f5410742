"""Resources and their records (the project-level key-value documents the alert center keeps its
templates and policies in): :class:`Resource`, :class:`ResourceSchemaItem`, :class:`ResourceRecord`.

``to_dict()`` gives the request body; ``from_dict()`` reads an answer, where the service returns
``schema``, ``acl`` and a record's ``value`` JSON-encoded inside strings.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from ._typed_record import TypedRecord, check_params, check_type_for_init, json_value, typed_accessors

__all__ = ["Resource", "ResourceRecord", "ResourceSchemaItem", "check_params", "check_type_for_init"]


@typed_accessors("record_id", "tag", "value")
class ResourceRecord(TypedRecord):
    """One record of a resource: ``value`` (a dict, required), an optional ``tag`` and, for an
    update, its ``record_id``."""

    record_id: Optional[str]
    tag: Optional[str]
    value: Optional[dict[str, Any]]
    type_dict: ClassVar[dict[str, Any]] = {"record_id": str, "tag": str, "value": dict}

    def __init__(
        self, record_id: Optional[str] = None, tag: Optional[str] = None, value: Optional[dict[str, Any]] = None
    ) -> None:
        self._init_fields(record_id=record_id, tag=tag, value=value)

    def to_dict(self) -> dict[str, Any]:
        """The request body (``id``/``tag``/times only when set)."""
        result: dict[str, Any] = {"value": self.value}
        for key, attr in (
            ("tag", "tag"),
            ("id", "record_id"),
            ("create_time", "create_time"),
            ("last_modify_time", "last_modify_time"),
        ):
            if getattr(self, attr):
                result[key] = getattr(self, attr)
        return result

    def check_value(self) -> None:
        """:raises ValueError: no value."""
        if not self.value:
            raise ValueError("ResourceRecord value must not be empty")

    def check_for_update(self) -> None:
        """:raises ValueError: no value or no record id."""
        self.check_value()
        if not self.record_id:
            raise ValueError("ResourceRecord id must not be empty")

    @classmethod
    def from_dict(cls, dict_data: dict[str, Any]) -> ResourceRecord:
        """A record from an answer."""
        record = cls(
            record_id=dict_data.get("id"), tag=dict_data.get("tag") or None, value=json_value(dict_data.get("value"))
        )
        # the official class reads create_time; SLS answers createTime: either is kept
        record.set_create_time(dict_data.get("create_time", dict_data.get("createTime")))  # type: ignore[attr-defined]
        record.set_last_modify_time(  # type: ignore[attr-defined]
            dict_data.get("last_modify_time", dict_data.get("lastModifyTime"))
        )
        return record


@typed_accessors("column", "ext_info", "schema_type")
class ResourceSchemaItem(TypedRecord):
    """One column of a resource's schema (``schema_type`` is sent as ``type``)."""

    column: Optional[str]
    ext_info: Optional[str]
    schema_type: Optional[str]
    type_dict: ClassVar[dict[str, Any]] = {"column": str, "ext_info": str, "schema_type": str}

    def __init__(
        self, column: Optional[str] = None, ext_info: Optional[str] = None, schema_type: Optional[str] = None
    ) -> None:
        self._init_fields(column=column, ext_info=ext_info, schema_type=schema_type)

    def to_dict(self) -> dict[str, Any]:
        """The schema entry (keys only for the fields set)."""
        pairs = (("column", self.column), ("ext_info", self.ext_info), ("type", self.schema_type))
        return {key: value for key, value in pairs if value}


def _schema_items(schema_list: Any) -> Any:
    if schema_list:
        for item in schema_list:
            if not isinstance(item, ResourceSchemaItem):
                raise TypeError("schema list element must be instance of ResourceSchemaItem")
    return schema_list


@typed_accessors("resource_name", "resource_type", "description", "acl", "ext_info")
class Resource(TypedRecord):
    """A resource: ``resource_name`` and ``resource_type`` (both needed to create), a schema
    (a list of :class:`ResourceSchemaItem`), ``description``, ``acl`` (dict) and ``ext_info``."""

    resource_name: Optional[str]
    resource_type: Optional[str]
    schema_list: Optional[list[ResourceSchemaItem]]
    description: Optional[str]
    acl: Optional[dict[str, Any]]
    ext_info: Optional[str]
    type_dict: ClassVar[dict[str, Any]] = {
        "resource_name": str,
        "resource_type": str,
        "schema_list": list,
        "description": str,
        "acl": dict,
        "ext_info": str,
    }

    def __init__(
        self,
        resource_name: Optional[str] = None,
        resource_type: Optional[str] = None,
        schema_list: Optional[list[ResourceSchemaItem]] = None,
        description: Optional[str] = None,
        acl: Optional[dict[str, Any]] = None,
        ext_info: Optional[str] = None,
    ) -> None:
        self._init_fields(
            resource_name=resource_name,
            resource_type=resource_type,
            schema_list=schema_list,
            description=description,
            acl=acl,
            ext_info=ext_info,
        )
        self.schema_list = _schema_items(schema_list)

    def get_schema(self) -> Optional[list[ResourceSchemaItem]]:
        """The schema items."""
        return self.schema_list

    def set_schema_list(self, schema: Optional[list[ResourceSchemaItem]]) -> None:
        """Replace the schema items (each must be a :class:`ResourceSchemaItem`)."""
        if schema is not None and not isinstance(schema, list):
            raise TypeError(f"the schema_list type must be {list}")
        self.schema_list = _schema_items(schema)

    def check_for_update(self) -> None:
        """:raises ValueError: no resource name."""
        if not self.resource_name:
            raise ValueError("resource_name must not be None!")

    def check_for_create(self) -> None:
        """:raises ValueError: no resource name or type."""
        if not (self.resource_name and self.resource_type):
            raise ValueError("resource_name and resource_type must not be None!")

    @staticmethod
    def _check_schema(schema_list: Any) -> Any:
        return _schema_items(schema_list)

    def to_dict(self) -> dict[str, Any]:
        """The request body (``schema`` always; other keys only when set)."""
        result: dict[str, Any] = {"schema": [item.to_dict() for item in self.schema_list or []]}
        for key in (
            "create_time",
            "last_modify_time",
            "resource_name",
            "resource_type",
            "description",
            "ext_info",
            "acl",
        ):
            if getattr(self, key):
                result[key] = getattr(self, key)
        return result

    @classmethod
    def from_dict(cls, dict_data: dict[str, Any]) -> Resource:
        """A resource from an answer (``name``, ``type``, ``extInfo`` and JSON-encoded fields)."""
        schema = json_value(dict_data.get("schema")) or {}
        entries = schema.get("schema") if isinstance(schema, dict) else schema
        items = [
            ResourceSchemaItem(column=e.get("column"), schema_type=e.get("type"), ext_info=e.get("ext_info"))
            for e in entries or []
        ]
        resource = cls()
        resource.resource_name = dict_data.get("name")
        resource.resource_type = dict_data.get("type")
        resource.description = dict_data.get("description")
        resource.ext_info = dict_data.get("extInfo")
        resource.acl = json_value(dict_data.get("acl"))
        resource.schema_list = items
        resource.create_time = dict_data.get("create_time", dict_data.get("createTime"))
        resource.last_modify_time = dict_data.get("last_modify_time", dict_data.get("lastModifyTime"))
        return resource
