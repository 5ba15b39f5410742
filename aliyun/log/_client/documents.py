"""Calls of the resource-document families (dashboards, saved searches ...) of ``LogClient``.

Each family is a collection of named JSON documents with the same five calls. A
:class:`DocumentCalls` entry names a family's operations (from the operation table) and its
name field; the ``_document_*`` methods are the one implementation of the five calls, and each
public method keeps the official name, parameters and answer class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import _ops as ops
from .._ops import Operation
from ..common_response import (
    CreateEntityResponse,
    DeleteEntityResponse,
    GetEntityResponse,
    ListEntityResponse,
    UpdateEntityResponse,
)
from ..errors import BadParameters
from ._listing import body_of, list_pages
from .core import ClientCore

__all__ = ["DASHBOARDS", "DocumentCalls", "DocumentsMixin", "SAVED_SEARCHES"]


@dataclass(frozen=True)
class DocumentCalls:
    """How one family's five calls look on the wire.

    :param label: the path label naming a document (``{dashboard}``).
    :param name_field: the document field holding its name (``dashboardName``).
    :param list_key: the list answer's array of names (``get_<list_key>()`` on the answer).
    """

    create: Operation
    get: Operation
    update: Operation
    delete: Operation
    list: Operation
    label: str
    name_field: str
    list_key: str


DASHBOARDS = DocumentCalls(
    ops.CREATE_DASHBOARD,
    ops.GET_DASHBOARD,
    ops.UPDATE_DASHBOARD,
    ops.DELETE_DASHBOARD,
    ops.LIST_DASHBOARD,
    label="dashboard",
    name_field="dashboardName",
    list_key="dashboards",
)
SAVED_SEARCHES = DocumentCalls(
    ops.CREATE_SAVED_SEARCH,
    ops.GET_SAVED_SEARCH,
    ops.UPDATE_SAVED_SEARCH,
    ops.DELETE_SAVED_SEARCH,
    ops.LIST_SAVED_SEARCH,
    label="savedsearch",
    name_field="savedsearchName",
    list_key="savedsearches",
)


def _label(calls: DocumentCalls, name: str) -> dict[str, Any]:
    """The path label naming a document, as keyword arguments of ``_call_json``."""
    return {calls.label: name}


class DocumentsMixin(ClientCore):
    """Dashboards and saved searches: create, get, update, delete, list."""

    # -- the five calls, once ---------------------------------------------------------------

    def _document_create(self, calls: DocumentCalls, project: str, detail: Any) -> CreateEntityResponse:
        data, headers = self._call_json(calls.create, project, body=body_of(detail, "detail"))
        return CreateEntityResponse(headers, data)

    def _document_update(self, calls: DocumentCalls, project: str, detail: Any) -> UpdateEntityResponse:
        body = body_of(detail, "detail")
        name = body.get(calls.name_field)
        if not isinstance(name, str) or not name:
            raise BadParameters("BadParameters", f"detail has no {calls.name_field}: nothing names what to update")
        data, headers = self._call_json(calls.update, project, body=body, **_label(calls, name))
        return UpdateEntityResponse(headers, data)

    def _document_get(self, calls: DocumentCalls, project: str, name: str) -> GetEntityResponse:
        data, headers = self._call_json(calls.get, project, **_label(calls, name))
        return GetEntityResponse(headers, data)

    def _document_delete(self, calls: DocumentCalls, project: str, name: str) -> DeleteEntityResponse:
        data, headers = self._call_json(calls.delete, project, **_label(calls, name))
        return DeleteEntityResponse(headers, data)

    def _document_list(self, calls: DocumentCalls, project: str, offset: int, size: int) -> ListEntityResponse:
        def fetch(page_offset: int, page_size: int) -> ListEntityResponse:
            params = {"offset": page_offset, "size": page_size}
            data, headers = self._call_json(calls.list, project, params=params)
            return ListEntityResponse(headers, data, resource_name=calls.list_key, entities_key=calls.list_key)

        return list_pages(self, fetch, int(offset), int(size))

    # -- dashboards ---------------------------------------------------------------------------

    def create_dashboard(self, project: str, detail: Any) -> CreateEntityResponse:
        """Create a dashboard.

        :type project: string
        :param project: the project.
        :type detail: dict/string
        :param detail: the dashboard document (``dashboardName``, ``displayName``, ``charts``
            ...), as a dict, JSON text or an object with ``to_json()``.
        :raises LogException: ``DashboardAlreadyExist`` when the name is taken.
        """
        return self._document_create(DASHBOARDS, project, detail)

    def update_dashboard(self, project: str, detail: Any) -> UpdateEntityResponse:
        """Replace a dashboard, named by the ``dashboardName`` of ``detail``.

        :type project: string
        :type detail: dict/string
        :raises LogException: ``DashboardNotExist``.
        """
        return self._document_update(DASHBOARDS, project, detail)

    def get_dashboard(self, project: str, entity: str) -> GetEntityResponse:
        """A dashboard's document (``get_entity()`` on the answer).

        :type project: string
        :type entity: string
        :param entity: the dashboard's name.
        :raises LogException: ``DashboardNotExist``.
        """
        return self._document_get(DASHBOARDS, project, entity)

    def delete_dashboard(self, project: str, entity: str) -> DeleteEntityResponse:
        """Delete a dashboard.

        :type project: string
        :type entity: string
        :param entity: the dashboard's name.
        :raises LogException: ``DashboardNotExist``.
        """
        return self._document_delete(DASHBOARDS, project, entity)

    def list_dashboard(self, project: str, offset: int = 0, size: int = 100) -> ListEntityResponse:
        """Dashboard names, ``size`` from ``offset`` (``size=-1``: all); ``get_dashboards()``.

        :type project: string
        :type offset: int
        :type size: int
        """
        return self._document_list(DASHBOARDS, project, offset, size)

    # -- saved searches -----------------------------------------------------------------------

    def create_savedsearch(self, project: str, detail: Any) -> CreateEntityResponse:
        """Create a saved search.

        :type project: string
        :type detail: dict/string
        :param detail: the saved search (``savedsearchName``, ``searchQuery``, ``logstore``,
            ``topic``, ``displayName``).
        :raises LogException: ``SavedSearchAlreadyExist`` when the name is taken.
        """
        return self._document_create(SAVED_SEARCHES, project, detail)

    def update_savedsearch(self, project: str, detail: Any) -> UpdateEntityResponse:
        """Replace a saved search, named by the ``savedsearchName`` of ``detail``.

        :type project: string
        :type detail: dict/string
        :raises LogException: ``SavedSearchNotExist``.
        """
        return self._document_update(SAVED_SEARCHES, project, detail)

    def get_savedsearch(self, project: str, entity: str) -> GetEntityResponse:
        """A saved search's document (``get_entity()`` on the answer).

        :type project: string
        :type entity: string
        :raises LogException: ``SavedSearchNotExist``.
        """
        return self._document_get(SAVED_SEARCHES, project, entity)

    def delete_savedsearch(self, project: str, entity: str) -> DeleteEntityResponse:
        """Delete a saved search.

        :type project: string
        :type entity: string
        :raises LogException: ``SavedSearchNotExist``.
        """
        return self._document_delete(SAVED_SEARCHES, project, entity)

    def list_savedsearch(self, project: str, offset: int = 0, size: int = 100) -> ListEntityResponse:
        """Saved search names, ``size`` from ``offset`` (``size=-1``: all); ``get_savedsearches()``.

        :type project: string
        :type offset: int
        :type size: int
        """
        return self._document_list(SAVED_SEARCHES, project, offset, size)
