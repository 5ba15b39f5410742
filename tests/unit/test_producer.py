"""``LogProducer`` against a fake client: batching, retries, bounds, close, inputs (no server)."""

from __future__ import annotations

import os
import sys
import threading
import types
from concurrent.futures import Future
from typing import Any, Callable, Optional

import pytest

from aliyun.log import LogException, LogItem
from aliyun.log._codec import decode_log_group
from aliyun.log.errors import LogStoreNotExist, ServerBusy, WriteQuotaExceed
from aliyun.log.producer import BufferFullError, LogProducer, ProducerClosedError, SendResult


class Response:
    def __init__(self, request_id: str) -> None:
        self._id = request_id

    def get_request_id(self) -> str:
        return self._id


class FakeClient:
    """Records every put_log_raw call; ``behaviour`` may raise or block per call."""

    def __init__(self, behaviour: Optional[Callable[[int], None]] = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.stored: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.behaviour = behaviour
        self.closed = 0

    def _default_source(self) -> str:
        return "10.0.0.1"

    def put_log_raw(self, project: str, logstore: str, body: bytes, compress: Any = None, **kw: Any) -> Response:
        with self.lock:
            number = len(self.calls)
            group = decode_log_group(body)
            call = {"project": project, "logstore": logstore, "group": group, **kw}
            self.calls.append(call)
        if self.behaviour is not None:
            self.behaviour(number)
        with self.lock:
            self.stored.append(call)
        return Response(f"req-{number}")

    def close(self) -> None:
        self.closed += 1

    def stored_values(self, key: str = "i") -> list[str]:
        return [c.Value for call in self.stored for log in call["group"].Logs for c in log.Contents if c.Key == key]


def test_batches_by_count_and_flush_delivers_everything() -> None:
    client = FakeClient()
    with LogProducer(client, max_batch_count=10, linger=60) as producer:
        futures = [producer.send("p", "ls", {"i": str(i)}) for i in range(25)]
        assert producer.flush(10)
        # sender threads run side by side: the batches are sized by count, in whatever order they land
        assert sorted((len(call["group"].Logs) for call in client.calls), reverse=True) == [10, 10, 5]
        assert sorted(client.stored_values(), key=int) == [str(i) for i in range(25)]
        assert all(isinstance(f.result(), SendResult) and f.result().attempts == 1 for f in futures)
        stats = producer.stats
        assert (stats.sent, stats.failed, stats.dropped, stats.pending_logs, stats.pending_bytes) == (25, 0, 0, 0, 0)


def test_batches_by_bytes() -> None:
    client = FakeClient()
    with LogProducer(client, max_batch_bytes=1000, linger=60) as producer:
        for i in range(10):
            producer.send("p", "ls", {"i": str(i), "pad": "x" * 300})
        assert producer.flush(10)
    assert len(client.calls) >= 4
    assert all(len(call["group"].SerializeToString()) < 1000 + 200 for call in client.calls)


def test_one_batch_per_key_with_group_fields() -> None:
    client = FakeClient()
    with LogProducer(client, linger=60) as producer:
        producer.send("p", "ls", {"i": "1"}, topic="a")
        producer.send("p", "ls", {"i": "2"}, topic="b", source="src", tags=[("env", "test")])
        producer.send("p", "ls", {"i": "3"}, topic="a", hash_key="00ff")
        producer.send("p", "ls", {"i": "4"}, topic="a")
        assert producer.flush(10)
    groups = {(c["group"].Topic, c["group"].Source, c.get("hash_key")): c for c in client.calls}
    assert len(client.calls) == 3
    assert len(groups[("a", "10.0.0.1", None)]["group"].Logs) == 2  # the client's default source
    tagged = groups[("b", "src", None)]["group"]
    assert [(t.Key, t.Value) for t in tagged.LogTags] == [("env", "test")]
    assert len(groups[("a", "10.0.0.1", "00ff")]["group"].Logs) == 1


def test_linger_sends_without_flush() -> None:
    client = FakeClient()
    with LogProducer(client, linger=0.05) as producer:
        future = producer.send("p", "ls", {"i": "1"})
        assert future.result(timeout=10).request_id == "req-0"


def test_input_forms() -> None:
    client = FakeClient()
    with LogProducer(client, linger=60) as producer:
        producer.send("p", "ls", {"i": "dict", "n": 5})
        producer.send("p", "ls", [("i", "pairs")])
        producer.send("p", "ls", LogItem(timestamp=1_700_000_000, contents=[("i", "item")], time_nano_part=7))
        producer.send("p", "ls", [{"i": "list-1"}, [("i", "list-2")], LogItem(contents=[("i", "list-3")])])
        assert producer.flush(10)
    assert client.stored_values() == ["dict", "pairs", "item", "list-1", "list-2", "list-3"]
    logs = client.calls[0]["group"].Logs
    assert [(c.Key, c.Value) for c in logs[0].Contents] == [("i", "dict"), ("n", "5")]
    assert (logs[2].Time, logs[2].Time_ns) == (1_700_000_000, 7)


@pytest.mark.parametrize("bad", ["text", [], [1, 2], [("i", "ok"), "x"], [{"k": object()}, 3]])
def test_invalid_input_raises_before_buffering(bad: Any) -> None:
    producer = LogProducer(FakeClient())
    with pytest.raises(LogException):
        producer.send("p", "ls", bad)
    assert producer.stats.pending_logs == 0
    producer.close(1)


def test_retriable_errors_are_retried_and_delivered_once() -> None:
    def fail_twice(number: int) -> None:
        if number == 0:
            raise ServerBusy("ServerBusy", "busy", "", 503)
        if number == 1:
            raise WriteQuotaExceed("WriteQuotaExceed", "slow down", "", 403)

    client = FakeClient(fail_twice)
    with LogProducer(client, linger=0) as producer:
        future = producer.send("p", "ls", [{"i": "1"}, {"i": "2"}])
        result = future.result(timeout=10)
        assert result.attempts == 3 and result.log_count == 2
        assert producer.stats.retried == 2 and producer.stats.sent == 2
    assert client.stored_values() == ["1", "2"]


def test_non_retriable_error_fails_at_once() -> None:
    def missing(number: int) -> None:
        raise LogStoreNotExist("LogStoreNotExist", "no such logstore", "", 404)

    client = FakeClient(missing)
    seen: list[Future[SendResult]] = []
    with LogProducer(client, linger=0) as producer:
        future = producer.send("p", "ls", {"i": "1"}, callback=seen.append)
        with pytest.raises(LogStoreNotExist):
            future.result(timeout=10)
        assert len(client.calls) == 1
        assert producer.stats.failed == 1 and producer.stats.retried == 0
    assert seen == [future]


def test_retries_stop_at_the_retry_timeout() -> None:
    def always_busy(number: int) -> None:
        raise ServerBusy("ServerBusy", "busy", "", 503)

    client = FakeClient(always_busy)
    with LogProducer(client, linger=0, retry_timeout=0.5) as producer:
        future = producer.send("p", "ls", {"i": "1"})
        with pytest.raises(ServerBusy):
            future.result(timeout=10)
        assert len(client.calls) >= 2
        assert producer.stats.failed == 1


class Gate:
    """A behaviour that blocks every call until opened."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()

    def __call__(self, number: int) -> None:
        self.entered.set()
        self.open.wait(30)


def test_full_buffer_fails_fast_and_counts_dropped() -> None:
    gate = Gate()
    client = FakeClient(gate)
    producer = LogProducer(client, linger=0, max_buffer_logs=5, block_timeout=0)
    futures = [producer.send("p", "ls", {"i": str(i)}) for i in range(5)]
    with pytest.raises(BufferFullError) as caught:
        producer.send("p", "ls", {"i": "5"})
    assert caught.value.get_error_code() == "ProducerBufferFull"
    assert producer.stats.dropped == 1 and producer.stats.pending_logs == 5
    gate.open.set()
    assert producer.flush(10)
    assert all(f.result().request_id for f in futures)
    producer.send("p", "ls", {"i": "6"})  # room again
    assert producer.close(10)
    assert sorted(client.stored_values(), key=int) == ["0", "1", "2", "3", "4", "6"]


def test_full_buffer_blocks_up_to_the_timeout_then_raises() -> None:
    gate = Gate()
    producer = LogProducer(FakeClient(gate), linger=0, max_buffer_bytes=200, block_timeout=0.2)
    producer.send("p", "ls", {"i": "x" * 150})
    with pytest.raises(BufferFullError):
        producer.send("p", "ls", {"i": "y" * 150})
    assert producer.stats.pending_bytes <= 200
    gate.open.set()
    producer.close(10)


def test_blocked_send_proceeds_when_room_appears() -> None:
    gate = Gate()
    client = FakeClient(gate)
    producer = LogProducer(client, linger=0, max_buffer_logs=1, block_timeout=30)
    producer.send("p", "ls", {"i": "0"})
    threading.Timer(0.1, gate.open.set).start()
    second = producer.send("p", "ls", {"i": "1"})  # waits for the first batch to finish
    assert second.result(timeout=10).attempts == 1
    producer.close(10)


def test_larger_than_the_buffer_is_refused_at_once() -> None:
    producer = LogProducer(FakeClient(), max_buffer_bytes=100, block_timeout=30)
    with pytest.raises(BufferFullError):
        producer.send("p", "ls", {"i": "z" * 500})
    producer.close(1)


def test_close_gives_up_on_unsent_logs_after_the_timeout() -> None:
    gate = Gate()
    client = FakeClient(gate)
    producer = LogProducer(client, linger=0, sender_threads=1)
    in_flight = producer.send("p", "ls", {"i": "0"})
    assert gate.entered.wait(10)
    queued = producer.send("p", "ls", {"i": "1"}, topic="other")
    assert producer.close(0.2) is False
    with pytest.raises(ProducerClosedError):
        queued.result(timeout=1)
    assert producer.stats.dropped == 1
    with pytest.raises(ProducerClosedError):
        producer.send("p", "ls", {"i": "2"})
    gate.open.set()
    assert in_flight.result(timeout=10).request_id == "req-0"


def test_flush_keeps_the_producer_working() -> None:
    client = FakeClient()
    producer = LogProducer(client, linger=60)
    producer.send("p", "ls", {"i": "0"})
    assert producer.flush(10)
    producer.send("p", "ls", {"i": "1"})
    assert producer.flush(10)
    assert client.stored_values() == ["0", "1"]
    assert producer.close(10)


def test_rejects_bad_settings() -> None:
    for options in ({"max_batch_count": 0}, {"max_batch_bytes": 11 * 1024 * 1024}, {"sender_threads": 0}):
        with pytest.raises(ValueError):
            LogProducer(FakeClient(), **options)


def test_inherited_connections_are_dropped_without_waiting_for_held_locks() -> None:
    from aliyun.log import LogClient, Urllib3Transport
    from aliyun.log.producer._lifecycle import forget_inherited_connections

    fast = LogClient("127.0.0.1:9", "id", "secret", transport=Urllib3Transport())
    transport = fast._sender.transport  # type: ignore[attr-defined]
    transport._manager(None)  # a pool exists, as after the parent's first request
    transport._lock.acquire()  # as if a parent thread held it at the fork
    old_lock = transport._lock
    forget_inherited_connections(fast)  # must not block
    assert transport._managers == {} and transport._lock is not old_lock
    old_lock.release()

    default = LogClient("127.0.0.1:9", "id", "secret")
    pooled = default._sender.transport  # type: ignore[attr-defined]
    old_adapter = pooled.session.get_adapter("http://x")
    pooled._lock.acquire()
    held = pooled._lock
    default.after_fork()  # must not block either
    assert pooled._lock is not held and pooled.session.get_adapter("http://x") is not old_adapter
    held.release()

    fake = FakeClient()
    forget_inherited_connections(fake)
    assert fake.closed == 1


def test_forks_unseen_under_uwsgi(monkeypatch: pytest.MonkeyPatch) -> None:
    from aliyun.log.producer._lifecycle import forks_unseen

    monkeypatch.delitem(sys.modules, "uwsgi", raising=False)
    assert forks_unseen() is (not hasattr(os, "register_at_fork"))
    monkeypatch.setitem(sys.modules, "uwsgi", types.ModuleType("uwsgi"))
    assert forks_unseen() is True
    assert LogProducer(FakeClient())._watch_pid is True


def test_a_child_after_fork_starts_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    # under uWSGI without py-call-osafterfork no fork hook runs: send() checks the process id
    monkeypatch.setitem(sys.modules, "uwsgi", types.ModuleType("uwsgi"))
    gate = Gate()
    client = FakeClient(gate)
    producer = LogProducer(client, linger=60)
    producer.send("p", "ls", {"i": "parent"})
    producer._pid = -1  # what a forked child sees: another process's state
    producer.send("p", "ls", {"i": "child"})  # the pid check resets first
    assert producer.stats.pending_logs == 1 and client.closed == 1
    gate.open.set()
    assert producer.flush(10)
    assert client.stored_values() == ["child"]
    producer.close(1)


def test_close_from_a_callback_does_not_fail() -> None:
    client = FakeClient()
    producer = LogProducer(client, linger=0)
    done = threading.Event()

    def close_now(future: Future[SendResult]) -> None:
        producer.close(1)
        done.set()

    producer.send("p", "ls", {"i": "1"}, callback=close_now)
    assert done.wait(10)
    assert producer.closed and producer.stats.sent == 1


def test_a_second_close_keeps_the_first_deadline() -> None:
    gate = Gate()
    producer = LogProducer(FakeClient(gate), linger=0)
    producer.send("p", "ls", {"i": "0"})
    assert gate.entered.wait(10)
    assert producer.close(0.1) is False
    first_deadline = producer._close_deadline
    assert producer.close(30) is False  # returns at the first deadline, already past
    assert producer._close_deadline == first_deadline
    gate.open.set()


def test_without_sender_threads_flush_and_close_send_from_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from aliyun.log.producer import SenderThread

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(SenderThread, "start", refuse)
    client = FakeClient()
    producer = LogProducer(client, linger=60)
    future = producer.send("p", "ls", {"i": "0"})
    assert not future.done()
    assert producer.flush(10)
    producer.send("p", "ls", {"i": "1"})
    assert producer.close(10)
    assert client.stored_values() == ["0", "1"]
