"""Pull pipeline: pull + decompress + decode to flat dicts, ours vs the official SDK, same emulator, same data.

Measures, against one emulator running as its own process (``fsync=never``):

1. **pull + decode**: ``pull_log(shard, "begin", "end")`` over 100,000 logs (1,000 groups x 100
   logs x 10 string fields, lz4) with ``get_flatten_logs_json()`` on every batch. Ours and the
   official SDK each run in a fresh interpreter of their own (the official one in its virtual
   environment, reaching the emulator through the ``HTTP_PROXY`` recipe), rounds alternating;
   each times itself from the first request to the last dict.
2. **emulator PullLogs rate**: PullLogs answers per second served, the body left undecoded
   (uncompressed and lz4), read with our client.
3. **memory of pull_log**: peak memory (tracemalloc peak and RSS growth) of our ``pull_log``
   while flattening each batch and dropping it, over the 100,000-log shard and a 1,000,000-log
   shard, next to the peak of holding one single batch. Bounded memory means the whole-shard
   peak stays near the one-batch peak whatever the shard size.

    python benchmarks/pull_pipeline.py [--rounds 7] [--logs 100000] [--batch 100]
                                       [--memory-logs 1000000 | --skip-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from _official import run_official  # noqa: E402
from _sink import Sink  # noqa: E402

from aliyun.log import LogClient, LogItem, PutLogsRequest  # noqa: E402
from aliyun.log._codec import compress, encode_log_group  # noqa: E402
from aliyun.log.emulator.server import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET  # noqa: E402

PROJECT = "bench"
FIELDS = 10
LOGS_PER_GROUP = 100

# The same timed loop for both SDKs (their public API is the same).
PULL_SCRIPT = r"""
import sys, time
from aliyun.log import LogClient
endpoint, ak, sk, project, logstore, batch = sys.argv[1:7]
client = LogClient(endpoint, ak, sk)
client.get_begin_cursor(project, logstore, 0)  # connection and lazy imports outside the timing
start = time.perf_counter()
count = 0
for response in client.pull_log(project, logstore, 0, "begin", "end", batch_size=int(batch)):
    count += len(response.get_flatten_logs_json())
elapsed = time.perf_counter() - start
import aliyun.log
print(elapsed, count, aliyun.log.__file__)
"""

MEMORY_SCRIPT = r"""
import json, os, sys, tracemalloc
from aliyun.log import LogClient
endpoint, ak, sk, project, logstore, batch, mode, tool = sys.argv[1:9]
batch = int(batch)
client = LogClient(endpoint, ak, sk)
def status(field):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
cursor = client.get_begin_cursor(project, logstore, 0).get_cursor()
client.pull_logs(project, logstore, 0, cursor, count=1).get_flatten_logs_json()  # warm every code path
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # reset the peak RSS (VmHWM) to the current RSS
base = status("VmRSS")
if tool == "tracemalloc":  # its bookkeeping would inflate the RSS: one tool per run
    tracemalloc.start()
count = 0
if mode == "one":
    response = client.pull_logs(project, logstore, 0, cursor, count=batch)
    rows = response.get_flatten_logs_json()
    count = len(rows)
else:
    for response in client.pull_log(project, logstore, 0, "begin", "end", batch_size=batch):
        count += len(response.get_flatten_logs_json())
if tool == "tracemalloc":
    print(json.dumps({"logs": count, "peak": tracemalloc.get_traced_memory()[1]}))
else:
    print(json.dumps({"logs": count, "peak": status("VmHWM") - base}))
"""


# -- the emulator process -----------------------------------------------------------------------


class Emulator:
    """``python -m aliyun.log.emulator`` on a free port, so neither client shares its interpreter."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None, tree: Path = ROOT) -> None:
        # the data directory as working directory: ``-m`` puts the working directory first on
        # sys.path, which must not shadow ``tree``
        env = {**os.environ, "PYTHONPATH": str(tree), **(extra_env or {})}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aliyun.log.emulator",
                "--port",
                "0",
                "--data-dir",
                str(data_dir),
                "--fsync",
                "never",
                "--threads",
                "4",
                "--log-level",
                "ERROR",
            ],
            stdout=subprocess.PIPE,
            env=env,
            cwd=data_dir,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        text = ""
        while time.monotonic() < deadline and "listening on http://" not in text:
            if select.select([self.process.stdout], [], [], 0.2)[0]:
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    break
                text += chunk.decode()
        line = next((item for item in text.splitlines() if "listening on http://" in item), None)
        if line is None:
            self.stop()
            raise RuntimeError(f"emulator did not start: {text!r}")
        self.endpoint = line.rsplit("http://", 1)[1].strip()

    def client(self) -> LogClient:
        return LogClient(self.endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)

    def args(self) -> list[str]:
        return [self.endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


# -- data ------------------------------------------------------------------------------------------


def load(client: LogClient, logstore: str, total: int, *, distinct: bool) -> None:
    """Write ``total`` logs as groups of 100 to a one-shard logstore (4 writer threads)."""
    client.create_logstore(PROJECT, logstore, shard_count=1, ttl=3650)
    groups = total // LOGS_PER_GROUP
    fixed = encode_log_group(
        [
            (1_700_000_000, 0, [(f"field{f}", f"value-{f}-some-text-{n}") for f in range(FIELDS)])
            for n in range(LOGS_PER_GROUP)
        ],
        "bench",
        "10.0.0.1",
    )

    def write(first: int, step: int) -> None:
        for number in range(first, groups, step):
            if distinct:
                items = [
                    LogItem(
                        1_700_000_000 + number, [(f"field{f}", f"value-{f}-{number}-{n}") for f in range(FIELDS)], 1
                    )
                    for n in range(LOGS_PER_GROUP)
                ]
                client.put_logs(PutLogsRequest(PROJECT, logstore, "bench", "10.0.0.1", items))
            else:
                client.put_log_raw(PROJECT, logstore, fixed)

    threads = [threading.Thread(target=write, args=(i, 4)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# -- measurements ---------------------------------------------------------------------------------


def ours_round(server: Emulator | Sink, logstore: str, batch: int) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("HTTP_PROXY", None)
    out = subprocess.run(
        [sys.executable, "-c", PULL_SCRIPT, *_args(server), PROJECT, logstore, str(batch)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    ).stdout
    return _timing(out, str(ROOT))


def official_round(server: Emulator | Sink, logstore: str, batch: int) -> tuple[float, int]:
    out = run_official(PULL_SCRIPT, server.endpoint, [*_args(server), PROJECT, logstore, str(batch)])
    return _timing(out, None)


def _args(server: Emulator | Sink) -> list[str]:
    return [server.endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET]


def compare(server: Emulator | Sink, logstore: str, args: argparse.Namespace, label: str) -> tuple[float, float]:
    """Alternating rounds of both SDKs against ``server``; prints them and returns the median times."""
    ours_times: list[float] = []
    official_times: list[float] = []
    for round_no in range(args.rounds):
        ours_elapsed, ours_count = ours_round(server, logstore, args.batch)
        official_elapsed, official_count = official_round(server, logstore, args.batch)
        assert ours_count == official_count == args.logs, (ours_count, official_count)
        ours_times.append(ours_elapsed)
        official_times.append(official_elapsed)
        print(
            f"{label} round {round_no + 1}: ours {args.logs / ours_elapsed:,.0f} logs/s, "
            f"official {args.logs / official_elapsed:,.0f} logs/s (load {os.getloadavg()[0]:.2f})"
        )
    print(
        f"\n{label}: pull + decode to flat dicts, {args.rounds} rounds, {args.logs:,} logs x {FIELDS} fields, "
        f"{LOGS_PER_GROUP} logs/group, batch {args.batch} groups, lz4:"
    )
    print(f"  {'':10}{'median':>14}{'best':>14}")
    for name, pick in (("ours", ours_times), ("official", official_times)):
        print(f"  {name + ':':10}{args.logs / statistics.median(pick):14,.0f}{args.logs / min(pick):14,.0f} logs/s")
    print(
        f"  {'ratio:':10}{statistics.median(official_times) / statistics.median(ours_times):13.2f}x"
        f"{min(official_times) / min(ours_times):13.2f}x\n"
    )
    return statistics.median(ours_times), statistics.median(official_times)


def canned_answer(client: LogClient, logstore: str, batch: int, folder: Path) -> str:
    """The first PullLogs answer of ``logstore`` (``batch`` groups) as the sink's lz4 file."""
    cursor = client.get_begin_cursor(PROJECT, logstore, 0).get_cursor()
    body = client.pull_logs(PROJECT, logstore, 0, cursor, count=batch).get_raw_body()
    path = folder / f"answer-{len(body)}-{batch}.lz4"
    path.write_bytes(compress("lz4", body))
    return str(path)


def _timing(out: str, expect_root: str | None) -> tuple[float, int]:
    elapsed, count, module = out.strip().splitlines()[-1].split()
    # Guard against measuring the wrong package (the official venv must not import ours, and back).
    if expect_root is None:
        assert str(ROOT) not in module, f"the official run imported our package: {module}"
    else:
        assert module.startswith(expect_root), f"our run imported {module}"
    return float(elapsed), int(count)


def pull_rate(client: LogClient, logstore: str, compress: bool, seconds: float = 3.0) -> dict[str, float]:
    """PullLogs answers served per second, 1000 groups each, bodies not decoded."""
    begin = client.get_begin_cursor(PROJECT, logstore, 0).get_cursor()
    groups = raw = requests = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        cursor = begin
        while True:
            response = client.pull_logs(PROJECT, logstore, 0, cursor, count=1000, compress=compress)
            count = response.get_loggroup_count()
            if count == 0:
                break
            requests += 1
            groups += count
            raw += response.get_raw_size()
            cursor = response.get_next_cursor()
    elapsed = time.perf_counter() - start
    return {
        "requests_per_s": requests / elapsed,
        "logs_per_s": groups * LOGS_PER_GROUP / elapsed,
        "mib_per_s": raw / elapsed / (1 << 20),
    }


def memory(emulator: Emulator, logstore: str, batch: int, mode: str) -> dict[str, int]:
    """Peak memory above the settled baseline: Python allocations (tracemalloc) and RSS, separate runs."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result: dict[str, int] = {}
    for tool in ("tracemalloc", "rss"):
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_SCRIPT, *emulator.args(), PROJECT, logstore, str(batch), mode, tool],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tempfile.gettempdir(),
        ).stdout
        answer = json.loads(out.strip().splitlines()[-1])
        result[tool], result["logs"] = answer["peak"], answer["logs"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100, help="log groups per PullLogs (pull_log batch_size)")
    parser.add_argument("--memory-logs", type=int, default=1_000_000)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-sink", action="store_true", help="skip the rounds against the plain HTTP sink")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="pull-bench-"))
    emulator = Emulator(data_dir)
    try:
        client = emulator.client()
        client.create_project(PROJECT, "pull pipeline benchmark")
        started = time.perf_counter()
        load(client, "pull", args.logs, distinct=True)
        print(f"loaded {args.logs:,} logs in {time.perf_counter() - started:.1f} s")

        emulator_times = compare(emulator, "pull", args, "emulator")
        if not args.skip_sink:
            # The same answers from a server that does no work: what is left is the clients' own cost.
            batches = args.logs // (args.batch * LOGS_PER_GROUP)
            sink = Sink(canned_answer(client, "pull", args.batch, data_dir), batches)
            try:
                sink_times = compare(sink, "pull", args, "plain sink")
            finally:
                sink.stop()
            print("ratio (official / ours, medians):")
            for label, (ours, official) in (("emulator", emulator_times), ("plain sink", sink_times)):
                print(f"  {label:12}{official / ours:8.2f}x")
        print("\nemulator PullLogs, 1000 groups per answer, body not decoded:")
        for compress in (False, True):
            rate = pull_rate(client, "pull", compress)
            print(
                f"  {'lz4 ' if compress else 'none'}: {rate['requests_per_s']:8.1f} answers/s  "
                f"{rate['logs_per_s']:12,.0f} logs/s  {rate['mib_per_s']:8.1f} MiB/s raw"
            )

        if not args.skip_memory:
            started = time.perf_counter()
            load(client, "big", args.memory_logs, distinct=False)
            print(f"\nloaded {args.memory_logs:,} logs in {time.perf_counter() - started:.1f} s")
            batch_logs = args.batch * LOGS_PER_GROUP
            print(
                f"peak memory of our pull_log (batch {args.batch} groups = {batch_logs:,} logs), "
                f"tracemalloc peak / RSS growth:"
            )
            rows = [
                ("one batch, held", "big", "one"),
                (f"whole shard, {args.logs:,} logs", "pull", "all"),
                (f"whole shard, {args.memory_logs:,} logs", "big", "all"),
            ]
            for label, logstore, mode in rows:
                result = memory(emulator, logstore, args.batch, mode)
                print(
                    f"  {label:32} {result['tracemalloc'] / (1 << 20):8.1f} MiB  "
                    f"{result['rss'] / (1 << 20):8.1f} MiB   ({result['logs']:,} logs)"
                )
    finally:
        emulator.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
