"""Shared fixtures: an emulator per test session and clients that reach it in-process or over a socket.

With ``ALIYUN_LOG_TEST_EMULATOR_PYTHON`` set (``tox -e pypy3``: the emulator needs DuckDB, which has no
PyPy build), every ``EmulatorServer`` the suite starts is an emulator process under that CPython
interpreter instead (``tests/_remote_emulator.py``): the SDK under test runs here, the emulator there.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from _remote_emulator import RemoteEmulatorServer, emulator_python

import aliyun.log.emulator
from aliyun.log import LogClient

#: whether emulators run in this process (else under the CPython of ALIYUN_LOG_TEST_EMULATOR_PYTHON)
EMULATOR_IN_PROCESS = emulator_python() is None
if not EMULATOR_IN_PROCESS:
    # Before any test module imports the name: they all get the out-of-process look-alike.
    aliyun.log.emulator.EmulatorServer = RemoteEmulatorServer  # type: ignore[attr-defined,misc]

from aliyun.log.emulator import EmulatorServer  # noqa: E402

_names = itertools.count()


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    """One emulator on a free port with a temporary data directory."""
    with EmulatorServer(port=0) as server:
        yield server


@pytest.fixture(params=["in-process", "socket"] if EMULATOR_IN_PROCESS else ["socket"])
def client(request: pytest.FixtureRequest, emulator: EmulatorServer) -> LogClient:
    """Our ``LogClient`` against the emulator, once in-process and once over HTTP (only the latter
    with an emulator in another process: the in-process transport needs the emulator here)."""
    return emulator.client(in_process=request.param == "in-process")


@pytest.fixture
def project(client: LogClient) -> Iterator[str]:
    """A fresh project, deleted afterwards."""
    name = f"test-project-{next(_names)}"
    client.create_project(name, "test project")
    yield name
    try:
        client.delete_project(name)
    except Exception:
        pass


@pytest.fixture
def logstore(client: LogClient, project: str) -> str:
    """A logstore with 2 shards in the fresh project."""
    client.create_logstore(project, "logs", ttl=7, shard_count=2)
    return "logs"
