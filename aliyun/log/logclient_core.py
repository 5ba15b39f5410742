"""Method factories for entity families: ``make_lcrud_methods(cls, "dashboard", name_field=...)``.

The official SDK once built its dashboard, saved-search, alert and job methods with these
factories, and code written against it still calls them to add methods to a ``LogClient``
subclass. Each factory returns a function with the official shape (``create_<entity>(self,
project, detail)``, ``list_<entity>(self, project, offset=0, size=100)`` ..., with a ``logstore``
argument after ``project`` for logstore-level families).

The methods send through the client's normal send path. Their paths are the ones the factories
always built (``/<plural of entity>`` or ``root_resource``, under ``/logstores/<logstore>`` at
logstore level), and every such path must be a call of the operation table
(:mod:`aliyun.log._ops`): a family SLS does not have raises ``BadParameters`` before anything is
sent, instead of a request nobody can answer. ``LogClient`` itself has explicit methods for every
family; these factories are for code that builds its own.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional

from ._client._listing import body_of, list_pages
from ._client.core import ClientCore, parse_json
from ._ops import Operation, check_label, match
from .common_response import (
    CreateEntityResponse,
    DeleteEntityResponse,
    GetEntityResponse,
    ListEntityResponse,
    UpdateEntityResponse,
)
from .errors import BadParameters
from .pluralize import pluralize

__all__ = [
    "DEFAULT_MAX_LIST_PAGING_SIZE",
    "create_entity",
    "delete_entity",
    "get_entity",
    "list_entity",
    "make_lcrud_methods",
    "update_entity",
]

#: the largest page a generated ``list_*`` method asks for
DEFAULT_MAX_LIST_PAGING_SIZE = 500

Method = Callable[..., Any]


def _collection(entity_name: str, root_resource: Optional[str]) -> str:
    return (root_resource and root_resource.rstrip("/")) or "/" + pluralize(entity_name)


def _route(method: str, path: str, params: dict[str, Any]) -> Operation:
    """The operation a factory-built request is, or ``BadParameters`` for a path SLS does not serve."""
    found = match(method, path, {key: str(value) for key, value in params.items()}, True)
    if found is None:
        raise BadParameters("BadParameters", f"{method} {path} is not an SLS call: no such entity family")
    return found[0]


def _send_json(
    client: ClientCore, method: str, project: str, path: str, params: dict[str, Any], body: Optional[Any] = None
) -> tuple[Any, dict[str, str]]:
    op = _route(method, path, params)
    payload = b"" if body is None else json.dumps(op.body(body)).encode("utf-8")
    response = client._send(op, project, path, params=params, body=payload, content_type="application/json")
    return parse_json(response), dict(response.headers)


def _prefix(logstore: Optional[str]) -> str:
    return "" if logstore is None else "/logstores/" + check_label("logstore", logstore)


def create_entity(
    entity_name: str, logstore_level: Optional[bool] = None, root_resource: Optional[str] = None
) -> Method:
    """``create_<entity>(self, project, [logstore,] detail)`` → :class:`CreateEntityResponse`."""
    collection = _collection(entity_name, root_resource)

    def create(client: ClientCore, project: str, logstore: Optional[str], detail: Any) -> CreateEntityResponse:
        data, headers = _send_json(
            client, "POST", project, _prefix(logstore) + collection, {}, body_of(detail, "detail")
        )
        return CreateEntityResponse(headers, data)

    return _shaped(f"create_{entity_name}", f"Create a {entity_name}.", logstore_level, create, "detail")


def get_entity(entity_name: str, logstore_level: Optional[bool] = None, root_resource: Optional[str] = None) -> Method:
    """``get_<entity>(self, project, [logstore,] entity)`` → :class:`GetEntityResponse`."""
    collection = _collection(entity_name, root_resource)

    def get(client: ClientCore, project: str, logstore: Optional[str], entity: str) -> GetEntityResponse:
        path = _prefix(logstore) + collection + "/" + check_label(entity_name, entity)
        data, headers = _send_json(client, "GET", project, path, {})
        return GetEntityResponse(headers, data)

    return _shaped(f"get_{entity_name}", f"Get a {entity_name} by name.", logstore_level, get, "entity")


def delete_entity(
    entity_name: str, logstore_level: Optional[bool] = None, root_resource: Optional[str] = None
) -> Method:
    """``delete_<entity>(self, project, [logstore,] entity)`` → :class:`DeleteEntityResponse`."""
    collection = _collection(entity_name, root_resource)

    def delete(client: ClientCore, project: str, logstore: Optional[str], entity: str) -> DeleteEntityResponse:
        path = _prefix(logstore) + collection + "/" + check_label(entity_name, entity)
        data, headers = _send_json(client, "DELETE", project, path, {})
        return DeleteEntityResponse(headers, data)

    return _shaped(f"delete_{entity_name}", f"Delete a {entity_name} by name.", logstore_level, delete, "entity")


def update_entity(
    entity_name: str,
    logstore_level: Optional[bool] = None,
    name_field: Optional[str] = None,
    root_resource: Optional[str] = None,
) -> Method:
    """``update_<entity>(self, project, [logstore,] detail)``, named by ``detail[name_field]``
    (``<entity>Name`` by default) → :class:`UpdateEntityResponse`."""
    collection = _collection(entity_name, root_resource)
    field = name_field or entity_name + "Name"

    def update(client: ClientCore, project: str, logstore: Optional[str], detail: Any) -> UpdateEntityResponse:
        body = body_of(detail, "detail")
        name = body.get(field)
        if not isinstance(name, str) or not name:
            raise BadParameters("BadParameters", f"detail has no {field}: nothing names what to update")
        path = _prefix(logstore) + collection + "/" + check_label(entity_name, name)
        data, headers = _send_json(client, "PUT", project, path, {}, body)
        return UpdateEntityResponse(headers, data)

    return _shaped(
        f"update_{entity_name}", f"Replace a {entity_name}, named by {field}.", logstore_level, update, "detail"
    )


def list_entity(
    entity_name: str,
    logstore_level: Optional[bool] = None,
    root_resource: Optional[str] = None,
    max_batch_size: int = DEFAULT_MAX_LIST_PAGING_SIZE,
    entities_key: Optional[str] = None,
    raw_resource_name: Optional[str] = None,
    job_type: Optional[str] = None,
) -> Method:
    """``list_<entity>(self, project, [logstore,] offset=0, size=100)`` → :class:`ListEntityResponse`
    (``size=-1``: every page, ``max_batch_size`` at a time; ``job_type`` filters ``/jobs``)."""
    collection = _collection(entity_name, root_resource)
    resource_name = raw_resource_name or pluralize(entity_name)

    def list_(client: ClientCore, project: str, logstore: Optional[str], offset: int, size: int) -> ListEntityResponse:
        path = _prefix(logstore) + collection

        def fetch(page_offset: int, page_size: int) -> ListEntityResponse:
            params: dict[str, Any] = {"offset": page_offset, "size": min(page_size, max_batch_size)}
            if job_type:
                params["jobType"] = job_type
            data, headers = _send_json(client, "GET", project, path, params)
            return ListEntityResponse(headers, data, resource_name=resource_name, entities_key=entities_key)

        return list_pages(client, fetch, int(offset), int(size))

    name = f"list_{entity_name}"
    doc = f"List {resource_name}, ``size`` from ``offset`` (``-1``: all)."
    if logstore_level:

        def at_logstore(self: ClientCore, project: str, logstore: str, offset: int = 0, size: int = 100) -> Any:
            return list_(self, project, logstore, offset, size)

        return _named(at_logstore, name, doc)

    def at_project(self: ClientCore, project: str, offset: int = 0, size: int = 100) -> Any:
        return list_(self, project, None, offset, size)

    return _named(at_project, name, doc)


def make_lcrud_methods(
    obj: Any,
    entity_name: str,
    logstore_level: Optional[bool] = None,
    name_field: Optional[str] = None,
    root_resource: Optional[str] = None,
    entities_key: Optional[str] = None,
    raw_resource_name: Optional[str] = None,
    job_type: Optional[str] = None,
) -> None:
    """Set ``list_``, ``create_``, ``get_``, ``delete_`` and ``update_<entity>`` on ``obj`` (a class)."""
    methods = (
        list_entity(entity_name, logstore_level, root_resource, DEFAULT_MAX_LIST_PAGING_SIZE, entities_key,
                    raw_resource_name, job_type),
        create_entity(entity_name, logstore_level, root_resource),
        get_entity(entity_name, logstore_level, root_resource),
        delete_entity(entity_name, logstore_level, root_resource),
        update_entity(entity_name, logstore_level, name_field, root_resource),
    )  # fmt: skip
    for method in methods:
        setattr(obj, method.__name__, method)


def _shaped(name: str, doc: str, logstore_level: Optional[bool], call: Callable[..., Any], last: str) -> Method:
    """The public method: ``(self, project, <last>)`` or ``(self, project, logstore, <last>)``,
    ``<last>`` being ``detail`` or ``entity`` as in the official methods (callers pass it by name)."""
    method: Method
    if logstore_level and last == "detail":

        def logstore_detail(self: ClientCore, project: str, logstore: str, detail: Any) -> Any:
            return call(self, project, logstore, detail)

        method = logstore_detail
    elif logstore_level:

        def logstore_entity(self: ClientCore, project: str, logstore: str, entity: str) -> Any:
            return call(self, project, logstore, entity)

        method = logstore_entity
    elif last == "detail":

        def project_detail(self: ClientCore, project: str, detail: Any) -> Any:
            return call(self, project, None, detail)

        method = project_detail
    else:

        def project_entity(self: ClientCore, project: str, entity: str) -> Any:
            return call(self, project, None, entity)

        method = project_entity
    return _named(method, name, doc)


def _named(method: Method, name: str, doc: str) -> Method:
    method.__name__ = name
    method.__qualname__ = name
    method.__doc__ = doc
    return method
