"""PutLogs from several threads into a logstore with as many shards, on the emulator (``fsync=always``).

Each thread writes its own shard (a hash key inside the shard's range), so what is measured is
how far writes to different shards of one logstore proceed in parallel: with the append and its
``fsync`` under a logstore-wide lock they queue behind each other; with per-shard gates they do not.

Usage::

    python benchmarks/put_shards.py [--threads 4] [--seconds 5] [--logs-per-put 10]

The emulator runs as its own process (so its threads do not share a GIL with the writers);
each writer thread has its own client.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from aliyun.log import LogClient, LogItem, PutLogsRequest
from aliyun.log.emulator import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

ROOT = pathlib.Path(__file__).resolve().parents[1]


@contextmanager
def emulator(data: str, fsync: str) -> Iterator[str]:
    """An emulator process on a free port; yields its endpoint."""
    command = [sys.executable, "-m", "aliyun.log.emulator", "--port", "0", "--data-dir", data, "--fsync", fsync]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip().startswith("endpoint:"):
                yield line.split(":", 1)[1].strip()
                break
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--logs-per-put", type=int, default=10)
    parser.add_argument("--fsync", default="always")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, emulator(data, args.fsync) as endpoint:

        def new_client() -> LogClient:
            return LogClient(endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)

        setup = new_client()
        setup.create_project("bench-shards", "")
        setup.create_logstore("bench-shards", "ls", shard_count=args.threads)
        shards = setup.list_shards("bench-shards", "ls").get_shards_info()
        keys = [s["inclusiveBeginKey"] for s in shards]
        counts = [0] * args.threads
        stop = time.monotonic() + args.seconds

        def writer(n: int) -> None:
            client = new_client()
            items = [LogItem(contents=[("k", str(i)), ("msg", "x" * 64)]) for i in range(args.logs_per_put)]
            while time.monotonic() < stop:
                client.put_logs(PutLogsRequest("bench-shards", "ls", logitems=items, hashKey=keys[n]))
                counts[n] += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.threads)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    total = sum(counts)
    print(
        f"{args.threads} threads x {args.threads} shards, fsync={args.fsync}, {args.logs_per_put} logs/put: "
        f"{total / elapsed:,.0f} puts/s, {total * args.logs_per_put / elapsed:,.0f} logs/s "
        f"(per thread: {', '.join(str(c) for c in counts)})"
    )


if __name__ == "__main__":
    main()
