"""Connections and file descriptors: idle clients and a small descriptor limit cannot stop the emulator.

* A thousand idle keep-alive connections (clients that never close) used to fill waitress's
  connection limit, and new requests waited up to 300 s for one to time out. Now the longest
  idle connection makes room.
* Under ``ulimit -n 256`` every shard segment used to hold a descriptor for life: the 123rd
  logstore failed, the accept loop then logged a traceback per attempt (hundreds of thousands
  a minute), and after a restart every write failed. Now segments are opened on demand
  through a bounded pool, and running out of descriptors pauses accepting with one log line.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from aliyun.log import LogClient, RetryPolicy
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.server import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

ROOT = Path(__file__).resolve().parents[2]


def _idle_connections(port: int, count: int) -> list[socket.socket]:
    """``count`` keep-alive connections, each after one answered request, left open and silent."""
    sockets = []
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn.sendall(request)
        sockets.append(conn)
    for conn in sockets:
        _read_answer(conn)  # the connection is now an idle keep-alive one
    return sockets


def _read_answer(conn: socket.socket) -> None:
    """Read one whole HTTP answer (headers and ``Content-Length`` body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        assert chunk, "connection closed before the answer"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = conn.recv(65536)
        assert chunk, "connection closed in the middle of the answer"
        body += chunk


def test_idle_keep_alive_connections_do_not_lock_out_new_clients() -> None:
    with EmulatorServer(port=0, connection_limit=100) as server:
        idle = _idle_connections(server.port, 100)
        try:
            time.sleep(1.2)  # idle long enough to be closed for a newcomer
            client = server.client(timeout=10, retry=RetryPolicy.disabled())
            client.create_project("idle-test", "made while 100 connections idled")
            assert client.get_project("idle-test").get_description().startswith("made while")
        finally:
            for conn in idle:
                conn.close()


@pytest.mark.slow
def test_a_thousand_idle_connections_with_the_default_limit() -> None:
    with EmulatorServer(port=0) as server:
        idle = _idle_connections(server.port, 1000)
        try:
            time.sleep(1.2)
            client = server.client(timeout=10, retry=RetryPolicy.disabled())
            client.create_project("idle-thousand", "d")
        finally:
            for conn in idle:
                conn.close()


def test_idle_connections_are_closed_after_the_idle_timeout() -> None:
    with EmulatorServer(port=0, idle_timeout=2) as server:
        (conn,) = _idle_connections(server.port, 1)
        try:
            conn.settimeout(15)
            assert conn.recv(1) == b""  # the server closed it
        finally:
            conn.close()


_SCRIPT = r"""
import json, logging, os, resource, sys
from aliyun.log import LogItem, PutLogsRequest, RetryPolicy
from aliyun.log.emulator import EmulatorServer

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
data = sys.argv[1]
COUNT = 200


def write_all(server, tag):
    client = server.client(timeout=20, retry=RetryPolicy.disabled())
    for n in range(COUNT):
        for shard in ("0" * 32, "8" + "0" * 31):
            item = LogItem(1_700_000_000, [("tag", tag), ("n", str(n))])
            client.put_logs(PutLogsRequest("fd-limit", f"ls-{n}", "", "", [item], hashKey=shard))
    return client


server = EmulatorServer(port=0, data_dir=data).start()
client = server.client(timeout=20, retry=RetryPolicy.disabled())
client.create_project("fd-limit", "descriptor limit")
for n in range(COUNT):
    client.create_logstore("fd-limit", f"ls-{n}", shard_count=2)
write_all(server, "first")
server.stop()

server = EmulatorServer(port=0, data_dir=data).start()
client = write_all(server, "second")
total = 0
for n in range(COUNT):
    for shard in (0, 1):
        cursor = client.get_begin_cursor("fd-limit", f"ls-{n}", shard).get_cursor()
        total += len(client.pull_logs("fd-limit", f"ls-{n}", shard, cursor).get_flatten_logs_json())

# Now take every free descriptor (when the parent says so): a connection the parent opens then
# cannot be accepted until some are given back.
print(json.dumps({"total": total, "port": server.port, "pool": server.service.state.files.max_open}), flush=True)
sys.stdin.readline()
hog = []
try:
    while True:
        hog.append(os.open(os.devnull, os.O_RDONLY))
except OSError:
    pass
print("hogged", flush=True)
sys.stdin.readline()
for fd in hog:
    os.close(fd)
print("released", flush=True)
sys.stdin.readline()
server.stop()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource.setrlimit")
def test_two_hundred_logstores_under_a_256_descriptor_limit(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(tmp_path / "data")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))),
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        first = child.stdout.readline()
        assert first, child.stderr.read() if child.stderr else ""
        outcome = json.loads(first)
        assert outcome["total"] == 200 * 2 * 2  # both rounds, every shard of every logstore
        assert outcome["pool"] == 32  # an eighth of 256
        child.stdin.write("hog\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "hogged"
        answer: dict[str, str] = {}

        def late_client() -> None:
            client = LogClient(f"127.0.0.1:{outcome['port']}", DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET,
                               timeout=30, retry=RetryPolicy.disabled())  # fmt: skip
            try:
                answer["description"] = client.get_project("fd-limit").get_description()
            except Exception as exc:  # reported by the assertion below
                answer["error"] = repr(exc)

        thread = threading.Thread(target=late_client)
        thread.start()
        time.sleep(3)  # the emulator cannot accept meanwhile: it must not flood its log
        child.stdin.write("release\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "released"
        thread.join(40)
        assert answer == {"description": "descriptor limit"}
        child.stdin.write("stop\n")
        child.stdin.flush()
        _, errors = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, errors[-4000:]
    # Degraded, not flooded: a few lines at most, and no traceback.
    lines = [line for line in errors.splitlines() if line.strip()]
    assert len(lines) <= 5, errors[-4000:]
    assert "Traceback" not in errors


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        EmulatorServer(port=0, connection_limit=0)
    with pytest.raises(ValueError):
        EmulatorServer(port=0, idle_timeout=0)
