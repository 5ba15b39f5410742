"""Query-engine benchmark: ingest N acceptance-shaped logs into a LogstoreIndex, time queries.

Usage::

    python benchmarks/query.py [--logs 1000000] [--batch 4096] [--memory]

Logs follow the shape of the acceptance data set (tests/emulator/query/acceptance_cases.py) (same keys and index config) with
randomised values, spread over one day, written in PutLogs-sized batches. Ingest time covers
``ingest()`` calls plus the final bulk load; building the ``LogRecord`` objects is timed
separately as the floor any PutLogs path pays anyway. Each query runs a few times; the median
is printed. Peak RSS is the process maximum (generation included).
"""

from __future__ import annotations

import argparse
import pathlib
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "emulator" / "query"))

from acceptance_cases import CL, CU, CW, FL, INDEX_CONFIG, T0

from aliyun.log.emulator.query import LogRecord, LogstoreIndex

DAY = 86400
METHODS = ["GET"] * 6 + ["POST", "PUT", "DELETE", "HEAD"]
STATUSES = ["200"] * 8 + ["201", "302", "304", "404", "500", "502"]
USERS = ["-", "-", "-", "alice", "bob", "anna", "Alice", ""]
HOSTS = ["www.mg.mock.com", "api.mock.com", "www.ol.mock.com"]
AGENTS = [CW, FL, CL, CU]


def batches(total: int, size: int, seed: int = 7) -> Iterator[list[LogRecord]]:
    """Acceptance-shaped logs in time order, ``size`` per PutLogs-like batch."""
    rnd = random.Random(seed)
    addrs = [f"10.0.{rnd.randrange(256)}.{rnd.randrange(256)}" for _ in range(5000)]
    uris = [f"/request/path-{rnd.randrange(100)}/file-{rnd.randrange(1000)}" for _ in range(20000)]
    uris += ["/api/v1/users?id=42&debug=true", "/api/v2/orders", "/login", "/static/app.js"]
    extras = [
        '{"user":{"id":42,"role":"admin"},"region":"cn-hangzhou"}',
        '{"user":{"id":7,"role":"guest"},"region":"cn-shanghai"}',
    ]
    groups = [
        ("web", "192.0.2.10", (("__hostname__", "web-1"),)),
        ("api", "192.0.2.11", (("__hostname__", "api-1"),)),
        ("web", "192.0.2.12", (("__hostname__", "web-2"),)),
    ]
    done = 0
    while done < total:
        n = min(size, total - done)
        topic, source, tags = groups[(done // size) % 3]
        out = []
        for i in range(done, done + n):
            ts = T0 + i * DAY // total
            pairs = [
                ("remote_addr", rnd.choice(addrs)),
                ("remote_user", rnd.choice(USERS)),
                ("request_method", rnd.choice(METHODS)),
                ("request_uri", rnd.choice(uris)),
                ("status", rnd.choice(STATUSES)),
                ("body_bytes_sent", str(rnd.randrange(5000))),
                ("request_time", f"{rnd.random() * 2:.3f}"),
                ("http_user_agent", rnd.choice(AGENTS)),
                ("host", rnd.choice(HOSTS)),
                ("http_referer", "-"),
                ("time_local", "01/Jan/2024:08:00:05"),
            ]
            if topic == "api":
                pairs.append(("extra", rnd.choice(extras)))
            out.append(LogRecord(ts, 0, topic, source, tags, tuple(pairs)))
        done += n
        yield out


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time (s) of ``fn`` and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--memory", action="store_true", help="in-memory index (no storage_dir)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sls-bench-") as tmp:
        index = LogstoreIndex(INDEX_CONFIG, None if args.memory else pathlib.Path(tmp))
        gen_time = ingest_time = 0.0
        it = batches(args.logs, args.batch)
        while True:
            start = time.perf_counter()
            batch = next(it, None)
            gen_time += time.perf_counter() - start
            if batch is None:
                break
            start = time.perf_counter()
            index.ingest(batch)
            ingest_time += time.perf_counter() - start
        start = time.perf_counter()
        index.flush()
        flush_time = time.perf_counter() - start
        total = ingest_time + flush_time
        print(f"logs                        {args.logs:>12,}")
        print(f"build LogRecords (floor)    {gen_time:8.2f} s  {args.logs / gen_time:>12,.0f} logs/s")
        print(f"ingest() calls              {ingest_time:8.2f} s  {args.logs / ingest_time:>12,.0f} logs/s")
        print(f"final flush                 {flush_time:8.2f} s")
        print(
            f"ingest total                {total:8.2f} s  {args.logs / total:>12,.0f} logs/s"
            f"  ({total / args.logs * 1e6:.1f} us/log)"
        )

        frm, to = T0, T0 + DAY
        queries: list[tuple[str, Callable[[], Any]]] = [
            ("group by status", lambda: index.get_logs(
                "* | select status, count(*) as c group by status", frm, to)),
            ("search status:502 and DELETE", lambda: index.get_logs(
                "request_method:DELETE and status:502", frm, to, line=100)),
            ("search request_uri token", lambda: index.get_logs(
                "request_uri:/request/path-7/file-42", frm, to, line=100)),
            ("search full-text Firefox", lambda: index.get_logs("Firefox", frm, to, line=100)),
            ("search full-text cn-beijing", lambda: index.get_logs(
                "cn-beijing", frm, to, line=100)),
            ("search host whole value", lambda: index.get_logs(
                "host:api.mock.com and remote_user:bob", frm, to, line=100)),
            ("time buckets (SQL, 5 min)", lambda: index.get_logs(
                "* | select __time__ - __time__ % 300 as t, count(*) as c group by t "
                "order by t limit 1000", frm, to)),
            ("histogram *", lambda: index.get_histograms("*", frm, to)),
            ("histogram status>=500", lambda: index.get_histograms("status >= 500", frm, to)),
            ("time_series 1h", lambda: index.get_logs(
                "* | select time_series(__time__, '1h', '%H:%i', '0') as t, count(*) as c "
                "group by t order by t", frm, to)),
        ]  # fmt: skip
        print()
        for name, fn in queries:
            seconds, result = timed(fn)
            size = len(result) if isinstance(result, list) else result.meta["count"]
            print(f"{name:<30} {seconds * 1000:8.1f} ms  ({size} rows)")
        index.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS                    {peak:8.0f} MB")


if __name__ == "__main__":
    main()
