"""copy_project and copy_logstore through our LogClient against the emulator."""

from __future__ import annotations

import pytest

from aliyun.log import IndexConfig, LogClient, LogException, MachineGroupDetail, ProjectAlreadyExist
from aliyun.log.logtail_config_detail import LogtailConfigHelper

INDEX = {"line": {"token": [",", " "], "caseSensitive": False}, "keys": {"status": {"type": "long", "doc_value": True}}}


def _setup_source(client: LogClient, project: str) -> None:
    client.create_logstore(project, "web", ttl=15, shard_count=3)
    client.create_logstore(project, "plain", ttl=7, shard_count=1)
    index = IndexConfig()
    index.from_json(INDEX)
    client.create_index(project, "web", index)
    config = LogtailConfigHelper.generate_common_reg_log_config(
        {
            "config_name": "web-config",
            "logstore_name": "web",
            "file_pattern": "*.log",
            "time_format": "%Y",
            "log_path": "/var/log",
            "endpoint": "",
            "log_parse_regex": "(.*)",
            "log_begin_regex": ".*",
            "reg_keys": ["content"],
            "topic_format": "none",
            "filter_keys": [],
            "filter_keys_reg": [],
            "logSample": "x",
        }
    )
    client.create_logtail_config(project, config)
    group = MachineGroupDetail()
    group.from_json({"group_name": "web-hosts", "machine_list": ["10.0.0.1"], "machine_type": "ip"})
    client.create_machine_group(project, group)
    client.apply_config_to_machine_group(project, "web-config", "web-hosts")


def test_copy_project_copies_everything(client: LogClient, project: str, capsys: pytest.CaptureFixture[str]) -> None:
    _setup_source(client, project)
    target = project + "-copy"
    try:
        result = client.copy_project(project, target)
        result.log_print()
        assert "web-hosts" in capsys.readouterr().out
        assert sorted(client.list_logstore(target).get_logstores()) == ["plain", "web"]
        web = client.get_logstore(target, "web")
        assert (web.get_ttl(), web.get_shard_count()) == (15, 3)
        assert client.get_index_config(target, "web").get_index_config().to_json()["keys"]["status"]["type"] == "long"
        assert client.list_logtail_config(target).get_configs() == ["web-config"]
        assert client.get_machine_group_applied_configs(target, "web-hosts").get_configs() == ["web-config"]
        with pytest.raises(ProjectAlreadyExist):
            client.copy_project(project, target)
    finally:
        for name in client.list_logstore(target).get_logstores():
            client.delete_logstore(target, name)
        client.delete_project(target)


def test_copy_project_without_machine_groups(client: LogClient, project: str) -> None:
    _setup_source(client, project)
    target = project + "-nomg"
    client.copy_project(project, target, copy_machine_group=False)
    assert client.list_machine_group(target).get_machine_group() == []
    with pytest.raises(LogException):
        client.copy_project(project, target + "x", copy_dashboards=True)


def test_copy_logstore_renames_configs(client: LogClient, project: str) -> None:
    _setup_source(client, project)
    result = client.copy_logstore(project, "web", "web2")
    assert result.get_copied()["configs"] == ["web2_web-config"]
    assert client.get_logstore(project, "web2").get_shard_count() == 3
    detail = client.get_logtail_config(project, "web2_web-config").get_body()
    assert detail["outputDetail"]["logstoreName"] == "web2"
