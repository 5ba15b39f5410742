"""PutLogs rate with and without an index: how much indexing slows ingestion.

The same logs (acceptance shape: 12 fields, 1,000 per request, lz4) are written through our
``LogClient`` to two logstores of one emulator (on a socket, ``fsync=never``): one without an
index, one with the acceptance index. Rounds alternate. After each round on the indexed
logstore a ``count(*)`` query runs: it waits until every log of the round is indexed (the
emulator indexes in the background, and a query catches up first), so no indexing work of one
round spills into the next, and "put + query" is the time until the round is searchable.
Prints logs/s of each and the ratios.

    python benchmarks/ingest_index.py [--logs 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "emulator" / "query"))

from acceptance_cases import INDEX_CONFIG

from aliyun.log import IndexConfig, LogClient, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

PER_REQUEST = 1000


def batch(offset: int) -> list[LogItem]:
    now = int(time.time())
    return [
        LogItem(
            now,
            [
                ("remote_addr", f"10.0.{i % 250}.{i % 7}"),
                ("remote_user", "-"),
                ("request_method", "GET"),
                ("request_uri", f"/request/path-{i % 9}/file-{i % 13}"),
                ("status", str(200 + i % 5)),
                ("body_bytes_sent", str(i % 4096)),
                ("request_time", f"{(i % 1000) / 1000:.3f}"),
                ("http_user_agent", "curl/8.4.0"),
                ("host", "www.mg.mock.com"),
                ("time_local", "01/Jan/2024:08:00:05"),
                ("http_referer", "-"),
                ("extra", '{"user": {"id": 7, "role": "admin"}, "region": "cn"}'),
            ],
        )
        for i in range(offset, offset + PER_REQUEST)
    ]


def write(client: LogClient, logstore: str, total: int) -> float:
    batches = [batch(offset) for offset in range(0, total, PER_REQUEST)]
    start = time.perf_counter()
    for items in batches:
        client.put_logs(PutLogsRequest("ingest", logstore, "web", "10.0.0.1", items))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with EmulatorServer(port=0, fsync="never") as server:
        client = server.client()
        client.create_project("ingest", "index ingestion benchmark")
        client.create_logstore("ingest", "plain", shard_count=2)
        client.create_logstore("ingest", "indexed", shard_count=2)
        index = IndexConfig()
        index.from_json(INDEX_CONFIG)
        client.create_index("ingest", "indexed", index)
        plain, indexed, searchable, queries = [], [], [], []
        for round_no in range(args.rounds):
            plain.append(write(client, "plain", args.logs))
            indexed.append(write(client, "indexed", args.logs))
            start = time.perf_counter()
            count = int(
                client.get_log("ingest", "indexed", 0, int(time.time()) + 60, query="* | select count(*) as c")
                .get_logs()[0]
                .get_contents()["c"]
            )
            queries.append(time.perf_counter() - start)
            searchable.append(indexed[-1] + queries[-1])
            assert count == args.logs * (round_no + 1), count
            print(
                f"round {round_no + 1}: without index {args.logs / plain[-1]:,.0f} logs/s, "
                f"with index {args.logs / indexed[-1]:,.0f} logs/s, "
                f"put + query {args.logs / searchable[-1]:,.0f} logs/s"
            )
    plain_rate = args.logs / statistics.median(plain)
    indexed_rate = args.logs / statistics.median(indexed)
    searchable_rate = args.logs / statistics.median(searchable)
    print(f"\nmedian over {args.rounds} rounds, {args.logs} logs x 12 fields, {PER_REQUEST}/request:")
    print(f"  PutLogs without index: {plain_rate:10,.0f} logs/s")
    print(f"  PutLogs with index:    {indexed_rate:10,.0f} logs/s  ({indexed_rate / plain_rate:.2f} of the rate)")
    print(
        f"  PutLogs + first query: {searchable_rate:10,.0f} logs/s  ({searchable_rate / plain_rate:.2f} of the rate;"
        " all logs searchable)"
    )
    print(f"  first query after a round (indexes what is pending): {statistics.median(queries) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
