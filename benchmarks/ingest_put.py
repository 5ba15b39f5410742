"""The emulator's PutLogs ingest rate with the native codec and with the pure one (before / after).

One emulator process per codec (``ALIYUN_LOG_PURE_CODEC=1`` forces the pure one: what PutLogs
ran before its validation moved to the extension), ``fsync=never``, a 2-shard logstore. The
client sends pre-encoded, lz4-compressed log groups with ``put_log_raw`` from 2 threads, so the
client's own cost is small and the same in both runs; each group is 1,000 logs x 10 fields
(the put pipeline's shape) or 10 logs x 10 fields (small writes, where the per-request cost
dominates). Rounds alternate between the two emulators. Prints logs/s of each, the ratio and
the load average.

    python benchmarks/ingest_put.py [--rounds 3] [--seconds 3]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pull_pipeline import Emulator

from aliyun.log import LogClient
from aliyun.log._codec import encode_log_group

PROJECT = "bench-ingest"
THREADS = 2


def group(logs: int) -> bytes:
    return encode_log_group(
        [(1_700_000_000, 0, [(f"field{f}", f"value-{f}-some-text-{n}") for f in range(10)]) for n in range(logs)],
        "bench",
        "10.0.0.1",
    )


def rate(client: LogClient, logstore: str, payload: bytes, logs: int, seconds: float) -> float:
    """Logs/s stored by PutLogs over ``seconds``, ``THREADS`` writers."""
    counts = [0] * THREADS
    deadline = time.perf_counter() + seconds

    def write(slot: int) -> None:
        while time.perf_counter() < deadline:
            client.put_log_raw(PROJECT, logstore, payload, compress=True)
            counts[slot] += logs

    started = time.perf_counter()
    threads = [threading.Thread(target=write, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="ingest-native-") as native_dir,
        tempfile.TemporaryDirectory(prefix="ingest-pure-") as pure_dir,
    ):
        emulators = {
            "native": Emulator(Path(native_dir)),
            "pure": Emulator(Path(pure_dir), {"ALIYUN_LOG_PURE_CODEC": "1"}),
        }
        try:
            clients = {}
            for name, emulator in emulators.items():
                client = clients[name] = emulator.client()
                client.create_project(PROJECT, "ingest benchmark")
                client.create_logstore(PROJECT, "put", shard_count=2, ttl=3650)
            for logs in (1000, 10):
                payload = group(logs)
                results: dict[str, list[float]] = {name: [] for name in emulators}
                for round_no in range(args.rounds):
                    for name in ("pure", "native"):
                        results[name].append(rate(clients[name], "put", payload, logs, args.seconds))
                    print(
                        f"{logs} logs/group, round {round_no + 1}: pure {results['pure'][-1]:,.0f}, "
                        f"native {results['native'][-1]:,.0f} logs/s (load {os.getloadavg()[0]:.2f})"
                    )
                pure, native = statistics.median(results["pure"]), statistics.median(results["native"])
                print(
                    f"  median: before (pure codec) {pure:,.0f} logs/s, after (native) {native:,.0f} logs/s, "
                    f"{native / pure:.2f}x\n"
                )
        finally:
            for emulator in emulators.values():
                emulator.stop()


if __name__ == "__main__":
    main()
