"""HTTP handlers of resources and records, topostores and their nodes and relations.

Built from two bindings: :class:`OwnerBinding` (the owner's five calls) and
:class:`OwnedBinding` (the calls of one family it owns: create, get, update, upsert, delete by
ids, list). Handlers only read the request and render the answer; the rules are the
:class:`~..service.owned_documents.OwnerService` the binding names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..service.owned_documents import OwnerService
from . import shapes
from .context import Context, Reply

__all__ = ["OwnedBinding", "OwnerBinding", "ROUTES", "owned_routes", "owner_routes"]

Handler = Callable[[Context], Reply]


@dataclass(frozen=True)
class OwnerBinding:
    """The owner's operations, the attribute of the emulator service serving them, its label."""

    service: str
    label: str
    create: str
    get: str
    update: str
    delete: str
    list: str


@dataclass(frozen=True)
class OwnedBinding:
    """An owned family's operations: its meta-store kind, the labels, the upsert body's array
    key and the query parameter listing the ids to delete."""

    service: str
    kind: str
    owner_label: str
    label: str
    upsert_key: str
    ids_param: str
    create: str
    get: str
    update: str
    upsert: str
    delete: str
    list: str


def _owner(ctx: Context, name: str) -> OwnerService:
    service: OwnerService = getattr(ctx.service, name)
    return service


def owner_routes(b: OwnerBinding) -> dict[str, Handler]:
    """Operation name → handler of an owner's calls."""

    def create(ctx: Context) -> Reply:
        _owner(ctx, b.service).create(ctx.json())
        return Reply.empty()

    def get(ctx: Context) -> Reply:
        return Reply.json(_owner(ctx, b.service).get(ctx.segments[b.label]))

    def update(ctx: Context) -> Reply:
        _owner(ctx, b.service).patch(ctx.segments[b.label], ctx.json())
        return Reply.empty()

    def delete(ctx: Context) -> Reply:
        _owner(ctx, b.service).delete(ctx.segments[b.label])
        return Reply.empty()

    def list_(ctx: Context) -> Reply:
        return Reply.json(shapes.document_listing(_owner(ctx, b.service).listing(ctx.params, ctx.page_request())))

    return {b.create: create, b.get: get, b.update: update, b.delete: delete, b.list: list_}


def owned_routes(b: OwnedBinding) -> dict[str, Handler]:
    """Operation name → handler of an owned family's calls."""

    def create(ctx: Context) -> Reply:
        doc = _owner(ctx, b.service).create_owned(b.kind, ctx.segments[b.owner_label], ctx.json())
        family = _owner(ctx, b.service).owned[b.kind][1].family
        return Reply.json({"id": doc[family.name_field]})

    def get(ctx: Context) -> Reply:
        return Reply.json(_owner(ctx, b.service).get_owned(b.kind, ctx.segments[b.owner_label], ctx.segments[b.label]))

    def update(ctx: Context) -> Reply:
        owner = ctx.segments[b.owner_label]
        _owner(ctx, b.service).update_owned(b.kind, owner, ctx.segments[b.label], ctx.json())
        return Reply.empty()

    def upsert(ctx: Context) -> Reply:
        body = ctx.json()
        items = body.get(b.upsert_key) if isinstance(body, dict) else None
        _owner(ctx, b.service).upsert_owned(b.kind, ctx.segments[b.owner_label], items)
        return Reply.empty()

    def delete(ctx: Context) -> Reply:
        _owner(ctx, b.service).delete_owned(b.kind, ctx.segments[b.owner_label], ctx.param(b.ids_param))
        return Reply.empty()

    def list_(ctx: Context) -> Reply:
        found = _owner(ctx, b.service).list_owned(b.kind, ctx.segments[b.owner_label], ctx.params, ctx.page_request())
        return Reply.json(shapes.document_listing(found))

    return {
        b.create: create,
        b.get: get,
        b.update: update,
        b.upsert: upsert,
        b.delete: delete,
        b.list: list_,
    }


ROUTES: dict[str, Handler] = {
    **owner_routes(
        OwnerBinding(
            "resource_docs",
            "resource",
            create="CreateResource",
            get="GetResource",
            update="UpdateResource",
            delete="DeleteResource",
            list="ListResources",
        )
    ),
    **owned_routes(
        OwnedBinding(
            "resource_docs",
            "resource_record",
            "resource",
            "record",
            upsert_key="records",
            ids_param="ids",
            create="CreateResourceRecord",
            get="GetResourceRecord",
            update="UpdateResourceRecord",
            upsert="UpsertResourceRecords",
            delete="DeleteResourceRecords",
            list="ListResourceRecords",
        )
    ),
    **owner_routes(
        OwnerBinding(
            "topostores",
            "topostore",
            create="CreateTopostore",
            get="GetTopostore",
            update="UpdateTopostore",
            delete="DeleteTopostore",
            list="ListTopostores",
        )
    ),
    **owned_routes(
        OwnedBinding(
            "topostores",
            "topostore_node",
            "topostore",
            "node",
            upsert_key="nodes",
            ids_param="nodeIds",
            create="CreateTopostoreNode",
            get="GetTopostoreNode",
            update="UpdateTopostoreNode",
            upsert="UpsertTopostoreNodes",
            delete="DeleteTopostoreNodes",
            list="ListTopostoreNodes",
        )
    ),
    **owned_routes(
        OwnedBinding(
            "topostores",
            "topostore_relation",
            "topostore",
            "relation",
            upsert_key="relations",
            ids_param="relationIds",
            create="CreateTopostoreRelation",
            get="GetTopostoreRelation",
            update="UpdateTopostoreRelation",
            upsert="UpsertTopostoreRelations",
            delete="DeleteTopostoreRelations",
            list="ListTopostoreRelations",
        )
    ),
}
