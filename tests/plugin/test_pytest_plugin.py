"""The pytest plugin, as a user gets it: a test project using only the fixtures, run with pytester."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

pytest_plugins = ("pytester",)
pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "aliyun.log.emulator.pytest_plugin"

USER_TESTS = """
import time

import pytest

from aliyun.log import LogItem, PutLogsRequest


def _item(**contents):
    item = LogItem()
    for key, value in contents.items():
        item.push_back(key, value)
    return item


def test_write_and_pull(sls_client, sls_logstore):
    sls_client.put_logs(PutLogsRequest(sls_logstore.project, sls_logstore.name, "t", "", [_item(k="v")]))
    shards = sls_client.list_shards(sls_logstore.project, sls_logstore.name).get_shards_info()
    assert len(shards) == 2
    total = 0
    for shard in shards:
        cursor = sls_client.get_begin_cursor(sls_logstore.project, sls_logstore.name, shard["shardID"]).get_cursor()
        pulled = sls_client.pull_logs(sls_logstore.project, sls_logstore.name, shard["shardID"], cursor)
        total += pulled.get_log_count()
    assert total == 1


@pytest.mark.sls_logstore(shards=4)
def test_marker_sets_shards(sls_client, sls_logstore):
    assert sls_logstore.shards == 4
    assert len(sls_client.list_shards(sls_logstore.project, sls_logstore.name).get_shards_info()) == 4


@pytest.mark.parametrize("sls_logstore", [1, {"shards": 3}], indirect=True)
def test_indirect_shards(sls_client, sls_logstore):
    count = len(sls_client.list_shards(sls_logstore.project, sls_logstore.name).get_shards_info())
    assert count == sls_logstore.shards in (1, 3)


@pytest.mark.sls_logstore(shards=1, index=True)
def test_index(sls_client, sls_logstore):
    sls_client.put_logs(PutLogsRequest(sls_logstore.project, sls_logstore.name, "", "", [_item(msg="hello world")]))
    now = int(time.time())
    found = sls_client.get_log(sls_logstore.project, sls_logstore.name, now - 600, now + 600, query="hello")
    assert found.get_count() == 1


def test_each_test_gets_a_fresh_project(sls_client, sls_project):
    assert sls_client.list_logstore(sls_project).get_logstores() == []


@pytest.mark.sls_logstore(shards=1)
def test_clock(sls_client, sls_logstore, sls_clock):
    sls_clock.freeze(1_800_000_000)
    sls_client.put_logs(PutLogsRequest(sls_logstore.project, sls_logstore.name, "", "", [_item(k="v")]))
    cursor = sls_client.get_cursor(sls_logstore.project, sls_logstore.name, 0, 1_800_000_000 - 1).get_cursor()
    stamp = sls_client.get_cursor_time(sls_logstore.project, sls_logstore.name, 0, cursor).get_cursor_time()
    assert stamp == 1_800_000_000


def test_clock_is_real_again(sls_clock):
    assert not sls_clock.frozen and abs(sls_clock.now() - time.time()) < 3600


def test_faults(sls_client, sls_logstore, sls_faults):
    sls_faults.inject("ListShards", error_code="ServerBusy", status=503)
    assert len(sls_client.list_shards(sls_logstore.project, sls_logstore.name).get_shards_info()) == 2
    assert sls_faults.pending() == []


def test_projects_are_removed_after_each_test(sls_client, sls_emulator):
    names = [p["projectName"] for p in sls_client.list_project(size=500).get_projects()]
    assert len(names) <= 1, names
"""


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    loaded = any(ep.value == PLUGIN for ep in importlib.metadata.entry_points(group="pytest11"))
    plugin = () if loaded else ("-p", PLUGIN)
    pytester.makepyfile(test_user=USER_TESTS)
    return pytester.runpytest_subprocess(*plugin, "-p", "no:cacheprovider", *args, timeout=300)


def test_fixtures_need_no_setup_code(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "-p", "no:xdist")
    result.assert_outcomes(passed=10)


@pytest.mark.parametrize("mode", ["--sls-in-process"])
def test_in_process_mode(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    result = _run(pytester, monkeypatch, "-p", "no:xdist", mode)
    result.assert_outcomes(passed=10)


def test_fixtures_with_xdist(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("xdist")
    result = _run(pytester, monkeypatch, "-n", "2")
    result.assert_outcomes(passed=10)
    # Two workers, so two emulators: every test ran in one of them.
    assert re.search(r"2 workers", result.stdout.str()) or "gw1" in result.stdout.str()


def test_setup_declares_the_entry_point() -> None:
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert f'"pytest11": ["aliyun_log_emulator = {PLUGIN}"]' in setup
