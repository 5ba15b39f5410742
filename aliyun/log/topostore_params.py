"""Topology stores (graphs of nodes and relations): :class:`Topostore`, :class:`TopostoreNode`,
:class:`TopostoreRelation`.

``to_dict()`` gives the request body; ``from_dict()`` reads an answer, where the service returns
``tag``, ``acl``, ``schema`` and ``property`` JSON-encoded inside strings.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from ._typed_record import TypedRecord, check_params, check_type_for_init, json_value, typed_accessors

__all__ = ["Topostore", "TopostoreNode", "TopostoreRelation", "check_params", "check_type_for_init"]


def _set_if(result: dict[str, Any], pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    result.update((key, value) for key, value in pairs if value)
    return result


@typed_accessors("name", "tag", "schema", "description", "acl", "ext_info")
class Topostore(TypedRecord):
    """A topology store: ``name`` (required), ``tag``/``schema``/``acl`` dicts, ``description``."""

    name: Optional[str]
    tag: Optional[dict[str, Any]]
    schema: Optional[dict[str, Any]]
    description: Optional[str]
    acl: Optional[dict[str, Any]]
    ext_info: Optional[str]
    type_dict: ClassVar[dict[str, Any]] = {
        "name": str,
        "tag": dict,
        "schema": dict,
        "description": str,
        "acl": dict,
        "ext_info": str,
    }

    def __init__(
        self,
        name: Optional[str] = None,
        tag: Optional[dict[str, Any]] = None,
        schema: Optional[dict[str, Any]] = None,
        description: Optional[str] = None,
        acl: Optional[dict[str, Any]] = None,
        ext_info: Optional[str] = None,
    ) -> None:
        self._init_fields(name=name, tag=tag, schema=schema, description=description, acl=acl, ext_info=ext_info)

    def check_for_update(self) -> None:
        """:raises ValueError: no name."""
        if not self.name:
            raise ValueError("topostore name must not be None!")

    def check_for_create(self) -> None:
        """:raises ValueError: no name."""
        self.check_for_update()

    def to_dict(self) -> dict[str, Any]:
        """The request body (``schema`` always; other keys only when set)."""
        return _set_if(
            {"schema": self.schema},
            (
                ("create_time", self.create_time),
                ("last_modify_time", self.last_modify_time),
                ("name", self.name),
                ("tag", self.tag),
                ("description", self.description),
                ("ext_info", self.ext_info),
                ("acl", self.acl),
            ),
        )

    @classmethod
    def from_dict(cls, dict_data: dict[str, Any]) -> Topostore:
        """A topostore from an answer."""
        store = cls(name=dict_data.get("name"), description=dict_data.get("description"))
        store.tag = json_value(dict_data.get("tag"))
        store.acl = json_value(dict_data.get("acl"))
        store.schema = json_value(dict_data.get("schema"))
        store.ext_info = dict_data.get("extInfo")
        store.create_time = dict_data.get("create_time", dict_data.get("createTime"))
        store.last_modify_time = dict_data.get("last_modify_time", dict_data.get("lastModifyTime"))
        return store


@typed_accessors("node_id", "node_type", "property", "description", "display_name")
class TopostoreNode(TypedRecord):
    """A node: ``node_id`` (required), ``node_type``, ``property`` dict, ``display_name``."""

    node_id: Optional[str]
    node_type: Optional[str]
    property: Optional[dict[str, Any]]
    description: Optional[str]
    display_name: Optional[str]
    type_dict: ClassVar[dict[str, Any]] = {
        "node_id": str,
        "node_type": str,
        "property": dict,
        "description": str,
        "display_name": str,
    }

    def __init__(
        self,
        node_id: Optional[str] = None,
        node_type: Optional[str] = None,
        property: Optional[dict[str, Any]] = None,
        description: Optional[str] = None,
        display_name: Optional[str] = None,
    ) -> None:
        self._init_fields(
            node_id=node_id, node_type=node_type, property=property, description=description, display_name=display_name
        )

    def check_for_update(self) -> None:
        """:raises ValueError: no node id."""
        if not self.node_id:
            raise ValueError("node id must not be None!")

    def check_for_create(self) -> None:
        """:raises ValueError: no node id."""
        self.check_for_update()

    def to_dict(self) -> dict[str, Any]:
        """The request body (camelCase keys; ``nodeId`` always)."""
        return _set_if(
            {"nodeId": self.node_id},
            (
                ("nodeType", self.node_type),
                ("createTime", self.create_time),
                ("lastModifyTime", self.last_modify_time),
                ("displayName", self.display_name),
                ("property", self.property),
                ("description", self.description),
            ),
        )

    @classmethod
    def from_dict(cls, dict_data: dict[str, Any]) -> TopostoreNode:
        """A node from an answer."""
        node = cls(
            node_id=dict_data.get("nodeId"),
            node_type=dict_data.get("nodeType"),
            description=dict_data.get("description"),
            display_name=dict_data.get("displayName"),
        )
        node.property = json_value(dict_data.get("property"))
        node.create_time = dict_data.get("createTime")
        node.last_modify_time = dict_data.get("lastModifyTime")
        return node


@typed_accessors(
    "relation_id", "relation_type", "src_node_id", "dst_node_id", "property", "description", "display_name"
)
class TopostoreRelation(TypedRecord):
    """A relation between ``src_node_id`` and ``dst_node_id``: ``relation_id`` (required),
    ``relation_type``, ``property`` dict, ``display_name``."""

    relation_id: Optional[str]
    relation_type: Optional[str]
    src_node_id: Optional[str]
    dst_node_id: Optional[str]
    property: Optional[dict[str, Any]]
    description: Optional[str]
    display_name: Optional[str]
    type_dict: ClassVar[dict[str, Any]] = {
        "relation_id": str,
        "relation_type": str,
        "src_node_id": str,
        "dst_node_id": str,
        "property": dict,
        "description": str,
        "display_name": str,
    }

    def __init__(
        self,
        relation_id: Optional[str] = None,
        relation_type: Optional[str] = None,
        src_node_id: Optional[str] = None,
        dst_node_id: Optional[str] = None,
        property: Optional[dict[str, Any]] = None,
        description: Optional[str] = None,
        display_name: Optional[str] = None,
    ) -> None:
        self._init_fields(
            relation_id=relation_id,
            relation_type=relation_type,
            src_node_id=src_node_id,
            dst_node_id=dst_node_id,
            property=property,
            description=description,
            display_name=display_name,
        )

    def check_for_update(self) -> None:
        """:raises ValueError: no relation id."""
        if not self.relation_id:
            raise ValueError("relation id must not be None!")

    def check_for_create(self) -> None:
        """:raises ValueError: no relation id."""
        self.check_for_update()

    def to_dict(self) -> dict[str, Any]:
        """The request body (camelCase keys; ``relationId`` always)."""
        return _set_if(
            {"relationId": self.relation_id},
            (
                ("relationType", self.relation_type),
                ("srcNodeId", self.src_node_id),
                ("dstNodeId", self.dst_node_id),
                ("createTime", self.create_time),
                ("lastModifyTime", self.last_modify_time),
                ("displayName", self.display_name),
                ("property", self.property),
                ("description", self.description),
            ),
        )

    @classmethod
    def from_dict(cls, dict_data: dict[str, Any]) -> TopostoreRelation:
        """A relation from an answer."""
        relation = cls(
            relation_id=dict_data.get("relationId"),
            relation_type=dict_data.get("relationType"),
            src_node_id=dict_data.get("srcNodeId"),
            dst_node_id=dict_data.get("dstNodeId"),
            description=dict_data.get("description"),
            display_name=dict_data.get("displayName"),
        )
        relation.property = json_value(dict_data.get("property"))
        relation.create_time = dict_data.get("createTime")
        relation.last_modify_time = dict_data.get("lastModifyTime")
        return relation
