"""Logtail configs, machine groups and shippers: our ``LogClient`` against the emulator (in-process and socket)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

from aliyun.log import (
    ApsaraFileConfigDetail,
    CommonRegLogConfigDetail,
    ConfigAlreadyExist,
    ConfigNotExist,
    JsonFileConfigDetail,
    LogClient,
    LogException,
    LogStoreNotExist,
    MachineGroupAlreadyExist,
    MachineGroupDetail,
    MachineGroupNotExist,
    OdpsShipperConfig,
    OssShipperConfig,
    ShipperNotExist,
    SimpleFileConfigDetail,
    SyslogConfigDetail,
)
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.clock import ManualClock
from aliyun.log.logtail_config_detail import ApsaraLogConfigDetail

START = 1_700_000_000
_names = itertools.count()


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def simple(name: str, logstore: str = "logs") -> SimpleFileConfigDetail:
    return SimpleFileConfigDetail(logstore, name, "/var/log/app", "*.log")


def group(name: str, machines: list[str] | None = None) -> MachineGroupDetail:
    return MachineGroupDetail(name, "ip", machines if machines is not None else ["10.0.0.1", "10.0.0.2"])


# ------------------------------------------------------------------------------------ configs


def test_config_crud_round_trips_verbatim(client: LogClient, project: str, logstore: str) -> None:
    detail = JsonFileConfigDetail(logstore, "json-cfg", "/var/log", "*.json", timeKey="ts", customKey={"a": 1})
    client.create_logtail_config(project, detail)

    got = client.get_logtail_config(project, "json-cfg")
    body = got.get_body()
    sent = detail.to_json()
    assert {k: v for k, v in body.items() if k not in ("createTime", "lastModifyTime")} == sent
    assert isinstance(body["createTime"], int) and body["lastModifyTime"] >= body["createTime"]
    assert isinstance(got.logtail_config, JsonFileConfigDetail)
    assert got.get_logtail_config().to_json()["inputDetail"] == sent["inputDetail"]
    assert got.get_config_name() == "json-cfg"

    changed = JsonFileConfigDetail(logstore, "json-cfg", "/srv/log", "*.json")
    client.update_logtail_config(project, changed)
    after = client.get_logtail_config(project, "json-cfg").get_body()
    assert after["inputDetail"]["logPath"] == "/srv/log"
    assert after["createTime"] == body["createTime"]

    client.delete_logtail_config(project, "json-cfg")
    assert isinstance(error_of(lambda: client.get_logtail_config(project, "json-cfg")), ConfigNotExist)


def test_every_config_kind_is_accepted_and_typed_back(client: LogClient, project: str, logstore: str) -> None:
    details = [
        CommonRegLogConfigDetail("c-reg", logstore, "", "/p", "*.log", "%Y", "x.*", "(x)(.*)", ["a", "b"]),
        ApsaraLogConfigDetail("c-apsara", logstore, "", "/p", "*.log"),
        ApsaraFileConfigDetail(logstore, "c-apsara2", "/p", "*.log", r"\[\d+"),
        SyslogConfigDetail(logstore, "c-syslog", "tag1"),
        {
            "configName": "c-dict",
            "inputType": "plugin",
            "inputDetail": {"plugin": {"inputs": []}},
            "outputType": "LogService",
            "outputDetail": {"logstoreName": logstore},
        },
    ]
    for detail in details:
        client.create_logtail_config(project, detail)
    kinds = {
        name: type(client.get_logtail_config(project, name).logtail_config).__name__
        for name in ("c-reg", "c-apsara", "c-apsara2", "c-syslog", "c-dict")
    }
    assert kinds == {
        "c-reg": "SimpleFileConfigDetail",
        "c-apsara": "ApsaraFileConfigDetail",
        "c-apsara2": "ApsaraFileConfigDetail",
        "c-syslog": "SyslogConfigDetail",
        "c-dict": "PluginConfigDetail",
    }
    assert client.get_logtail_config(project, "c-apsara").get_body()["outputType"] == "log"


def test_config_errors(client: LogClient, project: str, logstore: str) -> None:
    client.create_logtail_config(project, simple("dup"))
    again = error_of(lambda: client.create_logtail_config(project, simple("dup")))
    assert isinstance(again, ConfigAlreadyExist)
    assert again.get_resp_status() == 400

    missing_store = error_of(lambda: client.create_logtail_config(project, simple("orphan", "nostore")))
    assert isinstance(missing_store, LogStoreNotExist)

    assert isinstance(error_of(lambda: client.update_logtail_config(project, simple("ghost"))), ConfigNotExist)
    assert isinstance(error_of(lambda: client.delete_logtail_config(project, "ghost")), ConfigNotExist)
    bad = {"configName": "bad", "inputDetail": {}, "outputDetail": {"logstoreName": logstore}}
    assert error_of(lambda: client.create_logtail_config(project, bad)).get_error_code() == "InvalidParameter"
    no_path = {
        "configName": "bad",
        "inputType": "file",
        "inputDetail": {"filePattern": "*"},
        "outputDetail": {"logstoreName": logstore},
    }
    assert error_of(lambda: client.create_logtail_config(project, no_path)).get_error_code() == "InvalidParameter"
    assert error_of(lambda: client.get_logtail_config(project, "")).get_error_code() == "BadParameters"


def test_config_listing_paging_and_filters(client: LogClient, project: str, logstore: str) -> None:
    client.create_logstore(project, "other", shard_count=1)
    for index in range(5):
        client.create_logtail_config(project, simple(f"cfg-{index}"))
    client.create_logtail_config(project, simple("zzz-other", "other"))

    everything = client.list_logtail_config(project)
    assert (everything.get_count(), everything.get_total()) == (6, 6)
    assert everything.get_configs() == [f"cfg-{i}" for i in range(5)] + ["zzz-other"]
    assert everything.get_configs_count() == 6 and everything.get_configs_total() == 6 and everything.total == 6

    page = client.list_logtail_config(project, offset=2, size=2)
    assert (page.get_configs(), page.get_count(), page.get_total()) == (["cfg-2", "cfg-3"], 2, 6)
    legacy = client.list_logtail_config(project, 1, 2)  # 0.6 positional (project, offset, size)
    assert legacy.get_configs() == ["cfg-1", "cfg-2"]
    assert client.list_logtail_config(project, logstore="other").get_configs() == ["zzz-other"]
    assert client.list_logtail_config(project, config="cfg-4").get_configs() == ["cfg-4"]
    beyond = client.list_logtail_config(project, offset=100)
    assert (beyond.get_count(), beyond.get_total()) == (0, 6)

    merged = client.list_logtail_config(project, size=-1)
    assert merged.get_configs() == everything.get_configs() and merged.get_count() == 6
    assert list(client.iter_logtail_configs(project, page_size=2)) == everything.get_configs()
    assert list(client.iter_logtail_configs(project, logstore=logstore, page_size=1)) == [f"cfg-{i}" for i in range(5)]


# ------------------------------------------------------------------------------ machine groups


def test_machine_group_crud(client: LogClient, project: str) -> None:
    detail = MachineGroupDetail("web", "userdefined", ["web-a", "web-b"], "Armory", {"groupTopic": "t"})
    client.create_machine_group(project, detail)
    got = client.get_machine_group(project, "web")
    assert got.get_machine_group().to_json() == detail.to_json()
    assert isinstance(got.get_body()["createTime"], int)

    assert isinstance(error_of(lambda: client.create_machine_group(project, detail)), MachineGroupAlreadyExist)
    detail.machine_list = ["web-c"]
    client.update_machine_group(project, detail)
    assert client.get_machine_group(project, "web").get_machine_group().machine_list == ["web-c"]

    machines = client.list_machines(project, "web")
    assert (machines.get_machine_count(), machines.get_machine_total()) == (1, 1)
    (machine,) = machines.get_machines()
    assert (machine.ip, machine.user_defined_id) == ("", "web-c")
    assert machine.machine_unique_id == client.list_machines(project, "web").get_machines()[0].machine_unique_id

    client.delete_machine_group(project, "web")
    for call in (
        lambda: client.get_machine_group(project, "web"),
        lambda: client.delete_machine_group(project, "web"),
        lambda: client.update_machine_group(project, detail),
        lambda: client.list_machines(project, "web"),
    ):
        assert isinstance(error_of(call), MachineGroupNotExist)
    bad = {"groupName": "bad", "machineIdentifyType": "mac", "machineList": []}
    assert error_of(lambda: client.create_machine_group(project, bad)).get_error_code() == "InvalidParameter"


def test_machine_group_listing(client: LogClient, project: str) -> None:
    for index in range(4):
        client.create_machine_group(project, group(f"g{index}", [f"10.0.{index}.{m}" for m in range(3)]))
    listing = client.list_machine_group(project)
    assert (listing.get_machine_group(), listing.get_count(), listing.get_total()) == (["g0", "g1", "g2", "g3"], 4, 4)
    assert client.list_machine_group(project, 1, 2).get_machine_group() == ["g1", "g2"]
    assert client.list_machine_group(project, size=-1).get_machine_group_count() == 4
    assert list(client.iter_machine_groups(project, page_size=3)) == ["g0", "g1", "g2", "g3"]

    ips = [m.ip for m in client.iter_machines(project, "g2", page_size=2)]
    assert ips == ["10.0.2.0", "10.0.2.1", "10.0.2.2"]
    assert client.list_machines(project, "g2", 1, 1).get_machines()[0].ip == "10.0.2.1"
    assert client.list_machines(project, "g2", size=-1).get_count() == 3


def test_applying_configs_many_to_many(client: LogClient, project: str, logstore: str) -> None:
    for name in ("c1", "c2"):
        client.create_logtail_config(project, simple(name))
    for name in ("g1", "g2"):
        client.create_machine_group(project, group(name))
    for config, grp in (("c1", "g1"), ("c2", "g1"), ("c1", "g2"), ("c1", "g2")):  # the last one twice: idempotent
        client.apply_config_to_machine_group(project, config, grp)

    applied = client.get_machine_group_applied_configs(project, "g1")
    assert (applied.get_config_count(), applied.get_configs()) == (2, ["c1", "c2"])
    groups = client.get_config_applied_machine_groups(project, "c1")
    assert (groups.get_machine_group_count(), groups.get_machine_groups()) == (2, ["g1", "g2"])

    client.remove_config_to_machine_group(project, "c2", "g1")
    client.remove_config_to_machine_group(project, "c2", "g1")
    assert client.get_machine_group_applied_configs(project, "g1").get_configs() == ["c1"]

    client.update_machine_group(project, group("g1", ["10.9.9.9"]))
    assert client.get_machine_group_applied_configs(project, "g1").get_configs() == ["c1"]
    client.delete_logtail_config(project, "c1")
    assert client.get_machine_group_applied_configs(project, "g2").get_configs() == []
    client.apply_config_to_machine_group(project, "c2", "g2")
    client.delete_machine_group(project, "g2")
    client.create_machine_group(project, group("g2"))
    assert client.get_config_applied_machine_groups(project, "c2").get_machine_groups() == []

    assert isinstance(error_of(lambda: client.apply_config_to_machine_group(project, "nope", "g1")), ConfigNotExist)
    assert isinstance(
        error_of(lambda: client.apply_config_to_machine_group(project, "c2", "nope")), MachineGroupNotExist
    )
    assert isinstance(error_of(lambda: client.get_config_applied_machine_groups(project, "nope")), ConfigNotExist)
    assert isinstance(error_of(lambda: client.get_machine_group_applied_configs(project, "nope")), MachineGroupNotExist)


def test_deleting_a_project_deletes_its_resources(client: LogClient, project: str, logstore: str) -> None:
    client.create_logtail_config(project, simple("cfg"))
    client.create_machine_group(project, group("grp"))
    client.apply_config_to_machine_group(project, "cfg", "grp")
    client.create_shipper(project, logstore, "shp", "oss", OssShipperConfig("b", "p", "arn"))
    client.delete_logstore(project, logstore)
    client.delete_project(project)

    client.create_project(project, "same name again")
    client.create_logstore(project, logstore, shard_count=1)
    assert client.list_logtail_config(project).get_total() == 0
    assert client.list_machine_group(project).get_total() == 0
    assert client.list_shipper(project, logstore).get_total() == 0


# ------------------------------------------------------------------------------------ shippers


@pytest.fixture(params=["in-process", "socket"])
def timed(request: pytest.FixtureRequest) -> Iterator[tuple[LogClient, ManualClock]]:
    """A client on an emulator whose clock moves only when told; a project ``ship`` with logstore ``logs``."""
    clock = ManualClock(float(START))
    over_socket = request.param == "socket"
    with EmulatorServer(port=0, clock=clock, listen=over_socket) as server:
        client = server.client(in_process=not over_socket)
        client.create_project("ship", "shipper tests")
        client.create_logstore("ship", "logs", shard_count=1)
        yield client, clock


def test_shipper_crud_in_both_call_styles(timed: tuple[LogClient, ManualClock]) -> None:
    client, _ = timed
    oss = OssShipperConfig("bucket", "prefix/", "acs:ram::1:role/x", buffer_interval=600)
    odps = OdpsShipperConfig("http://odps", "proj", "tbl", ["a", "b"], ["p"], "%Y%m%d")
    client.create_shipper(
        "ship", "logs", {"shipperName": "new", "targetType": "oss", "targetConfiguration": oss.to_json()}
    )
    client.create_shipper("ship", "logs", "old", "odps", odps)
    client.create_shipper(
        project_name="ship", logstore_name="logs", shipper_name="kw", shipper_type="oss", shipper_config=oss
    )
    assert error_of(lambda: client.create_shipper("ship", "logs", "old", "odps", odps)).get_error_code() == (
        "ShipperAlreadyExist"
    )

    listing = client.list_shipper("ship", "logs")
    assert listing.get_shipper_names() == ["kw", "new", "old"] == listing.get_entities() == listing.get_shipper()
    assert (listing.get_count(), listing.get_total(), listing.total) == (3, 3, 3)
    assert (listing.get_shipper_count(), listing.get_shipper_total()) == (3, 3)
    assert client.list_shipper(project_name="ship", logstore_name="logs", offset=1, size=1).get_entities() == ["new"]
    assert client.list_shipper("ship", "logs", size=-1).get_count() == 3
    assert list(client.iter_shippers("ship", "logs", page_size=2)) == ["kw", "new", "old"]

    raw = client.get_shipper("ship", "logs", "new").get_entity()
    assert raw["targetConfiguration"] == oss.to_json() and raw["createTime"] == START
    typed = client.get_shipper_config("ship", "logs", "old")
    assert isinstance(typed.get_config(), OdpsShipperConfig)
    assert typed.get_config().to_json() == odps.to_json()
    assert (typed.get_create_time(), typed.get_last_modify_time()) == (START, START)
    assert isinstance(
        client.get_shipper(project_name="ship", logstore_name="logs", shipper_name="kw").get_config(), OssShipperConfig
    )

    client.update_shipper(
        "ship", "logs", {"shipperName": "new", "targetType": "odps", "targetConfiguration": odps.to_json()}
    )
    client.update_shipper("ship", "logs", "old", "oss", oss)
    assert client.get_shipper("ship", "logs", "new").type == "odps"
    assert isinstance(client.get_shipper_config("ship", "logs", "old").get_config(), OssShipperConfig)

    client.delete_shipper("ship", "logs", "new")
    client.delete_shipper(project_name="ship", logstore_name="logs", shipper_name="old")
    client.delete_shipper("ship", "logs", entity="kw")
    assert client.list_shipper("ship", "logs").get_total() == 0
    assert isinstance(error_of(lambda: client.get_shipper("ship", "logs", "new")), ShipperNotExist)
    assert error_of(lambda: client.get_shipper("ship", "logs", "new")).get_resp_status() == 400
    assert isinstance(error_of(lambda: client.list_shipper("ship", "nostore")), LogStoreNotExist)
    bad_type = {"shipperName": "x", "targetType": "s3", "targetConfiguration": {}}
    assert error_of(lambda: client.create_shipper("ship", "logs", bad_type)).get_error_code() == "ParameterInvalid"
    with pytest.raises(TypeError):
        client.create_shipper("ship", "logs")


def test_shipper_tasks_follow_the_schedule(timed: tuple[LogClient, ManualClock]) -> None:
    client, clock = timed
    client.create_shipper("ship", "logs", "s", "oss", OssShipperConfig("b", "p", "arn", buffer_interval=300))
    fresh = client.get_shipper_tasks("ship", "logs", "s", START - 60, START + 60)
    assert [(t.task_status, t.task_create_time, t.task_finish_time) for t in fresh.get_tasks()] == [
        ("running", START, 0)
    ]

    clock.advance(5 * 300 + 10)  # tasks 0..5 exist; 0..4 are over, task 4 failed, task 5 runs
    now = START + 5 * 300 + 10
    tasks = client.get_shipper_tasks("ship", "logs", "s", START, now)
    assert [t.task_status for t in tasks.get_tasks()] == ["success"] * 4 + ["fail", "running"]
    assert (tasks.get_count(), tasks.get_total(), tasks.get_task_count(), tasks.get_task_total()) == (6, 6, 6, 6)
    assert (tasks.get_success_task_count(), tasks.get_fail_task_count(), tasks.get_running_task_count()) == (4, 1, 1)
    assert tasks.get_tasks()[1].task_create_time == START + 300
    assert tasks.get_tasks()[1].task_finish_time == START + 600
    failed = tasks.get_fail_task_ids()
    assert len(failed) == 1 and tasks.get_tasks()[4].task_message
    assert tasks.get_running_task_ids() == [tasks.get_tasks()[5].task_id]
    assert tasks.get_taks() == tasks.get_tasks()

    only_fail = client.get_shipper_tasks("ship", "logs", "s", START, now, "fail")
    assert (only_fail.get_total(), only_fail.get_fail_task_count(), only_fail.get_success_task_count()) == (1, 1, 4)
    page = client.get_shipper_tasks("ship", "logs", "s", START, now, "", 2, 2)
    assert [t.task_id for t in page.get_tasks()] == [t.task_id for t in tasks.get_tasks()[2:4]]
    assert client.get_shipper_tasks("ship", "logs", "s", START, now, size=-1).get_count() == 6
    assert [t.task_id for t in client.iter_shipper_tasks("ship", "logs", "s", START, now, page_size=4)] == [
        t.task_id for t in tasks.get_tasks()
    ]
    window = client.get_shipper_tasks("ship", "logs", "s", START + 1, START + 600)
    assert [t.task_create_time for t in window.get_tasks()] == [START + 300, START + 600]

    client.retry_shipper_tasks("ship", "logs", "s", [*failed, tasks.get_success_task_ids()[0]])
    retried = client.get_shipper_tasks("ship", "logs", "s", START, now)
    assert [t.task_status for t in retried.get_tasks()] == ["success"] * 4 + ["running", "running"]
    clock.advance(300)
    settled = client.get_shipper_tasks("ship", "logs", "s", START, now)
    assert [t.task_status for t in settled.get_tasks()] == ["success"] * 6
    assert settled.get_tasks()[4].task_finish_time == now + 300

    too_many = error_of(lambda: client.retry_shipper_tasks("ship", "logs", "s", failed * 11))
    assert too_many.get_error_code() == "ParameterInvalid"
    foreign = error_of(lambda: client.retry_shipper_tasks("ship", "logs", "s", ["0123456789abcdef-1"]))
    assert foreign.get_error_code() == "ParameterInvalid"
    too_long = error_of(lambda: client.get_shipper_tasks("ship", "logs", "s", START, START + 49 * 3600))
    assert too_long.get_error_code() == "ParameterInvalid"
    assert error_of(lambda: client.get_shipper_tasks("ship", "logs", "s", START, now, "done")).get_error_code() == (
        "ParameterInvalid"
    )
    assert isinstance(error_of(lambda: client.get_shipper_tasks("ship", "logs", "zz", START, now)), ShipperNotExist)


def test_deleting_a_logstore_deletes_its_shippers(timed: tuple[LogClient, ManualClock]) -> None:
    client, _ = timed
    client.create_shipper("ship", "logs", "s", "oss", OssShipperConfig("b", "p", "arn"))
    client.delete_logstore("ship", "logs")
    client.create_logstore("ship", "logs", shard_count=1)
    assert client.list_shipper("ship", "logs").get_shipper_names() == []


# --------------------------------------------------------------------------------- durability


def test_resources_survive_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    clock = ManualClock(float(START))
    with EmulatorServer(port=0, data_dir=data_dir, clock=clock, listen=False) as server:
        client = server.client(in_process=True)
        client.create_project("durable", "restart test")
        client.create_logstore("durable", "logs", shard_count=1)
        client.create_logtail_config("durable", simple("cfg"))
        client.create_machine_group("durable", group("grp"))
        client.apply_config_to_machine_group("durable", "cfg", "grp")
        client.create_shipper("durable", "logs", "s", "oss", OssShipperConfig("b", "p", "arn"))
        clock.advance(5 * 300)
        failed = client.get_shipper_tasks("durable", "logs", "s", START, START + 5 * 300).get_fail_task_ids()
        client.retry_shipper_tasks("durable", "logs", "s", failed)
        before = client.get_logtail_config("durable", "cfg").get_body()

    with EmulatorServer(port=0, data_dir=data_dir, clock=clock, listen=False) as server:
        client = server.client(in_process=True)
        assert client.get_logtail_config("durable", "cfg").get_body() == before
        assert client.get_machine_group_applied_configs("durable", "grp").get_configs() == ["cfg"]
        tasks = client.get_shipper_tasks("durable", "logs", "s", START, START + 5 * 300)
        assert next(t.task_id for t in tasks.get_tasks() if t.task_status == "running") == failed[0]
