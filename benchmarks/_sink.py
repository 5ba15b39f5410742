"""A plain local HTTP sink for the pipeline benchmarks: SLS answers with no work behind them.

Run as its own process (so it shares no interpreter with the client measured)::

    python benchmarks/_sink.py [--pull-body FILE --batches N]

It prints ``listening on http://127.0.0.1:PORT`` and then answers, on HTTP/1.1 keep-alive
connections, requests in origin form or in the absolute form a client sends to a proxy (the
official SDK reaches local servers through ``HTTP_PROXY``):

* ``GetCursor`` (``?type=cursor&from=begin|end``): cursor ``0`` or ``N`` (``--batches``);
* ``PullLogs`` (``?type=log&cursor=C``): the canned body of ``--pull-body`` (an lz4 block of a
  ``LogGroupList``; its raw size follows it in the file name ``...-RAW.lz4``) with
  ``x-log-cursor`` = C + 1, so ``pull_log("begin", "end")`` reads exactly N answers;
* anything else (``PutLogs``, ...): ``200`` with an empty body, after reading the request body.

No signature check, no decoding, no storage: what a client spends against it is its own cost.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import select
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs, urlsplit


def _cursor(value: int) -> str:
    return base64.b64encode(str(value).encode()).decode()


class SinkHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Small header writes must not wait for the client's delayed ACK (Nagle): a 40 ms stall each.
    disable_nagle_algorithm = True
    pull_body: bytes = b""
    pull_raw_size = 0
    pull_groups = 0
    batches = 0
    counter_lock = threading.Lock()
    requests = 0

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _answer(self, body: bytes, headers: dict[str, str], content_type: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-log-requestid", "sink")
        for name, value in headers.items():
            self.send_header(name, value)
        self._headers_buffer.append(b"\r\n")  # end_headers() without its flush: one write below
        self.wfile.write(b"".join(self._headers_buffer) + body)
        self._headers_buffer = []

    def _consume_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                break
            length -= len(chunk)

    def do_GET(self) -> None:
        self._consume_body()
        query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
        kind = query.get("type")
        if kind == "cursor":
            position = 0 if query.get("from") == "begin" else self.batches
            self._answer(json.dumps({"cursor": _cursor(position)}).encode(), {})
        elif kind in ("log", "logs"):
            position = int(base64.b64decode(query.get("cursor", "MA==")).decode())
            headers = {
                "x-log-cursor": _cursor(min(position + 1, self.batches)),
                "x-log-count": str(self.pull_groups),
                "x-log-bodyrawsize": str(self.pull_raw_size),
                "x-log-compresstype": "lz4",
            }
            self._answer(self.pull_body, headers, "application/x-protobuf")
        else:
            self._answer(b"{}", {})

    def do_POST(self) -> None:
        self._consume_body()
        self._answer(b"", {})

    do_PUT = do_POST
    do_DELETE = do_POST


class Sink:
    """This module run as a subprocess; ``endpoint`` is its ``host:port``."""

    def __init__(self, pull_body: Optional[str] = None, batches: int = 0) -> None:
        command = [sys.executable, os.path.abspath(__file__), "--batches", str(batches)]
        if pull_body:
            command += ["--pull-body", pull_body]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        text = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "\n" not in text:
            if select.select([self.process.stdout], [], [], 0.2)[0]:
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    break
                text += chunk.decode()
        if "listening on http://" not in text:
            self.stop()
            raise RuntimeError(f"sink did not start: {text!r}")
        self.endpoint = text.split("http://", 1)[1].strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pull-body", help="lz4 block of a LogGroupList, named ...-<raw size>-<groups>.lz4")
    parser.add_argument("--batches", type=int, default=0, help="PullLogs answers between begin and end")
    args = parser.parse_args(argv)
    if args.pull_body:
        with open(args.pull_body, "rb") as handle:
            SinkHandler.pull_body = handle.read()
        raw, groups = args.pull_body.rsplit(".", 1)[0].split("-")[-2:]
        SinkHandler.pull_raw_size, SinkHandler.pull_groups = int(raw), int(groups)
    SinkHandler.batches = args.batches
    server = ThreadingHTTPServer(("127.0.0.1", 0), SinkHandler)
    server.daemon_threads = True
    sys.stdout.write(f"listening on http://127.0.0.1:{server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
