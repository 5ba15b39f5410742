"""HTTP handlers of the resource-document families, built from one binding per family.

A :class:`Binding` names a family's operations (from the operation table) and the path label
that carries a document's name; :func:`routes` turns it into the five handlers. Handlers only
read the request and render the answer; the rules are the family's :class:`DocumentService`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from ..service.documents import DocumentFamily, DocumentService
from ..service.families import DASHBOARD, SAVED_SEARCH
from . import shapes
from .context import Context, Reply

__all__ = ["BINDINGS", "Binding", "ROUTES", "routes"]

Handler = Callable[[Context], Reply]


@dataclass(frozen=True)
class Binding:
    """Which operations serve a family, and which path label names a document."""

    family: DocumentFamily
    label: str
    create: Optional[str] = None
    get: Optional[str] = None
    update: Optional[str] = None
    delete: Optional[str] = None
    list: Optional[str] = None


def _service(ctx: Context, family: DocumentFamily) -> DocumentService:
    return ctx.service.documents[family.kind]


def routes(binding: Binding) -> dict[str, Handler]:
    """Operation name → handler for every operation the binding names."""
    family, label = binding.family, binding.label

    def logstore(ctx: Context) -> Optional[str]:
        return ctx.segments.get("logstore") if family.logstore_level else None

    def create(ctx: Context) -> Reply:
        _service(ctx, family).create(ctx.project, ctx.json(family.invalid_code), logstore(ctx))
        return Reply.empty()

    def get(ctx: Context) -> Reply:
        return Reply.json(_service(ctx, family).get(ctx.project, ctx.segments[label], logstore(ctx)))

    def update(ctx: Context) -> Reply:
        _service(ctx, family).update(ctx.project, ctx.segments[label], ctx.json(family.invalid_code), logstore(ctx))
        return Reply.empty()

    def delete(ctx: Context) -> Reply:
        _service(ctx, family).delete(ctx.project, ctx.segments[label], logstore(ctx))
        return Reply.empty()

    def list_(ctx: Context) -> Reply:
        found = _service(ctx, family).list(ctx.project, ctx.params, ctx.page_request(), logstore(ctx))
        return Reply.json(shapes.document_listing(found))

    handlers = {"create": create, "get": get, "update": update, "delete": delete, "list": list_}
    return {name: handlers[verb] for verb, name in _verbs(binding) if name}


def _verbs(binding: Binding) -> list[tuple[str, Optional[str]]]:
    return [(verb, getattr(binding, verb)) for verb in ("create", "get", "update", "delete", "list")]


BINDINGS = (
    Binding(
        DASHBOARD,
        "dashboard",
        create="CreateDashboard",
        get="GetDashboard",
        update="UpdateDashboard",
        delete="DeleteDashboard",
        list="ListDashboard",
    ),
    Binding(
        SAVED_SEARCH,
        "savedsearch",
        create="CreateSavedSearch",
        get="GetSavedSearch",
        update="UpdateSavedSearch",
        delete="DeleteSavedSearch",
        list="ListSavedSearch",
    ),
)

ROUTES: dict[str, Handler] = {}
for _binding in BINDINGS:
    ROUTES.update(routes(_binding))
