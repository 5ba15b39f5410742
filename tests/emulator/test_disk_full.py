"""A full disk: every write answers a clear error and changes nothing, in memory or after a restart.

The disk fills through a seam: the metadata database answers SQLite's "database or disk is
full" to every write, or ``os.pwrite`` of the shard logs raises ``ENOSPC``. Before these fixes
SplitShard, MergeShards, CreateLogStore and consumer writes answered a bare 500 but had already
changed the in-memory model, so PutLogs was acknowledged into shards and logstores that a
restart forgot (and whose files a later split or re-created logstore picked up again).

``test_real_full_tmpfs`` repeats the core case on a real 2 MiB tmpfs when it can be mounted
(root on Linux); it is marked ``slow``.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import IndexConfig, LogClient, LogException, LogItem, PutLogsRequest, RetryPolicy
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.storage import shardlog

PROJECT = "full"
LOGSTORE = "ls"


class _FullDatabase:
    """Stands in for the metadata store's SQLite connection: reads work, writes find the disk full."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.split()[0].upper() in ("INSERT", "DELETE", "BEGIN", "UPDATE"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.real.in_transaction

    def close(self) -> None:
        self.real.close()


class Disk:
    """Switches the fault on and off for one emulator."""

    def __init__(self, server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.meta = server.service.state.meta
        self.real = self.meta._db
        self.monkeypatch = monkeypatch

    def fill(self) -> None:
        self.meta._db = _FullDatabase(self.real)  # type: ignore[assignment]

        def no_space(fd: int, data: bytes, offset: int) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        self.monkeypatch.setattr(shardlog.os, "pwrite", no_space)

    def free(self) -> None:
        self.meta._db = self.real
        self.monkeypatch.undo()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(data_dir=tmp_path / "data", listen=False) as emulator:
        client = emulator.client()
        client.create_project(PROJECT, "disk full")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=2)
        yield emulator


@pytest.fixture
def client(server: EmulatorServer) -> LogClient:
    return server.client(retry=RetryPolicy.disabled())


@pytest.fixture
def disk(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    fault = Disk(server, monkeypatch)
    yield fault
    fault.free()


def put(client: LogClient, logstore: str, text: str, hash_key: Any = None) -> None:
    client.put_logs(
        PutLogsRequest(PROJECT, logstore, "", "", [LogItem(1_700_000_000, [("m", text)])], hashKey=hash_key)
    )


def pulled(client: LogClient, logstore: str) -> list[str]:
    found = []
    for shard in client.list_shards(PROJECT, logstore).get_shards_info():
        cursor = client.get_begin_cursor(PROJECT, logstore, shard["shardID"]).get_cursor()
        for log in client.pull_logs(PROJECT, logstore, shard["shardID"], cursor).get_flatten_logs_json():
            found.append(log["m"])
    return sorted(found)


def assert_disk_full(caught: pytest.ExceptionInfo[LogException]) -> None:
    assert caught.value.get_resp_status() == 500
    assert caught.value.get_error_code() == "InternalServerError"
    assert "disk" in caught.value.get_error_message() and "full" in caught.value.get_error_message()
    assert "nothing was changed" in caught.value.get_error_message()


def restarted(server: EmulatorServer) -> EmulatorServer:
    data_dir = server.data_dir
    server.stop()
    return EmulatorServer(data_dir=data_dir, listen=False).start()


def shard_table(client: LogClient, logstore: str = LOGSTORE) -> list[tuple[int, str]]:
    return [(s["shardID"], s["status"]) for s in client.list_shards(PROJECT, logstore).get_shards_info()]


def test_split_on_a_full_disk_changes_nothing(server: EmulatorServer, client: LogClient, disk: Disk) -> None:
    before = shard_table(client)
    disk.fill()
    with pytest.raises(LogException) as caught:
        client.split_shard(PROJECT, LOGSTORE, 0, "4" + "0" * 31)
    assert_disk_full(caught)
    disk.free()
    assert shard_table(client) == before  # no phantom children
    put(client, LOGSTORE, "after", hash_key="1" + "0" * 31)  # still lands in shard 0, which is still writable
    after = restarted(server)
    try:
        again = after.client()
        assert shard_table(again) == before
        assert pulled(again, LOGSTORE) == ["after"]
        # A split once the disk has room works, and its children start empty.
        again.split_shard(PROJECT, LOGSTORE, 0, "4" + "0" * 31)
        assert [s for s, status in shard_table(again) if status == "readwrite"] == [1, 2, 3]
        assert pulled(again, LOGSTORE) == ["after"]
    finally:
        after.stop()


def test_merge_on_a_full_disk_changes_nothing(client: LogClient, disk: Disk) -> None:
    before = shard_table(client)
    disk.fill()
    with pytest.raises(LogException) as caught:
        client.merge_shard(PROJECT, LOGSTORE, 0)
    assert_disk_full(caught)
    disk.free()
    assert shard_table(client) == before


def test_create_logstore_on_a_full_disk_leaves_no_phantom(
    server: EmulatorServer, client: LogClient, disk: Disk
) -> None:
    disk.fill()
    with pytest.raises(LogException) as caught:
        client.create_logstore(PROJECT, "phantom", shard_count=1)
    assert_disk_full(caught)
    disk.free()
    # Nothing to write into: before the fix PutLogs was acknowledged here and lost at restart.
    with pytest.raises(LogException) as missing:
        put(client, "phantom", "lost")
    assert missing.value.get_error_code() == "LogStoreNotExist"
    client.create_logstore(PROJECT, "phantom", shard_count=1)
    assert pulled(client, "phantom") == []


def test_leftover_shard_files_never_reappear(server: EmulatorServer, client: LogClient) -> None:
    """Files in the folder of a shard the metadata does not know (an earlier failed creation) are not its data."""
    client.create_logstore(PROJECT, "recreated", shard_count=1)
    put(client, "recreated", "old")
    folder = server.data_dir / "shards" / PROJECT / "recreated" / "0"
    kept = server.data_dir.parent / "kept"
    shutil.copytree(folder, kept)
    client.delete_logstore(PROJECT, "recreated")
    shutil.copytree(kept, folder)  # as if the delete or a failed create had left them
    client.create_logstore(PROJECT, "recreated", shard_count=1)
    assert pulled(client, "recreated") == []


def test_consumer_writes_on_a_full_disk_change_nothing(client: LogClient, disk: Disk) -> None:
    client.create_consumer_group(PROJECT, LOGSTORE, "existing", 60)
    cursor = client.get_begin_cursor(PROJECT, LOGSTORE, 0).get_cursor()
    client.update_check_point(PROJECT, LOGSTORE, "existing", 0, cursor, force_success=True)
    put(client, LOGSTORE, "x", hash_key="0" * 32)
    end = client.get_end_cursor(PROJECT, LOGSTORE, 0).get_cursor()
    disk.fill()
    with pytest.raises(LogException) as caught:
        client.create_consumer_group(PROJECT, LOGSTORE, "new", 60)
    assert_disk_full(caught)
    with pytest.raises(LogException) as caught:
        client.update_check_point(PROJECT, LOGSTORE, "existing", 0, end, force_success=True)
    assert_disk_full(caught)
    with pytest.raises(LogException) as caught:
        client.heart_beat(PROJECT, LOGSTORE, "existing", "c1", [])
    assert_disk_full(caught)
    disk.free()
    groups = [g.get_consumer_group_name() for g in client.list_consumer_group(PROJECT, LOGSTORE).get_consumer_groups()]
    assert groups == ["existing"]
    points = client.get_check_point(PROJECT, LOGSTORE, "existing", 0).get_consumer_group_check_points()
    assert points[0]["checkpoint"] == cursor


def test_put_logs_on_a_full_disk_logs_once(client: LogClient, disk: Disk, caplog: pytest.LogCaptureFixture) -> None:
    put(client, LOGSTORE, "before")
    disk.fill()
    with caplog.at_level(logging.WARNING):
        for n in range(25):
            with pytest.raises(LogException) as caught:
                put(client, LOGSTORE, f"refused-{n}")
            assert_disk_full(caught)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1  # one line, not one traceback per request
    assert not errors[0].exc_info  # and no traceback
    disk.free()
    put(client, LOGSTORE, "after")
    assert pulled(client, LOGSTORE) == ["after", "before"]


# -- a real full file system ----------------------------------------------------------------------------

_SCRIPT = r"""
import json, os, sys
from aliyun.log import LogException, LogItem, PutLogsRequest, RetryPolicy
from aliyun.log.emulator import EmulatorServer

data, ballast = sys.argv[1], sys.argv[2]
server = EmulatorServer(data_dir=data, listen=False).start()
client = server.client(retry=RetryPolicy.disabled())
client.create_project("full", "d")
client.create_logstore("full", "ls", shard_count=1)
acknowledged = 0
fd = os.open(ballast, os.O_WRONLY | os.O_CREAT)  # fill the disk, leaving nothing
for size in (65536, 4096, 512, 1):
    try:
        while True:
            os.write(fd, b"x" * size)
    except OSError:
        pass
os.close(fd)
answers = []
for call in (
    lambda: client.split_shard("full", "ls", 0, "8" + "0" * 31),
    lambda: client.create_logstore("full", "other", shard_count=2),
    lambda: client.create_consumer_group("full", "ls", "g", 60),
):
    try:
        call()
        answers.append("ok")
    except LogException as exc:
        answers.append(exc.get_error_code() + ":" + str(exc.get_resp_status()))
shards = [s["shardID"] for s in client.list_shards("full", "ls").get_shards_info()]
os.unlink(ballast)
server.stop()
again = EmulatorServer(data_dir=data, listen=False).start()
client = again.client()
after = [s["shardID"] for s in client.list_shards("full", "ls").get_shards_info()]
names = client.list_logstore("full").get_logstores()
print(json.dumps([answers, shards, after, names]))
again.stop()
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="mounting a tmpfs needs root on Linux")
def test_real_full_tmpfs(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        root = Path(__file__).resolve().parents[2]
        result = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(mount / "data"), str(mount / "ballast")],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ, PYTHONPATH=str(root)),
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        answers, before, after, logstores = json.loads(result.stdout.strip().splitlines()[-1])
        for answer in answers:
            assert answer in ("InternalServerError:500", "ok"), answers
        assert "InternalServerError:500" in answers
        assert before == after  # what memory showed is what a restart finds
        if answers[0] != "ok":
            assert after == [0]
        assert ("other" in logstores) == (answers[1] == "ok")
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_indexing_on_a_full_disk_logs_once(
    server: EmulatorServer, client: LogClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    index = IndexConfig()
    index.from_json({"line": {"token": [" "]}})
    client.create_index(PROJECT, LOGSTORE, index)
    engine = server.service.indexes.engine(PROJECT, LOGSTORE)
    assert engine is not None

    def no_space(groups: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(engine, "ingest_groups", no_space)
    with caplog.at_level(logging.WARNING):
        for n in range(10):
            put(client, LOGSTORE, f"word{n}")
            answer = client.get_log(PROJECT, LOGSTORE, 1_699_999_000, 1_700_001_000, query="*", incomplete_attempts=1)
            assert not answer.is_completed()  # answered, marked incomplete
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    monkeypatch.undo()
    answer = client.get_log(PROJECT, LOGSTORE, 1_699_999_000, 1_700_001_000, query="*", size=100)
    assert sorted(log.get_contents()["m"] for log in answer.get_logs()) == sorted(f"word{n}" for n in range(10))
