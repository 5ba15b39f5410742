"""HTTP handlers of objects and resource policies (rules: :mod:`..service.objects`,
:mod:`..service.resource_policies`)."""

from __future__ import annotations

from typing import Callable

from .context import Context, Reply

__all__ = ["ROUTES"]

Handler = Callable[[Context], Reply]


def _put_object(ctx: Context) -> Reply:
    segments = ctx.segments
    etag = ctx.service.objects.put(ctx.project, segments["logstore"], segments["object"], ctx.body, ctx.headers)
    return Reply(headers={"ETag": etag})


def _get_object(ctx: Context) -> Reply:
    found = ctx.service.objects.get(ctx.project, ctx.segments["logstore"], ctx.segments["object"])
    headers = dict(found.headers)
    content_type = headers.pop("Content-Type")
    if not found.data:  # an answer without a body has no Content-Type of its own (see app.render)
        headers["Content-Type"] = content_type
    return Reply(200, found.data, headers, content_type)


def _put_policy(ctx: Context) -> Reply:
    ctx.service.resource_policies.put(ctx.project, ctx.json())
    return Reply.empty()


def _get_policy(ctx: Context) -> Reply:
    return Reply.json(ctx.service.resource_policies.get(ctx.project, ctx.params))


def _delete_policy(ctx: Context) -> Reply:
    ctx.service.resource_policies.delete(ctx.project, ctx.params)
    return Reply.empty()


ROUTES: dict[str, Handler] = {
    "PutObject": _put_object,
    "GetObject": _get_object,
    "PutResourcePolicy": _put_policy,
    "GetResourcePolicy": _get_policy,
    "DeleteResourcePolicy": _delete_policy,
}
