"""``LogProducer`` against the emulator: exactly-once delivery, retried faults, bounds, fork, exit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from _applogging_support import FaultTransport, StallTransport, counts, fresh_logstore, stored

from aliyun.log import LogClient
from aliyun.log._transport.http import Urllib3Transport
from aliyun.log.emulator import EmulatorServer
from aliyun.log.producer import BufferFullError, LogProducer

PROJECT = "producer-tests"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as srv:
        srv.client().create_project(PROJECT, "producer tests")
        yield srv


@pytest.mark.parametrize("in_process", [True, False])
def test_every_log_is_stored_exactly_once(server: EmulatorServer, in_process: bool) -> None:
    client = server.client(in_process=in_process)
    logstore = fresh_logstore(client, PROJECT)
    with LogProducer(client, linger=0.05, max_batch_count=300, sender_threads=3) as producer:
        futures = [
            producer.send(PROJECT, logstore, {"id": str(i), "body": "x" * (i % 50)}, topic=f"t{i % 3}")
            for i in range(3000)
        ]
        futures.append(producer.send(PROJECT, logstore, [{"id": f"list-{i}"} for i in range(100)]))
        assert producer.flush(60)
        assert producer.stats.sent == 3100 and producer.stats.failed == 0
    assert all(f.result().request_id for f in futures)
    logs = stored(client, PROJECT, logstore)
    ids = counts(logs, "id")
    assert len(logs) == 3100 and set(ids.values()) == {1}
    assert {log["__topic__"] for log in logs} == {"t0", "t1", "t2", ""}


def test_hash_key_routes_to_one_shard(server: EmulatorServer) -> None:
    client = server.client(in_process=True)
    logstore = fresh_logstore(client, PROJECT, shards=2)
    with LogProducer(client, linger=0) as producer:
        for i in range(20):
            producer.send(PROJECT, logstore, {"id": str(i)}, hash_key="ffffffffffffffffffffffffffffff00")
        assert producer.flush(30)
    per_shard = [
        sum(b.get_log_count() for b in client.pull_log(PROJECT, logstore, s["shardID"], "begin", "end"))
        for s in client.list_shards(PROJECT, logstore).get_shards_info()
    ]
    assert sorted(per_shard) == [0, 20]


def test_injected_faults_are_retried_and_logs_stored_once(server: EmulatorServer) -> None:
    faults = [
        (503, "ServerBusy"),
        (500, "InternalServerError"),
        (403, "WriteQuotaExceed"),
        (403, "ShardWriteQuotaExceed"),
    ]
    transport = FaultTransport(Urllib3Transport(), faults)
    client = LogClient(server.endpoint, server.access_key_id, server.access_key_secret, transport=transport)
    logstore = fresh_logstore(server.client(in_process=True), PROJECT)
    with LogProducer(client, linger=0.02, max_batch_count=50) as producer:
        futures = [producer.send(PROJECT, logstore, {"id": str(i)}) for i in range(500)]
        assert producer.flush(60)
        assert producer.stats.retried >= 1 and producer.stats.sent == 500
    assert transport.injected == len(faults)
    assert all(not f.exception() for f in futures)
    ids = counts(stored(client, PROJECT, logstore), "id")
    assert len(ids) == 500 and set(ids.values()) == {1}


def test_non_retriable_answer_fails_the_batch(server: EmulatorServer) -> None:
    client = server.client(in_process=True)
    with LogProducer(client, linger=0) as producer:
        future = producer.send(PROJECT, "no-such-logstore", {"id": "1"})
        assert future.exception(timeout=30) is not None
        assert future.exception().get_error_code() == "LogStoreNotExist"  # type: ignore[union-attr]
        assert producer.stats.failed == 1 and producer.stats.retried == 0


def test_buffer_bound_holds_against_a_stalled_server(server: EmulatorServer) -> None:
    stall = StallTransport(Urllib3Transport())
    client = LogClient(server.endpoint, server.access_key_id, server.access_key_secret, transport=stall)
    logstore = fresh_logstore(server.client(in_process=True), PROJECT)
    bound = 20_000
    producer = LogProducer(client, linger=0, max_buffer_bytes=bound, block_timeout=0)
    accepted, refused = [], 0
    try:
        for i in range(2000):
            try:
                accepted.append(producer.send(PROJECT, logstore, {"id": str(i), "pad": "p" * 40}))
            except BufferFullError:
                refused += 1
            assert producer.stats.pending_bytes <= bound
        assert stall.stalled.wait(10)  # the senders are held by the stalled server
        assert refused > 0 and producer.stats.dropped == refused
    finally:
        stall.release.set()
    assert producer.close(60)
    ids = counts(stored(client, PROJECT, logstore), "id")
    assert len(ids) == len(accepted) and set(ids.values()) == {1}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_sends_its_own_logs(server: EmulatorServer) -> None:
    client = server.client()  # over a socket: the child must reach the same server
    logstore = fresh_logstore(client, PROJECT)
    producer = LogProducer(client, linger=30)  # the parent's logs wait in its buffer across the fork
    for i in range(50):
        producer.send(PROJECT, logstore, {"id": f"parent-{i}"})
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            for i in range(30):
                producer.send(PROJECT, logstore, {"id": f"child-{i}"})
            code = 0 if producer.flush(30) and producer.stats.sent == 30 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert producer.flush(30)
    ids = counts(stored(client, PROJECT, logstore), "id")
    assert set(ids.values()) == {1}
    assert sum(1 for k in ids if k.startswith("parent-")) == 50
    assert sum(1 for k in ids if k.startswith("child-")) == 30
    producer.close(10)


def _run_script(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_pending_logs_are_sent_at_interpreter_exit(server: EmulatorServer) -> None:
    logstores = [fresh_logstore(server.client(in_process=True), PROJECT) for _ in range(2)]
    result = _run_script(
        f"""
        from aliyun.log import LogClient
        from aliyun.log.producer import LogProducer
        client = LogClient({server.endpoint!r}, {server.access_key_id!r}, {server.access_key_secret!r})
        producers = [LogProducer(client, linger=600, close_timeout=30) for _ in range(2)]
        for producer, logstore in zip(producers, {logstores!r}):
            for i in range(200):
                producer.send({PROJECT!r}, logstore, {{"id": str(i)}})
        """
    )
    assert result.returncode == 0, result.stderr
    for logstore in logstores:
        ids = counts(stored(server.client(in_process=True), PROJECT, logstore), "id")
        assert len(ids) == 200 and set(ids.values()) == {1}


def test_a_process_with_unsent_logs_exits_after_its_close_timeout() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        result = _run_script(
            f"""
            from aliyun.log import LogClient
            from aliyun.log.producer import LogProducer
            client = LogClient("127.0.0.1:{port}", "id", "secret", timeout=600)
            producer = LogProducer(client, linger=0, close_timeout=1)
            for i in range(100):
                producer.send("some-project", "ls", {{"id": str(i)}})
            print("sent")
            """,
            timeout=60,  # hanging would fail here; the script is expected to end after about 1 s
        )
    assert result.returncode == 0, result.stderr
    assert "sent" in result.stdout
    assert "unsent" in result.stderr  # the loss is reported, not silent
