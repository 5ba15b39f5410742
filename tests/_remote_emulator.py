"""The emulator in a CPython process, for test runs on an interpreter it cannot run on.

The emulator needs DuckDB, which has no build for PyPy. To test the SDK on PyPy all the same, the
suite's ``EmulatorServer`` becomes :class:`RemoteEmulatorServer` when the environment variable
``ALIYUN_LOG_TEST_EMULATOR_PYTHON`` names a CPython interpreter with the emulator's dependencies
(``tests/conftest.py`` makes the swap; ``tox -e pypy3`` sets the variable and builds that
interpreter's environment with ``tools/emulator_python.py``). The SDK under test then runs in this
interpreter, and each emulator a test starts is ``python -m aliyun.log.emulator`` from this
checkout under that CPython, spoken to over a socket only.

What a test gets is what the tests use of :class:`~aliyun.log.emulator.EmulatorServer`: the same
constructor, ``start``/``stop`` and ``with``, ``endpoint``, ``url``, ``host``, ``port``,
``data_dir``, the access key, ``ca_file`` and ``client()``. ``client(in_process=True)`` answers a
socket client (the in-process transport needs the emulator's WSGI application here). A
``ManualClock`` given as ``clock`` keeps driving the emulator's time: each of its moves freezes the
emulator's clock at the new instant through the admin HTTP API. What exists only inside an
emulator's process (``app``, ``service``, ``controls``, ``clock``) and server options the command
line does not offer skip the test that asks for them, with the reason.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, Optional, Union

import pytest

from aliyun.log import LogClient
from aliyun.log.emulator.clock import Clock, ManualClock
from aliyun.log.emulator.controls.admin_client import AdminClient

#: names the CPython interpreter that runs the emulators (see the module docstring)
PYTHON_VARIABLE = "ALIYUN_LOG_TEST_EMULATOR_PYTHON"
CHECKOUT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120.0
IN_PROCESS_ONLY = (
    "needs the emulator in this process (it runs under CPython here, DuckDB has no build for this interpreter)"
)

#: why tests that import the emulator's modules skip where DuckDB cannot be installed (PyPy)
NO_DUCKDB = "the emulator's modules need DuckDB, which has no build for this interpreter"

DEFAULT_ACCESS_KEY_ID = "emulator-access-key-id"
DEFAULT_ACCESS_KEY_SECRET = "emulator-access-key-secret"


def emulator_python() -> Optional[str]:
    """The interpreter named by ``ALIYUN_LOG_TEST_EMULATOR_PYTHON``, or ``None``."""
    return os.environ.get(PYTHON_VARIABLE) or None


class RemoteEmulatorServer:
    """``EmulatorServer``'s interface, served by an emulator process under another interpreter."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 18900,
        data_dir: Optional[Union[str, Path]] = None,
        *,
        access_key_id: str = DEFAULT_ACCESS_KEY_ID,
        access_key_secret: str = DEFAULT_ACCESS_KEY_SECRET,
        check_signature: bool = True,
        fsync: str = "always",
        clock: Optional[Clock] = None,
        threads: int = 8,
        listen: bool = True,
        hosts: tuple[str, ...] = (),
        connection_limit: Optional[int] = None,
        idle_timeout: int = 60,
        console: bool = True,
        admin: bool = True,
        tls: bool = False,
        **in_process_options: Any,
    ) -> None:
        if in_process_options:
            pytest.skip(f"server options {sorted(in_process_options)} exist only in process: {IN_PROCESS_ONLY}")
        if clock is not None and not isinstance(clock, ManualClock):
            pytest.skip(f"a {type(clock).__name__} as the emulator's clock: {IN_PROCESS_ONLY}")
        if clock is not None and not admin:
            pytest.skip("a ManualClock is relayed through the admin API, which admin=False turns off")
        python = emulator_python()
        if python is None:
            raise RuntimeError(f"{PYTHON_VARIABLE} names no interpreter to run the emulator")
        self._python = python
        self.host = host
        self.port = port
        self.tls = tls
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self._temporary = data_dir is None
        self.data_dir = Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="sls-emulator-"))
        self.ca_file: Optional[Path] = None
        self._manual = clock
        self._listen = True  # whatever ``listen`` says: a process of its own is reached over its socket
        self._arguments = [
            f"--host={host}",
            f"--port={port}",
            f"--data-dir={self.data_dir}",
            f"--access-key-id={access_key_id}",
            f"--access-key-secret={access_key_secret}",
            f"--fsync={fsync}",
            f"--threads={threads}",
            f"--idle-timeout={idle_timeout}",
            *(f"--server-name={name}" for name in hosts),
            *([f"--connection-limit={connection_limit}"] if connection_limit is not None else []),
            *(["--no-check-signature"] if not check_signature else []),
            *(["--no-console"] if not console else []),
            *(["--no-admin"] if not admin else []),
            *(["--tls"] if tls else []),
        ]
        self._process: Optional[subprocess.Popen[str]] = None
        self._log: Optional[Path] = None
        self._admin: Optional[AdminClient] = None
        self._stopped = False

    # -- what the tests read --------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return f"https://{self.host}:{self.port}" if self.tls else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def client(self, *, in_process: bool = False, **kwargs: Any) -> LogClient:
        """A ``LogClient`` for the emulator; always over the socket (see the module docstring)."""
        if self.ca_file is not None:
            kwargs.setdefault("ca_file", str(self.ca_file))
        return LogClient(self.endpoint, self.access_key_id, self.access_key_secret, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names this class does not define: the emulator's in-process objects.
        if name in ("app", "service", "controls", "clock", "console_url"):
            pytest.skip(f"EmulatorServer.{name} {IN_PROCESS_ONLY}")
        raise AttributeError(name)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> RemoteEmulatorServer:
        if self._process is not None:
            return self
        log = tempfile.NamedTemporaryFile(prefix="sls-emulator-", suffix=".log", delete=False)
        self._log = Path(log.name)
        environment = dict(os.environ, PYTHONPATH=str(CHECKOUT), PYTHONDONTWRITEBYTECODE="1")
        self._process = subprocess.Popen(
            [self._python, "-m", "aliyun.log.emulator", *self._arguments],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
            cwd=str(CHECKOUT),
        )
        log.close()
        try:
            self._read_banner()
            if self._manual is not None:
                self._relay_manual_clock(self._manual)
        except BaseException:
            self.stop()
            raise
        return self

    def _read_banner(self) -> None:
        """Wait for the banner the emulator prints once it listens; take the port and CA file from it."""
        assert self._process is not None and self._process.stdout is not None
        lines: list[str] = []
        done = threading.Event()

        def read() -> None:
            assert self._process is not None and self._process.stdout is not None
            for line in self._process.stdout:
                lines.append(line)
                if line.strip().startswith("data directory:"):
                    break
            done.set()
            # Keep draining, so that the emulator never blocks on a full pipe.
            for _ in self._process.stdout:
                pass

        threading.Thread(target=read, name="sls-emulator-banner", daemon=True).start()
        if not done.wait(START_TIMEOUT) or not any(line.strip().startswith("endpoint:") for line in lines):
            raise RuntimeError(f"the emulator under {self._python} did not start:\n{''.join(lines)}{self._log_tail()}")
        for line in lines:
            key, _, value = line.strip().partition(":")
            if key == "endpoint":
                self.port = int(value.strip().rsplit(":", 1)[1])
            elif key == "CA certificate":
                self.ca_file = Path(value.strip())
        verify: Union[bool, str] = str(self.ca_file) if self.ca_file is not None else True
        self._admin = AdminClient(self.endpoint, self.access_key_id, self.access_key_secret, verify=verify)

    def _relay_manual_clock(self, manual: ManualClock) -> None:
        """Freeze the emulator at ``manual``'s time now and after each of its moves."""
        admin = self._admin
        assert admin is not None
        advance, jump = manual.advance, manual.set

        def moved_by(seconds: float) -> None:
            advance(seconds)
            admin.freeze_clock(manual.now())

        def moved_to(when: float) -> None:
            jump(when)
            admin.freeze_clock(manual.now())

        manual.advance = moved_by  # type: ignore[method-assign]
        manual.set = moved_to  # type: ignore[method-assign]
        admin.freeze_clock(manual.now())

    def _log_tail(self) -> str:
        if self._log is None or not self._log.exists():
            return ""
        return "\n--- emulator log ---\n" + self._log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._manual is not None:
            # The test's clock is its own again (a later server may relay it anew).
            for name in ("advance", "set"):
                self._manual.__dict__.pop(name, None)
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._admin is not None:
            self._admin.close()
        if self._log is not None:
            self._log.unlink(missing_ok=True)
        if self._temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> RemoteEmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


#: for tests of the emulator's insides, which only an emulator in this process has
in_process_only = pytest.mark.skipif(emulator_python() is not None, reason=IN_PROCESS_ONLY)


def emulator_available() -> bool:
    """Whether the suite can start emulators: here (DuckDB installed) or under another interpreter."""
    return emulator_python() is not None or importlib.util.find_spec("duckdb") is not None


#: for tests that run an emulator in this interpreter whatever the suite does (user code, examples)
needs_duckdb = pytest.mark.skipif(importlib.util.find_spec("duckdb") is None, reason=NO_DUCKDB)

#: for tests that need an emulator, wherever it runs
needs_emulator = pytest.mark.skipif(
    not emulator_available(), reason=f"no emulator: install the emulator extra or set {PYTHON_VARIABLE}"
)
