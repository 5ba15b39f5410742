"""Crash safety: SIGKILL the emulator process while writers keep sending PutLogs, restart it, read everything back.

Writers use our SDK over a socket, each with unique group ids, and never retry, so every group is
sent at most once. After each restart on the same data directory:

* every group that got a 200 is present, complete, exactly once, and in the order it was sent;
* a group whose request got no answer is either absent or present complete and once;
* nothing else is there (no half-written or phantom groups), and writing continues.

The kill moment is random: after a random number of acknowledgements in the round, plus a short
random pause so it often lands in the middle of requests. ``CRASH_SEED`` replays a run and
``CRASH_ROUNDS`` changes the number of rounds (default 10).
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest, RetryPolicy
from aliyun.log.emulator.server import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")]

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "crash"
LOGSTORE = "logs"
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "10"))
#: writer -> hash key (None: load-balanced over both shards)
ROUTES = {0: "0" * 32, 1: "8" + "0" * 31, 2: None}
STARTUP_TIMEOUT = 30.0


# -- the emulator as a separate process -------------------------------------------------------


class EmulatorProcess:
    """``python -m aliyun.log.emulator`` on a free port and the given data directory."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self._log = open(log_path, "ab")  # closed in kill()/stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aliyun.log.emulator", "--port", "0", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
        )
        self.endpoint = self._wait_for_endpoint()

    def _wait_for_endpoint(self) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        buffered = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    break
                buffered += chunk
                for line in buffered.decode(errors="replace").splitlines():
                    if "listening on http://" in line:
                        return line.rsplit("http://", 1)[1].strip()
            elif self.process.poll() is not None:
                break
        self.kill()
        raise AssertionError(f"emulator did not start: {buffered!r}")

    def client(self) -> LogClient:
        """A client that never retries (each group is sent at most once) and gives up fast."""
        return LogClient(
            self.endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, retry=RetryPolicy.disabled(), timeout=20
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, whatever was in flight is cut."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._close()

    def stop(self) -> None:
        """A clean stop (SIGTERM)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._close()

    def _close(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._log.close()


# -- what the writers send and remember ---------------------------------------------------------


def expected_group(writer: int, number: int) -> dict[str, Any]:
    """The group a writer sends as its ``number``-th: sizes vary so records straddle segments and pages."""
    gid = f"{writer}-{number}"
    logs = [
        {
            "time": 1_700_000_000 + number,
            "contents": [("gid", gid), ("i", str(i)), ("pad", "p" * ((number * 31 + i) % 700))],
        }
        for i in range(1 + number % 7)
    ]
    return {"gid": gid, "topic": f"writer-{writer}", "source": "crash-test", "tags": [("gid", gid)], "logs": logs}


@dataclass
class Ledger:
    """What the writers know: which groups were acknowledged and which got no answer."""

    acked: dict[str, int] = field(default_factory=dict)  # gid -> writer
    unknown: set[str] = field(default_factory=set)
    order: dict[int, list[str]] = field(default_factory=dict)  # writer -> gids in sending order
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    round_acks: int = 0

    def sequence(self, writer: int, gid: str) -> int:
        return self.order[writer].index(gid)


class Writer(threading.Thread):
    """Sends groups one after another until a request fails (the server was killed)."""

    def __init__(
        self, writer: int, client: LogClient, ledger: Ledger, next_number: int, killed: threading.Event
    ) -> None:
        super().__init__(name=f"writer-{writer}", daemon=True)
        self.writer = writer
        self.client = client
        self.ledger = ledger
        self.number = next_number
        self.killed = killed

    def run(self) -> None:
        while True:
            group = expected_group(self.writer, self.number)
            request = PutLogsRequest(
                PROJECT,
                LOGSTORE,
                group["topic"],
                group["source"],
                [LogItem(log["time"], log["contents"], time_nano_part=7) for log in group["logs"]],
                hashKey=ROUTES[self.writer],
                logtags=group["tags"],
            )
            with self.ledger.lock:
                self.ledger.order.setdefault(self.writer, []).append(group["gid"])
            self.number += 1
            try:
                self.client.put_logs(request)
            except Exception as error:
                with self.ledger.lock:
                    self.ledger.unknown.add(group["gid"])
                    if not self.killed.is_set() or not isinstance(error, LogException):
                        self.ledger.unexpected.append(f"{group['gid']}: {error!r}")
                return
            with self.ledger.lock:
                self.ledger.acked[group["gid"]] = self.writer
                self.ledger.round_acks += 1


# -- reading back ------------------------------------------------------------------------------


def stored_groups(client: LogClient) -> dict[int, list[Any]]:
    """Every log group of each shard, in shard order."""
    by_shard: dict[int, list[Any]] = {}
    for shard in (0, 1):
        groups: list[Any] = []
        for batch in client.pull_log(PROJECT, LOGSTORE, shard, "begin", "end", batch_size=100):
            groups.extend(batch.get_loggroup_list().LogGroups)
        by_shard[shard] = groups
    return by_shard


def check(client: LogClient, ledger: Ledger) -> int:
    """Assert the crash-safety promises; returns the number of groups stored."""
    seen: dict[str, int] = {}
    for shard, groups in stored_groups(client).items():
        last_by_writer: dict[int, int] = {}
        for group in groups:
            tags = {tag.Key: tag.Value for tag in group.LogTags}
            gid = tags.get("gid")
            assert gid is not None, f"shard {shard}: a group without an id: {group}"
            writer, number = (int(part) for part in gid.split("-"))
            assert gid in ledger.acked or gid in ledger.unknown, f"shard {shard}: {gid} was never sent"
            assert gid not in seen, f"{gid} is stored twice"
            seen[gid] = shard
            expected = expected_group(writer, number)
            assert (group.Topic, group.Source) == (expected["topic"], expected["source"]), gid
            assert [(tag.Key, tag.Value) for tag in group.LogTags] == expected["tags"], gid
            got_logs = [{"time": log.Time, "contents": [(c.Key, c.Value) for c in log.Contents]} for log in group.Logs]
            assert got_logs == expected["logs"], f"{gid} differs from what was sent"
            assert all(log.Time_ns == 7 for log in group.Logs), gid
            sequence = ledger.sequence(writer, gid)
            assert sequence > last_by_writer.get(writer, -1), f"shard {shard}: {gid} is out of order"
            last_by_writer[writer] = sequence
    missing = sorted(set(ledger.acked) - set(seen))
    assert not missing, f"acknowledged groups lost: {missing[:10]} ({len(missing)} in all)"
    return len(seen)


# -- the test ----------------------------------------------------------------------------------


@pytest.fixture
def emulators(tmp_path: Path) -> Iterator[list[EmulatorProcess]]:
    """Started emulator processes; whatever is still running at the end is stopped."""
    started: list[EmulatorProcess] = []
    yield started
    for emulator in started:
        if emulator.process.poll() is None:
            emulator.kill()


def test_kill_restart_read_back(tmp_path: Path, emulators: list[EmulatorProcess]) -> None:
    seed = int(os.environ.get("CRASH_SEED", str(random.SystemRandom().randrange(1 << 32))))
    rng = random.Random(seed)
    print(f"CRASH_SEED={seed}")
    data_dir = tmp_path / "data"
    log_path = tmp_path / "emulator.log"
    ledger = Ledger()
    next_number = dict.fromkeys(ROUTES, 0)
    stored_counts: list[int] = []

    def start() -> EmulatorProcess:
        emulator = EmulatorProcess(data_dir, log_path)
        emulators.append(emulator)
        return emulator

    first = start()
    setup = first.client()
    setup.create_project(PROJECT, "crash recovery")
    setup.create_logstore(PROJECT, LOGSTORE, shard_count=2, ttl=3650)
    emulator = first
    for round_no in range(ROUNDS):
        client = emulator.client()
        stored_counts.append(check(client, ledger))
        killed = threading.Event()
        ledger.round_acks = 0
        writers = [Writer(w, emulator.client(), ledger, next_number[w], killed) for w in ROUTES]
        for writer in writers:
            writer.start()
        target = rng.randint(3, 80)
        deadline = time.monotonic() + 30
        while ledger.round_acks < target and time.monotonic() < deadline and any(w.is_alive() for w in writers):
            time.sleep(0.001)
        time.sleep(rng.random() * 0.004)
        killed.set()
        emulator.kill()
        for writer in writers:
            writer.join(timeout=30)
            assert not writer.is_alive(), "a writer hangs on a dead server"
            next_number[writer.writer] = writer.number
        assert not ledger.unexpected, f"round {round_no}: writes failed before the kill: {ledger.unexpected}"
        assert ledger.round_acks >= min(target, 3), f"round {round_no}: the writers made no progress"
        emulator = start()

    # After the last kill: everything acknowledged is back, and writing goes on.
    client = emulator.client()
    stored_counts.append(check(client, ledger))
    for writer_id in ROUTES:
        for _ in range(3):
            group = expected_group(writer_id, next_number[writer_id])
            ledger.order.setdefault(writer_id, []).append(group["gid"])
            next_number[writer_id] += 1
            client.put_logs(
                PutLogsRequest(
                    PROJECT,
                    LOGSTORE,
                    group["topic"],
                    group["source"],
                    [LogItem(log["time"], log["contents"], time_nano_part=7) for log in group["logs"]],
                    hashKey=ROUTES[writer_id],
                    logtags=group["tags"],
                )
            )
            ledger.acked[group["gid"]] = writer_id
    final = check(client, ledger)
    assert final >= len(ledger.acked)
    assert stored_counts == sorted(stored_counts), "groups vanished between restarts"
    emulator.stop()
    assert emulator.process.returncode == 0
    print(
        f"{ROUNDS} kill/restart rounds, {len(ledger.acked)} acknowledged groups, "
        f"{len(ledger.unknown)} unanswered, {final} stored"
    )
