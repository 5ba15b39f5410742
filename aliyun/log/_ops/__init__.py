"""The SLS REST operations as data: one entry per call, read by the client and the emulator's router.

An :class:`Operation` says how a call looks on the wire (method, path template, the query
parameter values that tell it apart from its neighbours) and how the client should treat it
(idempotent or not). The client builds requests from it; the emulator routes requests back to
the operation name with :func:`match`. A request the client can build is therefore a request the
emulator can route. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

__all__ = ["OPERATIONS", "Operation", "match", "operation"]


@dataclass(frozen=True)
class Operation:
    """One REST call of the SLS API.

    :param name: the API name as SLS documents it (``PutLogs``).
    :param method: HTTP method.
    :param path: path template, ``{name}`` for a path segment (``/logstores/{logstore}``).
    :param discriminator: query parameters whose values select this operation among calls sharing
        method and path (``{"type": "cursor"}``); a value of ``None`` means "absent".
    :param project: whether the call is addressed to a project host.
    :param idempotent: whether sending it twice has the effect of sending it once, which makes
        it safe to retry after an ambiguous failure.
    :param signed: whether the call carries a signature. Only web tracking is anonymous: browsers
        send it without credentials, and the logstore's ``enable_tracking`` setting admits it.
    """

    name: str
    method: str
    path: str
    discriminator: Mapping[str, Optional[str]] = field(default_factory=dict)
    project: bool = True
    idempotent: bool = True
    signed: bool = True

    def build_path(self, **segments: object) -> str:
        """Fill the path template (values are inserted as text, as the official client does)."""
        return self.path.format(**{k: str(v) for k, v in segments.items()})


def _op(
    name: str,
    method: str,
    path: str,
    idempotent: Optional[bool] = None,
    project: bool = True,
    signed: bool = True,
    **disc: Optional[str],
) -> Operation:
    if idempotent is None:
        idempotent = method in ("GET", "PUT", "DELETE", "HEAD", "OPTIONS")
    return Operation(name, method, path, disc, project, idempotent, signed)


OPERATIONS: tuple[Operation, ...] = (
    # projects
    _op("ListProject", "GET", "/", project=False),
    _op("GetProject", "GET", "/"),
    _op("CreateProject", "POST", "/", idempotent=False),
    # the same call addressed to the service host, the project named only by ``projectName`` in
    # the body: how the Node SDK and the generated OpenAPI SDKs send it
    _op("CreateProjectAtEndpoint", "POST", "/", idempotent=False, project=False),
    _op("UpdateProject", "PUT", "/"),
    _op("DeleteProject", "DELETE", "/"),
    _op("GetProjectLogs", "GET", "/logs"),
    # logstores
    _op("ListLogStores", "GET", "/logstores"),
    _op("CreateLogStore", "POST", "/logstores", idempotent=False),
    _op("GetLogStore", "GET", "/logstores/{logstore}", type=None),
    _op("GetLogsV1", "GET", "/logstores/{logstore}", type="log"),
    _op("GetHistograms", "GET", "/logstores/{logstore}", type="histogram"),
    _op("ListTopics", "GET", "/logstores/{logstore}", type="topic"),
    _op("GetContextLogs", "GET", "/logstores/{logstore}", type="context_log"),
    _op("UpdateLogStore", "PUT", "/logstores/{logstore}"),
    _op("DeleteLogStore", "DELETE", "/logstores/{logstore}"),
    # shards, cursors, pull and put
    _op("ListShards", "GET", "/logstores/{logstore}/shards"),
    _op("GetCursor", "GET", "/logstores/{logstore}/shards/{shard}", type="cursor"),
    _op("GetCursorTime", "GET", "/logstores/{logstore}/shards/{shard}", type="cursor_time"),
    _op("PullLogs", "GET", "/logstores/{logstore}/shards/{shard}", type="log"),
    # the API reference spells the PullLogs type ``logs``; accepted as the same call
    _op("PullLogsAlias", "GET", "/logstores/{logstore}/shards/{shard}", type="logs"),
    _op("SplitShard", "POST", "/logstores/{logstore}/shards/{shard}", idempotent=False, action="split"),
    _op("MergeShards", "POST", "/logstores/{logstore}/shards/{shard}", idempotent=False, action="merge"),
    _op("DeleteShard", "DELETE", "/logstores/{logstore}/shards/{shard}"),
    _op("PutLogs", "POST", "/logstores/{logstore}/shards/lb", idempotent=False),
    _op("PutLogsRoute", "POST", "/logstores/{logstore}/shards/route", idempotent=False),
    # web tracking: anonymous writes from browsers (GET: one log in the query string, POST: a
    # JSON batch), and the CORS preflight a browser sends before the POST
    _op("PutWebtracking", "POST", "/logstores/{logstore}/track", idempotent=False, signed=False),
    _op("GetWebtracking", "GET", "/logstores/{logstore}/track", idempotent=False, signed=False),
    _op("WebtrackingPreflight", "OPTIONS", "/logstores/{logstore}/track", signed=False),
    # query
    _op("GetLogs", "POST", "/logstores/{logstore}/logs", idempotent=True),
    # index
    _op("CreateIndex", "POST", "/logstores/{logstore}/index", idempotent=False),
    _op("UpdateIndex", "PUT", "/logstores/{logstore}/index"),
    _op("GetIndex", "GET", "/logstores/{logstore}/index"),
    _op("DeleteIndex", "DELETE", "/logstores/{logstore}/index"),
    # consumer groups
    _op("ListConsumerGroup", "GET", "/logstores/{logstore}/consumergroups"),
    _op("CreateConsumerGroup", "POST", "/logstores/{logstore}/consumergroups", idempotent=False),
    _op("UpdateConsumerGroup", "PUT", "/logstores/{logstore}/consumergroups/{group}"),
    _op("DeleteConsumerGroup", "DELETE", "/logstores/{logstore}/consumergroups/{group}"),
    _op(
        "ConsumerGroupHeartBeat",
        "POST",
        "/logstores/{logstore}/consumergroups/{group}",
        idempotent=True,
        type="heartbeat",
    ),
    _op(
        "ConsumerGroupUpdateCheckPoint",
        "POST",
        "/logstores/{logstore}/consumergroups/{group}",
        idempotent=True,
        type="checkpoint",
    ),
    _op("ConsumerGroupGetCheckPoint", "GET", "/logstores/{logstore}/consumergroups/{group}"),
    # shippers
    _op("ListShipper", "GET", "/logstores/{logstore}/shipper"),
    _op("CreateShipper", "POST", "/logstores/{logstore}/shipper", idempotent=False),
    _op("GetShipper", "GET", "/logstores/{logstore}/shipper/{shipper}"),
    _op("UpdateShipper", "PUT", "/logstores/{logstore}/shipper/{shipper}"),
    _op("DeleteShipper", "DELETE", "/logstores/{logstore}/shipper/{shipper}"),
    _op("GetShipperTasks", "GET", "/logstores/{logstore}/shipper/{shipper}/tasks"),
    _op("RetryShipperTasks", "PUT", "/logstores/{logstore}/shipper/{shipper}/tasks"),
    # logtail configs
    _op("ListConfig", "GET", "/configs"),
    _op("CreateConfig", "POST", "/configs", idempotent=False),
    _op("GetConfig", "GET", "/configs/{config}"),
    _op("UpdateConfig", "PUT", "/configs/{config}"),
    _op("DeleteConfig", "DELETE", "/configs/{config}"),
    _op("GetAppliedMachineGroups", "GET", "/configs/{config}/machinegroups"),
    # machine groups
    _op("ListMachineGroup", "GET", "/machinegroups"),
    _op("CreateMachineGroup", "POST", "/machinegroups", idempotent=False),
    _op("GetMachineGroup", "GET", "/machinegroups/{group}"),
    _op("UpdateMachineGroup", "PUT", "/machinegroups/{group}"),
    _op("DeleteMachineGroup", "DELETE", "/machinegroups/{group}"),
    _op("ListMachines", "GET", "/machinegroups/{group}/machines"),
    _op("GetAppliedConfigs", "GET", "/machinegroups/{group}/configs"),
    _op("ApplyConfigToMachineGroup", "PUT", "/machinegroups/{group}/configs/{config}"),
    _op("RemoveConfigFromMachineGroup", "DELETE", "/machinegroups/{group}/configs/{config}"),
    # legacy ACL calls kept by 0.6.x clients
    _op("GetProjectAcl", "GET", "/", type="acl"),
    _op("UpdateProjectAcl", "PUT", "/", type="acl"),
    _op("GetLogStoreAcl", "GET", "/logstores/{logstore}", type="acl"),
    _op("UpdateLogStoreAcl", "PUT", "/logstores/{logstore}", type="acl"),
)

_BY_NAME = {op.name: op for op in OPERATIONS}


def operation(name: str) -> Operation:
    """Look an operation up by name (``KeyError`` when unknown: a programming error)."""
    return _BY_NAME[name]


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-z_]+\})", template)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def _specificity(op: Operation) -> tuple[int, int]:
    # Literal segments beat placeholders (``shards/lb`` before ``shards/{shard}``); then the
    # operation with more discriminating parameters wins.
    literal = len(re.sub(r"\{[a-z_]+\}", "", op.path))
    return (-literal, -len(op.discriminator))


_ROUTES: tuple[tuple[Operation, re.Pattern[str]], ...] = tuple(
    (op, _compile(op.path)) for op in sorted(OPERATIONS, key=_specificity)
)


def match(
    method: str, path: str, params: Mapping[str, str], has_project: bool
) -> Optional[tuple[Operation, dict[str, str]]]:
    """Find the operation a request addresses, with its path segments.

    ``None`` when nothing matches (the emulator answers 404). ``has_project`` tells the project
    root (``GET /`` = GetProject) from the service root (``GET /`` = ListProject).
    """
    method = method.upper()
    path = path if path == "/" else path.rstrip("/")
    for op, pattern in _ROUTES:
        if op.method != method or op.project != has_project:
            continue
        found = pattern.match(path)
        if found is None:
            continue
        if all(params.get(k) == v for k, v in op.discriminator.items()):
            return op, found.groupdict()
    return None
