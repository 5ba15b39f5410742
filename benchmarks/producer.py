"""Application logging: ``LogProducer``, our ``QueuedLogHandler``, the official ``QueuedLogHandler``.

Each variant runs in a fresh interpreter of its own (the official SDK 0.9.52 in its own virtual
environment, isolated with ``-I``), against one server, rounds alternating, each run into a fresh
logstore. A run times itself from the first log handed over until every log is acknowledged
(``flush`` for ours and the Rust bindings; for the official handler, whose ``flush`` stops its
worker after sending what is queued, the same call). Afterwards the parent counts the logs the
server took, so "dropped" is what never arrived. Peak RSS is the subprocess's own high-water mark
(``VmHWM``); CPU is the subprocess's own CPU time over the timed part (all its threads), per log,
which a busy machine disturbs less than the rate.

Servers (``--sink``): ``emulator`` (the default; ``fsync=never``, it stores and indexes every log),
or ``plain``, a local sink that inflates each body, counts its logs and acknowledges at once
(``benchmarks/_sink.py``), for when the emulator's ingest caps every client alike; ``both`` runs
each in turn.

Optional peer: the Rust-based ``aliyun-log-producer`` bindings from PyPI, unmodified, when
``--rust-python`` names an interpreter that has them. A log it refuses (``EnqueueFullError``)
counts as dropped.

    python benchmarks/producer.py [--rounds 3] [--logs 10000,100000] [--sink both] [--rust-python PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Callable, NamedTuple, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _official import official_env, official_python
from _putlogs_sink import PutLogsSink

from aliyun.log import LogClient
from aliyun.log.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_NAME = "QueuedLogHandler (official 0.9.52)"
RUST_NAME = "aliyun-log-producer (Rust)"

# Every variant writes the same log: a message plus the handler's ten default record fields.
COMMON = r"""
import json, resource, sys, time, logging
endpoint, ak, sk, project, logstore, total = sys.argv[1:7]
total = int(total)
def report(seconds, cpu):
    # VmHWM: this process's own peak (ru_maxrss would include the parent's, kept across exec)
    with open("/proc/self/status") as status:
        peak = [int(line.split()[1]) for line in status if line.startswith("VmHWM:")]
    rss = peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "rss_kib": rss}))
"""

HANDLER = (
    COMMON
    + r"""
from aliyun.log import QueuedLogHandler
handler = QueuedLogHandler(endpoint, ak, sk, project, logstore, "bench")
log = logging.getLogger("bench")
log.propagate = False
log.setLevel(logging.INFO)
log.addHandler(handler)
cpu, start = time.process_time(), time.perf_counter()
for i in range(total):
    log.info("request %d handled in %d ms", i, 12)
handler.flush()
report(time.perf_counter() - start, cpu)
"""
)

PRODUCER = (
    COMMON
    + r"""
import os, threading
from aliyun.log import LogClient
from aliyun.log.producer import LogProducer
client = LogClient(endpoint, ak, sk)
producer = LogProducer(client, linger=0.2)
base = {"name": "bench", "levelname": "INFO", "funcName": "<module>", "module": "bench",
        "pathname": "/srv/app/bench.py", "lineno": "12", "process": str(os.getpid()),
        "processName": "MainProcess", "thread": str(threading.get_ident()), "threadName": "MainThread"}
cpu, start = time.process_time(), time.perf_counter()
for i in range(total):
    producer.send(project, logstore, {"message": "request %d handled in %d ms" % (i, 12), **base}, topic="bench")
ok = producer.flush(120)
report(time.perf_counter() - start, cpu)
assert ok, producer.stats
"""
)

RUST = (
    COMMON
    + r"""
import os, threading
from aliyun_log_producer import EnqueueFullError, Producer, ProducerConfig  # the PyPI bindings, unmodified
# a domain name, reached through the emulator as HTTP proxy (its project is the first label)
domain = "http://sls.example:" + endpoint.rsplit(":", 1)[1]
config = ProducerConfig(endpoint=domain, access_key_id=ak, access_key_secret=sk, compression="lz4")
producer = Producer(config)
writer = producer.writer(project, logstore)
base = {"name": "bench", "levelname": "INFO", "funcName": "<module>", "module": "bench",
        "pathname": "/srv/app/bench.py", "lineno": "12", "process": str(os.getpid()),
        "processName": "MainProcess", "thread": str(threading.get_ident()), "threadName": "MainThread"}
refused = 0
cpu, start = time.process_time(), time.perf_counter()
for i in range(total):
    try:
        writer.send({"message": "request %d handled in %d ms" % (i, 12), **base}, topic="bench")
    except EnqueueFullError:
        refused += 1  # counted by the parent as dropped: never stored
producer.flush()
report(time.perf_counter() - start, cpu)
producer.close()
"""
)


def run(python: str, flags: list[str], script: str, env: dict[str, str], args: list[str]) -> Optional[dict[str, float]]:
    result = subprocess.run([python, *flags, "-c", script, *args], env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-2000:])
        return None
    answer: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def stored(client: LogClient, project: str, logstore: str) -> int:
    total = 0
    for shard in client.list_shards(project, logstore).get_shards_info():
        for batch in client.pull_log(project, logstore, shard["shardID"], "begin", "end"):
            total += batch.get_log_count()
    return total


class Run(NamedTuple):
    rate: float  # logs handed over per second, until all were acknowledged
    cpu_us: float  # the variant process's CPU time (all its threads) per log, in microseconds
    rss_kib: int
    dropped: int


@contextlib.contextmanager
def target(kind: str) -> Iterator[tuple[str, str, str, Callable[[str], None], Callable[[str], int]]]:
    """A server for one sink kind: (endpoint, key id, key secret, prepare(logstore), count(logstore))."""
    if kind == "emulator":
        with EmulatorServer(port=0, fsync="never") as server:
            client = server.client()
            client.create_project("bench", "producer benchmark")

            def prepare(logstore: str) -> None:
                client.create_logstore("bench", logstore, ttl=1, shard_count=2)

            yield (
                server.endpoint,
                server.access_key_id,
                server.access_key_secret,
                prepare,
                (lambda logstore: stored(client, "bench", logstore)),
            )
    else:
        with PutLogsSink() as sink:
            yield sink.endpoint, "bench-id", "bench-secret", (lambda logstore: None), sink.logs


def measure(kind: str, sizes: list[int], rounds: int, rust_python: Optional[str]) -> dict[tuple[str, int], list[Run]]:
    ours_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    results: dict[tuple[str, int], list[Run]] = {}
    with target(kind) as (endpoint, key_id, secret, prepare, count):
        variants = {
            "LogProducer (ours)": (sys.executable, [], PRODUCER, ours_env),
            "QueuedLogHandler (ours)": (sys.executable, [], HANDLER, ours_env),
            "QueuedLogHandler (official 0.9.52)": (official_python(), ["-I"], HANDLER, official_env(endpoint)),
        }
        if rust_python:
            variants[RUST_NAME] = (rust_python, ["-I"], RUST, official_env(endpoint))
        number = 0
        for _ in range(rounds):
            for size in sizes:
                for name, (python, flags, script, env) in variants.items():
                    number += 1
                    logstore = f"run-{number}"
                    prepare(logstore)
                    answer = run(python, flags, script, env, [endpoint, key_id, secret, "bench", logstore, str(size)])
                    if answer is None:
                        print(f"{name}: run failed")
                        continue
                    results.setdefault((name, size), []).append(
                        Run(
                            size / answer["seconds"],
                            answer["cpu"] / size * 1e6,
                            int(answer["rss_kib"]),
                            size - count(logstore),
                        )
                    )
    return results


def show(kind: str, sizes: list[int], rounds: int, results: dict[tuple[str, int], list[Run]]) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{kind}: {rounds} rounds, median; load average {load:.2f} at the end")
    print(
        f"{'variant':38s} {'logs':>7s} {'logs/s':>9s} {'vs official':>11s} {'vs Rust':>8s} {'CPU us/log':>10s}"
        f" {'peak RSS':>9s} dropped"
    )
    for size in sizes:
        medians = {name: statistics.median(r.rate for r in runs) for (name, n), runs in results.items() if n == size}
        official = medians.get(OFFICIAL_NAME)
        rust = medians.get(RUST_NAME)
        for (name, n), runs in results.items():
            if n != size:
                continue
            rate = medians[name]
            cpu = statistics.median(r.cpu_us for r in runs)
            versus_official = f"{rate / official:.2f}x" if official else "-"
            versus_rust = f"{rate / rust:.2f}x" if rust else "-"
            rss = max(r.rss_kib for r in runs) / 1024
            dropped = sum(r.dropped for r in runs)
            print(
                f"{name:38s} {size:7d} {rate:9,.0f} {versus_official:>11s} {versus_rust:>8s} {cpu:10.1f}"
                f" {rss:6.1f} MiB {dropped} of {size * len(runs)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--logs", default="10000", help="logs per run; several sizes comma-separated")
    parser.add_argument("--sink", choices=["emulator", "plain", "both"], default="emulator")
    parser.add_argument("--rust-python", default=os.environ.get("RUST_PRODUCER_PYTHON"))
    options = parser.parse_args()
    sizes = [int(size) for size in options.logs.split(",")]
    for kind in ["emulator", "plain"] if options.sink == "both" else [options.sink]:
        show(kind, sizes, options.rounds, measure(kind, sizes, options.rounds, options.rust_python))


if __name__ == "__main__":
    main()
