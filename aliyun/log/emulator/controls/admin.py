"""The admin HTTP API: the emulator's controls over the wire, under :data:`ADMIN_PREFIX`.

No SLS path starts with an underscore, so the prefix cannot shadow an API. Requests are signed
like any SLS request (the application checks the signature before this module sees them), and
``EmulatorServer(admin=False)`` / ``--no-admin`` refuses them all with ``403 AdminDisabled``.
Every answer is JSON. The routes are listed in docs/testing.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..errors import SLSError
from ..http.context import Reply, parse_json
from .faults import Fault

if TYPE_CHECKING:
    from . import EmulatorControls

__all__ = ["ADMIN_API", "ADMIN_PREFIX", "handle", "is_admin_path"]

#: every admin route starts with this
ADMIN_PREFIX = "/_emulator"
#: the API name admin requests are logged under
ADMIN_API = "Admin"

_LOGSTORE = r"/projects/(?P<project>[^/]+)/logstores/(?P<logstore>[^/]+)"
Route = Callable[["EmulatorControls", dict[str, str], dict[str, str], bytes], Any]


def is_admin_path(path: str) -> bool:
    """Whether ``path`` is under the admin prefix."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def _body(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    doc = parse_json(body, "ParameterInvalid")
    if not isinstance(doc, dict):
        raise SLSError("ParameterInvalid", "the body must be a JSON object", 400)
    return doc


def _number(doc: dict[str, Any], name: str) -> float:
    value = doc.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise SLSError("ParameterInvalid", f"{name} must be a number", 400)
    return float(value)


def _clock_view(controls: EmulatorControls) -> dict[str, Any]:
    return {"now": controls.clock.now(), "frozen": controls.clock.frozen}


def _get_clock(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    return _clock_view(controls)


def _move_clock(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    doc = _body(body)
    action = doc.get("action")
    clock = controls.clock
    if action == "freeze":
        clock.freeze(_number(doc, "time") if "time" in doc else None)
    elif action == "resume":
        clock.resume()
    elif action == "set":
        clock.set(_number(doc, "time"))
    elif action == "advance":
        seconds = _number(doc, "seconds")
        if seconds < 0:
            raise SLSError("ParameterInvalid", "seconds must not be negative", 400)
        clock.advance(seconds)
    elif action == "reset":
        clock.reset()
    else:
        raise SLSError("ParameterInvalid", "action must be freeze, resume, set, advance or reset", 400)
    return _clock_view(controls)


def _reset(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    project = _body(body).get("project")
    if project is not None and not isinstance(project, str):
        raise SLSError("ParameterInvalid", "project must be a string", 400)
    controls.reset(project)
    return {"reset": project or "all"}


def _list_faults(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    return {"faults": [fault.to_dict() for fault in controls.faults.pending()]}


def _add_fault(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    doc = _body(body)
    known = set(Fault.__dataclass_fields__)
    unknown = sorted(set(doc) - known)
    if unknown:
        raise SLSError("ParameterInvalid", f"unknown fault fields: {', '.join(unknown)}", 400)
    try:
        fault = Fault(**doc)
    except (TypeError, ValueError) as exc:
        raise SLSError("ParameterInvalid", str(exc), 400) from None
    return controls.faults.add(fault).to_dict()


def _clear_faults(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    controls.faults.clear()
    return {"faults": []}


def _requests(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    api = params.get("api") or None
    return {
        "counts": controls.requests.counts(),
        "requests": [record.to_dict() for record in controls.requests.records(api)],
    }


def _clear_requests(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    controls.requests.clear()
    return {"counts": {}, "requests": []}


def _shards(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    return {"shards": controls.shards(groups["project"], groups["logstore"])}


def _log_groups(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    return {"log_groups": controls.log_groups(groups["project"], groups["logstore"], int(groups["shard"]))}


def _consumer_groups(controls: EmulatorControls, groups: dict[str, str], params: dict[str, str], body: bytes) -> Any:
    return {"consumer_groups": controls.consumer_groups(groups["project"], groups["logstore"])}


_ROUTES: list[tuple[str, re.Pattern[str], Route]] = [
    ("GET", re.compile(r"/clock"), _get_clock),
    ("POST", re.compile(r"/clock"), _move_clock),
    ("POST", re.compile(r"/reset"), _reset),
    ("GET", re.compile(r"/faults"), _list_faults),
    ("POST", re.compile(r"/faults"), _add_fault),
    ("DELETE", re.compile(r"/faults"), _clear_faults),
    ("GET", re.compile(r"/requests"), _requests),
    ("DELETE", re.compile(r"/requests"), _clear_requests),
    ("GET", re.compile(_LOGSTORE + r"/shards"), _shards),
    ("GET", re.compile(_LOGSTORE + r"/shards/(?P<shard>[0-9]{1,9})/loggroups"), _log_groups),
    ("GET", re.compile(_LOGSTORE + r"/consumergroups"), _consumer_groups),
]


def handle(controls: Optional[EmulatorControls], method: str, path: str, params: dict[str, str], body: bytes) -> Reply:
    """Serve one admin request (``path`` starts with :data:`ADMIN_PREFIX`)."""
    if controls is None or not controls.admin_enabled:
        raise SLSError("AdminDisabled", "the emulator's admin API is off (admin=False / --no-admin)", 403)
    rest = path[len(ADMIN_PREFIX) :].rstrip("/")
    for route_method, pattern, route in _ROUTES:
        found = pattern.fullmatch(rest)
        if found is not None and route_method == method:
            result = route(controls, found.groupdict(), params, body)
            return Reply.json(result)
    raise SLSError("InvalidRequestURI", f"no admin API for {method} {path[:256]}", 404)
