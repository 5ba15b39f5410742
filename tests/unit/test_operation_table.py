"""The operation table: every entry builds a request that routes back to it, and exactly one client
function builds each entry (read from the source, so a second hand-written copy of a call fails here)."""

from __future__ import annotations

import ast
import urllib.parse
from collections import defaultdict
from pathlib import Path

import pytest

from aliyun.log import LogClient, errors
from aliyun.log import _ops as ops
from aliyun.log._ops import OPERATIONS, Operation, Router, match, operation
from aliyun.log._transport import HttpRequest, HttpResponse

CLIENT_DIR = Path(ops.__file__).resolve().parent.parent / "_client"
_SAMPLE = {"logstore": "ls-1", "shard": 3, "group": "g_1", "config": "cfg", "shipper": "ship"}


def sample(label: str) -> object:
    """A valid value of a path label (``<label>-1`` for the name labels of later families)."""
    return _SAMPLE.get(label, f"{label}-1")


CONSTANTS = {name: value for name, value in vars(ops).items() if isinstance(value, Operation)}


def request_of(op: Operation) -> tuple[str, dict[str, str]]:
    path = op.build_path(**{label: sample(label) for label in op.labels})
    return path, {k: str(v) for k, v in op.query({}).items()}


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_each_entry_routes_back_to_itself(op: Operation) -> None:
    path, params = request_of(op)
    found = match(op.method, path, params, op.project)
    assert found is not None
    routed, segments = found
    assert routed is op
    assert segments == {label: str(sample(label)) for label in op.labels}


def test_names_are_unique_and_constants_cover_the_table() -> None:
    assert len({op.name for op in OPERATIONS}) == len(OPERATIONS)
    assert set(CONSTANTS.values()) == set(OPERATIONS)
    assert all(operation(op.name) is op for op in OPERATIONS)
    with pytest.raises(KeyError):
        operation("GetLogstore")  # a misspelling is an error, never a request


def test_aliases_name_a_real_operation() -> None:
    aliases = [op for op in OPERATIONS if op.alias_of]
    assert [op.name for op in aliases][:2] == ["CreateProjectAtEndpoint", "PullLogsAlias"]
    # the alert calls of the generated OpenAPI SDKs: another path spelling of the /jobs calls
    respelled = {op.name for op in aliases if op.path.startswith("/alerts")}
    assert respelled == {f"{verb}Alert" for verb in ("Create", "Get", "Update", "Delete", "Enable", "Disable")} | {
        "ListAlerts"
    }
    for alias in aliases:
        target = operation(alias.alias_of or "")
        path = target.path if alias.name in respelled else alias.path
        assert (target.method, target.path, target.alias_of) == (alias.method, path, None)
        assert len(target.labels) == len(alias.labels)
        assert not alias.sdk


def test_only_web_tracking_is_unsigned_and_sent_by_other_clients_only() -> None:
    unsigned = {op.name for op in OPERATIONS if not op.signed}
    assert unsigned == {"PutWebtracking", "GetWebtracking", "WebtrackingPreflight"}
    # the generated OpenAPI clients' metric store calls (this SDK sends logstore + substore calls)
    metric_stores = {f"{verb}MetricStore" for verb in ("Create", "Get", "Update", "Delete")} | {"ListMetricStores"}
    assert {op.name for op in OPERATIONS if not op.sdk and not op.alias_of} == unsigned | metric_stores


def _constants_used_by_function(source: Path) -> dict[str, set[str]]:
    """``ops.X`` constant → the functions (``Class.method`` or nested ``outer.inner``) naming it."""
    used: dict[str, set[str]] = defaultdict(set)

    def visit(node: ast.AST, scope: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, [*scope, child.name])
                continue
            if (
                isinstance(child, ast.Attribute)
                and isinstance(child.value, ast.Name)
                and child.value.id == "ops"
                and child.attr in CONSTANTS
            ):
                # nested helpers (``fetch`` inside ``list_project``) belong to their method
                used[child.attr].add(".".join(scope[:2]))
            visit(child, scope)

    visit(ast.parse(source.read_text(encoding="utf-8")), [source.stem])
    return used


def test_exactly_one_client_function_builds_each_operation() -> None:
    builders: dict[str, set[str]] = defaultdict(set)
    for source in sorted(CLIENT_DIR.glob("*.py")):
        for constant, functions in _constants_used_by_function(source).items():
            builders[constant] |= functions
    expected = {name for name, op in CONSTANTS.items() if op.sdk}
    assert set(builders) == expected, "an operation no client method sends, or an alias the client sends"
    several = {name: sorted(functions) for name, functions in builders.items() if len(functions) != 1}
    assert several == {}


def test_no_rest_path_is_written_in_the_client() -> None:
    for source in CLIENT_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                assert not text.startswith(("/logstores", "/configs", "/machinegroups", "/shards")), (source, text)


def test_discriminators_come_from_the_entry() -> None:
    assert ops.GET_CURSOR.query({"from": "begin"}) == {"type": "cursor", "from": "begin"}
    assert ops.GET_LOGSTORE.query({}) == {}  # "type absent" is not sent
    assert ops.SPLIT_SHARD.query({"key": "8" * 32}) == {"action": "split", "key": "8" * 32}
    with pytest.raises(TypeError):
        ops.PULL_LOGS.query({"type": "logs"})  # the caller cannot override the table


def test_labels_must_be_exactly_the_templates() -> None:
    with pytest.raises(TypeError):
        ops.GET_CURSOR.build_path(logstore="ls")
    with pytest.raises(TypeError):
        ops.GET_LOGSTORE.build_path(logstore="ls", shard=0)
    assert ops.GET_CURSOR.build_path(logstore="ls", shard="07") == "/logstores/ls/shards/7"


@pytest.mark.parametrize(
    "value", ["", ".", "..", "a/b", "a\\b", " ls", "ls ", "a\x00b", "a\nb", "a\x7fb", True, None, b"ls"]
)
def test_bad_labels_are_bad_parameters(value: object) -> None:
    with pytest.raises(errors.BadParameters):
        ops.GET_LOGSTORE.build_path(logstore=value)


@pytest.mark.parametrize("value", ["0/../1", "-1", "x", "", -1, True, 1.5, None, "٣"])
def test_bad_shards_are_bad_parameters(value: object) -> None:
    with pytest.raises(errors.BadParameters):
        ops.DELETE_SHARD.build_path(logstore="ls", shard=value)


def test_unusual_names_pass_through_to_the_service() -> None:
    # Naming rules are the service's; the SDK only refuses what would address another resource.
    assert ops.GET_LOGSTORE.build_path(logstore="a..b%?#") == "/logstores/a..b%?#"
    assert ops.GET_LOGSTORE.build_path(logstore=2024) == "/logstores/2024"


def test_labels_are_percent_encoded_on_the_wire_and_signed_unencoded() -> None:
    sent: list[HttpRequest] = []

    class Capture:
        def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
            sent.append(request)
            return HttpResponse(200, {}, b"[]")

        def close(self) -> None:
            pass

    client = LogClient("cn-hangzhou.log.aliyuncs.com", "ak", "sk", transport=Capture())
    client.list_shards("proj", "a b?#%")
    assert sent[0].target == "/logstores/a%20b%3F%23%25/shards"
    routed = match("GET", urllib.parse.unquote(sent[0].target), {}, True)
    assert routed is not None and routed[0] is ops.LIST_SHARDS and routed[1] == {"logstore": "a b?#%"}


def test_a_family_can_dispatch_on_a_body_field() -> None:
    etl = Operation("CreateETL", "POST", "/jobs", body_discriminator={"type": "ETL"}, idempotent=False)
    sql = Operation("CreateScheduledSQL", "POST", "/jobs", body_discriminator={"type": "ScheduledSQL"})
    listing = Operation("ListJobs", "GET", "/jobs")
    router = Router([etl, sql, listing])
    assert etl.body({"name": "j"}) == {"name": "j", "type": "ETL"}
    assert router.match("POST", "/jobs", {}, True, {"type": "ScheduledSQL", "name": "x"}) == (sql, {})
    assert router.match("POST", "/jobs", {}, True, {"type": "ETL"}) == (etl, {})
    assert router.match("POST", "/jobs", {}, True, {"type": "Other"}) is None
    assert router.match("POST", "/jobs", {}, True) is None  # no body: a body-dispatched call cannot match
    assert router.match("GET", "/jobs", {}, True) == (listing, {})
    with pytest.raises(TypeError):
        etl.body(["not", "an", "object"])


def test_idempotency_flags() -> None:
    not_idempotent = {op.name for op in OPERATIONS if not op.idempotent}
    assert {"PutLogs", "PutLogsRoute", "CreateLogStore", "SplitShard", "MergeShards"} <= not_idempotent
    assert {"GetLogs", "ConsumerGroupHeartBeat", "ConsumerGroupUpdateCheckPoint"}.isdisjoint(not_idempotent)
