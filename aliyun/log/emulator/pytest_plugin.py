"""pytest fixtures that give every test an SLS emulator, a client and a fresh logstore.

Installed with the package (entry point ``pytest11``); the fixtures exist only when the
``emulator`` extra is installed. A test file needs no setup code::

    def test_write(sls_client, sls_logstore):
        sls_client.put_logs(PutLogsRequest(sls_logstore.project, sls_logstore.name, logitems=[item]))

- ``sls_emulator`` (session): one running :class:`~aliyun.log.emulator.EmulatorServer` per test
  process, so one per pytest-xdist worker;
- ``sls_client`` (session): a ``LogClient`` bound to it;
- ``sls_project`` / ``sls_logstore``: a project and a logstore created for the test and removed
  after it; the logstore's shards, index and TTL come from ``@pytest.mark.sls_logstore(...)`` or
  from indirect parametrisation;
- ``sls_clock``: the emulator's controllable clock, back to real time after the test;
- ``sls_faults``: the emulator's fault injector, emptied after the test.

``--sls-in-process`` serves the emulator without a socket. See docs/testing.md.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

try:  # the emulator extra (waitress, duckdb, sqlglot) may be absent: then no fixtures
    from .server import EmulatorServer
except ImportError:  # pragma: no cover - exercised only without the extra
    EmulatorServer = None  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    from ..logclient import LogClient
    from .clock import ControlledClock
    from .controls.faults import FaultInjector

__all__ = ["LogstoreRef", "LogstoreSpec"]

_MARKER = "sls_logstore"
_counter = itertools.count(1)


@dataclass(frozen=True)
class LogstoreSpec:
    """How ``sls_logstore`` creates its logstore.

    :param shards: shard count.
    :param index: ``True`` for a full-text index, an :class:`~aliyun.log.IndexConfig` for that
        index, ``False`` for none.
    :param ttl: retention in days.
    """

    shards: int = 2
    index: Any = False
    ttl: int = 30


@dataclass(frozen=True)
class LogstoreRef:
    """The logstore a test got: where it is and how it was made."""

    project: str
    name: str
    shards: int

    def __str__(self) -> str:
        return self.name


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sls-emulator", "SLS emulator fixtures (aliyun.log.emulator)")
    group.addoption(
        "--sls-in-process",
        action="store_true",
        default=None,
        help="serve the sls_emulator fixture in-process, without a socket",
    )
    parser.addini(
        "sls_in_process", "serve the sls_emulator fixture in-process (true/false)", type="bool", default=False
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(shards=2, index=False, ttl=30): how the sls_logstore fixture creates the test's logstore",
    )


def _spec(request: pytest.FixtureRequest) -> LogstoreSpec:
    """The marker's settings, overridden by indirect parametrisation (a dict or a shard count)."""
    marker = request.node.get_closest_marker(_MARKER)
    fields: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        fields.setdefault("shards", marker.args[0])
    param = getattr(request, "param", None)
    if isinstance(param, int) and not isinstance(param, bool):
        fields["shards"] = param
    elif isinstance(param, dict):
        fields.update(param)
    elif isinstance(param, LogstoreSpec):
        return param
    try:
        return LogstoreSpec(**fields)
    except TypeError as exc:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER}: {exc}") from None


def _unique(prefix: str) -> str:
    # The worker id keeps names apart when several processes share one emulator by endpoint.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}-{worker}-{next(_counter)}-{uuid.uuid4().hex[:8]}".lower()


if EmulatorServer is not None:

    @pytest.fixture(scope="session")
    def sls_emulator(pytestconfig: pytest.Config) -> Iterator[EmulatorServer]:
        """One running emulator for the test session (per pytest-xdist worker)."""
        option = pytestconfig.getoption("sls_in_process")
        in_process = bool(pytestconfig.getini("sls_in_process")) if option is None else bool(option)
        server = EmulatorServer(port=0, listen=not in_process, fsync="never")
        with server:
            yield server

    @pytest.fixture(scope="session")
    def sls_client(sls_emulator: EmulatorServer) -> Iterator[LogClient]:
        """A ``LogClient`` bound to ``sls_emulator``."""
        client = sls_emulator.client()
        yield client
        client.close()

    @pytest.fixture
    def sls_project(sls_emulator: EmulatorServer, sls_client: LogClient) -> Iterator[str]:
        """The name of a project created for this test and deleted with all it holds after it."""
        name = _unique("test")
        sls_client.create_project(name, "created by the sls_project fixture")
        yield name
        if name in sls_emulator.service.state.projects:
            sls_emulator.controls.reset(name)

    @pytest.fixture
    def sls_logstore(request: pytest.FixtureRequest, sls_client: LogClient, sls_project: str) -> LogstoreRef:
        """A logstore created for this test in ``sls_project`` (removed with it).

        Shards, index and TTL: ``@pytest.mark.sls_logstore(shards=4, index=True, ttl=7)``, or
        ``@pytest.mark.parametrize("sls_logstore", [1, {"shards": 3}], indirect=True)``.
        """
        spec = _spec(request)
        name = "logstore"
        sls_client.create_logstore(sls_project, name, ttl=spec.ttl, shard_count=spec.shards)
        if spec.index is not False and spec.index is not None:
            sls_client.create_index(sls_project, name, _index(spec.index))
        return LogstoreRef(sls_project, name, spec.shards)

    @pytest.fixture
    def sls_clock(sls_emulator: EmulatorServer) -> Iterator[ControlledClock]:
        """The emulator's clock (``freeze``, ``set``, ``advance``); follows real time again after the test."""
        yield sls_emulator.clock
        sls_emulator.clock.reset()

    @pytest.fixture
    def sls_faults(sls_emulator: EmulatorServer) -> Iterator[FaultInjector]:
        """The emulator's fault injector (``inject``); faults left over are dropped after the test."""
        yield sls_emulator.controls.faults
        sls_emulator.controls.faults.clear()


def _index(index: Any) -> Any:
    """``True`` → a full-text index with the usual delimiters; anything else is passed on."""
    if index is True:
        from ..index_config import IndexConfig, IndexLineConfig

        return IndexConfig(line_config=IndexLineConfig(token_list=list(" ,;:\t\n\"'()[]{}<>?/#&=")))
    return index


def emulator_available() -> bool:
    """Whether the fixtures are defined (the ``emulator`` extra is installed)."""
    return EmulatorServer is not None
