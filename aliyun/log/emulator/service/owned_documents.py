"""Service-level documents that own documents: resources and their records, topostores and their
nodes and relations.

One :class:`OwnerService` per owning family, built on the :class:`DocumentService` of each family
involved (the rules of storage, names, lists and errors are theirs). What it adds:

- the owner's update is a patch: the fields sent replace those stored, the others stay (the
  official client sends only what is set);
- deleting an owner deletes what it owns, in the same metadata transaction;
- an owned document may be created without an id (one is chosen, as SLS does for records),
  replaced in batches (upsert: create or replace each, all in one lock) and deleted by a list of ids;
- fields the official answer classes decode as JSON text are always present (``defaults``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import bad_request
from .documents import (
    CREATE_TIME,
    MODIFY_TIME,
    SERVICE_SCOPE,
    DocumentFamily,
    DocumentPage,
    DocumentService,
    owned_scope,
)
from .paging import PageRequest
from .state import EmulatorState

__all__ = ["MAX_BATCH", "OwnedFamily", "OwnerService"]

#: documents one upsert or delete request may carry
MAX_BATCH = 100
#: time fields a client may echo back in a body; the emulator keeps its own
_CLIENT_TIMES = ("create_time", "last_modify_time", CREATE_TIME, MODIFY_TIME)


@dataclass(frozen=True)
class OwnedFamily:
    """A family owned by another, and what its documents get when a field is left out."""

    family: DocumentFamily
    defaults: Mapping[str, Any] = field(default_factory=dict)


class OwnerService:
    """An owning service-level family and the families it owns."""

    def __init__(
        self,
        state: EmulatorState,
        documents: Mapping[str, DocumentService],
        owner: DocumentFamily,
        owned: tuple[OwnedFamily, ...],
        *,
        defaults: Optional[Mapping[str, Any]] = None,
        patchable: tuple[str, ...] = (),
    ) -> None:
        self.state = state
        self.owner = documents[owner.kind]
        self.owned = {entry.family.kind: (documents[entry.family.kind], entry) for entry in owned}
        self.defaults = dict(defaults or {})
        self.patchable = patchable

    # -- the owner ---------------------------------------------------------------------------

    def create(self, body: Any) -> dict[str, Any]:
        """Store a new owner document."""
        if not isinstance(body, dict):
            raise bad_request(self.owner.family.invalid_code, f"a {self.owner.family.title} must be a JSON object")
        return self.owner.create_in(SERVICE_SCOPE, _with_defaults(_without_times(body), self.defaults))

    def get(self, name: str) -> dict[str, Any]:
        """An owner document."""
        return self.owner.require(SERVICE_SCOPE, name)

    def listing(self, params: Mapping[str, Optional[str]], paging: PageRequest) -> DocumentPage:
        """A page of owner documents."""
        return self.owner.list_in(SERVICE_SCOPE, params, paging)

    def patch(self, name: str, body: Any) -> dict[str, Any]:
        """Replace the ``patchable`` fields the body has; a different name in it is refused."""
        family = self.owner.family
        if not isinstance(body, dict):
            raise bad_request(family.invalid_code, f"a {family.title} update must be a JSON object")
        if body.get(family.name_field, name) != name:
            raise bad_request(family.invalid_code, f"{family.name_field} differs from the path ({name!r})")
        changes = {key: body[key] for key in self.patchable if key in body}
        with self.state.lock:
            merged = {**self.get(name), **changes}
            self.owner.checked(merged)
            return self.owner.change_in(SERVICE_SCOPE, name, changes)

    def delete(self, name: str) -> None:
        """Delete an owner and everything it owns, in one transaction."""
        with self.state.lock:
            self.get(name)
            kind = self.owner.family.kind
            with self.state.faults.guard(f"deleting the {self.owner.family.title} {name}"):
                self.state.meta.write(
                    [("delete", kind, SERVICE_SCOPE, name), ("delete_scope", owned_scope(kind, name))]
                )

    # -- what it owns ----------------------------------------------------------------------------

    def _child(self, kind: str, owner: str) -> tuple[DocumentService, OwnedFamily, str]:
        service, entry = self.owned[kind]
        self.get(owner)  # the owner's not-exist error first
        return service, entry, owned_scope(self.owner.family.kind, owner)

    def _prepared(self, entry: OwnedFamily, body: Any, *, new_id: bool) -> dict[str, Any]:
        family = entry.family
        if not isinstance(body, dict):
            raise bad_request(family.invalid_code, f"a {family.title} must be a JSON object")
        doc = _with_defaults(_without_times(body), entry.defaults)
        if new_id and doc.get(family.name_field) in (None, ""):
            doc[family.name_field] = uuid.uuid4().hex
        return doc

    def create_owned(self, kind: str, owner: str, body: Any) -> dict[str, Any]:
        """Store a new owned document (an id chosen when the body has none)."""
        with self.state.lock:
            service, entry, scope = self._child(kind, owner)
            return service.create_in(scope, self._prepared(entry, body, new_id=True))

    def get_owned(self, kind: str, owner: str, name: str) -> dict[str, Any]:
        """An owned document."""
        with self.state.lock:
            service, _, scope = self._child(kind, owner)
            return service.require(scope, name)

    def list_owned(
        self, kind: str, owner: str, params: Mapping[str, Optional[str]], paging: PageRequest
    ) -> DocumentPage:
        """A page of owned documents."""
        with self.state.lock:
            service, _, scope = self._child(kind, owner)
            return service.list_in(scope, params, paging)

    def update_owned(self, kind: str, owner: str, name: str, body: Any) -> dict[str, Any]:
        """Replace the fields the body has of an owned document (named by the path)."""
        with self.state.lock:
            service, entry, scope = self._child(kind, owner)
            name_field = entry.family.name_field
            if not isinstance(body, dict):
                raise bad_request(entry.family.invalid_code, f"a {entry.family.title} must be a JSON object")
            if body.get(name_field, name) != name:
                raise bad_request(entry.family.invalid_code, f"{name_field} differs from the path ({name!r})")
            changes = {**_without_times(body), name_field: name}
            service.checked({**service.require(scope, name), **changes})
            return service.change_in(scope, name, changes)

    def upsert_owned(self, kind: str, owner: str, bodies: Any) -> list[dict[str, Any]]:
        """Create or replace each document (all checked before any is stored)."""
        if not isinstance(bodies, list) or not 1 <= len(bodies) <= MAX_BATCH:
            raise bad_request("ParameterInvalid", f"an upsert carries 1-{MAX_BATCH} documents")
        with self.state.lock:
            service, entry, scope = self._child(kind, owner)
            docs = [service.checked(self._prepared(entry, body, new_id=True)) for body in bodies]
            stored = []
            for doc in docs:
                name = doc[entry.family.name_field]
                if service.docs.get(scope, name) is None:
                    stored.append(service.create_in(scope, doc))
                else:
                    stored.append(service.update_in(scope, name, doc))
            return stored

    def delete_owned(self, kind: str, owner: str, ids: Optional[str]) -> None:
        """Delete the documents whose ids are listed (comma-separated; absent ids are skipped)."""
        names = [name for name in (ids or "").split(",") if name]
        if not 1 <= len(names) <= MAX_BATCH:
            raise bad_request("ParameterInvalid", f"name 1-{MAX_BATCH} ids to delete")
        with self.state.lock:
            service, _, scope = self._child(kind, owner)
            ops = [("delete", kind, scope, name) for name in names if service.docs.get(scope, name) is not None]
            if ops:
                with self.state.faults.guard(f"deleting {service.family.title}s of {owner}"):
                    self.state.meta.write(ops)


def _without_times(body: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in _CLIENT_TIMES}


def _with_defaults(body: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    return {**defaults, **{key: value for key, value in body.items() if value is not None}}
