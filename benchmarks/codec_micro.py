"""Micro-benchmark of the PutLogs encoder: logs/s for one LogGroup of N logs x F string fields.

Compares, in one run:

* ``ours``      -- ``aliyun.log._codec.encode_log_group`` (hand-written encoder);
* ``runtime``   -- the same group built with our protobuf classes on this process's runtime;
* ``official``  -- the official SDK's ``log_logs_raw_pb2.LogGroupRaw`` filled field by field and
  serialized, run in the official SDK's own virtualenv (``$OFFICIAL_SDK_PYTHON``, else the cached
  venv that ``benchmarks/_official.py`` builds); skipped when it cannot be had.

Also times decode + flatten of the result (PullLogs side). Usage::

    python benchmarks/codec_micro.py [--logs 1000] [--fields 10] [--repeat 30]
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _official import official_python  # benchmarks/ is on sys.path when run as a script

from aliyun.log._codec import (
    LogGroupRaw,
    decode_log_group_list,
    encode_log_group,
    encode_log_group_list,
    flatten_log_group_list,
)


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
)

_OFFICIAL_SOURCE = """
import json, sys
import google.protobuf
from aliyun.log import log_logs_raw_pb2
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

print(json.dumps({"seconds": best_of(official, repeat), "size": len(official()),
                  "protobuf": google.protobuf.__version__}))
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


def main() -> None:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logs", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    from google.protobuf import __version__ as protobuf_version
    from google.protobuf.internal import api_implementation

    logs = make_logs(args.logs, args.fields)
    ours_bytes = encode_log_group(logs, "topic", "10.0.0.1")
    assert ours_bytes == via_runtime(logs), "hand encoder and protobuf runtime disagree"

    rows = [
        ("ours (hand encoder)", best_of(lambda: encode_log_group(logs, "topic", "10.0.0.1"), args.repeat)),
        (
            f"runtime messages (protobuf {protobuf_version}, {api_implementation.Type()})",
            best_of(lambda: via_runtime(logs), args.repeat),
        ),
    ]
    official = run_official(args.logs, args.fields, args.repeat)
    if official is not None:
        assert official["size"] == len(ours_bytes), "official output has a different size"
        rows.append((f"official SDK 0.9.x messages (protobuf {official['protobuf']})", official["seconds"]))

    print(f"encode one LogGroup: {args.logs} logs x {args.fields} string fields, {len(ours_bytes):,} bytes")
    base = rows[0][1]
    for name, seconds in rows:
        rate = args.logs / seconds
        print(f"  {name:<52} {seconds * 1e3:8.2f} ms  {rate:>12,.0f} logs/s  x{seconds / base:.2f} time")

    pulled = encode_log_group_list([ours_bytes])
    decode_s = best_of(lambda: flatten_log_group_list(decode_log_group_list(pulled)), args.repeat)
    print(f"decode + flatten (PullLogs view): {decode_s * 1e3:.2f} ms  {args.logs / decode_s:,.0f} logs/s")


if __name__ == "__main__":
    main()
