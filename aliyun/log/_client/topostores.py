"""Topostores (``LogClient`` calls): topology graphs kept by the service itself, no project.

A topostore (``Topostore``) holds nodes (``TopostoreNode``: an id, a type, a property dict) and
relations between them (``TopostoreRelation``: an id, a type, source and destination node ids).
The property, tag, schema and ACL dicts travel as JSON text inside the JSON body, as the
official client sends them (docs/tags.md "Topostores").
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from .. import _ops as ops
from .._ops import Operation
from ..errors import BadParameters
from ..topostore_params import Topostore, TopostoreNode, TopostoreRelation
from ..topostore_response import (
    CreateTopostoreNodeResponse,
    CreateTopostoreRelationResponse,
    CreateTopostoreResponse,
    DeleteTopostoreNodeResponse,
    DeleteTopostoreRelationResponse,
    DeleteTopostoreResponse,
    GetTopostoreNodeResponse,
    GetTopostoreRelationResponse,
    GetTopostoreResponse,
    ListTopostoreNodesResponse,
    ListTopostoreRelationsResponse,
    ListTopostoresResponse,
    UpdateTopostoreNodeResponse,
    UpdateTopostoreRelationResponse,
    UpdateTopostoreResponse,
    UpsertTopostoreNodeResponse,
    UpsertTopostoreRelationResponse,
)
from .core import ClientCore
from .resources import id_list, require

__all__ = ["TopostoresMixin"]

#: nodes or relations one upsert may carry
MAX_UPSERT = 100

Element = Union[TopostoreNode, TopostoreRelation]


def _store_body(store: Topostore) -> dict[str, Any]:
    store.check_for_create()
    body: dict[str, Any] = {"name": store.name}
    if store.description:
        body["description"] = store.description
    for key, value in (("schema", store.schema), ("tag", store.tag), ("acl", store.acl)):
        if value:
            body[key] = json.dumps(value)
    if store.ext_info:
        body["extInfo"] = store.ext_info
    return body


def _element_body(element: Element) -> dict[str, Any]:
    element.check_for_create()
    body = element.to_dict()
    if element.property:
        body["property"] = json.dumps(element.property)
    return body


def _page_params(offset: int, size: int, **filters: Any) -> dict[str, Any]:
    """The query of a list call: ``...Ids``/``...Types`` filters are lists, the others strings."""
    params: dict[str, Any] = {"offset": require(offset, int, "offset"), "size": require(size, int, "size")}
    for name, value in filters.items():
        if value is None:
            continue
        params[name] = id_list(value, name) if name.endswith(("Ids", "Types", "names")) else require(value, str, name)
    return params


class TopostoresMixin(ClientCore):
    """Topostores, their nodes and their relations."""

    # -- topostores -----------------------------------------------------------------------------

    def create_topostore(self, topostore: Topostore) -> CreateTopostoreResponse:
        """Create a topostore.

        :type topostore: Topostore
        :param topostore: needs a ``name`` (``ValueError`` otherwise).
        :raises LogException: ``TopostoreAlreadyExist`` when the name is taken.
        """
        body = _store_body(require(topostore, Topostore, "topostore"))
        data, headers = self._call_json(ops.CREATE_TOPOSTORE, None, body=body)
        return CreateTopostoreResponse(headers, data)

    def update_topostore(self, topostore: Topostore) -> UpdateTopostoreResponse:
        """Change the description, schema, tag, ACL or ext info of a topostore (the fields set).

        :type topostore: Topostore
        :raises LogException: ``TopostoreNotExist``.
        """
        body = _store_body(require(topostore, Topostore, "topostore"))
        data, headers = self._call_json(ops.UPDATE_TOPOSTORE, None, body=body, topostore=topostore.name)
        return UpdateTopostoreResponse(headers, data)

    def delete_topostore(self, topostore_name: str) -> DeleteTopostoreResponse:
        """Delete a topostore with its nodes and relations.

        :type topostore_name: string
        """
        name = require(topostore_name, str, "topostore_name")
        data, headers = self._call_json(ops.DELETE_TOPOSTORE, None, topostore=name)
        return DeleteTopostoreResponse(headers, data)

    def get_topostore(self, topostore_name: str) -> GetTopostoreResponse:
        """A topostore (``get_topostore()``: a ``Topostore``).

        :type topostore_name: string
        """
        name = require(topostore_name, str, "topostore_name")
        data, headers = self._call_json(ops.GET_TOPOSTORE, None, topostore=name)
        return GetTopostoreResponse(headers, data)

    def list_topostores(
        self,
        names: Optional[list[str]] = None,
        tag_key: Optional[str] = None,
        tag_value: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListTopostoresResponse:
        """One page of topostores (``get_topostores()``), among ``names`` and/or with a tag.

        :type names: list
        :type tag_key: string
        :type tag_value: string
        :type offset: int
        :type size: int
        """
        params = _page_params(offset, size, names=names or None, tagKey=tag_key or None, tagValue=tag_value or None)
        data, headers = self._call_json(ops.LIST_TOPOSTORES, None, params=params)
        return ListTopostoresResponse(data, headers)

    # -- nodes and relations: the calls, once --------------------------------------------------

    def _element_upsert(self, op: Operation, store: str, items: Any, kind: type, key: str) -> tuple[Any, Any]:
        require(items, list, key)
        if len(items) > MAX_UPSERT:
            raise BadParameters("BadParameters", f"at most {MAX_UPSERT} {key} per upsert, got {len(items)}")
        bodies = [_element_body(require(item, kind, f"each of {key}")) for item in items]
        return self._call_json(op, None, body={key: bodies}, topostore=require(store, str, "topostore_name"))

    # -- nodes --------------------------------------------------------------------------------

    def create_topostore_node(self, topostore_name: str, node: TopostoreNode) -> CreateTopostoreNodeResponse:
        """Add a node.

        :type topostore_name: string
        :type node: TopostoreNode
        :param node: needs a ``node_id``.
        :raises LogException: ``TopostoreNotExist``, ``TopostoreNodeAlreadyExist``.
        """
        body = _element_body(require(node, TopostoreNode, "node"))
        store = require(topostore_name, str, "topostore_name")
        data, headers = self._call_json(ops.CREATE_TOPOSTORE_NODE, None, body=body, topostore=store)
        return CreateTopostoreNodeResponse(headers, data)

    def upsert_topostore_node(self, topostore_name: str, nodes: list[TopostoreNode]) -> UpsertTopostoreNodeResponse:
        """Create or replace each node (by id), at most 100.

        :type topostore_name: string
        :type nodes: list of TopostoreNode
        """
        data, headers = self._element_upsert(ops.UPSERT_TOPOSTORE_NODES, topostore_name, nodes, TopostoreNode, "nodes")
        return UpsertTopostoreNodeResponse(headers, data)

    def update_topostore_node(self, topostore_name: str, node: TopostoreNode) -> UpdateTopostoreNodeResponse:
        """Change the fields set of a node (named by its ``node_id``).

        :type topostore_name: string
        :type node: TopostoreNode
        :raises LogException: ``TopostoreNodeNotExist``.
        """
        body = _element_body(require(node, TopostoreNode, "node"))
        data, headers = self._call_json(
            ops.UPDATE_TOPOSTORE_NODE,
            None,
            body=body,
            topostore=require(topostore_name, str, "topostore_name"),
            node=node.node_id,
        )
        return UpdateTopostoreNodeResponse(headers, data)

    def delete_topostore_node(self, topostore_name: str, node_ids: list[str]) -> DeleteTopostoreNodeResponse:
        """Delete the nodes with these ids (ids without a node are skipped).

        :type topostore_name: string
        :type node_ids: list
        """
        data, headers = self._call_json(
            ops.DELETE_TOPOSTORE_NODES,
            None,
            params={"nodeIds": id_list(node_ids, "node_ids")},
            topostore=require(topostore_name, str, "topostore_name"),
        )
        return DeleteTopostoreNodeResponse(headers, data)

    def get_topostore_node(self, topostore_name: str, node_id: str) -> GetTopostoreNodeResponse:
        """A node (``get_node()``: a ``TopostoreNode``).

        :type topostore_name: string
        :type node_id: string
        """
        data, headers = self._call_json(
            ops.GET_TOPOSTORE_NODE,
            None,
            topostore=require(topostore_name, str, "topostore_name"),
            node=require(node_id, str, "node_id"),
        )
        return GetTopostoreNodeResponse(headers, data)

    def list_topostore_node(
        self,
        topostore_name: str,
        node_ids: Optional[list[str]] = None,
        node_types: Optional[list[str]] = None,
        property_key: Optional[str] = None,
        property_value: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListTopostoreNodesResponse:
        """One page of nodes (``get_nodes()``) among ids and types, with a property key (and value).

        :type topostore_name: string
        :type node_ids: list of string
        :type node_types: list of string
        :type property_key: string
        :type property_value: string
        :type offset: long int
        :type size: long int
        """
        params = _page_params(
            offset, size, nodeIds=node_ids, nodeTypes=node_types, propertyKey=property_key, propertyValue=property_value
        )
        data, headers = self._call_json(
            ops.LIST_TOPOSTORE_NODES, None, params=params, topostore=require(topostore_name, str, "topostore_name")
        )
        return ListTopostoreNodesResponse(data, headers)

    # -- relations ------------------------------------------------------------------------------

    def create_topostore_relation(
        self, topostore_name: str, relation: TopostoreRelation
    ) -> CreateTopostoreRelationResponse:
        """Add a relation from ``src_node_id`` to ``dst_node_id``.

        :type topostore_name: string
        :type relation: TopostoreRelation
        :param relation: needs a ``relation_id`` and both node ids.
        :raises LogException: ``TopostoreNotExist``, ``TopostoreRelationAlreadyExist``.
        """
        body = _element_body(require(relation, TopostoreRelation, "relation"))
        store = require(topostore_name, str, "topostore_name")
        data, headers = self._call_json(ops.CREATE_TOPOSTORE_RELATION, None, body=body, topostore=store)
        return CreateTopostoreRelationResponse(headers, data)

    def upsert_topostore_relation(
        self, topostore_name: str, relations: list[TopostoreRelation]
    ) -> UpsertTopostoreRelationResponse:
        """Create or replace each relation (by id), at most 100.

        :type topostore_name: string
        :type relations: list of TopostoreRelation
        """
        data, headers = self._element_upsert(
            ops.UPSERT_TOPOSTORE_RELATIONS, topostore_name, relations, TopostoreRelation, "relations"
        )
        return UpsertTopostoreRelationResponse(headers, data)

    def update_topostore_relation(
        self, topostore_name: str, relation: TopostoreRelation
    ) -> UpdateTopostoreRelationResponse:
        """Change the fields set of a relation (named by its ``relation_id``).

        :type topostore_name: string
        :type relation: TopostoreRelation
        :raises LogException: ``TopostoreRelationNotExist``.
        """
        body = _element_body(require(relation, TopostoreRelation, "relation"))
        data, headers = self._call_json(
            ops.UPDATE_TOPOSTORE_RELATION,
            None,
            body=body,
            topostore=require(topostore_name, str, "topostore_name"),
            relation=relation.relation_id,
        )
        return UpdateTopostoreRelationResponse(headers, data)

    def delete_topostore_relation(
        self, topostore_name: str, relation_ids: list[str]
    ) -> DeleteTopostoreRelationResponse:
        """Delete the relations with these ids (ids without a relation are skipped).

        :type topostore_name: string
        :type relation_ids: list of string
        """
        data, headers = self._call_json(
            ops.DELETE_TOPOSTORE_RELATIONS,
            None,
            params={"relationIds": id_list(relation_ids, "relation_ids")},
            topostore=require(topostore_name, str, "topostore_name"),
        )
        return DeleteTopostoreRelationResponse(headers, data)

    def get_topostore_relation(self, topostore_name: str, relation_id: str) -> GetTopostoreRelationResponse:
        """A relation (``get_relation()``: a ``TopostoreRelation``).

        :type topostore_name: string
        :type relation_id: string
        """
        data, headers = self._call_json(
            ops.GET_TOPOSTORE_RELATION,
            None,
            topostore=require(topostore_name, str, "topostore_name"),
            relation=require(relation_id, str, "relation_id"),
        )
        return GetTopostoreRelationResponse(headers, data)

    def list_topostore_relation(
        self,
        topostore_name: str,
        relation_ids: Optional[list[str]] = None,
        relation_types: Optional[list[str]] = None,
        src_node_ids: Optional[list[str]] = None,
        dst_node_ids: Optional[list[str]] = None,
        property_key: Optional[str] = None,
        property_value: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
    ) -> ListTopostoreRelationsResponse:
        """One page of relations (``get_relations()``) among ids, types, source and destination
        nodes, with a property key (and value).

        :type topostore_name: string
        :type relation_ids: list of string
        :type relation_types: list of string
        :type src_node_ids: list of string
        :type dst_node_ids: list of string
        :type property_key: string
        :type property_value: string
        :type offset: long int
        :type size: long int
        """
        params = _page_params(
            offset,
            size,
            relationIds=relation_ids,
            relationTypes=relation_types,
            srcNodeIds=src_node_ids,
            dstNodeIds=dst_node_ids,
            propertyKey=property_key,
            propertyValue=property_value,
        )
        data, headers = self._call_json(
            ops.LIST_TOPOSTORE_RELATIONS, None, params=params, topostore=require(topostore_name, str, "topostore_name")
        )
        return ListTopostoreRelationsResponse(data, headers)
