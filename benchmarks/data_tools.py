"""copy_data / transform_data over 1,000,000 logs: throughput and the client's peak RSS.

The emulator runs as its own process (``--fsync never``) so the RSS printed is the SDK side's
alone: the baseline after writing the source data, the peak during the move, and the growth.
Bounded memory means the growth stays a few batches' worth whatever the number of logs.

    python benchmarks/data_tools.py [--logs 1000000] [--batch 100] [--transform]
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aliyun.log import LogClient, LogItem, PutLogsRequest  # noqa: E402

KEY_ID, KEY_SECRET = "bench-id", "bench-secret"


def peak_rss_mb() -> float:
    """Peak resident set size since :func:`reset_peak` (``VmHWM``), or since the start."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Restart the peak RSS measurement here (Linux ``clear_refs`` 5); False when not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def current_rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_emulator(data_dir: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "aliyun.log.emulator", "--port", str(port), "--data-dir", data_dir, "--fsync", "never",
         "--access-key-id", KEY_ID, "--access-key-secret", KEY_SECRET],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the emulator did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=100, help="log groups per pull")
    parser.add_argument("--per-group", type=int, default=1000, help="logs per written log group")
    parser.add_argument("--transform", action="store_true", help="run transform_data instead of copy_data")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        process, port = start_emulator(data_dir)
        try:
            client = LogClient(f"127.0.0.1:{port}", KEY_ID, KEY_SECRET)
            client.create_project("bench", "data tools benchmark")
            client.create_logstore("bench", "src", shard_count=2)
            client.create_logstore("bench", "dst", shard_count=2)
            per_group = args.per_group
            for start in range(0, args.logs, per_group):
                items = [
                    LogItem(1_700_000_000 + i % 3600, [("n", str(i)), ("msg", f"user=u{i % 7} code={i % 500}")])
                    for i in range(start, min(start + per_group, args.logs))
                ]
                client.put_logs(PutLogsRequest("bench", "src", "t", "s", items))
            baseline = current_rss_mb()
            peak_is_move_only = reset_peak()
            began = time.perf_counter()
            if args.transform:
                result = client.transform_data(
                    "bench", "src", lambda e: dict(e, moved="1"), "begin", to_logstore="dst",
                    batch_size=args.batch, progress=False,
                )  # fmt: skip
            else:
                result = client.copy_data(
                    "bench", "src", "begin", to_logstore="dst", batch_size=args.batch, progress=False
                )
            elapsed = time.perf_counter() - began
            body = result.get_body()
            kind = "transform_data" if args.transform else "copy_data"
            print(f"{kind}: {body['total_written']:,} of {body['total_count']:,} logs in {elapsed:.1f} s "
                  f"({body['total_count'] / elapsed:,.0f} logs/s), batch {args.batch} groups of {per_group} logs")  # fmt: skip
            scope = "during the move" if peak_is_move_only else "since start (includes writing the source data)"
            print(f"client RSS: {baseline:.0f} MiB before the move, peak {peak_rss_mb():.0f} MiB {scope}")
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
