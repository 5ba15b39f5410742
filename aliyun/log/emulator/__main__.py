"""``python -m aliyun.log.emulator``: run the SLS emulator until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Optional

from .server import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_HOST,
    DEFAULT_PORT,
    EmulatorServer,
    QueryLimits,
)

_LIMITS = QueryLimits()


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m aliyun.log.emulator", description="Local SLS emulator.")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any free)")
    parser.add_argument("--data-dir", default=None, help="data directory (default: a temporary one, removed at exit)")
    parser.add_argument("--access-key-id", default=DEFAULT_ACCESS_KEY_ID)
    parser.add_argument("--access-key-secret", default=DEFAULT_ACCESS_KEY_SECRET)
    parser.add_argument("--no-check-signature", action="store_true", help="accept unsigned requests")
    parser.add_argument(
        "--fsync",
        choices=("always", "interval", "never"),
        default="always",
        help="when shard logs are fsynced (default always: safe)",
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=_LIMITS.timeout,
        help=f"seconds one query may run before it is stopped (default {_LIMITS.timeout:g})",
    )
    parser.add_argument(
        "--query-memory",
        default=_LIMITS.memory_limit,
        help=f"memory the queries of one logstore may use, e.g. 512MB (default {_LIMITS.memory_limit})",
    )
    parser.add_argument("--no-console", action="store_true", help="do not serve the web console at /console/")
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = EmulatorServer(
        args.host,
        args.port,
        args.data_dir,
        access_key_id=args.access_key_id,
        access_key_secret=args.access_key_secret,
        check_signature=not args.no_check_signature,
        fsync=args.fsync,
        threads=args.threads,
        query_limits=dataclasses.replace(_LIMITS, timeout=args.query_timeout, memory_limit=args.query_memory),
        console=not args.no_console,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    # The secret printed here is the emulator's own local test credential, not a cloud key.
    print(f"SLS emulator listening on http://{server.endpoint}", flush=True)
    print(f"  endpoint:          {server.endpoint}", flush=True)
    print(f"  access key id:     {server.access_key_id}", flush=True)
    print(f"  access key secret: {server.access_key_secret}", flush=True)
    print(f"  data directory:    {server.data_dir}", flush=True)
    if server.console_url:
        print(f"  console:           {server.console_url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        print("SLS emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
