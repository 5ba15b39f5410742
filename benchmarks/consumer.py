"""Consumer groups: our ConsumerWorker vs the official one, same emulator, same data.

Measures, against one emulator running as its own process (``fsync=never``):

1. **throughput**: 1,000,000 logs (10,000 groups x 100 logs x 5 fields) in a 4-shard logstore,
   consumed from the beginning by 2 workers (one interpreter, a fresh consumer group per run). Each
   SDK runs in its own interpreter (the official one in its virtual environment, through the
   ``HTTP_PROXY`` recipe) and times itself from ``start()`` to the last log. Two processors:
   ``count`` counts the logs of each group, so the time is the SDK's (fetch, decompress, decode,
   scheduling, checkpoints); ``touch`` also reads every field of every log, which adds the same
   protobuf access cost to both SDKs (printed on its own as a floor). Prints logs/s and the ratio.
2. **takeover**: a victim and a survivor worker, each in its own process, share the shards of a
   slow stream; the victim is killed with SIGKILL; the time until the survivor has started every
   shard the victim held (group timeout = 2 x heartbeat interval).

    python benchmarks/consumer.py [--logs 1000000] [--heartbeat 1] [--fetch-interval 0.5]
                                  [--skip-official] [--skip-takeover] [--processor count|touch|both]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from _official import official_env, official_python  # noqa: E402
from pull_pipeline import Emulator  # noqa: E402

from aliyun.log import LogClient  # noqa: E402
from aliyun.log._codec import encode_log_group  # noqa: E402

PROJECT = "bench-consumer"
LOGSTORE = "stream"
LOGS_PER_GROUP = 100
FIELDS = 5

# The same code for both SDKs (their consumer API is the same).
CONSUMER_SCRIPT = r"""
import json, os, sys, threading, time
import aliyun.log
from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig

endpoint, ak, sk, project, logstore, group, names, total, heartbeat, fetch_interval, mode, work = sys.argv[1:13]
total = int(total)
lock = threading.Lock()
done = [0]
finished = threading.Event()


def say(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class Counter(ConsumerProcessorBase):
    def initialize(self, shard):
        self.shard_id = shard
        say(event="shard", shard=shard, at=time.time())

    def process(self, log_groups, check_point_tracker):
        logs = fields = 0
        if work == "count":
            for group in log_groups.LogGroups:
                logs += len(group.Logs)
        else:
            for group in log_groups.LogGroups:
                for log in group.Logs:
                    logs += 1
                    for content in log.Contents:
                        fields += len(content.Value)
        with lock:
            done[0] += logs
            if done[0] >= total:
                finished.set()
        if mode == "slow":
            time.sleep(0.05)
        self.save_checkpoint(check_point_tracker)


workers = []
for name in names.split(","):
    option = LogHubConfig(endpoint, ak, sk, project, logstore, group, name, CursorPosition.BEGIN_CURSOR,
                          heartbeat_interval=float(heartbeat), data_fetch_interval=float(fetch_interval),
                          max_fetch_log_group_size=100 if mode == "slow" else 1000)
    workers.append(ConsumerWorker(Counter, option))
start = time.perf_counter()
for worker in workers:
    worker.start()
if mode == "throughput":
    finished.wait(1800)
    say(event="done", elapsed=time.perf_counter() - start, logs=done[0], module=aliyun.log.__file__)
    for worker in workers:
        worker.shutdown()
    os._exit(0)
time.sleep(3600)
"""


def load(client: LogClient, total: int) -> None:
    """``total`` logs as groups of 100 over a 4-shard logstore (4 writer threads)."""
    client.create_project(PROJECT, "consumer benchmark")
    client.create_logstore(PROJECT, LOGSTORE, shard_count=4, ttl=3650)
    payload = encode_log_group(
        [
            (1_700_000_000, 0, [(f"field{f}", f"value-{f}-some-text-{n}") for f in range(FIELDS)])
            for n in range(LOGS_PER_GROUP)
        ],
        "bench",
        "10.0.0.1",
    )

    def write(count: int) -> None:
        for _ in range(count):
            client.put_log_raw(PROJECT, LOGSTORE, payload)

    groups = total // LOGS_PER_GROUP
    threads = [threading.Thread(target=write, args=(groups // 4 + (1 if i < groups % 4 else 0),)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _command(sdk: str) -> tuple[list[str], dict[str, str]]:
    if sdk == "ours":
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        for name in ("HTTP_PROXY", "http_proxy"):
            env.pop(name, None)
        return [sys.executable, "-c", CONSUMER_SCRIPT], env
    return [official_python(), "-I", "-c", CONSUMER_SCRIPT], {}


def start_consumer(
    sdk: str,
    emulator: Emulator,
    group: str,
    names: str,
    total: int,
    args: argparse.Namespace,
    mode: str,
    work: str = "touch",
) -> subprocess.Popen[str]:
    command, env = _command(sdk)
    if sdk == "official":
        env = official_env(emulator.endpoint)
    return subprocess.Popen(
        [
            *command,
            *emulator.args(),
            PROJECT,
            LOGSTORE,
            group,
            names,
            str(total),
            str(args.heartbeat),
            str(args.fetch_interval),
            mode,
            work,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tempfile.gettempdir(),
    )


def events(process: subprocess.Popen[str]) -> queue.Queue[dict]:
    """The JSON lines a consumer process prints, as they come."""
    found: queue.Queue[dict] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                found.put(json.loads(line))

    threading.Thread(target=read, daemon=True).start()
    return found


def throughput(sdk: str, emulator: Emulator, total: int, args: argparse.Namespace, run: int, work: str) -> float:
    process = start_consumer(sdk, emulator, f"tp-{sdk}-{work}-{run}", "w1,w2", total, args, "throughput", work)
    try:
        found = events(process)
        while True:
            event = found.get(timeout=1800)
            if event["event"] == "done":
                break
        if sdk == "ours":
            assert event["module"].startswith(str(ROOT)), event["module"]
        else:
            assert str(ROOT) not in event["module"], event["module"]
        assert event["logs"] >= total, event
        return float(event["logs"]) / float(event["elapsed"])
    finally:
        process.kill()
        process.wait()


def takeover(sdk: str, emulator: Emulator, total: int, args: argparse.Namespace) -> Optional[float]:
    group = f"takeover-{sdk}"
    victim = start_consumer(sdk, emulator, group, "victim", total, args, "slow")
    victim_events = events(victim)
    survivor: Optional[subprocess.Popen[str]] = None
    try:
        held: set[int] = set()
        while len(held) < 4:  # the victim starts with every shard
            held.add(victim_events.get(timeout=120)["shard"])
        survivor = start_consumer(sdk, emulator, group, "survivor", total, args, "slow")
        survivor_events = events(survivor)
        mine: set[int] = set()
        while len(mine) < 2:
            mine.add(survivor_events.get(timeout=120)["shard"])
        time.sleep(2 * float(args.heartbeat))  # steady state
        killed_at = time.time()
        victim.send_signal(signal.SIGKILL)
        last = killed_at
        while len(mine) < 4:
            event = survivor_events.get(timeout=300)
            mine.add(event["shard"])
            last = event["at"]
        return last - killed_at
    finally:
        for process in (victim, survivor):
            if process is not None:
                process.kill()
                process.wait()


def touch_floor(total: int) -> float:
    """Seconds the ``touch`` processor's own loop takes over ``total`` already decoded logs in this
    interpreter: a floor no consumer can go below, whatever its SDK."""
    from aliyun.log._codec import LogGroupList, decode_log_group

    group = decode_log_group(
        encode_log_group(
            [
                (1_700_000_000, 0, [(f"field{f}", f"value-{f}-some-text-{n}") for f in range(FIELDS)])
                for n in range(LOGS_PER_GROUP)
            ],
            "bench",
            "10.0.0.1",
        )
    )
    batch = LogGroupList()
    for _ in range(1000):
        batch.LogGroups.add().CopyFrom(group)
    rounds = max(1, total // (1000 * LOGS_PER_GROUP))
    began = time.perf_counter()
    for _ in range(rounds):
        fields = 0
        for item in batch.LogGroups:
            for log in item.Logs:
                for content in log.Contents:
                    fields += len(content.Value)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--heartbeat", type=float, default=1.0)
    parser.add_argument("--fetch-interval", type=float, default=0.5)
    parser.add_argument("--skip-official", action="store_true")
    parser.add_argument("--skip-takeover", action="store_true")
    parser.add_argument(
        "--processor",
        choices=("count", "touch", "both"),
        default="both",
        help="count: the processor counts the logs of each group (measures the SDK); touch: it reads "
        "every field of every log (adds the same protobuf access cost to both SDKs)",
    )
    args = parser.parse_args()
    sdks = ["ours"] if args.skip_official else ["ours", "official"]
    works = ["count", "touch"] if args.processor == "both" else [args.processor]
    with tempfile.TemporaryDirectory(prefix="bench-consumer-") as folder:
        emulator = Emulator(Path(folder))
        try:
            client = emulator.client()
            began = time.perf_counter()
            load(client, args.logs)
            print(f"loaded {args.logs:,} logs in {time.perf_counter() - began:.1f}s")
            for work in works:
                rates: dict[str, list[float]] = {sdk: [] for sdk in sdks}
                for run in range(args.rounds):
                    for sdk in sdks:
                        rates[sdk].append(throughput(sdk, emulator, args.logs, args, run, work))
                print(
                    f"\nthroughput, processor={work}, 2 workers, 4 shards, {args.logs:,} logs (best of {args.rounds}):"
                )
                for sdk in sdks:
                    print(f"  {sdk:9s} {max(rates[sdk]):12,.0f} logs/s")
                if "official" in rates:
                    print(f"  ratio     {max(rates['ours']) / max(rates['official']):12.2f} x")
            if "touch" in works:
                print(
                    f"\nreading every field in the processor alone, {args.logs:,} logs: {touch_floor(args.logs):.2f} s"
                )
            if not args.skip_takeover:
                timeout = max(1, int(2 * args.heartbeat + 0.999))
                print(f"\ntakeover of a SIGKILLed worker's shards (group timeout {timeout}s):")
                for sdk in sdks:
                    seconds = takeover(sdk, emulator, args.logs, args)
                    print(f"  {sdk:9s} {seconds:8.2f} s")
        finally:
            emulator.stop()


if __name__ == "__main__":
    main()
