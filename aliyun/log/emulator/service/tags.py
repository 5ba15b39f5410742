"""Tags on resources, and the resource group of a project.

A tag is a ``key=value`` label on a project, logstore, dashboard, machine group or logtail
config. The tags of one resource are one meta-store document (kind ``tags``) kept in the scope
of what owns the resource: ``<project>`` for a project and what is in it, ``<project>/<logstore>``
for a logstore, so deleting a project or a logstore deletes its tags. A dashboard, machine group
or config deleted alone leaves its document behind; the document remembers the resource's
``createTime``, so tags are listed only while that same resource exists (not one re-created
under the name). The rules and limits are in docs/tags.md "Tags".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Callable, Optional

from ..errors import SLSError, bad_request
from .documents import DocumentService
from .resource_store import CONFIG_KIND, GROUP_KIND, MetaDocs
from .state import EmulatorState

__all__ = ["MAX_KEY", "MAX_RESOURCE_IDS", "MAX_TAGS", "MAX_VALUE", "PAGE_SIZE", "TAG_KIND", "TagService"]

TAG_KIND = "tags"
#: tags one resource may carry
MAX_TAGS = 20
#: characters of a key (at least 1) and of a value (possibly empty)
MAX_KEY = 128
MAX_VALUE = 128
#: resources one request may name
MAX_RESOURCE_IDS = 50
#: ``(resource, tag)`` pairs per ListTagResources page
PAGE_SIZE = 100
#: what a key may not start with, and what neither a key nor a value may contain
_RESERVED_PREFIXES = ("aliyun", "acs:")
_FORBIDDEN = ("http://", "https://")


def _invalid(message: str) -> SLSError:
    return bad_request("ParameterInvalid", message)


def _check_tag(key: Any, value: Any) -> tuple[str, str]:
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise _invalid(f"a tag key is 1-{MAX_KEY} characters, got {key!r}")
    if key.lower().startswith(_RESERVED_PREFIXES):
        raise _invalid(f"tag key {key!r} starts with a reserved prefix (aliyun, acs:)")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        raise _invalid(f"a tag value is 0-{MAX_VALUE} characters, got {value!r}")
    for text in (key, value):
        if any(bad in text.lower() for bad in _FORBIDDEN):
            raise _invalid(f"a tag key or value may not contain http:// or https:// ({text!r})")
    return key, value


class TagService:
    """TagResources, UntagResources, ListTagResources and ChangeResourceGroup."""

    def __init__(self, state: EmulatorState, documents: Mapping[str, DocumentService]) -> None:
        self.state = state
        self.docs = MetaDocs(state, TAG_KIND)
        self._dashboards = documents.get("dashboard")
        self._groups = MetaDocs(state, GROUP_KIND)
        self._configs = MetaDocs(state, CONFIG_KIND)
        self._locators: dict[str, Callable[[str, str], tuple[str, Any]]] = {
            "logstore": self._logstore,
            "dashboard": self._dashboard,
            "machine_group": lambda project, name: _in_project(self._groups, "MachineGroupNotExist", project, name),
            "logtail_config": lambda project, name: _in_project(self._configs, "ConfigNotExist", project, name),
        }

    # -- where a resource is ---------------------------------------------------------------

    def locate(self, resource_type: Any, resource_id: Any, host: Optional[str] = None) -> tuple[str, str, Any]:
        """``(type, scope, marker)`` of an existing resource: ``ProjectNotExist``, ``LogStoreNotExist``...

        ``resource_id`` is the project's name for a project, ``<project>#<name>`` otherwise; a
        request addressed to a project's host may only name that project's resources.
        """
        kind = self._type(resource_type)
        if not isinstance(resource_id, str) or not resource_id:
            raise _invalid(f"invalid resourceId: {resource_id!r}")
        if kind == "project":
            project, name = resource_id, ""
        else:
            project, sep, name = resource_id.partition("#")
            if not sep or not project or not name:
                raise _invalid(f"the id of a {kind} is <project>#<name>, got {resource_id!r}")
        if host is not None and project != host:
            raise _invalid(f"resource {resource_id!r} is not in the project {host!r} the request is addressed to")
        owner = self.state.project(project)
        if kind == "project":
            return kind, owner.name, owner.attrs.get("createTime")
        scope, marker = self._locators[kind](owner.name, name)
        return kind, scope, marker

    def _type(self, resource_type: Any) -> str:
        kind = resource_type.lower() if isinstance(resource_type, str) else ""
        if kind != "project" and kind not in self._locators:
            raise _invalid(f"unsupported resourceType {resource_type!r}")
        return kind

    def _logstore(self, project: str, name: str) -> tuple[str, Any]:
        logstore = self.state.logstore(project, name)
        return self.state.logstore_scope(logstore), logstore.config.get("createTime")

    def _dashboard(self, project: str, name: str) -> tuple[str, Any]:
        if self._dashboards is None:  # pragma: no cover - the family is always declared
            raise _invalid("dashboards are not available")
        return project, self._dashboards.get(project, name).get("createTime")

    def _live(self, doc: Mapping[str, Any]) -> bool:
        """Whether the resource a stored tag document names still exists (the same one)."""
        try:
            _, _, marker = self.locate(doc.get("resourceType"), doc.get("resourceId"))
        except SLSError:
            return False
        return bool(marker == doc.get("since"))

    # -- the calls ----------------------------------------------------------------------------

    def _targets(self, body: Any, host: Optional[str]) -> tuple[list[tuple[str, str, str, Any]], Any]:
        if not isinstance(body, dict):
            raise _invalid("the body must be a JSON object")
        ids = body.get("resourceId")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_RESOURCE_IDS:
            raise _invalid(f"resourceId must be a list of 1-{MAX_RESOURCE_IDS} ids")
        targets = [(rid, *self.locate(body.get("resourceType"), rid, host)) for rid in ids]
        return targets, body.get("tags")

    def tag(self, body: Any, host: Optional[str] = None) -> None:
        """Add or overwrite tags on every named resource (all of them or, on an error, none)."""
        with self.state.lock:
            targets, tags = self._targets(body, host)
            if not isinstance(tags, list) or not 1 <= len(tags) <= MAX_TAGS:
                raise _invalid(f"tags must be a list of 1-{MAX_TAGS} {{key, value}} objects")
            if not all(isinstance(t, dict) for t in tags):
                raise _invalid("each tag is a {key, value} object")
            pairs = [_check_tag(t.get("key"), t.get("value")) for t in tags]
            writes = []
            for resource_id, kind, scope, marker in targets:
                current = self._current(kind, resource_id, scope, marker)
                merged = {**current, **dict(pairs)}
                if len(merged) > MAX_TAGS:
                    raise SLSError("ExceedQuota", f"a resource carries at most {MAX_TAGS} tags ({resource_id})", 400)
                writes.append((scope, kind, resource_id, marker, merged))
            for scope, kind, resource_id, marker, merged in writes:
                self._save(scope, kind, resource_id, marker, merged)

    def untag(self, body: Any, host: Optional[str] = None) -> None:
        """Remove the given keys (or, with ``all``, every tag) from every named resource."""
        with self.state.lock:
            targets, keys = self._targets(body, host)
            remove_all = body.get("all") is True
            if not remove_all and (not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys)):
                raise _invalid("tags must be a non-empty list of tag keys (or all must be true)")
            for resource_id, kind, scope, marker in targets:
                current = self._current(kind, resource_id, scope, marker)
                kept = {} if remove_all else {k: v for k, v in current.items() if k not in keys}
                self._save(scope, kind, resource_id, marker, kept)

    def listing(self, params: Mapping[str, Optional[str]], host: Optional[str] = None) -> dict[str, Any]:
        """One page of ``(resource, tag)`` pairs of the resources that carry every filter tag."""
        kind = self._type(params.get("resourceType"))
        ids = self._json_list(params, "resourceId")
        filters = [_filter(f) for f in self._json_list(params, "tags")]
        with self.state.lock:
            if ids:
                docs: list[dict[str, Any]] = []
                for resource_id in ids:
                    _, scope, marker = self.locate(kind, resource_id, host)
                    found = self.docs.get(scope, f"{kind}:{resource_id}")
                    if found is not None and found.get("since") == marker:
                        docs.append(found)
            else:
                docs = [
                    doc
                    for scope, _, doc in self.state.meta.items(TAG_KIND)
                    if doc.get("resourceType") == kind
                    and (host is None or scope == host or scope.startswith(host + "/"))
                    and self._live(doc)
                ]
        pairs = [
            {"resourceType": doc["resourceType"], "resourceId": doc["resourceId"], "tagKey": key, "tagValue": value}
            for doc in sorted(docs, key=lambda d: str(d["resourceId"]))
            if all(key in doc["tags"] and value in ("", doc["tags"][key]) for key, value in filters)
            for key, value in sorted(doc["tags"].items())
        ]
        token = params.get("nextToken") or "0"
        if not token.isdigit():
            raise _invalid(f"invalid nextToken {token!r}")
        start = int(token)
        end = start + PAGE_SIZE
        return {"tagResources": pairs[start:end], "nextToken": str(end) if end < len(pairs) else ""}

    def change_resource_group(self, body: Any, host: Optional[str]) -> None:
        """Move a project into another resource group (the ``resourceGroupId`` GetProject shows)."""
        if not isinstance(body, dict):
            raise _invalid("the body must be a JSON object")
        if str(body.get("resourceType", "")).upper() != "PROJECT":
            raise _invalid(f"unsupported resourceType {body.get('resourceType')!r}: only PROJECT")
        group = body.get("resourceGroupId")
        if not isinstance(group, str) or not group:
            raise _invalid("resourceGroupId must be a non-empty string")
        if body.get("resourceId") != host:
            raise _invalid(f"resourceId {body.get('resourceId')!r} is not the project the request is addressed to")
        with self.state.lock:
            project = self.state.project(host)
            attrs = {**project.attrs, "resourceGroupId": group}
            with self.state.faults.guard("ChangeResourceGroup"):
                self.state.meta.put("project", "", project.name, attrs)
            project.attrs = attrs

    # -- storage ------------------------------------------------------------------------------

    def _current(self, kind: str, resource_id: str, scope: str, marker: Any) -> dict[str, str]:
        found = self.docs.get(scope, f"{kind}:{resource_id}")
        if found is None or found.get("since") != marker:
            return {}  # none yet, or those of a deleted resource of the same name
        return dict(found.get("tags") or {})

    def _save(self, scope: str, kind: str, resource_id: str, marker: Any, tags: dict[str, str]) -> None:
        name = f"{kind}:{resource_id}"
        if not tags:
            self.docs.delete(scope, name)
            return
        doc = {"resourceType": kind, "resourceId": resource_id, "tags": tags, "since": marker}
        self.docs.put(scope, name, doc)

    @staticmethod
    def _json_list(params: Mapping[str, Optional[str]], name: str) -> list[Any]:
        text = params.get(name)
        if not text:
            return []
        try:
            value = json.loads(text)
        except ValueError:
            raise _invalid(f"{name} must be a JSON list, got {text[:100]!r}") from None
        if not isinstance(value, list):
            raise _invalid(f"{name} must be a JSON list")
        return value


def _in_project(docs: MetaDocs, missing: str, project: str, name: str) -> tuple[str, Any]:
    found = docs.get(project, name)
    if found is None:
        raise SLSError(missing, f"{name} does not exist in {project}", 404)
    return project, found.get("createTime")


def _filter(item: Any) -> tuple[str, str]:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        raise _invalid(f"a tag filter is a {{key, value}} object, got {item!r}")
    return item["key"], str(item.get("value") or "")
