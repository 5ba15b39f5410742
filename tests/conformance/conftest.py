"""Conformance harness: the unmodified official ``aliyun-log-python-sdk`` driven against our emulator.

The official client (PyPI, pinned to :data:`OFFICIAL_VERSION`) runs in its own virtual environment,
in a subprocess, so it can never be confused with our ``aliyun.log`` package. It reaches the
emulator through an HTTP proxy setting: with ``HTTP_PROXY=http://127.0.0.1:PORT`` and endpoint
``127.0.0.1:PORT`` the client sends absolute-form requests (``POST http://proj.127.0.0.1:PORT/logstores``)
to the emulator itself, with ``Host: proj.127.0.0.1`` — so project sub-domains need no DNS.

Fixtures (use them from any test module under ``tests/conformance``):

``official_python`` (session)
    Path of the official SDK's interpreter. The virtual environment is built once per machine under
    ``$XDG_CACHE_HOME/aliyun-log-sdk-tests/official-<version>`` (default ``~/.cache/...``), with
    ``aliyun-log-python-sdk==<version>`` and ``zstd`` from PyPI, and rebuilt when it stops working.
    ``ALIYUN_LOG_OFFICIAL_PYTHON=/path/to/python`` (or ``SLS_OFFICIAL_PYTHON``) uses an existing
    interpreter instead. When the environment cannot be built (no network) the tests are skipped —
    except under ``CI`` (or with ``ALIYUN_LOG_CONFORMANCE_REQUIRED=1``), where that is a failure.

``emulator`` (function)
    A started ``EmulatorServer(port=0)`` on a real socket in the test process (fresh, empty state);
    stopped after the test. Any other started ``EmulatorServer`` can be passed to ``run_official``.

``run_official`` (function)
    ``run_official(script, server, *, auth_version='v1', region='cn-hangzhou', params=None,
    access_key_secret=None, timeout=120) -> Any``: runs ``script`` (dedented) with the official
    interpreter and returns the JSON value of the last line it printed. Batch many calls into one
    script: each run costs a process start. The script starts after a prelude that defines:

    * ``ENDPOINT``, ``ACCESS_KEY_ID``, ``ACCESS_KEY_SECRET``, ``AUTH_VERSION``, ``REGION``;
    * ``PARAMS``: the ``params`` argument (any JSON value; ``None`` by default) — pass data this way
      rather than formatting it into the script;
    * ``client``: a ready official ``LogClient``; ``make_client(secret=None, **kwargs)`` for others;
    * everything from ``aliyun.log`` (``from aliyun.log import *``), plus ``json``, ``os``, ``sys``,
      ``time``;
    * ``emit(value)``: print ``value`` as the JSON result (call it once, at the end);
    * ``error_of(fn, *args, **kwargs)``: call ``fn``; ``None`` if it returned, else the
      ``LogException`` as ``{"code", "message", "status", "request_id"}`` (other exceptions
      propagate, so the test fails with the traceback).

    A non-zero exit fails the test with the script's stderr.

Every test here is marked ``conformance`` (``pytest -m conformance`` / ``-m "not conformance"``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from aliyun.log.emulator import EmulatorServer

OFFICIAL_VERSION = "0.9.52"
#: pip requirements of the official environment (``zstd`` is what the official SDK imports for zstd)
OFFICIAL_REQUIREMENTS = (f"aliyun-log-python-sdk=={OFFICIAL_VERSION}", "zstd")
_HERE = Path(__file__).resolve().parent

RunOfficial = Callable[..., Any]

# Prepended to every script. Kept free of anything our own package could shadow: the subprocess
# runs isolated (-I), from a temporary directory, without PYTHONPATH.
_PRELUDE = f"""
import json, os, sys, time
import aliyun.log
import aliyun.log.version
from aliyun.log import *
from aliyun.log import LogClient, LogException

assert aliyun.log.version.__version__ == {OFFICIAL_VERSION!r}, aliyun.log.version.__version__
assert "site-packages" in aliyun.log.__file__, aliyun.log.__file__

ENDPOINT = os.environ["SLS_ENDPOINT"]
ACCESS_KEY_ID = os.environ["SLS_ACCESS_KEY_ID"]
ACCESS_KEY_SECRET = os.environ["SLS_ACCESS_KEY_SECRET"]
AUTH_VERSION = os.environ["SLS_AUTH_VERSION"]
REGION = os.environ["SLS_REGION"]
PARAMS = json.loads(os.environ["SLS_PARAMS"])


def make_client(secret=None, **kwargs):
    kwargs.setdefault("auth_version", AUTH_VERSION)
    kwargs.setdefault("region", REGION)
    return LogClient(ENDPOINT, ACCESS_KEY_ID, ACCESS_KEY_SECRET if secret is None else secret, **kwargs)


client = make_client()


def emit(value):
    sys.stdout.write("\\n" + json.dumps(value, default=repr, sort_keys=True) + "\\n")
    sys.stdout.flush()


def error_of(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except LogException as exc:
        return {{
            "code": exc.get_error_code(),
            "message": exc.get_error_message(),
            "status": exc.get_resp_status(),
            "request_id": exc.get_request_id(),
        }}
    return None

"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under this directory ``conformance`` (modules also say so explicitly)."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.conformance)


# ------------------------------------------------------------------------------ the official venv


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aliyun-log-sdk-tests"


def _venv_python(venv_dir: Path) -> Path:
    return venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _healthy(python: Path) -> bool:
    """The interpreter runs and imports the right official version, with zstd support."""
    if not python.exists():
        return False
    probe = "import aliyun.log.version as v, zstd, lz4.block; print(v.__version__)"
    try:
        proc = subprocess.run(
            [str(python), "-I", "-c", probe],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tempfile.gettempdir(),
            env=_clean_env(),
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0 and proc.stdout.strip() == OFFICIAL_VERSION


def _build(venv_dir: Path) -> None:
    """Create the environment next to its final place, then move it in (never half-built)."""
    staging = venv_dir.with_name(venv_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(staging)
    python = _venv_python(staging)
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *OFFICIAL_REQUIREMENTS],
        capture_output=True,
        text=True,
        timeout=900,
        env=_clean_env(keep_proxies=True),
    )
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise RuntimeError(f"pip install {' '.join(OFFICIAL_REQUIREMENTS)} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(venv_dir, ignore_errors=True)
    staging.rename(venv_dir)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("ALIYUN_LOG_CONFORMANCE_REQUIRED"):
        pytest.fail(f"official SDK environment is required here but unavailable: {reason}", pytrace=False)
    pytest.skip(f"official aliyun-log-python-sdk=={OFFICIAL_VERSION} environment unavailable: {reason}")


@pytest.fixture(scope="session")
def official_python() -> Path:
    """Interpreter of a virtual environment holding the official SDK (built once per machine)."""
    override = os.environ.get("ALIYUN_LOG_OFFICIAL_PYTHON") or os.environ.get("SLS_OFFICIAL_PYTHON")
    if override:
        if _healthy(Path(override)):
            return Path(override)
        _unavailable(f"{override} does not run aliyun-log-python-sdk {OFFICIAL_VERSION} with zstd")
    venv_dir = _cache_root() / f"official-{OFFICIAL_VERSION}"
    python = _venv_python(venv_dir)
    try:
        venv_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _unavailable(f"cannot create the cache directory: {exc}")
    # One builder at a time (parallel pytest workers, several checkouts on one machine).
    with open(venv_dir.parent / f"official-{OFFICIAL_VERSION}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _healthy(python):
            try:
                _build(venv_dir)
            except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
                _unavailable(str(exc))
            if not _healthy(python):
                _unavailable(f"the freshly built environment in {venv_dir} does not import the SDK")
    return python


# ------------------------------------------------------------------------------ emulator and runner


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """An emulator on a real socket (any free port, temporary data), fresh for each test."""
    server = EmulatorServer(port=0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def _clean_env(*, keep_proxies: bool = False) -> dict[str, str]:
    """This process's environment without anything that would make the child import other code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    if not keep_proxies:
        for name in _PROXY_VARIABLES:
            env.pop(name, None)
            env.pop(name.upper(), None)
    return env


def _run(
    python: Path,
    script: str,
    server: EmulatorServer,
    *,
    auth_version: str = "v1",
    region: str = "cn-hangzhou",
    params: Any = None,
    access_key_secret: Optional[str] = None,
    timeout: float = 120,
) -> Any:
    env = _clean_env()
    # The emulator acts as the proxy: the official client addresses ``<project>.127.0.0.1:PORT``,
    # which need not resolve, because requests hands the absolute URL to the proxy.
    host = "127.0.0.1" if server.host in ("", "0.0.0.0", "::") else server.host
    proxy = f"http://{host}:{server.port}"
    env.update(
        HTTP_PROXY=proxy,
        http_proxy=proxy,
        SLS_ENDPOINT=f"{host}:{server.port}",
        SLS_ACCESS_KEY_ID=server.access_key_id,
        SLS_ACCESS_KEY_SECRET=server.access_key_secret if access_key_secret is None else access_key_secret,
        SLS_AUTH_VERSION=auth_version,
        SLS_REGION=region,
        SLS_PARAMS=json.dumps(params),
    )
    with tempfile.TemporaryDirectory(prefix="sls-official-") as workdir:
        path = Path(workdir) / "official_script.py"
        path.write_text(_PRELUDE + textwrap.dedent(script), encoding="utf-8")
        try:
            proc = subprocess.run(
                [str(python), "-I", str(path)],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=workdir,
                env=env,
            )
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"official SDK script timed out after {timeout}s:\n{exc.stderr!r}") from None
    if proc.returncode != 0:
        raise AssertionError(
            f"official SDK script failed (exit {proc.returncode}):\n{proc.stderr[-6000:]}\n"
            f"stdout:\n{proc.stdout[-2000:]}"
        )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if not lines:
        raise AssertionError(f"official SDK script printed nothing (call emit()):\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1])


@pytest.fixture
def run_official(official_python: Path) -> RunOfficial:
    """``run_official(script, server, *, auth_version='v1', ...)``: see the module docstring."""

    def run(script: str, server: EmulatorServer, **kwargs: Any) -> Any:
        return _run(official_python, script, server, **kwargs)

    return run
