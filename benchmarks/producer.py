"""Application logging: ``LogProducer``, our ``QueuedLogHandler``, the official ``QueuedLogHandler``.

Each variant runs in a fresh interpreter of its own (the official SDK 0.9.52 in its own virtual
environment, isolated with ``-I``), against one emulator on a socket (``fsync=never``), rounds
alternating, each into a fresh logstore. A run times itself from the first log handed over until
every log is acknowledged (``flush`` for ours; for the official handler, whose ``flush`` stops its
worker after sending what is queued, the same call). Afterwards the parent counts the logs stored,
so "dropped" is what never arrived. Peak RSS is the subprocess's own high-water mark (``VmHWM``).

Optional peer: the Rust-based ``aliyun-log-producer`` bindings, when ``--rust-python`` names an
interpreter that has them.

    python benchmarks/producer.py [--rounds 3] [--logs 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _official import official_env, official_python

from aliyun.log import LogClient
from aliyun.log.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parent.parent

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--logs", type=int, default=10_000)
    parser.add_argument("--rust-python", default=os.environ.get("RUST_PRODUCER_PYTHON"))
    options = parser.parse_args()
    ours_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with EmulatorServer(port=0, fsync="never") as server:
        client = server.client()
        client.create_project("bench", "producer benchmark")
        variants = {
            "LogProducer (ours)": (sys.executable, [], PRODUCER, ours_env),
            "QueuedLogHandler (ours)": (sys.executable, [], HANDLER, ours_env),
            "QueuedLogHandler (official 0.9.52)": (official_python(), ["-I"], HANDLER, official_env(server.endpoint)),
        }
        if options.rust_python:
            variants["aliyun-log-producer (Rust)"] = (options.rust_python, ["-I"], RUST, official_env(server.endpoint))
        results: dict[str, list[tuple[float, int, int]]] = {name: [] for name in variants}
        number = 0
        for _ in range(options.rounds):
            for name, (python, flags, script, env) in variants.items():
                number += 1
                logstore = f"run-{number}"
                client.create_logstore("bench", logstore, ttl=1, shard_count=2)
                args = [server.endpoint, server.access_key_id, server.access_key_secret, "bench", logstore]
                answer = run(python, flags, script, env, [*args, str(options.logs)])
                if answer is None:
                    print(f"{name}: run failed")
                    continue
                got = stored(client, "bench", logstore)
                results[name].append((options.logs / answer["seconds"], int(answer["rss_kib"]), options.logs - got))
    print(f"{options.logs} logs per run, {options.rounds} rounds, median logs/s (peak RSS, logs dropped)")
    medians = {name: statistics.median(r[0] for r in runs) for name, runs in results.items() if runs}
    official = medians.get("QueuedLogHandler (official 0.9.52)")
    for name, runs in results.items():
        if not runs:
            continue
        rate = medians[name]
        ratio = f"{rate / official:6.2f}x official" if official else ""
        rss = max(r[1] for r in runs) / 1024
        dropped = sum(r[2] for r in runs)
        print(f"{name:38s} {rate:10,.0f} logs/s  {ratio}  peak RSS {rss:6.1f} MiB  dropped {dropped}")


if __name__ == "__main__":
    main()
