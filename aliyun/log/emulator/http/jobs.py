"""HTTP handlers of the ``/jobs`` store (and its ``/alerts`` spelling) and of job instances.

Handlers read the request and render the answer; the rules are
:class:`~aliyun.log.emulator.service.jobs.JobService` and its scheduled SQL runner. The calls
through ``/alerts`` (the generated OpenAPI SDKs) are the same calls restricted to alerts.
"""

from __future__ import annotations

from typing import Callable, Optional

from . import shapes
from .context import Context, Reply

__all__ = ["ROUTES"]

Handler = Callable[[Context], Reply]
_ALERT = "Alert"


def _store(job_type: Optional[str], label: str) -> dict[str, Handler]:
    """The CRUD and action handlers of one spelling (``/jobs/{job}`` or ``/alerts/{alert}``)."""

    def create(ctx: Context) -> Reply:
        ctx.service.jobs.create(ctx.project, ctx.json(), job_type)
        return Reply.empty()

    def get(ctx: Context) -> Reply:
        return Reply.json(ctx.service.jobs.get(ctx.project, ctx.segments[label], job_type))

    def update(ctx: Context) -> Reply:
        ctx.service.jobs.update(ctx.project, ctx.segments[label], ctx.json(), job_type)
        return Reply.empty()

    def delete(ctx: Context) -> Reply:
        ctx.service.jobs.delete(ctx.project, ctx.segments[label], job_type)
        return Reply.empty()

    def list_(ctx: Context) -> Reply:
        found = ctx.service.jobs.list(ctx.project, ctx.params, ctx.page_request(), job_type)
        return Reply.json(shapes.document_listing(found))

    def action(name: str) -> Handler:
        def act(ctx: Context) -> Reply:
            body = ctx.json() if ctx.body.strip() else None
            ctx.service.jobs.act(ctx.project, ctx.segments[label], name, body, job_type)
            return Reply.empty()

        return act

    return {
        "create": create,
        "get": get,
        "update": update,
        "delete": delete,
        "list": list_,
        **{verb: action(verb) for verb in ("enable", "disable", "START", "STOP", "RESTART")},
    }


def list_instances(ctx: Context) -> Reply:
    """ListJobInstances."""
    found = ctx.service.jobs.sql.list_instances(ctx.project, ctx.segments["job"], ctx.params, ctx.page_request())
    return Reply.json(shapes.listing("results", found))


def get_instance(ctx: Context) -> Reply:
    """GetJobInstance (``result=true``: with its result)."""
    detail = ctx.flag("result")
    answer = ctx.service.jobs.sql.get_instance(ctx.project, ctx.segments["job"], ctx.segments["instance"], detail)
    return Reply.json(answer)


def modify_instance_state(ctx: Context) -> Reply:
    """ModifyJobInstanceState: ``state=RUNNING`` reruns the instance."""
    ctx.service.jobs.sql.rerun(ctx.project, ctx.segments["job"], ctx.segments["instance"], ctx.param("state"))
    return Reply.empty()


_JOBS = _store(None, "job")
_ALERTS = _store(_ALERT, "alert")

ROUTES: dict[str, Handler] = {
    "CreateJob": _JOBS["create"],
    "GetJob": _JOBS["get"],
    "UpdateJob": _JOBS["update"],
    "DeleteJob": _JOBS["delete"],
    "ListJobs": _JOBS["list"],
    "EnableJob": _JOBS["enable"],
    "DisableJob": _JOBS["disable"],
    "StartJob": _JOBS["START"],
    "StopJob": _JOBS["STOP"],
    "RestartJob": _JOBS["RESTART"],
    "ListJobInstances": list_instances,
    "GetJobInstance": get_instance,
    "ModifyJobInstanceState": modify_instance_state,
    "CreateAlert": _ALERTS["create"],
    "GetAlert": _ALERTS["get"],
    "UpdateAlert": _ALERTS["update"],
    "DeleteAlert": _ALERTS["delete"],
    "ListAlerts": _ALERTS["list"],
    "EnableAlert": _ALERTS["enable"],
    "DisableAlert": _ALERTS["disable"],
}
