"""Logtail configs, machine groups and shippers: names, signatures and call forms of the official
0.9.52 surface (docs/migrating.md, docs/resources.md), checked without a server (a recording
transport answers every request)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

import aliyun.log
from aliyun.log import LogClient, LogtailConfigHelper, MachineGroupDetail
from aliyun.log._transport import HttpRequest, HttpResponse
from aliyun.log.logtail_config_detail import (
    ApsaraLogConfigDetail,
    CommonRegLogConfigDetail,
    ConfigDetailBase,
    LogtailConfigDetail,
)
from aliyun.log.shipper_config import OdpsShipperConfig, OssShipperConfig, ShipperTask


def positional(func: Any) -> list[str]:
    return [
        name
        for name, p in inspect.signature(func).parameters.items()
        if name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def all_params(func: Any) -> list[str]:
    return [name for name in inspect.signature(func).parameters if name != "self"]


# ------------------------------------------------------------------------------- signatures

METHODS = {
    # 1.5 logtail configs
    "create_logtail_config": ["project_name", "config_detail"],
    "update_logtail_config": ["project_name", "config_detail"],
    "delete_logtail_config": ["project_name", "config_name"],
    "get_logtail_config": ["project_name", "config_name"],
    "list_logtail_config": ["project_name", "logstore", "config", "offset", "size"],
    "get_config_applied_machine_groups": ["project_name", "config_name"],
    # 1.6 machine groups
    "create_machine_group": ["project_name", "group_detail"],
    "update_machine_group": ["project_name", "group_detail"],
    "delete_machine_group": ["project_name", "group_name"],
    "get_machine_group": ["project_name", "group_name"],
    "list_machine_group": ["project_name", "offset", "size"],
    "list_machines": ["project_name", "group_name", "offset", "size"],
    "apply_config_to_machine_group": ["project_name", "config_name", "group_name"],
    "remove_config_to_machine_group": ["project_name", "config_name", "group_name"],
    "get_machine_group_applied_configs": ["project_name", "group_name"],
    # 1.14 shippers: 0.9.52 order first; the 0.6.10 names are accepted as keywords (checked below)
    "create_shipper": ["project", "logstore", "detail"],
    "update_shipper": ["project", "logstore", "detail"],
    "delete_shipper": ["project", "logstore", "entity"],
    "get_shipper": ["project", "logstore", "entity"],
    "get_shipper_config": ["project_name", "logstore_name", "shipper_name"],
    "list_shipper": ["project", "logstore", "offset", "size"],
    "get_shipper_tasks": [
        "project_name",
        "logstore_name",
        "shipper_name",
        "start_time",
        "end_time",
        "status_type",
        "offset",
        "size",
    ],
    "retry_shipper_tasks": ["project_name", "logstore_name", "shipper_name", "task_list"],
}


@pytest.mark.parametrize("name", sorted(METHODS))
def test_method_positional_parameters(name: str) -> None:
    found = positional(getattr(LogClient, name))
    assert found[: len(METHODS[name])] == METHODS[name]


@pytest.mark.parametrize("name", ["create_shipper", "update_shipper"])
def test_shipper_writes_take_both_generations(name: str) -> None:
    names = all_params(getattr(LogClient, name))
    # 0.6.10 positional order (project_name, logstore_name, shipper_name, shipper_type, shipper_config)
    assert positional(getattr(LogClient, name))[3:5] == ["shipper_type", "shipper_config"]
    for keyword in ("project_name", "logstore_name", "shipper_name", "shipper_type", "shipper_config"):
        assert keyword in names


@pytest.mark.parametrize("name", ["delete_shipper", "get_shipper", "list_shipper"])
def test_shipper_calls_take_06_keywords(name: str) -> None:
    names = all_params(getattr(LogClient, name))
    assert {"project_name", "logstore_name"} <= set(names)
    if name != "list_shipper":
        assert "shipper_name" in names


@pytest.mark.parametrize(
    "name",
    ["iter_logtail_configs", "iter_machine_groups", "iter_machines", "iter_shippers", "iter_shipper_tasks"],
)
def test_iterators_take_options_by_keyword_only(name: str) -> None:
    signature = inspect.signature(getattr(LogClient, name))
    assert signature.parameters["page_size"].kind is inspect.Parameter.KEYWORD_ONLY


CONSTRUCTORS: dict[Any, list[str]] = {
    MachineGroupDetail: ["group_name", "machine_type", "machine_list", "group_type", "group_attribute"],
    LogtailConfigDetail: [
        "config_name",
        "logstore_name",
        "endpoint",
        "log_path",
        "file_pattern",
        "log_begin_regex",
        "topic_format",
        "filter_keys",
        "filter_keys_reg",
        "logSample",
        "log_type",
        "extended_items",
    ],
    CommonRegLogConfigDetail: [
        "config_name",
        "logstore_name",
        "endpoint",
        "log_path",
        "file_pattern",
        "time_format",
        "log_begin_regex",
        "log_parse_regex",
        "reg_keys",
        "topic_format",
        "filter_keys",
        "filter_keys_reg",
        "logSample",
        "log_type",
        "extended_items",
    ],
    ApsaraLogConfigDetail: [
        "config_name",
        "logstore_name",
        "endpoint",
        "log_path",
        "file_pattern",
        "log_begin_regex",
        "topic_format",
        "filter_keys",
        "filter_keys_reg",
        "logSample",
        "extended_items",
    ],
    ConfigDetailBase: [
        "logstoreName", "configName", "inputType", "createTime", "modifyTime", "logSample", "input_detail",
    ],
    aliyun.log.SimpleFileConfigDetail: [
        "logstoreName", "configName", "logPath", "filePattern", "localStorage", "enableRawLog", "topicFormat",
        "fileEncoding", "maxDepth", "preserve", "preserveDepth", "filterKey", "filterRegex", "extended_items",
    ],
    aliyun.log.FullRegFileConfigDetail: [
        "logstoreName", "configName", "logPath", "filePattern", "logSample", "logBeginRegex", "regex", "key",
        "timeFormat", "localStorage", "enableRawLog", "topicFormat", "fileEncoding", "maxDepth", "preserve",
        "preserveDepth", "filterKey", "filterRegex", "extended_items",
    ],
    aliyun.log.JsonFileConfigDetail: [
        "logstoreName", "configName", "logPath", "filePattern", "timeKey", "timeFormat", "localStorage",
        "enableRawLog", "topicFormat", "fileEncoding", "maxDepth", "preserve", "preserveDepth", "filterKey",
        "filterRegex", "createTime", "modifyTime", "extended_items",
    ],
    aliyun.log.SeperatorFileConfigDetail: [
        "logstoreName", "configName", "logPath", "filePattern", "logSample", "separator", "key", "timeKey",
        "timeFormat", "localStorage", "enableRawLog", "topicFormat", "fileEncoding", "maxDepth", "preserve",
        "preserveDepth", "filterKey", "filterRegex", "createTime", "modifyTime", "extended_items",
    ],
    aliyun.log.ApsaraFileConfigDetail: [
        "logstoreName", "configName", "logPath", "filePattern", "logBeginRegex", "localStorage", "enableRawLog",
        "topicFormat", "fileEncoding", "maxDepth", "preserve", "preserveDepth", "filterKey", "filterRegex",
        "createTime", "modifyTime", "extended_items",
    ],
    aliyun.log.SyslogConfigDetail: [
        "logstoreName", "configName", "tag", "localStorage", "createTime", "modifyTime", "extended_items",
    ],
    aliyun.log.PluginConfigDetail: ["logstoreName", "configName", "plugin", "extended_items"],
    OssShipperConfig: ["oss_bucket", "oss_prefix", "oss_role_arn", "buffer_interval", "buffer_mb", "compress_type"],
    OdpsShipperConfig: [
        "odps_endpoint", "odps_project", "odps_table", "log_fields_list", "partition_column",
        "partition_time_format", "bufferInterval",
    ],
    ShipperTask: [
        "task_id", "task_status", "task_message", "task_create_time", "task_last_data_receive_time",
        "task_finish_time",
    ],
}  # fmt: skip


@pytest.mark.parametrize("cls", list(CONSTRUCTORS), ids=lambda cls: cls.__name__)
def test_constructor_parameters(cls: Any) -> None:
    assert all_params(cls.__init__) == CONSTRUCTORS[cls]


def test_constructor_defaults() -> None:
    def defaults(cls: Any) -> dict[str, Any]:
        return {
            name: p.default
            for name, p in inspect.signature(cls.__init__).parameters.items()
            if p.default is not inspect.Parameter.empty
        }

    assert defaults(MachineGroupDetail) == {
        "group_name": None,
        "machine_type": None,
        "machine_list": None,
        "group_type": "",
        "group_attribute": None,
    }
    assert defaults(OssShipperConfig) == {"buffer_interval": 300, "buffer_mb": 128, "compress_type": "snappy"}
    assert defaults(OdpsShipperConfig) == {"bufferInterval": 1800}
    assert defaults(ApsaraLogConfigDetail)["log_begin_regex"] == "\\[\\d+-\\d+-\\d+ \\d+:\\d+:\\d+\\.\\d+.*"
    assert defaults(CommonRegLogConfigDetail)["topic_format"] == "none"


# ------------------------------------------------------------------------------- names and getters

EXPORTED = """
ApplyConfigToMachineGroupResponse CommonRegLogConfigDetail CreateLogtailConfigResponse CreateMachineGroupResponse
CreateShipperResponse DeleteLogtailConfigResponse DeleteMachineGroupResponse DeleteShipperResponse
GetConfigAppliedMachineGroupsResponse GetLogtailConfigResponse GetMachineGroupAppliedConfigResponse
GetMachineGroupResponse GetShipperConfigResponse GetShipperTasksResponse ListLogtailConfigResponse
ListMachineGroupResponse ListMachinesResponse ListShipperResponse LogtailConfigHelper MachineGroupDetail
OdpsShipperConfig OssShipperConfig RemoveConfigToMachineGroupResponse RetryShipperTasksResponse ShipperTask
UpdateLogtailConfigResponse UpdateMachineGroupResponse UpdateShipperResponse
ApsaraFileConfigDetail FullRegFileConfigDetail JsonFileConfigDetail LogtailConfigGenerator PluginConfigDetail
SeperatorFileConfigDetail SimpleFileConfigDetail SyslogConfigDetail
""".split()


@pytest.mark.parametrize("name", EXPORTED)
def test_exported_from_aliyun_log(name: str) -> None:
    assert name in aliyun.log.__all__
    assert getattr(aliyun.log, name) is not None


GETTERS = {
    "GetConfigAppliedMachineGroupsResponse": "get_machine_group_count get_machine_groups log_print",
    "GetMachineGroupAppliedConfigResponse": "get_config_count get_configs log_print",
    "GetMachineGroupResponse": "get_machine_group log_print",
    "GetLogtailConfigResponse": "log_print",
    "GetShipperConfigResponse": "get_config get_create_time get_last_modify_time log_print get_entity",
    "GetShipperTasksResponse": (
        "get_count get_fail_task_count get_fail_task_ids get_running_task_count get_running_task_ids "
        "get_success_task_count get_success_task_ids get_task_count get_task_total get_tasks get_total log_print "
        "merge get_taks"
    ),
    "ListLogtailConfigResponse": (
        "get_configs get_configs_count get_configs_total get_count get_total log_print merge total"
    ),
    "ListMachineGroupResponse": (
        "get_count get_machine_group get_machine_group_count get_machine_group_total get_total log_print merge total"
    ),
    "ListMachinesResponse": "get_count get_machine_count get_machine_total get_machines get_total log_print merge",
    "ListShipperResponse": (
        "get_shipper_count get_shipper_names get_shipper_total log_print get_entities get_shipper get_count "
        "get_total total merge"
    ),
    "ApplyConfigToMachineGroupResponse": "log_print",
    "RemoveConfigToMachineGroupResponse": "log_print",
    "RetryShipperTasksResponse": "log_print",
}


@pytest.mark.parametrize("cls_name", sorted(GETTERS))
def test_response_getters(cls_name: str) -> None:
    cls = getattr(aliyun.log, cls_name)
    for member in GETTERS[cls_name].split():
        assert hasattr(cls, member), f"{cls_name}.{member}"


MODEL_METHODS = {
    MachineGroupDetail: "from_json to_json",
    LogtailConfigDetail: "from_json set_create_time set_last_modify_time",
    CommonRegLogConfigDetail: "from_json set_create_time set_last_modify_time to_json",
    ApsaraLogConfigDetail: "from_json set_create_time set_last_modify_time to_json",
    ConfigDetailBase: "config_name from_json logstore_name to_json",
    aliyun.log.SimpleFileConfigDetail: "config_name from_json logstore_name to_json",
    LogtailConfigHelper: "generate_apsara_log_config generate_common_reg_log_config generate_logtail_config",
    aliyun.log.LogtailConfigGenerator: (
        "from_json generate_apsara_config generate_config generate_full_regex_config generate_json_config "
        "generate_plugin_config generate_separator_config generate_simple_log_config generate_syslog_config"
    ),
    OssShipperConfig: "to_json",
    OdpsShipperConfig: "to_json",
    ShipperTask: "to_json",
}


@pytest.mark.parametrize("cls", list(MODEL_METHODS), ids=lambda cls: cls.__name__)
def test_model_methods(cls: Any) -> None:
    for member in MODEL_METHODS[cls].split():
        assert hasattr(cls, member), f"{cls.__name__}.{member}"


def test_response_classes_live_in_the_official_modules() -> None:
    from aliyun.log import logtail_config_detail, logtail_config_response, machinegroup_response, shipper_response

    assert logtail_config_response.ListLogtailConfigResponse is aliyun.log.ListLogtailConfigResponse
    assert machinegroup_response.ListMachinesResponse is aliyun.log.ListMachinesResponse
    assert shipper_response.ListShipperResponse is aliyun.log.ListShipperResponse
    assert logtail_config_detail.LogtailConfigHelper is LogtailConfigHelper


# ------------------------------------------------------------------------------- README call forms

README_CONFIG = {
    "config_name": "config_name1",
    "logstore_name": "logstore1",
    "file_pattern": "file_pattern",
    "time_format": "time_format",
    "log_path": "/log_path",
    "endpoint": "endpoint",
    "log_parse_regex": "xxx ([\\w\\-]+\\s[\\d\\:]+)\\s+(.*)",
    "log_begin_regex": "xxx.*",
    "reg_keys": ["time", "value"],
    "topic_format": "none",
    "filter_keys": ["time", "value"],
    "filter_keys_reg": ["time", "value"],
    "logSample": "xxx 2017-11-11 11:11:11 hello alicloud.",
}


def test_readme_machine_group_form() -> None:
    request = MachineGroupDetail()
    request.from_json(
        {
            "group_name": "group_name1",
            "machine_list": ["machine1", "machine2"],
            "machine_type": "userdefined",
            "group_type": "Armory",
            "group_attribute": {"externalName": "ex name", "groupTopic": "topic x"},
        }
    )
    assert request.to_json() == {
        "groupName": "group_name1",
        "groupType": "Armory",
        "groupAttribute": {"externalName": "ex name", "groupTopic": "topic x"},
        "machineIdentifyType": "userdefined",
        "machineList": ["machine1", "machine2"],
    }
    camel = MachineGroupDetail().from_json(request.to_json())
    assert camel.to_json() == request.to_json()


def test_readme_logtail_helper_with_flat_and_rest_dicts() -> None:
    request = LogtailConfigHelper.generate_common_reg_log_config(README_CONFIG)
    assert isinstance(request, CommonRegLogConfigDetail)
    # What the official SDK writes for the same arguments (observed with 0.9.52).
    expected = {
        "configName": "config_name1",
        "inputType": "file",
        "logSample": "xxx 2017-11-11 11:11:11 hello alicloud.",
        "inputDetail": {
            "logType": "common_reg_log",
            "logPath": "/log_path",
            "filePattern": "file_pattern",
            "localStorage": True,
            "timeFormat": "time_format",
            "logBeginRegex": "xxx.*",
            "regex": "xxx ([\\w\\-]+\\s[\\d\\:]+)\\s+(.*)",
            "key": ["time", "value"],
            "filterKey": ["time", "value"],
            "filterRegex": ["time", "value"],
            "topicFormat": "none",
        },
        "outputType": "LogService",
        "outputDetail": {"endpoint": "endpoint", "logstoreName": "logstore1"},
    }
    assert request.to_json() == expected
    assert json.dumps(request.to_json()) == json.dumps(expected)  # same key order, same bytes

    rest = dict(expected, createTime=5, lastModifyTime=6)
    rest["inputDetail"] = dict(expected["inputDetail"], enableRawLog=True)
    rest["outputDetail"] = dict(expected["outputDetail"], region="cn-hangzhou")
    again = LogtailConfigHelper.generate_common_reg_log_config(rest)
    assert (again.create_time, again.last_modify_time) == (5, 6)
    assert again.to_json()["inputDetail"]["enableRawLog"] is True
    assert again.to_json()["outputDetail"]["region"] == "cn-hangzhou"
    assert isinstance(LogtailConfigHelper.generate_logtail_config(rest), CommonRegLogConfigDetail)
    assert isinstance(LogtailConfigHelper.generate_logtail_config(README_CONFIG), CommonRegLogConfigDetail)
    apsara_rest = dict(rest, inputDetail=dict(rest["inputDetail"], logType="apsara_log"))
    assert isinstance(LogtailConfigHelper.generate_logtail_config(apsara_rest), ApsaraLogConfigDetail)
    flat_apsara = {
        k: README_CONFIG[k] for k in ("config_name", "logstore_name", "endpoint", "log_path", "file_pattern")
    }
    assert isinstance(LogtailConfigHelper.generate_logtail_config(flat_apsara), ApsaraLogConfigDetail)
    assert LogtailConfigHelper.generate_apsara_log_config(flat_apsara).to_json()["outputType"] == "log"


def test_typed_configs_write_what_the_official_sdk_writes() -> None:
    # Facts observed from the official 0.9.52 classes with the same arguments.
    simple = aliyun.log.SimpleFileConfigDetail("ls", "cfg", "/p", "*.log")
    assert simple.to_json() == {
        "configName": "cfg",
        "inputDetail": {
            "logPath": "/p",
            "filePattern": "*.log",
            "localStorage": True,
            "logType": "common_reg_log",
            "regex": "(.*)",
            "key": ["content"],
            "timeFormat": "",
            "topicFormat": "none",
        },
        "inputType": "file",
        "outputDetail": {"logstoreName": "ls"},
        "outputType": "LogService",
    }
    separator = aliyun.log.SeperatorFileConfigDetail("ls", "cfg", "/p", "*.log", "sample", ",", ["a", "b"])
    assert separator.to_json()["inputDetail"] == {
        "logPath": "/p",
        "filePattern": "*.log",
        "separator": ",",
        "key": ["a", "b"],
        "timeKey": "",
        "logType": "delimiter_log",
        "localStorage": True,
        "timeFormat": "",
        "topicFormat": "none",
        "autoExtend": True,
    }
    syslog = aliyun.log.SyslogConfigDetail("ls", "cfg", "tag1")
    assert syslog.to_json()["inputDetail"] == {"tag": "tag1", "localStorage": True}
    assert (simple.config_name, simple.logstore_name) == ("cfg", "ls")


def test_generator_rejects_unknown_kinds() -> None:
    config = {"configName": "c", "inputType": "file", "inputDetail": {"logType": "zzz"}, "outputDetail": {}}
    with pytest.raises(aliyun.log.LogException) as info:
        aliyun.log.LogtailConfigGenerator.generate_config(config)
    assert info.value.get_error_code() == "InvalidInput"
    with pytest.raises(ValueError):
        aliyun.log.JsonFileConfigDetail.from_json(
            {"configName": "c", "inputType": "file", "inputDetail": {}, "outputDetail": {"logstoreName": "l"}}
        )


# ------------------------------------------------------------------------------- call styles on the wire


class Recorder:
    """A transport that records requests and answers each with the next canned JSON (``{}`` by default)."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []
        self.answers: list[Any] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else {}
        return HttpResponse(200, {"x-log-requestid": "0" * 24}, json.dumps(answer).encode())

    def close(self) -> None:
        pass

    def last(self) -> tuple[str, str, Any]:
        request = self.requests[-1]
        return request.method, request.target, json.loads(request.body) if request.body else None


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(recorder: Recorder) -> LogClient:
    return LogClient("127.0.0.1:1", "id", "secret", transport=recorder)


def test_list_logtail_config_accepts_both_orders(client: LogClient, recorder: Recorder) -> None:
    client.list_logtail_config("p", 10, 20)  # 0.6.10 (project, offset, size)
    assert recorder.last()[1] == "/configs?offset=10&size=20"
    client.list_logtail_config("p", "ls", "cf", 5, 7)  # 0.9.52
    assert recorder.last()[1] == "/configs?offset=5&size=7&logstoreName=ls&configName=cf"
    client.list_logtail_config("p", offset=3)
    assert recorder.last()[1] == "/configs?offset=3&size=100"


def test_create_logtail_config_checks_the_logstore_first(client: LogClient, recorder: Recorder) -> None:
    client.create_logtail_config("p", LogtailConfigHelper.generate_common_reg_log_config(README_CONFIG))
    assert [(r.method, r.target) for r in recorder.requests] == [("GET", "/logstores/logstore1"), ("POST", "/configs")]


def test_shipper_writes_in_both_styles_send_the_same_body(client: LogClient, recorder: Recorder) -> None:
    oss = OssShipperConfig("b", "p", "arn")
    client.create_shipper("p", "ls", "s", "oss", oss)  # 0.6.10, positional
    legacy = recorder.last()
    client.create_shipper("p", "ls", {"shipperName": "s", "targetType": "oss", "targetConfiguration": oss.to_json()})
    modern = recorder.last()
    client.create_shipper(
        project_name="p", logstore_name="ls", shipper_name="s", shipper_type="oss", shipper_config=oss
    )
    keywords = recorder.last()
    client.create_shipper("p", "ls", detail=json.dumps(modern[2]))
    text = recorder.last()
    assert legacy == modern == keywords == text
    assert legacy[:2] == ("POST", "/logstores/ls/shipper")

    client.update_shipper("p", "ls", "s", "oss", oss)
    assert recorder.last() == ("PUT", "/logstores/ls/shipper/s", modern[2])
    client.update_shipper("p", "ls", modern[2])
    assert recorder.last() == ("PUT", "/logstores/ls/shipper/s", modern[2])


def test_shipper_reads_and_deletes_in_both_styles(client: LogClient, recorder: Recorder) -> None:
    client.delete_shipper("p", "ls", "s")
    positional_form = recorder.last()
    client.delete_shipper(project_name="p", logstore_name="ls", shipper_name="s")
    assert recorder.last() == positional_form == ("DELETE", "/logstores/ls/shipper/s", None)
    client.delete_shipper(project="p", logstore="ls", entity="s")
    assert recorder.last() == positional_form

    recorder.answers.append({"count": 1, "total": 1, "shipper": ["s"]})
    listing = client.list_shipper(project_name="p", logstore_name="ls")
    assert recorder.last()[1] == "/logstores/ls/shipper?offset=0&size=100"
    assert listing.get_shipper_names() == listing.get_entities() == ["s"]

    recorder.answers.append(
        {
            "shipperName": "s",
            "targetType": "oss",
            "createTime": 1,
            "lastModifyTime": 2,
            "targetConfiguration": OssShipperConfig("b", "p", "arn").to_json(),
        }
    )
    config = client.get_shipper_config("p", "ls", "s")
    assert isinstance(config.get_config(), OssShipperConfig)
    assert config.get_entity()["shipperName"] == "s"

    client.get_shipper_tasks("p", "ls", "s", 100, 200)
    assert recorder.last()[1] == "/logstores/ls/shipper/s/tasks?from=100&to=200&status=&offset=0&size=100"
    client.retry_shipper_tasks("p", "ls", "s", ["a", "b"])
    assert recorder.last() == ("PUT", "/logstores/ls/shipper/s/tasks", ["a", "b"])

    with pytest.raises(TypeError):
        client.delete_shipper("p", "ls", "s", shipper_name="other")
    with pytest.raises(TypeError):
        client.create_shipper("p", "ls", "s", "oss")  # 0.6 form without its config


def test_machine_group_calls_on_the_wire(client: LogClient, recorder: Recorder) -> None:
    group = MachineGroupDetail("g", "ip", ["1.2.3.4"])
    client.create_machine_group("p", group)
    assert recorder.last() == ("POST", "/machinegroups", group.to_json())
    client.update_machine_group("p", group)
    assert recorder.last() == ("PUT", "/machinegroups/g", group.to_json())
    client.apply_config_to_machine_group("p", "c", "g")
    assert recorder.last() == ("PUT", "/machinegroups/g/configs/c", None)
    client.remove_config_to_machine_group("p", "c", "g")
    assert recorder.last() == ("DELETE", "/machinegroups/g/configs/c", None)
    client.list_machine_group("p", 1, 2)
    assert recorder.last()[1] == "/machinegroups?offset=1&size=2"
    client.list_machines("p", "g")
    assert recorder.last()[1] == "/machinegroups/g/machines?offset=0&size=100"


def test_size_minus_one_pages_by_500(client: LogClient, recorder: Recorder) -> None:
    recorder.answers.extend(
        [
            {"count": 500, "total": 700, "configs": [f"c{i}" for i in range(500)]},
            {"count": 200, "total": 700, "configs": [f"c{i}" for i in range(500, 700)]},
        ]
    )
    merged = client.list_logtail_config("p", size=-1)
    assert [r.target for r in recorder.requests] == ["/configs?offset=0&size=500", "/configs?offset=500&size=500"]
    assert (merged.get_count(), merged.get_total(), len(merged.get_configs())) == (700, 700, 700)
