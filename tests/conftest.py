"""Shared fixtures: an emulator per test session and clients that reach it in-process or over a socket."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from aliyun.log import LogClient
from aliyun.log.emulator import EmulatorServer

_names = itertools.count()


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    """One emulator on a free port with a temporary data directory."""
    with EmulatorServer(port=0) as server:
        yield server


@pytest.fixture(params=["in-process", "socket"])
def client(request: pytest.FixtureRequest, emulator: EmulatorServer) -> LogClient:
    """Our ``LogClient`` against the emulator, once in-process and once over HTTP."""
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
