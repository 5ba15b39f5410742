"""HTTP handlers of the tag calls and of ChangeResourceGroup (rules: :mod:`..service.tags`);
:data:`ROUTES` also gathers the handlers of the rest of the area (:mod:`.owned_documents`,
:mod:`.objects`).

Each tag call has two spellings in the operation table, one per host (the service's or a
project's); both reach the same handler, which passes the host's project on so a request to a
project's host can only touch that project's resources.
"""

from __future__ import annotations

from typing import Callable

from . import objects, owned_documents
from .context import Context, Reply

__all__ = ["ROUTES"]

Handler = Callable[[Context], Reply]


def _tag(ctx: Context) -> Reply:
    ctx.service.tags.tag(ctx.json(), ctx.project)
    return Reply.empty()


def _untag(ctx: Context) -> Reply:
    ctx.service.tags.untag(ctx.json(), ctx.project)
    return Reply.empty()


def _list(ctx: Context) -> Reply:
    return Reply.json(ctx.service.tags.listing(ctx.params, ctx.project))


def _change_group(ctx: Context) -> Reply:
    ctx.service.tags.change_resource_group(ctx.json(), ctx.project)
    return Reply.empty()


ROUTES: dict[str, Handler] = {
    "TagResources": _tag,
    "TagResourcesAtProject": _tag,
    "UntagResources": _untag,
    "UntagResourcesAtProject": _untag,
    "ListTagResources": _list,
    "ListTagResourcesAtProject": _list,
    "ChangeResourceGroup": _change_group,
    **owned_documents.ROUTES,
    **objects.ROUTES,
}
