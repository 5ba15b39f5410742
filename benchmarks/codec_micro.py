"""Micro-benchmark of the log codec: logs/s for one LogGroup of N logs x F string fields.

Encoding, in one run:

* ``native`` / ``pure`` -- our two encoders (``aliyun.log._codec._speedups`` and
  ``aliyun.log._codec.encode``), from ``(time, ns, [(key, value), ...])`` tuples and from
  ``LogItem`` objects (what ``put_logs`` hands over);
* ``runtime`` -- the same group built with our protobuf classes and serialized;
* ``serialize only`` -- protobuf's C serializer on an already-built message (the issue's yardstick);
* ``official`` -- the official SDK's ``LogGroupRaw`` filled field by field and serialized, run in
  the official SDK's own virtualenv (``$OFFICIAL_SDK_PYTHON``, else the cached venv that
  ``benchmarks/_official.py`` builds), isolated with ``-I``; skipped when it cannot be had.

Decoding (PullLogs side: LogGroupList bytes to the flat dicts of ``get_flatten_logs_json()``):
native, pure (upb parse + flatten), and the official ``PullLogResponse(...).get_flatten_logs_json()``.

Memory: RSS before and after ``--calls`` native encode + decode calls (1,000,000 by default) of a
10-log group, to show the extension neither leaks nor grows. Usage::

    python benchmarks/codec_micro.py [--logs 1000] [--fields 10] [--repeat 30] [--calls 1000000]
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _official import official_python  # benchmarks/ is on sys.path when run as a script

from aliyun.log import LogItem
from aliyun.log._codec import LogGroupRaw, encode_log_group_list
from aliyun.log._codec.encode import _varint
from aliyun.log._codec.encode import encode_log_group as pure_encode
from aliyun.log._codec.select import decode_flat_logs_python as pure_decode

try:
    from aliyun.log._codec import _speedups
except ImportError:  # not built: only the pure rows are printed
    _speedups = None


def make_logs(n: int, fields: int) -> list[Any]:
    """``n`` logs of ``fields`` string fields each (values 20..60 bytes), as encoder tuples."""
    return [
        (
            1700000000 + i,
            123456789,
            [(f"field_{j}", f"value-{i}-{j}-" + "x" * (8 + (i * 7 + j) % 40)) for j in range(fields)],
        )
        for i in range(n)
    ]


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` runs, in seconds (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# The official interpreter runs these same two functions, so both sides time identical data.
_SHARED_SOURCE = (
    "from __future__ import annotations\nimport time\nfrom typing import Any, Callable\n"
    + inspect.getsource(make_logs)
    + inspect.getsource(best_of)
    + inspect.getsource(_varint)
)

_OFFICIAL_SOURCE = """
import json, sys
import google.protobuf
from aliyun.log import log_logs_raw_pb2
from aliyun.log.pulllog_response import PullLogResponse
n, fields, repeat = map(int, sys.argv[1:4])
logs = make_logs(n, fields)

def official():
    group = log_logs_raw_pb2.LogGroupRaw()
    for seconds, nanos, contents in logs:
        log = group.Logs.add()
        log.Time = seconds
        log.Time_ns = nanos
        for key, value in contents:
            content = log.Contents.add()
            content.Key = key
            content.Value = value.encode("utf-8")
    group.Topic = "topic"
    group.Source = "10.0.0.1"
    return group.SerializeToString()

body = official()
pulled = b"\\x0a" + bytes(_varint(len(body))) + body
headers = {"x-log-count": "1", "x-log-bodyrawsize": str(len(pulled)), "x-log-cursor": "MTY="}

def official_pull():
    flat = PullLogResponse(pulled, headers).get_flatten_logs_json()
    assert len(flat) == n
    return flat

print(json.dumps({"seconds": best_of(official, repeat), "size": len(body),
                  "decode_seconds": best_of(official_pull, repeat), "protobuf": google.protobuf.__version__}))
"""


def via_runtime(logs: list[Any]) -> bytes:
    """The alternative the hand encoder was measured against: fill messages, serialize."""
    group = LogGroupRaw()
    for seconds, nanos, contents in logs:
        log = group.Logs.add()
        log.Time = seconds
        log.Time_ns = nanos
        for key, value in contents:
            content = log.Contents.add()
            content.Key = key
            content.Value = value.encode("utf-8")
    group.Topic = "topic"
    group.Source = "10.0.0.1"
    data: bytes = group.SerializeToString()
    return data


def run_official(n: int, fields: int, repeat: int) -> dict[str, Any] | None:
    """Time the official SDK's message path in its own interpreter, or ``None`` if unavailable."""
    try:
        python = official_python()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"official SDK not available ({exc}); skipping its row", file=sys.stderr)
        return None
    proc = subprocess.run(
        [python, "-I", "-c", _SHARED_SOURCE + _OFFICIAL_SOURCE, str(n), str(fields), str(repeat)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        print(f"official run failed: {proc.stderr.strip()}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def rss_kib() -> int:
    """Resident set size of this process, KiB (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def leak_check(calls: int) -> None:
    """RSS across ``calls`` native encode + decode calls: flat when nothing leaks."""
    if _speedups is None:
        return
    logs = make_logs(10, 10)
    items = [LogItem(t, c, n) for t, n, c in logs]
    body = encode_log_group_list([_speedups.encode_log_group(logs, "topic", "10.0.0.1", [("k", "v")])])
    encode, decode = _speedups.encode_log_group, _speedups.decode_flat_logs
    for _ in range(10_000):  # warm up allocator pools before the baseline
        encode(items, "topic", "10.0.0.1", [("k", "v")])
        decode(body)
    gc.collect()
    start = rss_kib()
    samples = []
    step = max(calls // 10, 1)
    began = time.perf_counter()
    for i in range(calls):
        encode(items, "topic", "10.0.0.1", [("k", "v")])
        decode(body)
        if i % step == step - 1:
            samples.append(rss_kib())
    elapsed = time.perf_counter() - began
    gc.collect()
    end = rss_kib()
    print(
        f"memory: {calls:,} native encode+decode calls (10 logs each) in {elapsed:.1f} s: RSS {start:,} KiB -> "
        f"{end:,} KiB (growth {end - start:+,} KiB, max sample {max(samples, default=end):,} KiB)"
    )


def print_rows(title: str, rows: list[tuple[str, float]], logs: int) -> None:
    """One table: time, logs/s and speed relative to the first row."""
    print(title)
    base = rows[0][1]
    for name, seconds in rows:
        print(f"  {name:<58} {seconds * 1e3:8.2f} ms  {logs / seconds:>12,.0f} logs/s  x{base / seconds:5.2f} speed")


def main() -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logs", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--calls", type=int, default=1_000_000, help="native calls for the memory check (0: skip)")
    args = parser.parse_args()

    from google.protobuf import __version__ as protobuf_version
    from google.protobuf.internal import api_implementation

    logs = make_logs(args.logs, args.fields)
    items = [LogItem(seconds, contents, nanos) for seconds, nanos, contents in logs]
    body = pure_encode(logs, "topic", "10.0.0.1")
    assert body == via_runtime(logs), "hand encoder and protobuf runtime disagree"
    built = LogGroupRaw()
    built.ParseFromString(body)

    rows: list[tuple[str, float]] = []
    if _speedups is not None:
        native = _speedups.encode_log_group
        assert native(logs, "topic", "10.0.0.1") == body == native(items, "topic", "10.0.0.1")
        rows.append(("native encoder, from tuples", best_of(lambda: native(logs, "topic", "10.0.0.1"), args.repeat)))
        rows.append(("native encoder, from LogItems", best_of(lambda: native(items, "topic", "10.0.0.1"), args.repeat)))
    rows.append(("pure encoder, from tuples", best_of(lambda: pure_encode(logs, "topic", "10.0.0.1"), args.repeat)))
    rows.append(("pure encoder, from LogItems", best_of(lambda: pure_encode(items, "topic", "10.0.0.1"), args.repeat)))
    rows.append(
        (
            f"runtime messages (protobuf {protobuf_version}, {api_implementation.Type()})",
            best_of(lambda: via_runtime(logs), args.repeat),
        )
    )
    rows.append(("serialize only, pre-built message (protobuf C)", best_of(built.SerializeToString, args.repeat)))
    official = run_official(args.logs, args.fields, args.repeat)
    if official is not None:
        assert official["size"] == len(body), "official output has a different size"
        rows.append((f"official SDK 0.9.52 messages (protobuf {official['protobuf']})", official["seconds"]))
    print_rows(
        f"encode one LogGroup: {args.logs} logs x {args.fields} string fields, {len(body):,} bytes", rows, args.logs
    )

    pulled = encode_log_group_list([body])
    expected = pure_decode(pulled)
    drows: list[tuple[str, float]] = []
    if _speedups is not None:
        assert _speedups.decode_flat_logs(pulled) == expected
        drows.append(("native decode to flat dicts", best_of(lambda: _speedups.decode_flat_logs(pulled), args.repeat)))
    drows.append(("pure: upb parse + flatten", best_of(lambda: pure_decode(pulled), args.repeat)))
    if official is not None:
        drows.append(("official SDK 0.9.52 PullLogResponse.get_flatten_logs_json()", official["decode_seconds"]))
    print_rows("decode + flatten (PullLogs view)", drows, args.logs)
    if args.calls:
        leak_check(args.calls)


if __name__ == "__main__":
    main()
