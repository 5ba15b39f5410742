"""The original README's examples (aliyun-log-python-sdk 0.6.10 page), run as written against the emulator.

Covered here: logtail configs, machine groups, applying configs to groups, and the shipper calls the
README names. Each snippet is the README's code (one statement per line; the only edit is the README's
typo ``config_detail`` for ``config_detail_json``), executed with a ``client`` built as the README's
"配置SDK" section builds it, but pointed at an emulator on a local socket. Where the README shows the
output of ``res.log_print()``, the captured stdout must be exactly that line.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from typing import Any

import pytest

from aliyun.log import LogClient, LogtailConfigHelper, MachineGroupDetail
from aliyun.log.emulator import EmulatorServer

CONFIGURE_SDK = """
from aliyun.log import LogClient
endpoint = EMULATOR_ENDPOINT
accessKeyId = EMULATOR_KEY_ID
accessKey = EMULATOR_KEY
client = LogClient(endpoint, accessKeyId, accessKey)
"""

LIST_LOGTAIL_CONFIG = """
res = client.list_logtail_config('project1')
res.log_print()
"""
LIST_LOGTAIL_CONFIG_OUTPUT = '{"count": 2, "configs": ["config_name1", "config_name2"], "total": 2}'

CREATE_LOGTAIL_CONFIG = r"""
from aliyun.log import LogtailConfigHelper as helper
config_detail_json = { "config_name": "config_name1", "logstore_name": "logstore1", "file_pattern": "file_pattern", "time_format": "time_format", "log_path": "/log_path", "endpoint": "endpoint", "log_parse_regex": "xxx ([\\w\\-]+\\s[\\d\\:]+)\\s+(.*)", "log_begin_regex": "xxx.*", "reg_keys": [ "time", "value" ], "topic_format": "none", "filter_keys": [ "time", "value" ], "filter_keys_reg": [ "time", "value" ], "logSample": "xxx 2017-11-11 11:11:11 hello alicloud." }
request = helper.generate_common_reg_log_config(config_detail_json)
res = client.create_logtail_config('project1', request)
res.log_print()
"""  # noqa: E501  (the README's line, kept whole)

GET_LOGTAIL_CONFIG = """
res = client.get_logtail_config('project1', 'config1')
res.log_print()
"""

LIST_MACHINE_GROUP = """
res = client.list_machine_group('project1')
res.log_print()
"""
LIST_MACHINE_GROUP_OUTPUT = '{"count": 2, "machinegroups": ["group_name1", "group_name2"], "total": 2}'

CREATE_MACHINE_GROUP = """
from aliyun.log import MachineGroupDetail
config_detail_json = { "group_name": "group_name1", "machine_list": [ "machine1", "machine2" ], "machine_type": "userdefined", "group_type": "Armory", "group_attribute": { "externalName": "ex name", "groupTopic": "topic x" } }
request = MachineGroupDetail()
request.from_json(config_detail_json)
res = client.create_machine_group('project1', request)
res.log_print()
"""  # noqa: E501  (the README's line, kept whole)

GET_MACHINE_GROUP = """
res = client.get_machine_group('project1', 'group1')
res.log_print()
"""

APPLY_CONFIG = """
res = client.apply_config_to_machine_group('project1', 'config1', 'group1')
res.log_print()
"""

REMOVE_CONFIG = """
res = client.remove_config_to_machine_group('project1', 'config1', 'group1')
res.log_print()
"""

CONFIG_APPLIED_GROUPS = """
res = client.get_config_applied_machine_groups('project1', 'config1')
res.log_print()
"""
CONFIG_APPLIED_GROUPS_OUTPUT = '{"count": 2, "machinegroups": ["group1", "group2"]}'

GROUP_APPLIED_CONFIGS = """
res = client.get_machine_group_applied_configs('project1', 'group1')
res.log_print()
"""
GROUP_APPLIED_CONFIGS_OUTPUT = '{"count": 2, "configs": ["config1", "config2"]}'


class Readme:
    """Runs README snippets in one namespace (like one interactive session) and returns what they print."""

    def __init__(self, server: EmulatorServer) -> None:
        self.namespace: dict[str, Any] = {
            "EMULATOR_ENDPOINT": server.endpoint,
            "EMULATOR_KEY_ID": server.access_key_id,
            "EMULATOR_KEY": server.access_key_secret,
        }
        self.run(CONFIGURE_SDK)
        self.client: LogClient = self.namespace["client"]

    def run(self, snippet: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(snippet, "<README>", "exec"), self.namespace)
        return out.getvalue()


@pytest.fixture
def readme() -> Iterator[Readme]:
    """A fresh emulator on a socket with the README's ``project1`` / ``logstore1``."""
    with EmulatorServer(port=0) as server:
        session = Readme(server)
        session.client.create_project("project1", "README examples")
        session.client.create_logstore("project1", "logstore1", ttl=30, shard_count=3)
        yield session


def add_config(client: LogClient, name: str) -> None:
    client.create_logtail_config(
        "project1",
        LogtailConfigHelper.generate_common_reg_log_config(
            {
                "config_name": name,
                "logstore_name": "logstore1",
                "endpoint": "",
                "log_path": "/var/log",
                "file_pattern": "*.log",
                "time_format": "%Y-%m-%d %H:%M:%S",
                "log_begin_regex": ".*",
                "log_parse_regex": "(.*)",
                "reg_keys": ["content"],
            }
        ),
    )


def add_group(client: LogClient, name: str) -> None:
    client.create_machine_group("project1", MachineGroupDetail(name, "ip", ["192.168.1.1"]))


def only_line(printed: str) -> str:
    lines = printed.splitlines()
    assert len(lines) == 1, printed
    return lines[0]


# ------------------------------------------------------------------------------- 管理日志库Logtail配置


def test_create_then_list_logtail_configs(readme: Readme) -> None:
    readme.run(CREATE_LOGTAIL_CONFIG)
    created = readme.client.get_logtail_config("project1", "config_name1").get_body()
    assert created["outputDetail"] == {"endpoint": "endpoint", "logstoreName": "logstore1"}
    assert created["inputDetail"]["regex"] == "xxx ([\\w\\-]+\\s[\\d\\:]+)\\s+(.*)"
    assert created["inputDetail"]["key"] == ["time", "value"]
    assert created["logSample"] == "xxx 2017-11-11 11:11:11 hello alicloud."

    add_config(readme.client, "config_name2")
    assert only_line(readme.run(LIST_LOGTAIL_CONFIG)) == LIST_LOGTAIL_CONFIG_OUTPUT


def test_get_update_delete_logtail_config(readme: Readme) -> None:
    add_config(readme.client, "config1")
    printed = readme.run(GET_LOGTAIL_CONFIG)
    assert "GetLogtailConfigResponse" in printed and '"configName": "config1"' in printed

    # 修改 / 删除: update_logtail_config and delete_logtail_config
    config = readme.namespace["res"].logtail_config
    config.value["inputDetail"]["logPath"] = "/srv/log"
    readme.client.update_logtail_config("project1", config)
    assert readme.client.get_logtail_config("project1", "config1").get_body()["inputDetail"]["logPath"] == "/srv/log"
    readme.client.delete_logtail_config("project1", "config1")
    assert readme.client.list_logtail_config("project1").get_total() == 0


# ------------------------------------------------------------------------------- 管理机器组


def test_create_then_list_machine_groups(readme: Readme) -> None:
    readme.run(CREATE_MACHINE_GROUP)
    group = readme.client.get_machine_group("project1", "group_name1").get_machine_group()
    assert group.to_json() == {
        "groupName": "group_name1",
        "groupType": "Armory",
        "groupAttribute": {"externalName": "ex name", "groupTopic": "topic x"},
        "machineIdentifyType": "userdefined",
        "machineList": ["machine1", "machine2"],
    }
    add_group(readme.client, "group_name2")
    assert only_line(readme.run(LIST_MACHINE_GROUP)) == LIST_MACHINE_GROUP_OUTPUT


def test_get_update_delete_machine_group(readme: Readme) -> None:
    add_group(readme.client, "group1")
    printed = readme.run(GET_MACHINE_GROUP)
    assert "GetMachineGroupResponse" in printed and '"groupName": "group1"' in printed

    group = readme.namespace["res"].get_machine_group()
    group.machine_list = ["192.168.1.2"]
    readme.client.update_machine_group("project1", group)
    assert readme.client.get_machine_group("project1", "group1").get_machine_group().machine_list == ["192.168.1.2"]
    readme.client.delete_machine_group("project1", "group1")
    assert readme.client.list_machine_group("project1").get_total() == 0


# ------------------------------------------------------------------------------- 关联Logtail配置到机器组


def test_applying_configs_to_machine_groups(readme: Readme) -> None:
    for name in ("config1", "config2"):
        add_config(readme.client, name)
    for name in ("group1", "group2"):
        add_group(readme.client, name)

    assert "ApplyConfigToMachineGroupResponse" in readme.run(APPLY_CONFIG)
    assert readme.client.get_machine_group_applied_configs("project1", "group1").get_configs() == ["config1"]
    assert "RemoveConfigToMachineGroupResponse" in readme.run(REMOVE_CONFIG)
    assert readme.client.get_machine_group_applied_configs("project1", "group1").get_configs() == []

    readme.run(APPLY_CONFIG)
    readme.run(APPLY_CONFIG)  # applying again changes nothing
    readme.client.apply_config_to_machine_group("project1", "config1", "group2")
    readme.client.apply_config_to_machine_group("project1", "config2", "group1")
    assert only_line(readme.run(CONFIG_APPLIED_GROUPS)) == CONFIG_APPLIED_GROUPS_OUTPUT
    assert only_line(readme.run(GROUP_APPLIED_CONFIGS)) == GROUP_APPLIED_CONFIGS_OUTPUT


# ------------------------------------------------------------------------------- 投递管理


def test_shipper_calls_named_by_the_readme(readme: Readme) -> None:
    from aliyun.log import OssShipperConfig

    client = readme.client
    oss = OssShipperConfig("bucket", "prefix", "acs:ram::123:role/aliyunlogdefaultrole")
    client.create_shipper("project1", "logstore1", "shipper1", "oss", oss)  # 创建配置
    assert client.list_shipper("project1", "logstore1").get_shipper_names() == ["shipper1"]  # 获取配置列表
    config = client.get_shipper_config("project1", "logstore1", "shipper1")  # 获取配置
    assert config.get_config().to_json() == oss.to_json()
    oss.buffer_interval = 600
    client.update_shipper("project1", "logstore1", "shipper1", "oss", oss)  # 更新配置
    assert client.get_shipper_config("project1", "logstore1", "shipper1").get_config().buffer_interval == 600

    now = int(time.time())
    tasks = client.get_shipper_tasks("project1", "logstore1", "shipper1", now - 3600, now + 60)  # 获取运行实例列表
    assert tasks.get_task_count() == 1 and tasks.get_running_task_count() == 1
    client.retry_shipper_tasks("project1", "logstore1", "shipper1", tasks.get_fail_task_ids())  # 重试运行实例
    client.delete_shipper("project1", "logstore1", "shipper1")  # 删除配置
    assert client.list_shipper("project1", "logstore1").get_total() == 0


# ------------------------------------------------------------------------------- 管理日志项目 / 日志库 / 游标 / 拉取

PROJECT_SNIPPETS = """
res = client.list_project()
res.log_print()
res = client.get_project('project1')
res.log_print()
res = client.create_project("new_project", "a simple project")
res.log_print()
res = client.delete_project("new_project")
res.log_print()
"""

LOGSTORE_SNIPPETS = """
from aliyun.log import ListLogstoresRequest
request = ListLogstoresRequest('project1')
res = client.list_logstores(request)
res.log_print()
res = client.create_logstore('project1', 'logstore2', ttl=30, shard_count=3)
res.log_print()
res = client.get_logstore('project1', 'logstore1')
res.log_print()
"""

CURSOR_SNIPPETS = """
res = client.get_begin_cursor('project1', 'logstore1', shard_id=0)
print(res.get_cursor())
res = client.get_end_cursor('project1', 'logstore1', shard_id=0)
print(res.get_cursor())
res = client.get_cursor('project1', 'logstore1', shard_id=0, start_time=1510837205)
print(res.get_cursor())
res = client.get_begin_cursor('project1', 'logstore1', shard_id=0)
res = client.get_cursor_time('project1', 'logstore1', shard_id=0, cursor=res.get_cursor())
print(res.get_cursor_time())
res = client.get_end_cursor('project1', 'logstore1', shard_id=0)
res = client.get_previous_cursor_time('project1', 'logstore1', shard_id=0, cursor=res.get_cursor())
print(res.get_cursor_time())
"""

PULL_SNIPPET = """
from time import time
res = client.get_cursor('project1', 'logstore1', shard_id=0, start_time=int(time())-3600)
res = client.pull_logs('project1', 'logstore1', shard_id=0, cursor=res.get_cursor())
res.log_print()
"""

COPY_SNIPPET = """
res = client.copy_project("project1", "project2")
res.log_print()
"""


def test_project_snippets(readme: Readme) -> None:
    printed = readme.run(PROJECT_SNIPPETS)
    assert "projectName: project1" in printed
    assert "new_project" not in [p["projectName"] for p in readme.client.list_project().get_projects()]


def test_logstore_snippets(readme: Readme) -> None:
    printed = readme.run(LOGSTORE_SNIPPETS)
    assert '"logstore1"' in printed and "ttl: 30" in printed
    assert readme.client.get_logstore("project1", "logstore2").get_shard_count() == 3


def test_cursor_and_pull_snippets(readme: Readme) -> None:
    from aliyun.log import LogItem, PutLogsRequest

    readme.client.put_logs(
        PutLogsRequest("project1", "logstore1", "", "", [LogItem(contents=[("msg", "hello")])], hashKey="0" * 32)
    )
    lines = readme.run(CURSOR_SNIPPETS).splitlines()
    begin, end, at_time, begin_time, previous_time = lines
    assert begin != end and at_time == begin
    assert begin_time == previous_time and int(begin_time) > time.time() - 600
    assert "hello" in readme.run(PULL_SNIPPET)


def test_copy_project_snippet(readme: Readme) -> None:
    add_config(readme.client, "config1")
    add_group(readme.client, "group1")
    readme.client.apply_config_to_machine_group("project1", "config1", "group1")
    printed = readme.run(COPY_SNIPPET)
    assert "logstore1" in printed and "group1" in printed
    assert readme.client.get_machine_group_applied_configs("project2", "group1").get_configs() == ["config1"]
