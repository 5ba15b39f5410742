"""Put pipeline: build + serialize + compress + send logs, ours vs the official SDK, same local server.

10,000 logs x 10 string fields, 1,000 logs per request, lz4. Rounds alternate between the two
SDKs against one emulator on a socket; the official SDK runs in its own virtual environment
(built once, see ``_official.py``) and times itself the same way. Prints logs/s and the ratio.

    python benchmarks/put_pipeline.py [--rounds 5] [--logs 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _official import run_official

from aliyun.log import LogClient, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

FIELDS = 10
PER_REQUEST = 1000

OFFICIAL_SCRIPT = r"""
import sys, time
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
print(time.perf_counter() - start)
"""


def ours(client: LogClient, project: str, logstore: str, total: int) -> float:
    values = [(f"field{f}", f"value-{f}-some-text") for f in range(FIELDS)]
    start = time.perf_counter()
    for _ in range(0, total, PER_REQUEST):
        items = [LogItem(int(time.time()), list(values)) for _ in range(PER_REQUEST)]
        client.put_logs(PutLogsRequest(project, logstore, "bench", "10.0.0.1", items))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--logs", type=int, default=10_000)
    args = parser.parse_args()
    with EmulatorServer(port=0, fsync="never") as server:
        client = server.client()
        client.create_project("bench", "put pipeline benchmark")
        client.create_logstore("bench", "put", shard_count=2)
        client.put_logs(PutLogsRequest("bench", "put", "warm", "", [LogItem(contents=[("k", "v")])]))
        our_times, official_times = [], []
        for round_no in range(args.rounds):
            our_times.append(ours(client, "bench", "put", args.logs))
            out = run_official(
                OFFICIAL_SCRIPT,
                server.endpoint,
                [
                    server.endpoint,
                    server.access_key_id,
                    server.access_key_secret,
                    "bench",
                    "put",
                    str(args.logs),
                    str(PER_REQUEST),
                ],
            )
            official_times.append(float(out.strip().splitlines()[-1]))
            print(
                f"round {round_no + 1}: ours {args.logs / our_times[-1]:,.0f} logs/s, "
                f"official {args.logs / official_times[-1]:,.0f} logs/s"
            )
    ours_rate = args.logs / statistics.median(our_times)
    official_rate = args.logs / statistics.median(official_times)
    print(f"\nmedian over {args.rounds} rounds, {args.logs} logs x {FIELDS} fields, {PER_REQUEST}/request, lz4:")
    print(f"  ours:     {ours_rate:12,.0f} logs/s")
    print(f"  official: {official_rate:12,.0f} logs/s")
    print(f"  ratio:    {ours_rate / official_rate:12.2f}x")


if __name__ == "__main__":
    main()
