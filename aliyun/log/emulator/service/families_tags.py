"""Document families of the service itself: resources and their records, topostores with
their nodes and relations (see :mod:`.documents` for what a declaration means).

Resources and topostores are addressed without a project (``/resources``, ``/topostores``);
records, nodes and relations belong to one of them and live in its :func:`.documents.owned_scope`.
Several fields travel as JSON text inside the JSON body (a resource's ``schema`` and ``acl``, a
record's ``value``, a node's ``property`` ...), which the validators check. The wire facts are in
docs/tags.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional

from ..errors import bad_request
from .documents import DocumentFamily

__all__ = [
    "RESOURCE",
    "RESOURCE_RECORD",
    "TAGS_AREA_FAMILIES",
    "TOPOSTORE",
    "TOPOSTORE_NODE",
    "TOPOSTORE_RELATION",
    "json_text",
]

#: characters of an id chosen by a user (record, node and relation ids)
MAX_ID = 256


def json_text(doc: Mapping[str, Any], key: str, kind: type, *, required: bool = False) -> Any:
    """The decoded JSON text of ``doc[key]`` (a 400 unless it is JSON text of a ``kind``)."""
    text = doc.get(key)
    if text is None or text == "":
        if required:
            raise bad_request("ParameterInvalid", f"{key} is required")
        return None
    if not isinstance(text, str):
        raise bad_request("ParameterInvalid", f"{key} must be JSON text, got {type(text).__name__}")
    try:
        value = json.loads(text)
    except ValueError:
        raise bad_request("ParameterInvalid", f"{key} is not valid JSON: {text[:100]!r}") from None
    if not isinstance(value, kind):
        raise bad_request("ParameterInvalid", f"{key} must be JSON text of a {kind.__name__}")
    return value


def _check_strings(doc: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise bad_request("ParameterInvalid", f"{key} must be a string")


def _check_id(doc: Mapping[str, Any], key: str) -> None:
    value = doc.get(key)
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_ID
        or any(c in value for c in "/\\,")
        or (not value.isprintable())
    ):
        raise bad_request("ParameterInvalid", f"{key} is 1-{MAX_ID} printable characters without / \\ or ,")


def _check_resource(doc: dict[str, Any]) -> None:
    _check_strings(doc, "type", "description", "extInfo")
    schema = json_text(doc, "schema", dict)
    if schema is not None and not isinstance(schema.get("schema", []), list):
        raise bad_request("ParameterInvalid", 'schema must be JSON text of {"schema": [...]}')
    json_text(doc, "acl", dict)


def _check_record(doc: dict[str, Any]) -> None:
    _check_id(doc, "id")
    _check_strings(doc, "tag")
    json_text(doc, "value", object, required=True)


def _check_topostore(doc: dict[str, Any]) -> None:
    _check_strings(doc, "description", "extInfo")
    json_text(doc, "tag", dict)
    json_text(doc, "schema", object)
    json_text(doc, "acl", dict)


def _check_node(doc: dict[str, Any]) -> None:
    _check_id(doc, "nodeId")
    _check_strings(doc, "nodeType", "displayName", "description")
    json_text(doc, "property", dict)


def _check_relation(doc: dict[str, Any]) -> None:
    _check_id(doc, "relationId")
    _check_id(doc, "srcNodeId")
    _check_id(doc, "dstNodeId")
    _check_strings(doc, "relationType", "displayName", "description")
    json_text(doc, "property", dict)


def _json_pair(field: str, key_param: str, value_param: str) -> Any:
    """A list filter: the JSON-text ``field`` holds ``key_param`` (with the value ``value_param``)."""

    def select(doc: Mapping[str, Any], params: Mapping[str, Optional[str]]) -> bool:
        key, value = params.get(key_param), params.get(value_param)
        if not key and not value:
            return True
        try:
            decoded = json.loads(doc.get(field) or "{}")
        except ValueError:
            return False
        if not isinstance(decoded, dict):
            return False
        if key:
            return key in decoded and (not value or str(decoded[key]) == value)
        return value in {str(v) for v in decoded.values()}

    return select


RESOURCE = DocumentFamily(
    kind="resource",
    name_field="name",
    not_exist="ResourceNotExist",
    already_exist="ResourceAlreadyExist",
    list_key="items",
    list_documents=True,
    service_level=True,
    exact_filters={"type": "type"},
    any_of_filters={"names": "name"},
    required=("type",),
    validate=_check_resource,
)

RESOURCE_RECORD = DocumentFamily(
    kind="resource_record",
    name_field="id",
    not_exist="ResourceRecordNotExist",
    already_exist="ResourceRecordAlreadyExist",
    list_key="items",
    list_documents=True,
    exact_filters={"tag": "tag"},
    any_of_filters={"ids": "id"},
    required=("value",),
    validate=_check_record,
    name_pattern=False,
)

TOPOSTORE = DocumentFamily(
    kind="topostore",
    name_field="name",
    not_exist="TopostoreNotExist",
    already_exist="TopostoreAlreadyExist",
    list_key="items",
    list_documents=True,
    service_level=True,
    any_of_filters={"names": "name"},
    select=_json_pair("tag", "tagKey", "tagValue"),
    validate=_check_topostore,
)

TOPOSTORE_NODE = DocumentFamily(
    kind="topostore_node",
    name_field="nodeId",
    not_exist="TopostoreNodeNotExist",
    already_exist="TopostoreNodeAlreadyExist",
    list_key="items",
    list_documents=True,
    any_of_filters={"nodeIds": "nodeId", "nodeTypes": "nodeType"},
    select=_json_pair("property", "propertyKey", "propertyValue"),
    validate=_check_node,
    name_pattern=False,
)

TOPOSTORE_RELATION = DocumentFamily(
    kind="topostore_relation",
    name_field="relationId",
    not_exist="TopostoreRelationNotExist",
    already_exist="TopostoreRelationAlreadyExist",
    list_key="items",
    list_documents=True,
    any_of_filters={
        "relationIds": "relationId",
        "relationTypes": "relationType",
        "srcNodeIds": "srcNodeId",
        "dstNodeIds": "dstNodeId",
    },
    select=_json_pair("property", "propertyKey", "propertyValue"),
    validate=_check_relation,
    name_pattern=False,
)

#: this area's families, by meta-store kind (registered in :data:`.families.FAMILIES`)
TAGS_AREA_FAMILIES: dict[str, DocumentFamily] = {
    family.kind: family for family in (RESOURCE, RESOURCE_RECORD, TOPOSTORE, TOPOSTORE_NODE, TOPOSTORE_RELATION)
}
