"""Real third-party SLS clients, installed unmodified from their registries, against the emulator.

Fixtures (session-scoped, each builds or reuses one cached environment, see ``_environments``):

``node_modules``
    ``node_modules`` holding ``@alicloud/log`` 1.2.6 and ``@alicloud/sls20201230`` 5.9.0.
``generated_python``
    Interpreter with the generated Python SDK ``alibabacloud_sls20201230`` 5.15.1.
``producer_python``
    Interpreter with the Rust producer bindings ``aliyun-log-producer`` 0.1.2.
``cli_python``
    Interpreter with ``aliyun-log-cli`` 0.2.10 installed ``--no-deps`` over this package.

When an environment cannot be built (no network, no node) its tests are skipped with the reason;
under ``CI`` they fail instead. ``server`` is a fresh emulator on a real socket per test, which
also answers to the host name ``sls.local`` (for clients that reach it through a proxy setting).
Every test here is marked ``clients`` (``pytest -m clients`` / ``-m "not clients"``).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import _environments as environments
import pytest

from aliyun.log.emulator import EmulatorServer

HERE = Path(__file__).resolve().parent
#: the emulator's host name for clients that build ``<project>.<endpoint>`` and use a proxy
SERVER_NAME = "sls.local"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under this directory ``clients``."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.clients)


def _environment(what: str, build: Callable[[], Path]) -> Path:
    try:
        return build()
    except environments.Unavailable as exc:
        environments.unavailable(what, str(exc))
        raise  # not reached: unavailable() skips or fails


@pytest.fixture(scope="session")
def node_modules() -> Path:
    return _environment("the Node SDKs (npm)", environments.node_modules)


@pytest.fixture(scope="session")
def generated_python() -> Path:
    return _environment("the generated Python SDK (PyPI)", environments.generated_python)


@pytest.fixture(scope="session")
def producer_python() -> Path:
    return _environment("the Rust producer bindings (PyPI)", environments.producer_python)


@pytest.fixture(scope="session")
def cli_python() -> Path:
    return _environment("aliyun-log-cli (PyPI)", environments.cli_python)


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    """A fresh emulator on a free port, known also as ``sls.local``."""
    with EmulatorServer(port=0, hosts=(SERVER_NAME,)) as emulator:
        yield emulator


def run_json(command: list[str], env: dict[str, str], *, timeout: float = 120) -> Any:
    """Run a client script; it must exit 0 and print one JSON value on its last stdout line."""
    with tempfile.TemporaryDirectory(prefix="sls-client-") as workdir:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=workdir)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"{command[0]} timed out after {timeout}s:\n{exc.stderr!r}") from None
    assert done.returncode == 0, (
        f"exit {done.returncode}\nstderr:\n{done.stderr[-6000:]}\nstdout:\n{done.stdout[-2000:]}"
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines, f"the script printed nothing:\n{done.stderr[-2000:]}"
    return json.loads(lines[-1])


def client_env(server: EmulatorServer, **extra: str) -> dict[str, str]:
    """Environment for a client script: the emulator's port and keys, no proxy unless given."""
    return environments.clean_env(
        SLS_PORT=str(server.port),
        SLS_ACCESS_KEY_ID=server.access_key_id,
        SLS_ACCESS_KEY_SECRET=server.access_key_secret,
        **extra,
    )
