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
    parser.add_argument(
        "--server-name",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name clients use for the emulator (repeatable); <project>.NAME addresses a project",
    )
    parser.add_argument("--access-key-id", default=DEFAULT_ACCESS_KEY_ID)
    # No default here: the banner must know whether the secret came from the user.
    parser.add_argument("--access-key-secret", default=None, help="(default: the emulator's own test secret)")
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
    parser.add_argument(
        "--connection-limit",
        type=int,
        default=None,
        help="client connections open at once (default: half the descriptor limit, at most 1000)",
    )
    parser.add_argument(
        "--idle-timeout", type=int, default=60, help="seconds an idle keep-alive connection stays open (default 60)"
    )
    parser.add_argument("--no-console", action="store_true", help="do not serve the web console at /console/")
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a generated certificate; the banner shows the CA file to trust",
    )
    parser.add_argument(
        "--no-admin",
        action="store_true",
        help="refuse the admin API under /_emulator (reset, clock, faults, inspection): 403 AdminDisabled",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        help="Python logging level; INFO logs one line per request (API, project, logstore, status, latency)",
    )
    return parser.parse_args(argv)


def banner(server: EmulatorServer, *, secret_given: bool) -> str:
    """What the emulator prints at start: where it listens and how to sign for it.

    The secret is shown only when it is the emulator's own test value; one the user chose is
    theirs to know and stays out of terminals, CI logs and screenshots.
    """
    secret = "(the one you gave, not shown)" if secret_given else server.access_key_secret
    lines = [
        f"SLS emulator listening on {server.url}",
        f"  endpoint:          {server.endpoint}",
        *((f"  CA certificate:    {server.ca_file}",) if server.ca_file is not None else ()),
        f"  access key id:     {server.access_key_id}",
        f"  access key secret: {secret}",
        f"  data directory:    {server.data_dir}",
    ]
    if server.console_url:
        lines.append(f"  console:           {server.console_url}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = EmulatorServer(
        args.host,
        args.port,
        args.data_dir,
        access_key_id=args.access_key_id,
        access_key_secret=DEFAULT_ACCESS_KEY_SECRET if args.access_key_secret is None else args.access_key_secret,
        check_signature=not args.no_check_signature,
        fsync=args.fsync,
        threads=args.threads,
        query_limits=dataclasses.replace(_LIMITS, timeout=args.query_timeout, memory_limit=args.query_memory),
        hosts=tuple(args.server_name),
        connection_limit=args.connection_limit,
        idle_timeout=args.idle_timeout,
        console=not args.no_console,
        admin=not args.no_admin,
        tls=args.tls,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    print(banner(server, secret_given=args.access_key_secret is not None), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        print("SLS emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
