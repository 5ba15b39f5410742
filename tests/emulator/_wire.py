"""Raw requests to the emulator's WSGI application, signed (or not) by the test itself.

The tests that use this speak for clients other than this SDK (browsers, the Node SDK, the
generated OpenAPI SDKs), so the v1 signature here is written out from the protocol, not taken
from ``aliyun.log._auth``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import io
import os
import signal
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any, Optional

from aliyun.log.emulator.http.app import EmulatorApp

AK_ID = "emulator-access-key-id"
AK_SECRET = "emulator-access-key-secret"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lowercase names
    body: bytes

    def error_code(self) -> str:
        import json

        return str(json.loads(self.body)["errorCode"])


def sign_v1(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    *,
    secret: str = AK_SECRET,
    access_key_id: str = AK_ID,
    signature_method: str = "hmac-sha1",
) -> None:
    """Add ``Date``, ``Content-MD5``, ``x-log-signaturemethod`` and a v1 ``Authorization``."""
    headers["x-log-signaturemethod"] = signature_method
    headers["Date"] = formatdate(usegmt=True)
    md5 = hashlib.md5(body).hexdigest().upper() if body else ""
    if md5:
        headers["Content-MD5"] = md5
    lowered = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(
        f"{k}:{v}\n" for k, v in sorted(lowered.items()) if k.startswith(("x-log-", "x-acs-")) and k != "x-log-date"
    )
    pairs = sorted(query, key=lambda kv: kv[0])
    resource = path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
    text = "\n".join((method, md5, lowered.get("content-type", ""), headers["Date"])) + "\n"
    text += canonical_headers + resource
    digest = {"hmac-sha1": hashlib.sha1, "hmac-sha256": hashlib.sha256}[signature_method]
    mac = hmac.new(secret.encode(), text.encode(), digest).digest()
    headers["Authorization"] = f"LOG {access_key_id}:{base64.b64encode(mac).decode()}"


def call(
    app: EmulatorApp,
    method: str,
    path: str,
    *,
    host: str = "127.0.0.1",
    query: Sequence[tuple[str, str]] = (),
    headers: Optional[dict[str, str]] = None,
    body: bytes = b"",
    sign: bool = True,
    signature_method: str = "hmac-sha1",
    secret: str = AK_SECRET,
    after_signing: Optional[Callable[[dict[str, str]], None]] = None,
) -> Answer:
    """One request through the WSGI interface, as waitress would hand it over.

    ``after_signing`` may change the headers once they are signed (to test a tampered request).
    """
    sent = {"x-log-apiversion": "0.6.0", "x-log-bodyrawsize": str(len(body)), **(headers or {})}
    if sign:
        sign_v1(method, path, query, sent, body, signature_method=signature_method, secret=secret)
    if after_signing is not None:
        after_signing(sent)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": urllib.parse.urlencode(list(query)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.1.2.3",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": host,
    }
    for name, value in sent.items():
        key = name.upper().replace("-", "_")
        environ["CONTENT_TYPE" if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = {k.lower(): v for k, v in response_headers}
        return lambda data: None

    answer = b"".join(app(environ, start_response))
    return Answer(captured["status"], captured["headers"], answer)


@contextlib.contextmanager
def running_cli(*args: str) -> Iterator[str]:
    """``python -m aliyun.log.emulator --port 0 ARGS`` until the block ends; yields its start banner."""
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "aliyun.log.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
        cwd=root,
    )
    lines = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "data directory" in line:
                break
        yield "".join(lines)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def cli_port(banner: str) -> int:
    """The port a banner of :func:`running_cli` says the emulator listens on."""
    first = banner.splitlines()[0]
    return int(first.rsplit(":", 1)[1])
