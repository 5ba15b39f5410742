"""Indexing off the PutLogs path: read-your-writes, crash safety, and the index life cycle.

PutLogs only stores; the background indexer (or the first query) indexes from the shard logs.
These tests pause the indexer to hold a backlog, then check that queries still see every
acknowledged log exactly once, that a restart (also after ``os._exit``, i.e. no shutdown at all)
indexes what was left, and that logs written before CreateIndex never become searchable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import GetHistogramsRequest, IndexConfig, LogClient, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogstoreIndex
from aliyun.log.emulator.query.wire import StoredGroup
from aliyun.log.emulator.service.indexer import IndexFeed, resume_positions
from aliyun.log.emulator.service.state import ShardState
from aliyun.log.emulator.storage.shardlog import ShardLog

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "bg-indexer"
LOGSTORE = "ls"
T0 = 1_700_000_000
INDEX = {"line": {"token": [",", " "]}, "keys": {"n": {"type": "long", "doc_value": True}}}


def _index(config: dict[str, Any]) -> IndexConfig:
    index = IndexConfig()
    index.from_json(config)
    return index


def put(client: LogClient, first: int, count: int, *, hash_key: Any = None, **extra: str) -> None:
    """Logs ``first .. first+count-1``: ``n`` is the number, ``w`` a word to search for."""
    items = [
        LogItem(T0 + i % 60, [("n", str(i)), ("w", f"word{i % 3}"), *extra.items()])
        for i in range(first, first + count)
    ]
    client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "topic", "src", items, hashKey=hash_key))


def numbers(client: LogClient, query: str = "*") -> list[int]:
    """Every ``n`` the query finds (paged), sorted."""
    found: list[int] = []
    offset = 0
    while True:
        logs = client.get_log(PROJECT, LOGSTORE, T0, T0 + 3600, query=query, size=100, offset=offset).get_logs()
        found.extend(int(log.get_contents()["n"]) for log in logs)
        if len(logs) < 100:
            return sorted(found)
        offset += 100


def count(client: LogClient, query: str = "*") -> int:
    response = client.get_log(PROJECT, LOGSTORE, T0, T0 + 3600, query=f"{query} | select count(1) as c")
    return int(response.get_logs()[0].get_contents()["c"])


def setup_logstore(client: LogClient, shards: int = 2) -> None:
    client.create_project(PROJECT, "background indexer")
    client.create_logstore(PROJECT, LOGSTORE, shard_count=shards)
    client.create_index(PROJECT, LOGSTORE, _index(INDEX))


@pytest.fixture(params=["in-process", "socket"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[EmulatorServer, LogClient]]:
    with EmulatorServer(port=0, fsync="never") as emulator:
        client = emulator.client(in_process=request.param == "in-process")
        setup_logstore(client)
        yield emulator, client


def test_query_right_after_put_sees_everything(server: tuple[EmulatorServer, LogClient]) -> None:
    emulator, client = server
    emulator.service.indexes.indexer.pause()  # nothing indexed in the background
    put(client, 0, 50)
    assert numbers(client) == list(range(50))
    put(client, 50, 30)
    assert count(client) == 80
    assert count(client, "word1") == len([i for i in range(80) if i % 3 == 1])
    histogram = client.get_histograms(GetHistogramsRequest(PROJECT, LOGSTORE, T0, T0 + 3600, query="*"))
    assert histogram.get_total_count() == 80 and histogram.is_completed()
    put(client, 80, 5, t="marker")
    assert count(client, "marker") == 5


def test_background_thread_indexes_when_writes_pause(server: tuple[EmulatorServer, LogClient]) -> None:
    emulator, client = server
    indexes = emulator.service.indexes
    put(client, 0, 40)
    assert indexes.indexer.wait_idle()
    logstore = emulator.service.state.logstore(PROJECT, LOGSTORE)
    assert logstore.index is not None
    feed: IndexFeed = logstore.index.feed
    assert not feed.behind(list(logstore.shards.values()))
    assert numbers(client) == list(range(40))


def test_concurrent_puts_then_query() -> None:
    with EmulatorServer(port=0, fsync="never") as emulator:
        setup_logstore(emulator.client(in_process=True), shards=3)
        errors: list[BaseException] = []

        def writer(w: int) -> None:
            client = emulator.client()
            try:
                for r in range(10):
                    put(client, w * 1000 + r * 20, 20)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        expected = sorted(w * 1000 + k for w in range(6) for k in range(200))
        client = emulator.client()
        assert count(client) == len(expected)
        assert numbers(client) == expected


def test_delete_index_with_a_backlog() -> None:
    with EmulatorServer(port=0, fsync="never") as emulator:
        client = emulator.client(in_process=True)
        setup_logstore(client)
        emulator.service.indexes.indexer.pause()
        put(client, 0, 30)
        client.delete_index(PROJECT, LOGSTORE)
        client.create_index(PROJECT, LOGSTORE, _index(INDEX))
        emulator.service.indexes.indexer.resume()
        put(client, 100, 10)
        assert emulator.service.indexes.indexer.wait_idle()
        # the backlog went with the deleted index; the new one starts at its creation
        assert numbers(client) == list(range(100, 110))


def test_update_index_indexes_earlier_logs_under_the_old_config() -> None:
    with EmulatorServer(port=0, fsync="never") as emulator:
        client = emulator.client(in_process=True)
        client.create_project(PROJECT, "update")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=1)
        client.create_index(PROJECT, LOGSTORE, _index({"keys": {"n": {"type": "long", "doc_value": True}}}))
        emulator.service.indexes.indexer.pause()
        put(client, 0, 10, b="7")
        updated = {"keys": {"n": {"type": "long", "doc_value": True}, "b": {"type": "long", "doc_value": True}}}
        client.update_index(PROJECT, LOGSTORE, _index(updated))
        put(client, 10, 5, b="7")
        # ``b`` is a column only for logs indexed after the update (the first ten predate it)
        response = client.get_log(PROJECT, LOGSTORE, T0, T0 + 3600, query="* | select count(1) as c where b = 7")
        assert int(response.get_logs()[0].get_contents()["c"]) == 5
        assert count(client) == 15


def test_split_shard_with_a_backlog() -> None:
    with EmulatorServer(port=0, fsync="never") as emulator:
        client = emulator.client(in_process=True)
        setup_logstore(client, shards=1)
        emulator.service.indexes.indexer.pause()
        put(client, 0, 10)
        client.split_shard(PROJECT, LOGSTORE, 0, "8" + "0" * 31)
        put(client, 10, 10, hash_key="0" * 32)
        put(client, 20, 10, hash_key="f" * 32)
        assert numbers(client) == list(range(30))


def test_close_indexes_the_backlog(tmp_path: Path) -> None:
    with EmulatorServer(port=0, data_dir=tmp_path, fsync="never") as emulator:
        client = emulator.client(in_process=True)
        setup_logstore(client)
        emulator.service.indexes.indexer.pause()
        put(client, 0, 25)
    with EmulatorServer(port=0, data_dir=tmp_path, fsync="never") as emulator:
        logstore = emulator.service.state.logstore(PROJECT, LOGSTORE)
        assert logstore.index is not None
        feed: IndexFeed = logstore.index.feed
        assert not feed.behind(list(logstore.shards.values()))  # nothing left to replay
        assert numbers(emulator.client(in_process=True)) == list(range(25))


_CRASH = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {tests!r})
    from test_background_indexer import PROJECT, LOGSTORE, INDEX, _index, put
    from aliyun.log.emulator import EmulatorServer

    server = EmulatorServer(port=0, data_dir={data!r}, listen=False)
    client = server.client(in_process=True)
    if {first!r}:
        client.create_project(PROJECT, "crash")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=2)
        put(client, 1000, 7)  # before the index: never searchable
        client.create_index(PROJECT, LOGSTORE, _index(INDEX))
    indexer = server.service.indexes.indexer
    start, stop = {span!r}
    put(client, start, 20)
    indexer.wait_idle()  # indexed (and journaled) in the background
    indexer.pause()
    put(client, start + 20, stop - start - 20)  # acknowledged, not indexed
    sys.stdout.flush()
    os._exit(0)  # no shutdown: as if the process died
    """
)


def _crash_run(data: Path, first: bool, span: tuple[int, int]) -> None:
    script = _CRASH.format(tests=str(Path(__file__).parent), data=str(data), first=first, span=span)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()


def test_acknowledged_logs_survive_a_crash_before_indexing(tmp_path: Path) -> None:
    _crash_run(tmp_path, True, (0, 60))
    _crash_run(tmp_path, False, (60, 100))  # the restart replays the first backlog, then dies again
    with EmulatorServer(port=0, data_dir=tmp_path, listen=False) as emulator:
        client = emulator.client(in_process=True)
        assert numbers(client) == list(range(100))  # each exactly once, none from before the index
        assert count(client) == 100
        put(client, 100, 5)
        assert count(client) == 105
    with EmulatorServer(port=0, data_dir=tmp_path, listen=False) as emulator:
        assert numbers(emulator.client(in_process=True)) == list(range(105))


def test_a_partly_indexed_group_is_indexed_again(tmp_path: Path) -> None:
    log = ShardLog(tmp_path / "shard")
    shard = ShardState(0, "readwrite", "0" * 32, "f" * 32, 0, log=log)
    from aliyun.log._codec import encode_log_group

    for g in range(3):
        log.append(encode_log_group([(T0, None, [("n", str(g * 10 + i))]) for i in range(4)], "t", "s"), T0, 4)
    index = LogstoreIndex(INDEX, tmp_path / "index")
    groups = [StoredGroup(r.payload, 0, r.seq, r.receive_time) for r in log.read(0, 3)]
    index.ingest_groups(groups)
    index.flush()
    # as if the journal write of the last group was torn after two of its four logs
    index._store.con.execute("DELETE FROM logs WHERE gseq = 2 AND seq >= 10")
    assert index.indexed_groups() == {0: (2, 2)}
    positions = resume_positions(index, [shard], {0: 0})
    assert positions == {0: 2}
    feed = IndexFeed(positions)
    with feed.lock:
        assert feed.catch_up([shard], index) == 4
    result = index.get_logs("* | select count(1) as c, count(DISTINCT n) as d", T0, T0 + 1)
    assert result.rows == [{"c": "12", "d": "12"}]
    index.close()
    log.close()


def test_a_failing_ingest_is_retried_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    with EmulatorServer(port=0, fsync="never") as emulator:
        client = emulator.client(in_process=True)
        setup_logstore(client)
        engine = emulator.service.indexes.engine(PROJECT, LOGSTORE)
        assert engine is not None
        real = engine.ingest_groups
        failures = [1000]

        def flaky(groups: Any) -> int:
            if failures[0]:
                failures[0] -= 1
                raise OSError("disk full")
            return real(groups)

        engine.ingest_groups = flaky  # type: ignore[method-assign]
        indexer = emulator.service.indexes.indexer
        indexer.pause()
        put(client, 0, 10)
        # (the SDK would retry an incomplete answer: ask the service directly)
        result = emulator.service.queries.get_logs(PROJECT, LOGSTORE, {"from": T0, "to": T0 + 3600, "query": "*"})
        assert query_meta(result)["progress"] == "Incomplete" and result.rows == []
        assert "disk full" in caplog.text
        failures[0] = 1
        indexer.resume()
        assert indexer.wait_idle()  # the thread failed once more, then retried
        assert failures[0] == 0
        assert numbers(client) == list(range(10))
