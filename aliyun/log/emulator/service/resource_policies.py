"""Resource policies: one access-policy document per project or logstore.

A policy is a meta-store document (kind ``resource_policy``) in the scope of what it protects
(``<project>`` or ``<project>/<logstore>``, so it goes with it), with a revision counting its
puts. The emulator checks the document's shape (a RAM policy: ``Version`` and a list of
``Statement`` objects with an ``Effect``) but never enforces it. The rules are in docs/tags.md
"Resource policies".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional

from ..errors import bad_request, not_found
from .resource_store import MetaDocs
from .state import EmulatorState

__all__ = ["MAX_POLICY_BYTES", "POLICY_KIND", "ResourcePolicyService"]

POLICY_KIND = "resource_policy"
#: the largest policy document, in bytes of JSON text
MAX_POLICY_BYTES = 16 * 1024
_TYPES = ("project", "logstore")


def _invalid(message: str) -> Exception:
    return bad_request("ParameterInvalid", message)


def _check_document(text: Any) -> None:
    if not isinstance(text, str) or not text:
        raise _invalid("policyDocument must be non-empty JSON text")
    if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
        raise _invalid(f"policyDocument is over {MAX_POLICY_BYTES} bytes")
    try:
        policy = json.loads(text)
    except ValueError:
        raise _invalid("policyDocument is not valid JSON") from None
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if not isinstance(policy, dict) or not policy.get("Version") or not isinstance(statements, list) or not statements:
        raise _invalid("policyDocument needs a Version and a non-empty Statement list")
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            raise _invalid("each Statement is an object with an Effect of Allow or Deny")


class ResourcePolicyService:
    """PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.docs = MetaDocs(state, POLICY_KIND)

    def _target(self, project: Optional[str], resource_type: Any, resource_name: Any) -> tuple[str, str, str]:
        """``(type, scope, name)`` of the protected resource, which must exist."""
        if resource_type not in _TYPES:
            raise _invalid(f"resourceType must be project or logstore, got {resource_type!r}")
        owner = self.state.project(project)
        if resource_type == "project":
            if resource_name not in (None, "", owner.name):
                raise _invalid(f"resourceName {resource_name!r} is not the project {owner.name!r}")
            return "project", owner.name, ""
        if not isinstance(resource_name, str) or not resource_name:
            raise _invalid("a logstore policy needs resourceName")
        logstore = owner.logstore(resource_name)
        return "logstore", self.state.logstore_scope(logstore), logstore.name

    def put(self, project: Optional[str], body: Any) -> None:
        """Create or replace a policy (with ``dryRun``: only check it)."""
        if not isinstance(body, dict):
            raise _invalid("the body must be a JSON object")
        with self.state.lock:
            kind, scope, name = self._target(project, body.get("resourceType"), body.get("resourceName"))
            _check_document(body.get("policyDocument"))
            if body.get("dryRun") is True:
                return
            now = self.state.now()
            old = self.docs.get(scope, kind) or {}
            doc = {
                "resourceType": kind,
                "resourceName": name,
                "policyDocument": body["policyDocument"],
                "revision": int(old.get("revision", 0)) + 1,
                "createTime": int(old.get("createTime", now)),
                "updateTime": now,
            }
            self.docs.put(scope, kind, doc)

    def get(self, project: Optional[str], params: Mapping[str, Optional[str]]) -> dict[str, Any]:
        """A policy, or ``404 ResourcePolicyNotExist``."""
        _, scope, kind_name = self._lookup(project, params)
        found = self.docs.get(scope, kind_name)
        if found is None:
            raise not_found("ResourcePolicyNotExist", "the resource has no policy")
        return dict(found)

    def delete(self, project: Optional[str], params: Mapping[str, Optional[str]]) -> None:
        """Delete a policy (``404 ResourcePolicyNotExist`` when there is none)."""
        with self.state.lock:
            self.get(project, params)
            _, scope, kind_name = self._lookup(project, params)
            self.docs.delete(scope, kind_name)

    def _lookup(self, project: Optional[str], params: Mapping[str, Optional[str]]) -> tuple[str, str, str]:
        kind, scope, _ = self._target(project, params.get("resourceType"), params.get("resourceName"))
        return kind, scope, kind
