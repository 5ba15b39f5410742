"""Answers of the topostore, node and relation calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._responses import HeaderFirstAck, ItemsPage
from .logresponse import LogResponse, json_or_empty
from .topostore_params import Topostore, TopostoreNode, TopostoreRelation

__all__ = [
    "CreateTopostoreNodeResponse",
    "CreateTopostoreRelationResponse",
    "CreateTopostoreResponse",
    "DeleteTopostoreNodeResponse",
    "DeleteTopostoreRelationResponse",
    "DeleteTopostoreResponse",
    "GetTopostoreNodeResponse",
    "GetTopostoreRelationResponse",
    "GetTopostoreResponse",
    "ListTopostoreNodesResponse",
    "ListTopostoreRelationsResponse",
    "ListTopostoresResponse",
    "UpdateTopostoreNodeResponse",
    "UpdateTopostoreRelationResponse",
    "UpdateTopostoreResponse",
    "UpsertTopostoreNodeResponse",
    "UpsertTopostoreRelationResponse",
]


class CreateTopostoreResponse(HeaderFirstAck):
    """Answer of ``create_topostore``."""


class UpdateTopostoreResponse(HeaderFirstAck):
    """Answer of ``update_topostore``."""


class DeleteTopostoreResponse(HeaderFirstAck):
    """Answer of ``delete_topostore``."""


class CreateTopostoreNodeResponse(HeaderFirstAck):
    """Answer of ``create_topostore_node``."""


class UpsertTopostoreNodeResponse(HeaderFirstAck):
    """Answer of ``upsert_topostore_node``."""


class UpdateTopostoreNodeResponse(HeaderFirstAck):
    """Answer of ``update_topostore_node``."""


class DeleteTopostoreNodeResponse(HeaderFirstAck):
    """Answer of ``delete_topostore_node``."""


class CreateTopostoreRelationResponse(HeaderFirstAck):
    """Answer of ``create_topostore_relation``."""


class UpsertTopostoreRelationResponse(HeaderFirstAck):
    """Answer of ``upsert_topostore_relation``."""


class UpdateTopostoreRelationResponse(HeaderFirstAck):
    """Answer of ``update_topostore_relation``."""


class DeleteTopostoreRelationResponse(HeaderFirstAck):
    """Answer of ``delete_topostore_relation``."""


class GetTopostoreResponse(LogResponse):
    """One topostore."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.topostore = Topostore.from_dict(body)

    def get_topostore(self) -> Topostore:
        """The topostore."""
        return self.topostore


class GetTopostoreNodeResponse(LogResponse):
    """One node."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.node = TopostoreNode.from_dict(body)

    def get_node(self) -> TopostoreNode:
        """The node."""
        return self.node


class GetTopostoreRelationResponse(LogResponse):
    """One relation."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        body = json_or_empty(resp)
        super().__init__(header, body)
        self.relation = TopostoreRelation.from_dict(body)

    def get_relation(self) -> TopostoreRelation:
        """The relation."""
        return self.relation


class ListTopostoresResponse(ItemsPage):
    """One page of topostores."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        super().__init__(resp, header)
        self.topostores = [Topostore.from_dict(item) for item in self._raw_items]

    def get_topostores(self) -> list[Topostore]:
        """The topostores of this page."""
        return self.topostores


class ListTopostoreNodesResponse(ItemsPage):
    """One page of nodes."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        super().__init__(resp, header)
        self.nodes = [TopostoreNode.from_dict(item) for item in self._raw_items]

    def get_nodes(self) -> list[TopostoreNode]:
        """The nodes of this page."""
        return self.nodes


class ListTopostoreRelationsResponse(ItemsPage):
    """One page of relations."""

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        super().__init__(resp, header)
        self.relations = [TopostoreRelation.from_dict(item) for item in self._raw_items]

    def get_relations(self) -> list[TopostoreRelation]:
        """The relations of this page."""
        return self.relations
