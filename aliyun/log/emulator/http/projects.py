"""HTTP handlers of the project calls."""

from __future__ import annotations

from ..errors import bad_request
from . import shapes
from .context import Context, Reply


def create_project(ctx: Context) -> Reply:
    body = ctx.json()
    if not isinstance(body, dict):
        raise bad_request("ParameterInvalid", "CreateProject needs a JSON object")
    # Addressed to the project host, or to the service host with the name in the body only
    # (CreateProjectAtEndpoint: the Node and generated OpenAPI SDKs).
    name = body.get("projectName") or ctx.project or ""
    if not isinstance(name, str):
        raise bad_request("ParameterInvalid", "projectName must be a string")
    # Host names are case-insensitive (the Host header arrives lowercased), so a mixed-case name
    # in the body is the same project: let the name rules reject it with a useful message.
    if ctx.project and name.lower() != ctx.project:
        raise bad_request("ParameterInvalid", "projectName in the body differs from the Host header")
    ctx.service.projects.create(
        name, body.get("description", ""), body.get("resourceGroupId", ""), body.get("dataRedundancyType")
    )
    return Reply.empty()


def get_project(ctx: Context) -> Reply:
    return Reply.json(ctx.service.projects.get(ctx.project))


def update_project(ctx: Context) -> Reply:
    body = ctx.json()
    # ``null``, ``[]`` or ``{}`` say nothing about the description: an error, not an empty one.
    if not isinstance(body, dict) or "description" not in body:
        raise bad_request("ParameterInvalid", "UpdateProject needs a JSON object with a description")
    ctx.service.projects.update(ctx.project, body["description"])
    return Reply.empty()


def delete_project(ctx: Context) -> Reply:
    ctx.service.projects.delete(ctx.project)
    return Reply.empty()


def list_projects(ctx: Context) -> Reply:
    found = ctx.service.projects.list_page(
        ctx.page_request(), ctx.param("projectName") or "", ctx.param("description") or ""
    )
    return Reply.json(shapes.listing("projects", found))


ROUTES = {
    "CreateProject": create_project,
    "CreateProjectAtEndpoint": create_project,
    "GetProject": get_project,
    "UpdateProject": update_project,
    "DeleteProject": delete_project,
    "ListProject": list_projects,
}
