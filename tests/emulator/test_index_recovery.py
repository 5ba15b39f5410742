"""The index and the metadata recover from damage at start-up instead of vanishing or crashing.

Each test writes logs with an index, stops the emulator, damages one file the way a crash, a
bad disk or a stray ``rm`` would, starts again and checks that the index still finds every log
(rebuilt from the shard logs), or that the damaged resource is reported and answers a clear
error while everything else is served. Before these fixes the index was dropped while its
config stayed, and a bad metadata document made the emulator exit with a traceback.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import IndexConfig, LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

PROJECT = "recovery"
LOGSTORE = "ls"
T0 = 1_700_000_000
INDEX = {"line": {"token": [",", " "]}, "keys": {"n": {"type": "long", "doc_value": True}}}


def _index(config: dict[str, Any]) -> IndexConfig:
    index = IndexConfig()
    index.from_json(config)
    return index


def put(client: LogClient, first: int, count: int) -> None:
    items = [LogItem(T0 + i % 60, [("n", str(i)), ("w", f"word{i % 3}")]) for i in range(first, first + count)]
    client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "topic", "src", items))


def numbers(client: LogClient, query: str = "*") -> list[int]:
    found: list[int] = []
    offset = 0
    while True:
        logs = client.get_log(PROJECT, LOGSTORE, T0, T0 + 3600, query=query, size=100, offset=offset).get_logs()
        found.extend(int(log.get_contents()["n"]) for log in logs)
        if len(logs) < 100:
            return sorted(found)
        offset += 100


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A data directory holding a project, an indexed logstore and 300 logs (200 flushed, 100 in the journal)."""
    with EmulatorServer(data_dir=tmp_path, listen=False) as server:
        client = server.client()
        client.create_project(PROJECT, "d")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=2)
        client.create_index(PROJECT, LOGSTORE, _index(INDEX))
        put(client, 0, 200)
        assert numbers(client) == list(range(200))
        server.service.indexes.indexer.pause()  # keep the next logs staged in the journal
        put(client, 200, 100)
    yield tmp_path


def index_folder(data_dir: Path) -> Path:
    (folder,) = (data_dir / "index" / PROJECT / LOGSTORE).iterdir()
    return folder


def reopened(data_dir: Path) -> EmulatorServer:
    return EmulatorServer(data_dir=data_dir, listen=False).start()


def test_undamaged_index_survives_a_restart(data_dir: Path) -> None:
    with reopened(data_dir) as server:
        assert numbers(server.client()) == list(range(300))


def test_bad_journal_line_rebuilds_the_index(data_dir: Path) -> None:
    store = index_folder(data_dir)
    journals = sorted(store.glob("journal*.csv"))
    assert journals, "the fixture leaves staged logs in the journal"
    with open(journals[0], "ab") as handle:
        handle.write(b"garbage\x1fnot\x1fa\x1frow\n")
    with reopened(data_dir) as server:
        client = server.client()
        assert client.get_index_config(PROJECT, LOGSTORE).get_index_config() is not None
        assert numbers(client) == list(range(300))
        assert numbers(client, "n > 250") == list(range(251, 300))
        assert any(item["kind"] == "index" for item in server.service.state.faults.damage)


def test_garbage_version_file_rebuilds_the_index(data_dir: Path) -> None:
    (index_folder(data_dir) / "versions.json").write_bytes(b"\x00\xffnot json")
    with reopened(data_dir) as server:
        client = server.client()
        assert numbers(client) == list(range(300))
        put(client, 300, 10)
        assert numbers(client, "n >= 300") == list(range(300, 310))


def test_deleted_index_database_rebuilds_the_index(data_dir: Path) -> None:
    for path in index_folder(data_dir).glob("index.duckdb*"):
        path.unlink()
    with reopened(data_dir) as server:
        client = server.client()
        assert numbers(client) == list(range(300))
        assert numbers(client, "word1") == [n for n in range(300) if n % 3 == 1]


def _damage_doc(data_dir: Path, kind: str, name: str, body: str) -> None:
    db = sqlite3.connect(data_dir / "meta.sqlite")
    with db:
        db.execute("UPDATE docs SET body = ? WHERE kind = ? AND name = ?", (body, kind, name))
    db.close()


@pytest.mark.parametrize("body", ["{not json", json.dumps({"config": {}}), json.dumps([1, 2])])
def test_bad_logstore_document_is_reported_not_fatal(data_dir: Path, body: str) -> None:
    with EmulatorServer(data_dir=data_dir, listen=False) as server:
        client = server.client()
        client.create_logstore(PROJECT, "healthy", shard_count=1)
    _damage_doc(data_dir, "logstore", LOGSTORE, body)
    with reopened(data_dir) as server:
        client = server.client()
        assert client.get_logstore(PROJECT, "healthy").get_shard_count() == 1  # the rest is served
        with pytest.raises(LogException) as caught:
            client.get_logstore(PROJECT, LOGSTORE)
        assert caught.value.get_error_code() == "InternalServerError"
        assert "damaged" in caught.value.get_error_message()
        with pytest.raises(LogException):  # not silently replaced by a new, empty logstore
            client.create_logstore(PROJECT, LOGSTORE, shard_count=1)
        report = [json.loads(line) for line in (data_dir / "damage.jsonl").read_text().splitlines()]
        assert any(item["resource"] == f"{PROJECT}/{LOGSTORE}" for item in report)
        client.delete_logstore(PROJECT, LOGSTORE)  # the way out: delete what is left
        client.create_logstore(PROJECT, LOGSTORE, shard_count=1)
        assert client.get_logstore(PROJECT, LOGSTORE).get_shard_count() == 1


def test_bad_project_document_is_reported_not_fatal(data_dir: Path) -> None:
    with EmulatorServer(data_dir=data_dir, listen=False) as server:
        server.client().create_project("other", "fine")
    _damage_doc(data_dir, "project", PROJECT, "][")
    with reopened(data_dir) as server:
        client = server.client()
        assert client.get_project("other").get_description() == "fine"
        with pytest.raises(LogException) as caught:
            client.get_project(PROJECT)
        assert "damaged" in caught.value.get_error_message()


def test_bad_consumer_documents_are_reported_not_fatal(data_dir: Path) -> None:
    with EmulatorServer(data_dir=data_dir, listen=False) as server:
        client = server.client()
        client.create_consumer_group(PROJECT, LOGSTORE, "good", 60)
        client.create_consumer_group(PROJECT, LOGSTORE, "bad", 60)
    _damage_doc(data_dir, "consumer_group", "bad", json.dumps({"timeout": "soon"}))
    with reopened(data_dir) as server:
        client = server.client()
        groups = [
            g.get_consumer_group_name() for g in client.list_consumer_group(PROJECT, LOGSTORE).get_consumer_groups()
        ]
        assert groups == ["good"]
        assert any(item["resource"].endswith("/bad") for item in server.service.state.faults.damage)


def test_checkpoint_beyond_the_shard_end_is_clamped(data_dir: Path) -> None:
    """A shard that lost its tail: the group must read the logs written after the restart."""
    with EmulatorServer(data_dir=data_dir, listen=False) as server:
        client = server.client()
        client.create_consumer_group(PROJECT, LOGSTORE, "g", 60)
        end = client.get_end_cursor(PROJECT, LOGSTORE, 0).get_cursor()
        client.update_check_point(PROJECT, LOGSTORE, "g", 0, end, force_success=True)
    segment = sorted((data_dir / "shards" / PROJECT / LOGSTORE / "0").glob("*.seg"))[-1]
    with open(segment, "r+b") as handle:  # the second half of the segment is gone
        handle.truncate(handle.seek(0, 2) // 2)
    with reopened(data_dir) as server:
        client = server.client()
        cursor = client.get_check_point(PROJECT, LOGSTORE, "g", 0).get_consumer_group_check_points()[0]["checkpoint"]
        items = [LogItem(T0, [("n", str(1000 + i))]) for i in range(5)]
        client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "", "", items, hashKey="0" * 32))
        pulled = client.pull_logs(PROJECT, LOGSTORE, 0, cursor)
        got = [int(log["n"]) for log in pulled.get_flatten_logs_json()]
        assert got == list(range(1000, 1005))


_CRASH = """
import os, sys
sys.path.insert(0, {tests!r})
from test_index_recovery import PROJECT, LOGSTORE, INDEX, _index, numbers, put
from aliyun.log.emulator import EmulatorServer

server = EmulatorServer(data_dir={data!r}, listen=False)
client = server.client()
client.create_project(PROJECT, "crash")
client.create_logstore(PROJECT, LOGSTORE, shard_count=1)  # both groups in one shard
client.create_index(PROJECT, LOGSTORE, _index(INDEX))
put(client, 0, 50)
assert numbers(client) == list(range(50))  # in the index database
put(client, 50, 30)
server.service.indexes.indexer.wait_idle()  # indexed: in the journal only
os._exit(0)  # no shutdown
"""


def test_deleted_database_with_a_journal_left_by_a_crash(tmp_path: Path) -> None:
    """Replaying the journal alone would make the index think it holds the logs the database had."""
    script = _CRASH.format(tests=str(Path(__file__).parent), data=str(tmp_path))
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    folder = index_folder(tmp_path)
    assert (folder / "journal.csv").stat().st_size > 0
    for path in folder.glob("index.duckdb*"):
        path.unlink()
    with reopened(tmp_path) as server:
        assert numbers(server.client()) == list(range(80))


def test_unreadable_shard_folder_is_reported_not_fatal(data_dir: Path) -> None:
    shard = data_dir / "shards" / PROJECT / LOGSTORE / "1"
    for path in shard.iterdir():
        path.unlink()
    shard.rmdir()
    shard.write_text("a file where the shard folder should be")
    with reopened(data_dir) as server:
        client = server.client()
        with pytest.raises(LogException) as caught:
            client.list_shards(PROJECT, LOGSTORE)
        assert "damaged" in caught.value.get_error_message()
        assert client.get_project(PROJECT).get_description() == "d"
