"""The SLS REST operations as data: one entry per call, read by the client and the emulator's router.

An :class:`Operation` says how a call looks on the wire (method, path template, the query
parameter values that tell it apart from its neighbours, and for families that need it a body
field that does the same) and how the client should treat it (idempotent or not). Every entry is
a module constant (``GET_LOGSTORE``), so a misspelt operation is an ``AttributeError`` at import
and a mypy error, never a request.

The client builds every request from an entry (:meth:`Operation.build_path` validates the path
labels, :meth:`Operation.query` adds the discriminating parameters); the emulator routes requests
back to the entry with :func:`match`. A request the client can build is therefore a request the
emulator can route. The wire facts behind the table are in ``docs/protocol.md``. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import BadParameters

__all__ = ["OPERATIONS", "Operation", "Router", "check_project", "match", "operation"]

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# C0 and C1 control characters and DEL: never part of a name, and dangerous in logs and paths.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A project is the left-most DNS label of the host (docs/protocol.md "Addressing"): anything else
# (a dot, a colon, a space) would address another host or project.
_PROJECT = re.compile(r"^[A-Za-z0-9_-]+$")


def check_project(name: object) -> str:
    """``name`` if it can be a project (one DNS label); otherwise ``BadParameters``, before any I/O."""
    if not isinstance(name, str) or not _PROJECT.match(name):
        raise BadParameters("BadParameters", f"invalid project name: {name!r}")
    return name


def check_label(label: str, value: object) -> str:
    """The text of one path label (``{logstore}``, ``{shard}`` ...), or ``BadParameters``.

    A label is one path segment: empty, ``.``, ``..``, anything with ``/`` or ``\\``, control
    characters or surrounding blanks would address another resource (or none), so they never
    reach the wire. Shards are non-negative integers (an ``int`` or decimal digits); other
    labels are text (an ``int`` is written in decimal, as the official client would). Everything
    else is left to the service, which knows its naming rules; the sender percent-encodes it.
    """
    if label == "shard":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return str(value)
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return str(int(value))
        raise BadParameters("BadParameters", f"invalid shard id: {value!r}")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if (
        not isinstance(value, str)
        or value in ("", ".", "..")
        or "/" in value
        or "\\" in value
        or value != value.strip()
        or _CONTROL.search(value)
    ):
        raise BadParameters("BadParameters", f"invalid {label} name: {value!r}")
    return value


@dataclass(frozen=True, eq=False)  # each entry is one singleton: compared and hashed by identity
class Operation:
    """One REST call of the SLS API.

    :param name: the API name as SLS documents it (``PutLogs``).
    :param method: HTTP method.
    :param path: path template, ``{label}`` for a path segment (``/logstores/{logstore}``).
    :param discriminator: query parameters whose values select this operation among calls sharing
        method and path (``{"type": "cursor"}``); a value of ``None`` means "absent".
    :param body_discriminator: top-level JSON body fields that do the same where SLS dispatches
        on the body (``POST /jobs`` carries the job type in it); the client writes them into
        the body, the router reads them from it.
    :param project: whether the call is addressed to a project host.
    :param idempotent: whether sending it twice has the effect of sending it once, which makes
        it safe to retry after an ambiguous failure.
    :param alias_of: set on spellings the emulator accepts for another operation but the client
        never sends (the name of that operation).
    :param signed: whether the call carries a signature. Only web tracking is anonymous: browsers
        send it without credentials, and the logstore's ``enable_tracking`` setting admits it.
    :param sdk: whether this SDK sends the call (a client method builds it). False for aliases and
        for calls only other clients send (web tracking from browsers).
    """

    name: str
    method: str
    path: str
    discriminator: Mapping[str, Optional[str]] = field(default_factory=dict)
    body_discriminator: Mapping[str, str] = field(default_factory=dict)
    project: bool = True
    idempotent: bool = True
    alias_of: Optional[str] = None
    signed: bool = True
    sdk: bool = True

    @property
    def labels(self) -> tuple[str, ...]:
        """The placeholders of the path template, in order."""
        return tuple(_PLACEHOLDER.findall(self.path))

    def build_path(self, **labels: object) -> str:
        """The path of this call, labels validated (:func:`check_label`), not yet percent-encoded.

        :raises BadParameters: a label is not a valid name.
        :raises TypeError: the labels given are not exactly the template's (a programming error).
        """
        if set(labels) != set(self.labels):
            raise TypeError(f"{self.name} takes the path labels {self.labels}, got {sorted(labels)}")
        return _PLACEHOLDER.sub(lambda m: check_label(m.group(1), labels[m.group(1)]), self.path)

    def query(self, params: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
        """The query parameters of this call: its discriminating values first, then ``params``."""
        merged: dict[str, Any] = {k: v for k, v in self.discriminator.items() if v is not None}
        for key, value in (params or {}).items():
            if key in self.discriminator:
                raise TypeError(f"{self.name}: the parameter {key!r} belongs to the operation table")
            merged[key] = value
        return merged

    def body(self, document: Any) -> Any:
        """A JSON body with this call's discriminating body fields set."""
        if not self.body_discriminator:
            return document
        if not isinstance(document, Mapping):
            raise TypeError(f"{self.name} dispatches on body fields and needs a JSON object body")
        return {**document, **self.body_discriminator}


def _op(
    name: str,
    method: str,
    path: str,
    idempotent: Optional[bool] = None,
    project: bool = True,
    alias_of: Optional[str] = None,
    signed: bool = True,
    sdk: bool = True,
    **disc: Optional[str],
) -> Operation:
    if idempotent is None:
        idempotent = method in ("GET", "PUT", "DELETE", "HEAD", "OPTIONS")
    return Operation(name, method, path, disc, {}, project, idempotent, alias_of, signed, sdk and alias_of is None)


_LS = "/logstores/{logstore}"
_SHARD = _LS + "/shards/{shard}"
_CG = _LS + "/consumergroups/{group}"
_SHIPPER = _LS + "/shipper/{shipper}"

# projects
LIST_PROJECT = _op("ListProject", "GET", "/", project=False)
GET_PROJECT = _op("GetProject", "GET", "/")
CREATE_PROJECT = _op("CreateProject", "POST", "/", idempotent=False)
# the same call addressed to the service host, the project named only by ``projectName`` in the
# body: how the Node SDK and the generated OpenAPI SDKs send it
CREATE_PROJECT_AT_ENDPOINT = _op(
    "CreateProjectAtEndpoint", "POST", "/", idempotent=False, project=False, alias_of="CreateProject"
)
UPDATE_PROJECT = _op("UpdateProject", "PUT", "/")
DELETE_PROJECT = _op("DeleteProject", "DELETE", "/")
GET_PROJECT_LOGS = _op("GetProjectLogs", "GET", "/logs")
# logstores
LIST_LOGSTORES = _op("ListLogStores", "GET", "/logstores")
CREATE_LOGSTORE = _op("CreateLogStore", "POST", "/logstores", idempotent=False)
GET_LOGSTORE = _op("GetLogStore", "GET", _LS, type=None)
GET_LOGS_V1 = _op("GetLogsV1", "GET", _LS, type="log")
GET_HISTOGRAMS = _op("GetHistograms", "GET", _LS, type="histogram")
LIST_TOPICS = _op("ListTopics", "GET", _LS, type="topic")
GET_CONTEXT_LOGS = _op("GetContextLogs", "GET", _LS, type="context_log")
UPDATE_LOGSTORE = _op("UpdateLogStore", "PUT", _LS)
DELETE_LOGSTORE = _op("DeleteLogStore", "DELETE", _LS)
# shards, cursors, pull and put
LIST_SHARDS = _op("ListShards", "GET", _LS + "/shards")
GET_CURSOR = _op("GetCursor", "GET", _SHARD, type="cursor")
GET_CURSOR_TIME = _op("GetCursorTime", "GET", _SHARD, type="cursor_time")
PULL_LOGS = _op("PullLogs", "GET", _SHARD, type="log")
# the API reference spells the PullLogs type ``logs``; the emulator accepts it as the same call
PULL_LOGS_ALIAS = _op("PullLogsAlias", "GET", _SHARD, alias_of="PullLogs", type="logs")
SPLIT_SHARD = _op("SplitShard", "POST", _SHARD, idempotent=False, action="split")
MERGE_SHARDS = _op("MergeShards", "POST", _SHARD, idempotent=False, action="merge")
DELETE_SHARD = _op("DeleteShard", "DELETE", _SHARD)
PUT_LOGS = _op("PutLogs", "POST", _LS + "/shards/lb", idempotent=False)
PUT_LOGS_ROUTE = _op("PutLogsRoute", "POST", _LS + "/shards/route", idempotent=False)
# web tracking: anonymous writes from browsers (GET: one log in the query string, POST: a JSON
# batch), and the CORS preflight a browser sends before the POST
PUT_WEBTRACKING = _op("PutWebtracking", "POST", _LS + "/track", idempotent=False, signed=False, sdk=False)
GET_WEBTRACKING = _op("GetWebtracking", "GET", _LS + "/track", idempotent=False, signed=False, sdk=False)
WEBTRACKING_PREFLIGHT = _op("WebtrackingPreflight", "OPTIONS", _LS + "/track", signed=False, sdk=False)
# query
GET_LOGS = _op("GetLogs", "POST", _LS + "/logs", idempotent=True)
# index
CREATE_INDEX = _op("CreateIndex", "POST", _LS + "/index", idempotent=False)
UPDATE_INDEX = _op("UpdateIndex", "PUT", _LS + "/index")
GET_INDEX = _op("GetIndex", "GET", _LS + "/index")
DELETE_INDEX = _op("DeleteIndex", "DELETE", _LS + "/index")
# consumer groups
LIST_CONSUMER_GROUP = _op("ListConsumerGroup", "GET", _LS + "/consumergroups")
CREATE_CONSUMER_GROUP = _op("CreateConsumerGroup", "POST", _LS + "/consumergroups", idempotent=False)
UPDATE_CONSUMER_GROUP = _op("UpdateConsumerGroup", "PUT", _CG)
DELETE_CONSUMER_GROUP = _op("DeleteConsumerGroup", "DELETE", _CG)
CONSUMER_GROUP_HEARTBEAT = _op("ConsumerGroupHeartBeat", "POST", _CG, idempotent=True, type="heartbeat")
CONSUMER_GROUP_UPDATE_CHECKPOINT = _op("ConsumerGroupUpdateCheckPoint", "POST", _CG, idempotent=True, type="checkpoint")
CONSUMER_GROUP_GET_CHECKPOINT = _op("ConsumerGroupGetCheckPoint", "GET", _CG)
# shippers
LIST_SHIPPER = _op("ListShipper", "GET", _LS + "/shipper")
CREATE_SHIPPER = _op("CreateShipper", "POST", _LS + "/shipper", idempotent=False)
GET_SHIPPER = _op("GetShipper", "GET", _SHIPPER)
UPDATE_SHIPPER = _op("UpdateShipper", "PUT", _SHIPPER)
DELETE_SHIPPER = _op("DeleteShipper", "DELETE", _SHIPPER)
GET_SHIPPER_TASKS = _op("GetShipperTasks", "GET", _SHIPPER + "/tasks")
RETRY_SHIPPER_TASKS = _op("RetryShipperTasks", "PUT", _SHIPPER + "/tasks")
# logtail configs
LIST_CONFIG = _op("ListConfig", "GET", "/configs")
CREATE_CONFIG = _op("CreateConfig", "POST", "/configs", idempotent=False)
GET_CONFIG = _op("GetConfig", "GET", "/configs/{config}")
UPDATE_CONFIG = _op("UpdateConfig", "PUT", "/configs/{config}")
DELETE_CONFIG = _op("DeleteConfig", "DELETE", "/configs/{config}")
GET_APPLIED_MACHINE_GROUPS = _op("GetAppliedMachineGroups", "GET", "/configs/{config}/machinegroups")
# machine groups
LIST_MACHINE_GROUP = _op("ListMachineGroup", "GET", "/machinegroups")
CREATE_MACHINE_GROUP = _op("CreateMachineGroup", "POST", "/machinegroups", idempotent=False)
GET_MACHINE_GROUP = _op("GetMachineGroup", "GET", "/machinegroups/{group}")
UPDATE_MACHINE_GROUP = _op("UpdateMachineGroup", "PUT", "/machinegroups/{group}")
DELETE_MACHINE_GROUP = _op("DeleteMachineGroup", "DELETE", "/machinegroups/{group}")
LIST_MACHINES = _op("ListMachines", "GET", "/machinegroups/{group}/machines")
GET_APPLIED_CONFIGS = _op("GetAppliedConfigs", "GET", "/machinegroups/{group}/configs")
APPLY_CONFIG_TO_MACHINE_GROUP = _op("ApplyConfigToMachineGroup", "PUT", "/machinegroups/{group}/configs/{config}")
REMOVE_CONFIG_FROM_MACHINE_GROUP = _op(
    "RemoveConfigFromMachineGroup", "DELETE", "/machinegroups/{group}/configs/{config}"
)

# resource documents (docs/resources.md "Resource documents"): each family is a collection of
# named JSON documents
LIST_DASHBOARD = _op("ListDashboard", "GET", "/dashboards")
CREATE_DASHBOARD = _op("CreateDashboard", "POST", "/dashboards", idempotent=False)
GET_DASHBOARD = _op("GetDashboard", "GET", "/dashboards/{dashboard}")
UPDATE_DASHBOARD = _op("UpdateDashboard", "PUT", "/dashboards/{dashboard}")
DELETE_DASHBOARD = _op("DeleteDashboard", "DELETE", "/dashboards/{dashboard}")
LIST_SAVED_SEARCH = _op("ListSavedSearch", "GET", "/savedsearches")
CREATE_SAVED_SEARCH = _op("CreateSavedSearch", "POST", "/savedsearches", idempotent=False)
GET_SAVED_SEARCH = _op("GetSavedSearch", "GET", "/savedsearches/{savedsearch}")
UPDATE_SAVED_SEARCH = _op("UpdateSavedSearch", "PUT", "/savedsearches/{savedsearch}")
DELETE_SAVED_SEARCH = _op("DeleteSavedSearch", "DELETE", "/savedsearches/{savedsearch}")

# stores (docs/resources.md "External stores" ..., docs/projects-logstores.md "Metric stores")
LIST_EXTERNAL_STORE = _op("ListExternalStore", "GET", "/externalstores")
CREATE_EXTERNAL_STORE = _op("CreateExternalStore", "POST", "/externalstores", idempotent=False)
GET_EXTERNAL_STORE = _op("GetExternalStore", "GET", "/externalstores/{externalstore}")
UPDATE_EXTERNAL_STORE = _op("UpdateExternalStore", "PUT", "/externalstores/{externalstore}")
DELETE_EXTERNAL_STORE = _op("DeleteExternalStore", "DELETE", "/externalstores/{externalstore}")
LIST_LOGTAIL_PIPELINE_CONFIG = _op("ListLogtailPipelineConfig", "GET", "/pipelineconfigs")
CREATE_LOGTAIL_PIPELINE_CONFIG = _op("CreateLogtailPipelineConfig", "POST", "/pipelineconfigs", idempotent=False)
GET_LOGTAIL_PIPELINE_CONFIG = _op("GetLogtailPipelineConfig", "GET", "/pipelineconfigs/{pipelineconfig}")
UPDATE_LOGTAIL_PIPELINE_CONFIG = _op("UpdateLogtailPipelineConfig", "PUT", "/pipelineconfigs/{pipelineconfig}")
DELETE_LOGTAIL_PIPELINE_CONFIG = _op("DeleteLogtailPipelineConfig", "DELETE", "/pipelineconfigs/{pipelineconfig}")
LIST_STORE_VIEWS = _op("ListStoreViews", "GET", "/storeviews")
CREATE_STORE_VIEW = _op("CreateStoreView", "POST", "/storeviews", idempotent=False)
GET_STORE_VIEW = _op("GetStoreView", "GET", "/storeviews/{storeview}")
UPDATE_STORE_VIEW = _op("UpdateStoreView", "PUT", "/storeviews/{storeview}")
DELETE_STORE_VIEW = _op("DeleteStoreView", "DELETE", "/storeviews/{storeview}")
GET_LOGSTORE_METERING_MODE = _op("GetLogStoreMeteringMode", "GET", _LS + "/meteringmode")
UPDATE_LOGSTORE_METERING_MODE = _op("UpdateLogStoreMeteringMode", "PUT", _LS + "/meteringmode")
GET_METRIC_STORE_METERING_MODE = _op("GetMetricStoreMeteringMode", "GET", "/metricstores/{logstore}/meteringmode")
UPDATE_METRIC_STORE_METERING_MODE = _op("UpdateMetricStoreMeteringMode", "PUT", "/metricstores/{logstore}/meteringmode")
GET_LOGSTORE_MULTIMODAL_CONFIGURATION = _op(
    "GetLogStoreMultimodalConfiguration", "GET", _LS + "/multimodalconfiguration"
)
PUT_LOGSTORE_MULTIMODAL_CONFIGURATION = _op(
    "PutLogStoreMultimodalConfiguration", "PUT", _LS + "/multimodalconfiguration"
)
LIST_SUBSTORE = _op("ListSubStore", "GET", _LS + "/substores")
CREATE_SUBSTORE = _op("CreateSubStore", "POST", _LS + "/substores", idempotent=False)
GET_SUBSTORE = _op("GetSubStore", "GET", _LS + "/substores/{substore}")
UPDATE_SUBSTORE = _op("UpdateSubStore", "PUT", _LS + "/substores/{substore}")
DELETE_SUBSTORE = _op("DeleteSubStore", "DELETE", _LS + "/substores/{substore}")
GET_SUBSTORE_TTL = _op("GetSubStoreTTL", "GET", _LS + "/substores/storage/ttl")
UPDATE_SUBSTORE_TTL = _op("UpdateSubStoreTTL", "PUT", _LS + "/substores/storage/ttl")
# the metric store calls of the generated OpenAPI clients (Go, Java, Terraform ...); this SDK, like
# the official one, sends the logstore and substore calls instead
LIST_METRIC_STORES = _op("ListMetricStores", "GET", "/metricstores", sdk=False)
CREATE_METRIC_STORE = _op("CreateMetricStore", "POST", "/metricstores", idempotent=False, sdk=False)
GET_METRIC_STORE = _op("GetMetricStore", "GET", "/metricstores/{logstore}", sdk=False)
UPDATE_METRIC_STORE = _op("UpdateMetricStore", "PUT", "/metricstores/{logstore}", sdk=False)
DELETE_METRIC_STORE = _op("DeleteMetricStore", "DELETE", "/metricstores/{logstore}", sdk=False)
LIST_SQL_INSTANCE = _op("ListSqlInstance", "GET", "/sqlinstance")
CREATE_SQL_INSTANCE = _op("CreateSqlInstance", "POST", "/sqlinstance", idempotent=False)
UPDATE_SQL_INSTANCE = _op("UpdateSqlInstance", "PUT", "/sqlinstance")
# datamod: changing stored data and asynchronous SQL (docs/changing-data.md)
DELETE_LOGS_TASK = _op("CreateDeleteLogsTask", "POST", _LS + "/deletelogtasks", idempotent=False)
LIST_DELETE_LOGS_TASKS = _op("ListDeleteLogsTasks", "GET", _LS + "/deletelogtasks")
GET_DELETE_LOGS_STATUS = _op("GetDeleteLogsStatus", "GET", _LS + "/deletelogtasks/{task}")
# deleting or setting the same rows again changes nothing more: safe to retry
DELETE_LOGS = _op("DeleteLogs", "POST", _LS + "/deletelogs", idempotent=True)
UPDATE_LOGS = _op("UpdateLogs", "POST", _LS + "/updatelogs", idempotent=True)
ENABLE_LOGSTORE_MODIFY = _op("EnableLogStoreModify", "PUT", _LS + "/modification")
SUBMIT_ASYNC_SQL = _op("SubmitAsyncSql", "POST", "/asyncsql", idempotent=False)
GET_ASYNC_SQL = _op("GetAsyncSql", "GET", "/asyncsql/{query_id}")
DELETE_ASYNC_SQL = _op("DeleteAsyncSql", "DELETE", "/asyncsql/{query_id}")
# tags: tags, resources and records, topostores, resource policies, objects (docs/tags.md).
# Tag calls go to the service host, or to a project's host when the resource names a project
# (the official client's choice): two entries per call, one per host.
TAG_RESOURCES = _op("TagResources", "POST", "/tag", idempotent=True, project=False)
TAG_RESOURCES_AT_PROJECT = _op("TagResourcesAtProject", "POST", "/tag", idempotent=True)
UNTAG_RESOURCES = _op("UntagResources", "POST", "/untag", idempotent=True, project=False)
UNTAG_RESOURCES_AT_PROJECT = _op("UntagResourcesAtProject", "POST", "/untag", idempotent=True)
LIST_TAG_RESOURCES = _op("ListTagResources", "GET", "/tags", project=False)
LIST_TAG_RESOURCES_AT_PROJECT = _op("ListTagResourcesAtProject", "GET", "/tags")
CHANGE_RESOURCE_GROUP = _op("ChangeResourceGroup", "PUT", "/resourcegroup")
_RES = "/resources/{resource}"
LIST_RESOURCES = _op("ListResources", "GET", "/resources", project=False)
CREATE_RESOURCE = _op("CreateResource", "POST", "/resources", idempotent=False, project=False)
GET_RESOURCE = _op("GetResource", "GET", _RES, project=False)
UPDATE_RESOURCE = _op("UpdateResource", "PUT", _RES, project=False)
DELETE_RESOURCE = _op("DeleteResource", "DELETE", _RES, project=False)
LIST_RESOURCE_RECORDS = _op("ListResourceRecords", "GET", _RES + "/records", project=False)
CREATE_RESOURCE_RECORD = _op("CreateResourceRecord", "POST", _RES + "/records", idempotent=False, project=False)
UPSERT_RESOURCE_RECORDS = _op("UpsertResourceRecords", "PUT", _RES + "/records", project=False)
DELETE_RESOURCE_RECORDS = _op("DeleteResourceRecords", "DELETE", _RES + "/records", project=False)
GET_RESOURCE_RECORD = _op("GetResourceRecord", "GET", _RES + "/records/{record}", project=False)
UPDATE_RESOURCE_RECORD = _op("UpdateResourceRecord", "PUT", _RES + "/records/{record}", project=False)
_TOPO = "/topostores/{topostore}"
LIST_TOPOSTORES = _op("ListTopostores", "GET", "/topostores", project=False)
CREATE_TOPOSTORE = _op("CreateTopostore", "POST", "/topostores", idempotent=False, project=False)
GET_TOPOSTORE = _op("GetTopostore", "GET", _TOPO, project=False)
UPDATE_TOPOSTORE = _op("UpdateTopostore", "PUT", _TOPO, project=False)
DELETE_TOPOSTORE = _op("DeleteTopostore", "DELETE", _TOPO, project=False)
LIST_TOPOSTORE_NODES = _op("ListTopostoreNodes", "GET", _TOPO + "/nodes", project=False)
CREATE_TOPOSTORE_NODE = _op("CreateTopostoreNode", "POST", _TOPO + "/nodes", idempotent=False, project=False)
UPSERT_TOPOSTORE_NODES = _op("UpsertTopostoreNodes", "PUT", _TOPO + "/nodes", project=False)
DELETE_TOPOSTORE_NODES = _op("DeleteTopostoreNodes", "DELETE", _TOPO + "/nodes", project=False)
GET_TOPOSTORE_NODE = _op("GetTopostoreNode", "GET", _TOPO + "/nodes/{node}", project=False)
UPDATE_TOPOSTORE_NODE = _op("UpdateTopostoreNode", "PUT", _TOPO + "/nodes/{node}", project=False)
LIST_TOPOSTORE_RELATIONS = _op("ListTopostoreRelations", "GET", _TOPO + "/relations", project=False)
CREATE_TOPOSTORE_RELATION = _op(
    "CreateTopostoreRelation", "POST", _TOPO + "/relations", idempotent=False, project=False
)
UPSERT_TOPOSTORE_RELATIONS = _op("UpsertTopostoreRelations", "PUT", _TOPO + "/relations", project=False)
DELETE_TOPOSTORE_RELATIONS = _op("DeleteTopostoreRelations", "DELETE", _TOPO + "/relations", project=False)
GET_TOPOSTORE_RELATION = _op("GetTopostoreRelation", "GET", _TOPO + "/relations/{relation}", project=False)
UPDATE_TOPOSTORE_RELATION = _op("UpdateTopostoreRelation", "PUT", _TOPO + "/relations/{relation}", project=False)
PUT_RESOURCE_POLICY = _op("PutResourcePolicy", "PUT", "/resource-policies")
GET_RESOURCE_POLICY = _op("GetResourcePolicy", "GET", "/resource-policies")
DELETE_RESOURCE_POLICY = _op("DeleteResourcePolicy", "DELETE", "/resource-policies")
PUT_OBJECT = _op("PutObject", "PUT", _LS + "/objects/{object}")
GET_OBJECT = _op("GetObject", "GET", _LS + "/objects/{object}")
# jobs (docs/jobs.md): one /jobs store for every job type (alerts, ETL, exports, ingestion,
# scheduled SQL, index rebuilds), the body's ``type`` telling them apart; actions are PUTs
# with ``action=``
_JOB = "/jobs/{job}"
LIST_JOBS = _op("ListJobs", "GET", "/jobs")
CREATE_JOB = _op("CreateJob", "POST", "/jobs", idempotent=False)
GET_JOB = _op("GetJob", "GET", _JOB)
UPDATE_JOB = _op("UpdateJob", "PUT", _JOB, action=None)
DELETE_JOB = _op("DeleteJob", "DELETE", _JOB)
ENABLE_JOB = _op("EnableJob", "PUT", _JOB, action="enable")
DISABLE_JOB = _op("DisableJob", "PUT", _JOB, action="disable")
START_JOB = _op("StartJob", "PUT", _JOB, action="START")
STOP_JOB = _op("StopJob", "PUT", _JOB, action="STOP")
RESTART_JOB = _op("RestartJob", "PUT", _JOB, action="RESTART")
LIST_JOB_INSTANCES = _op("ListJobInstances", "GET", _JOB + "/jobinstances")
GET_JOB_INSTANCE = _op("GetJobInstance", "GET", _JOB + "/jobinstances/{instance}")
MODIFY_JOB_INSTANCE_STATE = _op("ModifyJobInstanceState", "PUT", _JOB + "/jobinstances/{instance}")
# the alert calls as the generated OpenAPI SDKs send them (``/alerts``): the same store
_ALERT = "/alerts/{alert}"
LIST_ALERTS = _op("ListAlerts", "GET", "/alerts", alias_of="ListJobs")
CREATE_ALERT = _op("CreateAlert", "POST", "/alerts", idempotent=False, alias_of="CreateJob")
GET_ALERT = _op("GetAlert", "GET", _ALERT, alias_of="GetJob")
UPDATE_ALERT = _op("UpdateAlert", "PUT", _ALERT, alias_of="UpdateJob", action=None)
DELETE_ALERT = _op("DeleteAlert", "DELETE", _ALERT, alias_of="DeleteJob")
ENABLE_ALERT = _op("EnableAlert", "PUT", _ALERT, alias_of="EnableJob", action="enable")
DISABLE_ALERT = _op("DisableAlert", "PUT", _ALERT, alias_of="DisableJob", action="disable")

#: every operation, in the order above
OPERATIONS: tuple[Operation, ...] = tuple(v for v in dict(globals()).values() if isinstance(v, Operation))

_BY_NAME = {op.name: op for op in OPERATIONS}
if len(_BY_NAME) != len(OPERATIONS):  # pragma: no cover - caught at import by every test
    raise RuntimeError("two operations share a name")


def operation(name: str) -> Operation:
    """Look an operation up by name (``KeyError`` when unknown: a programming error)."""
    return _BY_NAME[name]


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-z_]+\})", template)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def _specificity(op: Operation) -> tuple[int, int]:
    # Literal segments beat placeholders (``shards/lb`` before ``shards/{shard}``); then the
    # operation with more discriminating parameters (query or body) wins.
    literal = len(_PLACEHOLDER.sub("", op.path))
    return (-literal, -(len(op.discriminator) + len(op.body_discriminator)))


class Router:
    """Finds the operation a request addresses among ``operations``."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        self._routes = tuple((op, _compile(op.path)) for op in sorted(operations, key=_specificity))

    def match(
        self,
        method: str,
        path: str,
        params: Mapping[str, str],
        has_project: bool,
        body: Optional[Mapping[str, Any]] = None,
    ) -> Optional[tuple[Operation, dict[str, str]]]:
        """The operation and its path labels, or ``None`` when nothing matches (the emulator answers 404).

        ``has_project`` tells the project root (``GET /`` = GetProject) from the service root
        (``GET /`` = ListProject). ``body`` is the request's JSON object, needed only for
        operations that dispatch on a body field; without it those never match.
        """
        method = method.upper()
        path = path if path == "/" else path.rstrip("/")
        for op, pattern in self._routes:
            if op.method != method or op.project != has_project:
                continue
            found = pattern.match(path)
            if found is None:
                continue
            if not all(params.get(k) == v for k, v in op.discriminator.items()):
                continue
            if op.body_discriminator and (
                body is None or not all(body.get(k) == v for k, v in op.body_discriminator.items())
            ):
                continue
            return op, found.groupdict()
        return None


_ROUTER = Router(OPERATIONS)


def match(
    method: str,
    path: str,
    params: Mapping[str, str],
    has_project: bool,
    body: Optional[Mapping[str, Any]] = None,
) -> Optional[tuple[Operation, dict[str, str]]]:
    """:meth:`Router.match` over :data:`OPERATIONS`."""
    return _ROUTER.match(method, path, params, has_project, body)
