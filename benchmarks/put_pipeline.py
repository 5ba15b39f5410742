"""Put pipeline: build + serialize + compress + send logs, ours vs the official SDK, same local server.

10,000 logs x 10 string fields, 1,000 logs per request, lz4 (``put_logs`` of ``LogItem``\\s).
Both SDKs run the same script, each in a fresh interpreter of its own (the official one in its
virtual environment, see ``_official.py``, reaching the server through the ``HTTP_PROXY``
recipe), rounds alternating, each timing itself from its first request to its last answer.
Two servers, each in its own process:

* the **emulator** (``fsync=never``): signature check, body decoding and validation, storage;
* a **plain local HTTP sink** (``_sink.py``) that reads the body and answers 200 without
  looking at it, so what is measured is the clients' own cost.

Prints logs/s and the ratio for each, and the load average with every round.

    python benchmarks/put_pipeline.py [--rounds 5] [--logs 10000] [--skip-sink] [--skip-emulator]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from _official import run_official  # noqa: E402
from _sink import Sink  # noqa: E402
from pull_pipeline import Emulator  # noqa: E402

from aliyun.log.emulator.server import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET  # noqa: E402

FIELDS = 10
PER_REQUEST = 1000
PROJECT = "bench"
LOGSTORE = "put"

# The same timed loop for both SDKs (their public API is the same).
PUT_SCRIPT = r"""
import sys, time
import aliyun.log
from aliyun.log import LogClient, LogItem, PutLogsRequest
endpoint, ak, sk, project, logstore, total, per = sys.argv[1:8]
total, per = int(total), int(per)
client = LogClient(endpoint, ak, sk)
client.put_logs(PutLogsRequest(project, logstore, "warm", "", [LogItem(contents=[("k", "v")])]))
values = [("field%d" % f, "value-%d-some-text" % f) for f in range(10)]
start = time.perf_counter()
for offset in range(0, total, per):
    items = [LogItem(int(time.time()), list(values)) for _ in range(per)]
    client.put_logs(PutLogsRequest(project, logstore, "bench", "10.0.0.1", items))
print(time.perf_counter() - start, aliyun.log.__file__)
"""


def _args(endpoint: str, total: int) -> list[str]:
    return [endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, PROJECT, LOGSTORE, str(total), str(PER_REQUEST)]


def ours_round(endpoint: str, total: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name in ("HTTP_PROXY", "http_proxy"):
        env.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", PUT_SCRIPT, *_args(endpoint, total)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    ).stdout
    elapsed, module = out.strip().splitlines()[-1].split()
    assert module.startswith(str(ROOT)), f"our run imported {module}"
    return float(elapsed)


def official_round(endpoint: str, total: int) -> float:
    elapsed, module = run_official(PUT_SCRIPT, endpoint, _args(endpoint, total)).strip().splitlines()[-1].split()
    assert str(ROOT) not in module, f"the official run imported our package: {module}"
    return float(elapsed)


def compare(endpoint: str, args: argparse.Namespace, label: str) -> float:
    """Alternating rounds against ``endpoint``; prints them and returns the ratio of the medians."""
    ours: list[float] = []
    official: list[float] = []
    for round_no in range(args.rounds):
        ours.append(ours_round(endpoint, args.logs))
        official.append(official_round(endpoint, args.logs))
        print(
            f"{label} round {round_no + 1}: ours {args.logs / ours[-1]:,.0f} logs/s, "
            f"official {args.logs / official[-1]:,.0f} logs/s (load {os.getloadavg()[0]:.2f})"
        )
    ours_rate = args.logs / statistics.median(ours)
    official_rate = args.logs / statistics.median(official)
    print(
        f"\n{label}: median over {args.rounds} rounds, {args.logs} logs x {FIELDS} fields, {PER_REQUEST}/request, lz4:"
    )
    print(f"  ours:     {ours_rate:12,.0f} logs/s  (best {args.logs / min(ours):,.0f})")
    print(f"  official: {official_rate:12,.0f} logs/s  (best {args.logs / min(official):,.0f})")
    print(f"  ratio:    {ours_rate / official_rate:12.2f}x\n")
    return ours_rate / official_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--logs", type=int, default=10_000)
    parser.add_argument("--skip-sink", action="store_true")
    parser.add_argument("--skip-emulator", action="store_true")
    args = parser.parse_args()
    ratios: dict[str, float] = {}
    if not args.skip_emulator:
        with tempfile.TemporaryDirectory(prefix="put-bench-") as folder:
            emulator = Emulator(Path(folder))
            try:
                client = emulator.client()
                client.create_project(PROJECT, "put pipeline benchmark")
                client.create_logstore(PROJECT, LOGSTORE, shard_count=2)
                ratios["emulator"] = compare(emulator.endpoint, args, "emulator")
            finally:
                emulator.stop()
    if not args.skip_sink:
        sink = Sink()
        try:
            ratios["plain sink"] = compare(sink.endpoint, args, "plain sink")
        finally:
            sink.stop()
    print("ratio (ours / official, medians):")
    for label, ratio in ratios.items():
        print(f"  {label:12}{ratio:8.2f}x")


if __name__ == "__main__":
    main()
