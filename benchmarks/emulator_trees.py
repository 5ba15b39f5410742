"""The emulators of two source trees side by side: PutLogs ingest, PullLogs serving, small calls.

For changes inside the emulator (its HTTP server's settings, its storage): each tree's emulator
runs as its own process (``python -m aliyun.log.emulator`` with that tree on ``PYTHONPATH``,
``fsync=never``); one client of this checkout measures both, rounds alternating. Each tree needs
its native codec built (``python setup.py build_ext --inplace``), or both run the pure one.

Measured per tree: PutLogs of pre-encoded groups from 2 threads (1,000 logs lz4; 4,096 logs
uncompressed, about 1 MB, and lz4), PullLogs of 100 groups x 100 logs answers (lz4 and
uncompressed; the answer's logs are counted, not decoded) and GetCursor calls per second.

    python benchmarks/emulator_trees.py BEFORE_TREE AFTER_TREE [--rounds 3] [--seconds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pull_pipeline import Emulator

from aliyun.log import LogClient
from aliyun.log._codec import encode_log_group

PROJECT = "bench-trees"


def start(tree: str, data_dir: str) -> Emulator:
    os.makedirs(data_dir)
    return Emulator(Path(data_dir), tree=Path(tree))


def group(logs: int, number: int = 0) -> bytes:
    contents = [[(f"field{f}", f"value-{f}-{number}-{n}") for f in range(10)] for n in range(logs)]
    return encode_log_group([(1_700_000_000, 0, c) for c in contents], "bench", "10.0.0.1")


def put_rate(client: LogClient, body: bytes, logs: int, compress: bool, seconds: float) -> float:
    counts = [0, 0]
    deadline = time.perf_counter() + seconds

    def write(slot: int) -> None:
        while time.perf_counter() < deadline:
            client.put_log_raw(PROJECT, "put", body, compress=compress)
            counts[slot] += logs

    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(slot,)) for slot in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def pull_rate(client: LogClient, compress: bool, seconds: float) -> float:
    begin = client.get_begin_cursor(PROJECT, "pull", 0).get_cursor()
    cursor, logs = begin, 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        answer = client.pull_logs(PROJECT, "pull", 0, cursor, count=100, compress=compress)
        logs += answer.get_loggroup_count() * 100
        cursor = answer.get_next_cursor() if answer.get_loggroup_count() else begin
    return logs / (time.perf_counter() - started)


def call_rate(client: LogClient, seconds: float) -> float:
    calls, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        client.get_begin_cursor(PROJECT, "pull", 0)
        calls += 1
    return calls / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    small, big = group(1000), group(4096)
    with tempfile.TemporaryDirectory(prefix="emulator-trees-") as folder:
        emulators = {
            name: start(tree, f"{folder}/{name}") for name, tree in (("before", args.before), ("after", args.after))
        }
        try:
            clients = {name: emulator.client() for name, emulator in emulators.items()}
            for client in clients.values():
                client.create_project(PROJECT, "emulator trees benchmark")
                client.create_logstore(PROJECT, "put", shard_count=2, ttl=3650)
                client.create_logstore(PROJECT, "pull", shard_count=1, ttl=3650)
                for number in range(100):
                    client.put_log_raw(PROJECT, "pull", group(100, number))
            seconds = args.seconds
            cases: dict[str, Callable[[LogClient], float]] = {
                "PutLogs 1,000 logs, lz4": lambda c: put_rate(c, small, 1000, True, seconds),
                "PutLogs 4,096 logs, raw": lambda c: put_rate(c, big, 4096, False, seconds),
                "PutLogs 4,096 logs, lz4": lambda c: put_rate(c, big, 4096, True, seconds),
                "PullLogs 10,000 logs, lz4": lambda c: pull_rate(c, True, seconds),
                "PullLogs 10,000 logs, raw": lambda c: pull_rate(c, False, seconds),
                "GetCursor (calls/s)": lambda c: call_rate(c, seconds),
            }
            results: dict[tuple[str, str], list[float]] = {}
            for round_no in range(args.rounds):
                for name, client in clients.items():
                    for case, measure in cases.items():
                        results.setdefault((case, name), []).append(measure(client))
                print(f"round {round_no + 1} done (load {os.getloadavg()[0]:.2f})", flush=True)
            print(f"\nmedian of {args.rounds} rounds, logs/s unless said{'':8}before        after  after/before")
            for case in cases:
                before, after = (statistics.median(results[(case, name)]) for name in ("before", "after"))
                print(f"  {case:30}{before:14,.0f}{after:13,.0f}{after / before:10.2f}x")
        finally:
            for emulator in emulators.values():
                emulator.stop()


if __name__ == "__main__":
    main()
