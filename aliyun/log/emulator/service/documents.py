"""Resource documents: the families SLS keeps as named JSON documents, declared once each.

Dashboards, saved searches, jobs (alerts, ETL, scheduled SQL ...), external stores and the like
behave alike: a JSON document named by one of its fields is created, read, replaced, deleted
and listed a page at a time. A :class:`DocumentFamily` *declares* one such family (its error
codes, its name field, the shape of its list answer, its filters); :class:`DocumentService` is
the one implementation of those rules for every family, on the durable meta store. A family
with behaviour beyond storage (a job that runs) builds on its service instead of copying it.

Documents are stored as sent plus ``createTime`` and ``lastModifyTime`` (integer seconds of the
emulator's clock). Scopes follow the meta store: ``<project>`` for project-level families and
``<project>/<logstore>`` for logstore-level ones, so deleting a project or a logstore deletes
its documents with it. Families of the service itself (resources, topostores: no project in
the request) live in :data:`SERVICE_SCOPE`, and the documents of such a document (a resource's
records) in :func:`owned_scope`, which its service deletes with it; both start with ``~``,
which no project name can. The wire facts are in docs/resources.md "Resource documents".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..errors import SLSError, bad_request, not_found
from .names import check_resource_name
from .paging import Page, PageRequest, page
from .resource_store import MetaDocs
from .state import EmulatorState

__all__ = ["SERVICE_SCOPE", "DocumentFamily", "DocumentPage", "DocumentService", "owned_scope"]

# the characters of the common resource-name rule, for families that bound the length themselves
_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: document fields the emulator maintains; a body's own values for them are replaced
CREATE_TIME = "createTime"
MODIFY_TIME = "lastModifyTime"
#: the scope of the service-level families (``~`` never starts a project name)
SERVICE_SCOPE = "~"


def owned_scope(owner_kind: str, owner: str) -> str:
    """The scope of the documents that belong to one service-level document (its records ...)."""
    return f"{SERVICE_SCOPE}/{owner_kind}/{owner}"


@dataclass(frozen=True)
class DocumentFamily:
    """The rules of one family of named JSON documents.

    :param kind: the meta-store kind, also the family's name in messages (``dashboard``).
    :param name_field: the body field that names a document (``dashboardName``).
    :param not_exist: error code (404) for a missing document (``DashboardNotExist``).
    :param already_exist: error code (400) for creating a name that is taken, with
        ``already_exist_message`` as its message when SLS words it in its own way.
    :param list_key: the list answer's array; it holds names, or whole documents when
        ``list_documents`` is set.
    :param items_key: a second array of summaries (``dashboardItems``), each holding the
        ``summary_fields`` of a document, or ``None``.
    :param logstore_level: documents belong to a logstore (``/logstores/{logstore}/...``).
    :param filters: list query parameter → document field; a document is listed when the
        field contains the parameter's value (``{"logstore": "logstore"}``). A dotted field
        (``configuration.logstore``) is read inside nested objects.
    :param exact_filters: the same, with equality (the job type of ``/jobs``).
    :param derived_filters: list query parameter → a function giving the values a document is
        listed under (fields nested in lists, such as the logstores a pipeline config writes
        to); a document is listed when the parameter's value is one of them.
    :param any_of_filters: the same, the parameter a comma-separated list of which the field
        must equal one (``names=a,b``).
    :param select: a further list filter ``select(document, params)`` for what the declarative
        filters cannot say (a key and value inside a JSON-text field).
    :param service_level: documents of the service, addressed without a project (``/resources``).
    :param required: fields every document must have (besides its name).
    :param validate: extra checks of a document, raising :class:`SLSError`.
    :param invalid_code: error code of an invalid document.
    :param name_pattern: whether names follow the common resource-name rule; families whose
        names are free text (ids chosen by SLS users) turn it off and only refuse path-unsafe
        names, which the router already keeps out.
    :param name_length: the shortest and longest name, when the family bounds them.
    :param name_code: error code of a name outside the rule (``invalid_code`` when ``None``).
    :param quota: the most documents one scope may hold (``quota_code`` beyond it).
    :param modify_time_field: the field holding the last change time (``lastModifyTime``;
        jobs spell it ``lastModifiedTime``).
    """

    kind: str
    name_field: str
    not_exist: str
    already_exist: str
    list_key: str
    list_documents: bool = False
    items_key: Optional[str] = None
    summary_fields: tuple[str, ...] = ()
    logstore_level: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)
    exact_filters: Mapping[str, str] = field(default_factory=dict)
    derived_filters: Mapping[str, Callable[[Mapping[str, Any]], Iterable[str]]] = field(default_factory=dict)
    any_of_filters: Mapping[str, str] = field(default_factory=dict)
    select: Optional[Callable[[Mapping[str, Any], Mapping[str, Optional[str]]], bool]] = None
    service_level: bool = False
    required: tuple[str, ...] = ()
    validate: Optional[Callable[[dict[str, Any]], None]] = None
    invalid_code: str = "ParameterInvalid"
    name_pattern: bool = True
    already_exist_message: Optional[str] = None
    name_length: Optional[tuple[int, int]] = None
    name_code: Optional[str] = None
    quota: Optional[int] = None
    quota_code: str = "ExceedQuota"
    modify_time_field: str = MODIFY_TIME

    @property
    def title(self) -> str:
        """The family's name in messages (``saved search``)."""
        return self.kind.replace("_", " ")


def _field(doc: Mapping[str, Any], path: str) -> str:
    """The text of a (dotted) field of a document; ``""`` when it is missing."""
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return "" if value is None else str(value)


@dataclass(frozen=True)
class DocumentPage:
    """A page of one family's documents; ``http/shapes.py`` renders it in the family's list shape
    (``list_key``, ``list_documents``, ``items_key``)."""

    family: DocumentFamily
    found: Page[dict[str, Any]]


class DocumentService:
    """Create, read, replace, delete and list the documents of one family."""

    def __init__(self, state: EmulatorState, family: DocumentFamily) -> None:
        self.state = state
        self.family = family
        self.docs = MetaDocs(state, family.kind)

    # -- reading ------------------------------------------------------------------------------

    def scope(self, project: Optional[str], logstore: Optional[str] = None) -> str:
        """The meta-store scope of a project (and logstore), which must exist."""
        if self.family.service_level:
            return SERVICE_SCOPE
        owner = self.state.project(project)
        if not self.family.logstore_level:
            return owner.name
        if logstore is None:
            raise bad_request("ParameterInvalid", f"a {self.family.title} belongs to a logstore")
        return f"{owner.name}/{owner.logstore(logstore).name}"

    def require(self, scope: str, name: str) -> dict[str, Any]:
        """A document, or the family's not-exist error."""
        found = self.docs.get(scope, name)
        if found is None:
            raise not_found(self.family.not_exist, f"{self.family.title} {name} does not exist")
        return dict(found)

    def get(self, project: Optional[str], name: str, logstore: Optional[str] = None) -> dict[str, Any]:
        """A document as stored."""
        return self.require(self.scope(project, logstore), name)

    def list(
        self,
        project: Optional[str],
        params: Mapping[str, Optional[str]],
        paging: PageRequest,
        logstore: Optional[str] = None,
    ) -> DocumentPage:
        """One page of the documents that pass the filters in ``params``."""
        return self.list_in(self.scope(project, logstore), params, paging)

    def list_in(self, scope: str, params: Mapping[str, Optional[str]], paging: PageRequest) -> DocumentPage:
        """:meth:`list` of the documents of one scope."""
        documents = [doc for doc in self.docs.all(scope).values() if self._passes(doc, params)]
        return DocumentPage(self.family, page(documents, paging))

    def _passes(self, doc: Mapping[str, Any], params: Mapping[str, Optional[str]]) -> bool:
        for param, doc_field in self.family.filters.items():
            wanted = params.get(param)
            if wanted and wanted not in _field(doc, doc_field):
                return False
        for param, doc_field in self.family.exact_filters.items():
            wanted = params.get(param)
            if wanted and _field(doc, doc_field) != wanted:
                return False
        for param, values_of in self.family.derived_filters.items():
            wanted = params.get(param)
            if wanted and wanted not in values_of(doc):
                return False
        for param, doc_field in self.family.any_of_filters.items():
            wanted = params.get(param)
            if wanted and str(doc.get(doc_field, "")) not in wanted.split(","):
                return False
        return self.family.select is None or self.family.select(doc, params)

    # -- writing ------------------------------------------------------------------------------

    def checked(self, body: Any) -> dict[str, Any]:
        """``body`` if it is a valid document of the family (its name checked), else a 400."""
        family = self.family
        if not isinstance(body, dict):
            raise bad_request(family.invalid_code, f"a {family.title} must be a JSON object")
        self.check_name(body.get(family.name_field))
        for required in family.required:
            if body.get(required) in (None, ""):
                raise bad_request(family.invalid_code, f"a {family.title} needs {required}")
        if family.validate is not None:
            family.validate(body)
        return body

    def check_name(self, name: object) -> str:
        """``name`` if the family's name rule admits it, else a 400 with the family's code."""
        family = self.family
        code = family.name_code or family.invalid_code
        if not isinstance(name, str) or not name:
            raise bad_request(code, f"{family.name_field} must be a non-empty string")
        if family.name_length is not None:
            shortest, longest = family.name_length
            if not shortest <= len(name) <= longest:
                raise bad_request(code, f"a {family.title} name has {shortest} to {longest} characters: {name!r}")
            if family.name_pattern and not _NAME_CHARACTERS.fullmatch(name):
                raise bad_request(code, f"invalid {family.title} name: {name!r}")
        elif family.name_pattern:
            check_resource_name(family.title, name, code)
        return name

    def create(self, project: Optional[str], body: Any, logstore: Optional[str] = None) -> dict[str, Any]:
        """Store a new document (the family's already-exist error if the name is taken)."""
        with self.state.lock:
            return self.create_in(self.scope(project, logstore), body)

    def create_in(self, scope: str, body: Any) -> dict[str, Any]:
        """:meth:`create` in one scope."""
        family = self.family
        doc = self.checked(body)
        name = doc[family.name_field]
        with self.state.lock:
            if self.docs.get(scope, name) is not None:
                message = family.already_exist_message or f"{family.title} {name} already exists"
                raise SLSError(family.already_exist, message, 400)
            if family.quota is not None and len(self.docs.all(scope)) >= family.quota:
                raise bad_request(family.quota_code, f"a scope holds at most {family.quota} {family.title}s")
            now = self.state.now()
            stored = {**doc, CREATE_TIME: now, self.family.modify_time_field: now}
            self.docs.put(scope, name, stored)
            return stored

    def update(self, project: Optional[str], name: str, body: Any, logstore: Optional[str] = None) -> dict[str, Any]:
        """Replace a document; the path's name and the body's must agree."""
        with self.state.lock:
            return self.update_in(self.scope(project, logstore), name, body)

    def update_in(self, scope: str, name: str, body: Any) -> dict[str, Any]:
        """:meth:`update` in one scope."""
        doc = self.checked(body)
        if doc[self.family.name_field] != name:
            raise bad_request(
                self.family.invalid_code,
                f"{self.family.name_field} {doc[self.family.name_field]!r} differs from the path ({name!r})",
            )
        with self.state.lock:
            old = self.require(scope, name)
            stored = {
                **doc,
                CREATE_TIME: old.get(CREATE_TIME, self.state.now()),
                self.family.modify_time_field: self.state.now(),
            }
            self.docs.put(scope, name, stored)
            return stored

    def change(
        self, project: Optional[str], name: str, changes: Mapping[str, Any], logstore: Optional[str] = None
    ) -> dict[str, Any]:
        """Set some fields of an existing document (a state change such as enabling an alert)."""
        with self.state.lock:
            return self.change_in(self.scope(project, logstore), name, changes)

    def change_in(self, scope: str, name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """:meth:`change` in one scope."""
        with self.state.lock:
            stored = {**self.require(scope, name), **changes, self.family.modify_time_field: self.state.now()}
            self.docs.put(scope, name, stored)
            return stored

    def delete(self, project: Optional[str], name: str, logstore: Optional[str] = None) -> None:
        """Delete a document (the family's not-exist error if there is none)."""
        with self.state.lock:
            self.delete_in(self.scope(project, logstore), name)

    def delete_in(self, scope: str, name: str) -> None:
        """:meth:`delete` in one scope."""
        with self.state.lock:
            self.require(scope, name)
            self.docs.delete(scope, name)
