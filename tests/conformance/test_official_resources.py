"""The official SDK's logtail config, machine group and shipper calls against the emulator.

Each test runs one batched script with the unmodified official client (fixtures in ``conftest.py``) and
asserts here on what it saw; the official client parses every answer into its own typed objects, so a
shape the emulator gets wrong shows up as an exception in the script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock

pytestmark = pytest.mark.conformance

REQUEST_ID = re.compile(r"^[0-9A-F]{24}$")
START = 1_700_000_000


def assert_error(found: Any, code: str, status: int) -> None:
    assert found is not None, f"expected {code}, the call succeeded"
    assert (found["code"], found["status"]) == (code, status), found
    assert REQUEST_ID.match(found["request_id"]), found


CONFIGS_SCRIPT = """
import io, contextlib
from aliyun.log.logtail_config_detail import ApsaraLogConfigDetail
P = "conf-configs"
out = {}
client.create_project(P, "configs")
client.create_logstore(P, "logs", shard_count=1)
client.create_logstore(P, "other", shard_count=1)

details = [
    SimpleFileConfigDetail("logs", "simple", "/var/log", "*.log"),
    FullRegFileConfigDetail("logs", "fullreg", "/var/log", "*.log", "sample line", regex="(\\\\S+) (.*)",
                            key=["level", "msg"], timeFormat="%Y"),
    JsonFileConfigDetail("logs", "json", "/var/log", "*.json", timeKey="ts"),
    SeperatorFileConfigDetail("other", "csv", "/var/log", "*.csv", "a,b", ",", ["a", "b"]),
    ApsaraFileConfigDetail("logs", "apsara", "/var/log", "*.log", "\\\\[.*"),
    SyslogConfigDetail("logs", "syslog", "tag1"),
    PluginConfigDetail("logs", "plugin", {"inputs": [{"type": "metric_mock", "detail": {}}]}),
    CommonRegLogConfigDetail("legacy-reg", "logs", "", "/p", "*.log", "%Y", "x.*", "(x)(.*)", ["a", "b"]),
    ApsaraLogConfigDetail("legacy-apsara", "logs", "", "/p", "*.log"),
]
for detail in details:
    client.create_logtail_config(P, detail)
out["sent"] = {d.config_name: d.to_json() for d in details}
out["got"] = {}
out["types"] = {}
for detail in details:
    name = detail.config_name
    res = client.get_logtail_config(P, name)
    out["got"][name] = res.get_body()
    out["types"][name] = type(res.logtail_config).__name__
    with contextlib.redirect_stdout(io.StringIO()):
        res.log_print()

listing = client.list_logtail_config(P)
out["list"] = {"count": listing.get_configs_count(), "total": listing.get_configs_total(),
               "configs": listing.get_configs()}
out["page"] = client.list_logtail_config(P, offset=2, size=3).get_configs()
out["by_logstore"] = client.list_logtail_config(P, logstore="other").get_configs()
out["by_name"] = client.list_logtail_config(P, config="legacy").get_configs()
out["all"] = client.list_logtail_config(P, size=-1).get_configs()

changed = SimpleFileConfigDetail("logs", "simple", "/srv/log", "*.txt")
client.update_logtail_config(P, changed)
out["updated"] = client.get_logtail_config(P, "simple").get_body()["inputDetail"]["logPath"]

out["errors"] = {
    "duplicate": error_of(client.create_logtail_config, P, details[0]),
    "missing": error_of(client.get_logtail_config, P, "missing"),
    "delete_missing": error_of(client.delete_logtail_config, P, "missing"),
    "update_missing": error_of(client.update_logtail_config, P, SimpleFileConfigDetail("logs", "missing", "/", "*")),
}
client.delete_logtail_config(P, "syslog")
out["after_delete"] = error_of(client.get_logtail_config, P, "syslog")
emit(out)
"""


def test_logtail_configs(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(CONFIGS_SCRIPT, emulator)

    for name, sent in out["sent"].items():
        got = out["got"][name]
        assert {k: v for k, v in got.items() if k not in ("createTime", "lastModifyTime")} == sent, name
        assert isinstance(got["createTime"], int) and isinstance(got["lastModifyTime"], int)
    assert out["types"] == {
        "simple": "SimpleFileConfigDetail",
        "fullreg": "SimpleFileConfigDetail",
        "json": "JsonFileConfigDetail",
        "csv": "SeperatorFileConfigDetail",
        "apsara": "ApsaraFileConfigDetail",
        "syslog": "SyslogConfigDetail",
        "plugin": "PluginConfigDetail",
        "legacy-reg": "SimpleFileConfigDetail",
        "legacy-apsara": "ApsaraFileConfigDetail",
    }
    names = sorted(out["sent"])
    assert out["list"] == {"count": 9, "total": 9, "configs": names}
    assert out["page"] == names[2:5]
    assert out["by_logstore"] == ["csv"]
    assert out["by_name"] == ["legacy-apsara", "legacy-reg"]
    assert out["all"] == names
    assert out["updated"] == "/srv/log"
    errors = out["errors"]
    assert_error(errors["duplicate"], "ConfigAlreadyExist", 400)
    assert_error(errors["missing"], "ConfigNotExist", 404)
    assert_error(errors["delete_missing"], "ConfigNotExist", 404)
    assert_error(errors["update_missing"], "ConfigNotExist", 404)
    assert_error(out["after_delete"], "ConfigNotExist", 404)

    # What the official client wrote is what our client reads.
    ours = emulator.client(in_process=True)
    assert ours.get_logtail_config("conf-configs", "json").get_body() == out["got"]["json"]


GROUPS_SCRIPT = """
P = "conf-groups"
out = {}
client.create_project(P, "machine groups")
client.create_logstore(P, "logs", shard_count=1)
for name in ("c1", "c2"):
    client.create_logtail_config(P, SimpleFileConfigDetail("logs", name, "/var/log", "*.log"))
g1 = MachineGroupDetail("g1", "ip", ["10.0.0.1", "10.0.0.2", "10.0.0.3"], "Armory",
                        {"externalName": "ext", "groupTopic": "topic"})
g2 = MachineGroupDetail()
g2.from_json({"group_name": "g2", "machine_type": "userdefined", "machine_list": ["web"]})
client.create_machine_group(P, g1)
client.create_machine_group(P, g2)

got = client.get_machine_group(P, "g1").get_machine_group()
out["g1"] = got.to_json()
listing = client.list_machine_group(P)
out["list"] = {"groups": listing.get_machine_group(), "count": listing.get_machine_group_count(),
               "total": listing.get_machine_group_total()}
machines = client.list_machines(P, "g1")
out["machines"] = {"count": machines.get_machine_count(), "total": machines.get_machine_total(),
                   "ips": [m.ip for m in machines.get_machines()],
                   "ids": [m.machine_unique_id for m in machines.get_machines()]}
out["machines_page"] = [m.ip for m in client.list_machines(P, "g1", 1, 1).get_machines()]
out["userdefined"] = [m.user_defined_id for m in client.list_machines(P, "g2").get_machines()]

for config, group in (("c1", "g1"), ("c2", "g1"), ("c1", "g2"), ("c1", "g2")):
    client.apply_config_to_machine_group(P, config, group)
applied = client.get_machine_group_applied_configs(P, "g1")
out["applied"] = {"count": applied.get_config_count(), "configs": applied.get_configs()}
groups = client.get_config_applied_machine_groups(P, "c1")
out["groups_of_c1"] = {"count": groups.get_machine_group_count(), "groups": groups.get_machine_groups()}
client.remove_config_to_machine_group(P, "c2", "g1")
out["after_remove"] = client.get_machine_group_applied_configs(P, "g1").get_configs()

g1.machine_list = ["10.0.0.9"]
client.update_machine_group(P, g1)
out["updated"] = client.get_machine_group(P, "g1").get_machine_group().machine_list
out["still_applied"] = client.get_machine_group_applied_configs(P, "g1").get_configs()

out["errors"] = {
    "duplicate": error_of(client.create_machine_group, P, g1),
    "missing": error_of(client.get_machine_group, P, "missing"),
    "apply_missing_config": error_of(client.apply_config_to_machine_group, P, "missing", "g1"),
    "apply_missing_group": error_of(client.apply_config_to_machine_group, P, "c1", "missing"),
}
client.delete_machine_group(P, "g2")
out["after_delete"] = error_of(client.get_machine_group, P, "g2")
out["groups_after_delete"] = client.get_config_applied_machine_groups(P, "c1").get_machine_groups()

# copy_project copies configs (its loop stops only on ConfigAlreadyExist) and, when asked, machine
# groups with their applied configs (re-applied in a loop: apply must be idempotent).
client.copy_project(P, "conf-groups-copy", copy_machine_group=True)
out["copy"] = {
    "configs": client.list_logtail_config("conf-groups-copy").get_configs(),
    "groups": client.list_machine_group("conf-groups-copy").get_machine_group(),
    "applied": client.get_machine_group_applied_configs("conf-groups-copy", "g1").get_configs(),
}
emit(out)
"""


def test_machine_groups(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(GROUPS_SCRIPT, emulator, timeout=300)

    assert out["g1"] == {
        "groupName": "g1",
        "groupType": "Armory",
        "groupAttribute": {"externalName": "ext", "groupTopic": "topic"},
        "machineIdentifyType": "ip",
        "machineList": ["10.0.0.1", "10.0.0.2", "10.0.0.3"],
    }
    assert out["list"] == {"groups": ["g1", "g2"], "count": 2, "total": 2}
    assert out["machines"]["ips"] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert (out["machines"]["count"], out["machines"]["total"]) == (3, 3)
    assert len(set(out["machines"]["ids"])) == 3
    assert out["machines_page"] == ["10.0.0.2"]
    assert out["userdefined"] == ["web"]
    assert out["applied"] == {"count": 2, "configs": ["c1", "c2"]}
    assert out["groups_of_c1"] == {"count": 2, "groups": ["g1", "g2"]}
    assert out["after_remove"] == ["c1"]
    assert out["updated"] == ["10.0.0.9"]
    assert out["still_applied"] == ["c1"]
    errors = out["errors"]
    assert_error(errors["duplicate"], "MachineGroupAlreadyExist", 400)
    assert_error(errors["missing"], "MachineGroupNotExist", 404)
    assert_error(errors["apply_missing_config"], "ConfigNotExist", 404)
    assert_error(errors["apply_missing_group"], "MachineGroupNotExist", 404)
    assert_error(out["after_delete"], "MachineGroupNotExist", 404)
    assert out["groups_after_delete"] == ["g1"]
    assert out["copy"] == {"configs": ["c1", "c2"], "groups": ["g1"], "applied": ["c1"]}


SHIPPERS_CREATE_SCRIPT = """
P, L = "conf-ship", "logs"
out = {}
client.create_project(P, "shippers")
client.create_logstore(P, L, shard_count=1)
oss = OssShipperConfig("bucket", "prefix/", "acs:ram::1:role/r", buffer_interval=300)
odps = OdpsShipperConfig("http://odps", "proj", "tbl", ["a", "b"], ["p"], "%Y%m%d")
client.create_shipper(P, L, {"shipperName": "to-oss", "targetType": "oss", "targetConfiguration": oss.to_json()})
client.create_shipper(P, L, {"shipperName": "to-odps", "targetType": "odps",
                             "targetConfiguration": odps.to_json()})
listing = client.list_shipper(P, L)
out["list"] = {"entities": listing.get_entities(), "count": listing.get_count(), "total": listing.get_total()}
out["page"] = client.list_shipper(P, L, 1, 1).get_entities()
out["get"] = client.get_shipper(P, L, "to-oss").get_entity()
client.update_shipper(P, L, {"shipperName": "to-odps", "targetType": "odps",
                             "targetConfiguration": dict(odps.to_json(), bufferInterval=3600)})
out["updated"] = client.get_shipper(P, L, "to-odps").get_entity()["targetConfiguration"]["bufferInterval"]
out["errors"] = {
    "missing": error_of(client.get_shipper, P, L, "missing"),
    "delete_missing": error_of(client.delete_shipper, P, L, "missing"),
    "missing_logstore": error_of(client.list_shipper, P, "nostore"),
}
emit(out)
"""

SHIPPERS_TASKS_SCRIPT = """
P, L = "conf-ship", "logs"
start, now = PARAMS
out = {}
res = client.get_shipper_tasks(P, L, "to-oss", start, now)
out["tasks"] = [t.to_json() for t in res.get_tasks()]
out["counts"] = [res.get_count(), res.get_total(), res.get_running_task_count(), res.get_success_task_count(),
                 res.get_fail_task_count()]
out["fail_ids"] = res.get_fail_task_ids()
out["paged"] = [t.task_id for t in client.get_shipper_tasks(P, L, "to-oss", start, now, "", 0, -1).get_tasks()]
out["only_success"] = client.get_shipper_tasks(P, L, "to-oss", start, now, "success").get_count()
client.retry_shipper_tasks(P, L, "to-oss", res.get_fail_task_ids())
again = client.get_shipper_tasks(P, L, "to-oss", start, now)
out["after_retry"] = [t.task_status for t in again.get_tasks()]
out["too_long"] = error_of(client.get_shipper_tasks, P, L, "to-oss", start, start + 49 * 3600)
client.delete_shipper(P, L, "to-odps")
out["left"] = client.list_shipper(P, L).get_entities()
emit(out)
"""


@pytest.fixture
def timed_emulator() -> Iterator[tuple[EmulatorServer, ManualClock]]:
    clock = ManualClock(float(START))
    server = EmulatorServer(port=0, clock=clock)
    server.start()
    try:
        yield server, clock
    finally:
        server.stop()


def test_shippers(run_official: Any, timed_emulator: tuple[EmulatorServer, ManualClock]) -> None:
    server, clock = timed_emulator
    out = run_official(SHIPPERS_CREATE_SCRIPT, server)
    assert out["list"] == {"entities": ["to-odps", "to-oss"], "count": 2, "total": 2}
    assert out["page"] == ["to-oss"]
    assert out["get"]["shipperName"] == "to-oss" and out["get"]["createTime"] == START
    assert out["get"]["targetConfiguration"]["ossBucket"] == "bucket"
    assert out["updated"] == 3600
    assert_error(out["errors"]["missing"], "ShipperNotExist", 400)
    assert_error(out["errors"]["delete_missing"], "ShipperNotExist", 400)
    assert_error(out["errors"]["missing_logstore"], "LogStoreNotExist", 404)

    clock.advance(5 * 300 + 10)
    now = START + 5 * 300 + 10
    out = run_official(SHIPPERS_TASKS_SCRIPT, server, params=[START, now])
    assert [t["taskStatus"] for t in out["tasks"]] == ["success"] * 4 + ["fail", "running"]
    assert [t["taskCreateTime"] for t in out["tasks"]] == [START + i * 300 for i in range(6)]
    assert out["counts"] == [6, 6, 1, 4, 1]
    assert out["fail_ids"] == [out["tasks"][4]["id"]]
    assert out["paged"] == [t["id"] for t in out["tasks"]]
    assert out["only_success"] == 4
    assert out["after_retry"] == ["success"] * 4 + ["running", "running"]
    assert_error(out["too_long"], "ParameterInvalid", 400)
    assert out["left"] == ["to-oss"]
