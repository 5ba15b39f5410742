"""The logging handlers against the emulator: delivery, flush, logging.config, full buffer, fork, exit."""

from __future__ import annotations

import logging
import logging.config
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _applogging_support import StallTransport, counts, fresh_logstore, stored

from aliyun.log import LogClient, QueuedLogHandler, SimpleLogHandler
from aliyun.log._transport.http import Urllib3Transport
from aliyun.log.emulator import EmulatorServer

PROJECT = "handler-tests"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as srv:
        srv.client().create_project(PROJECT, "handler tests")
        yield srv


@pytest.fixture
def logstore(server: EmulatorServer) -> str:
    return fresh_logstore(server.client(in_process=True), PROJECT)


@pytest.fixture
def logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    log = logging.getLogger(f"handler-test.{request.node.name}")
    log.setLevel(logging.INFO)
    log.propagate = False
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def read(server: EmulatorServer, logstore: str) -> list[dict[str, str]]:
    return stored(server.client(in_process=True), PROJECT, logstore)


def queued(server: EmulatorServer, logstore: str, *args: Any, **kwargs: Any) -> QueuedLogHandler:
    return QueuedLogHandler(
        server.endpoint, server.access_key_id, server.access_key_secret, PROJECT, logstore, *args, **kwargs
    )


def test_queued_handler_stores_every_record_once(server: EmulatorServer, logstore: str, logger: logging.Logger) -> None:
    handler = queued(server, logstore, "web", None, None, 0.05)
    logger.addHandler(handler)
    for i in range(2000):
        logger.info("request %d done", i, extra={"rid": str(i)})
    handler.flush()
    logs = read(server, logstore)
    rids = counts(logs, "rid")
    assert len(rids) == 2000 and set(rids.values()) == {1}
    assert {log["__topic__"] for log in logs} == {"web"}
    first = next(log for log in logs if log["rid"] == "7")
    assert first["message"] == "request 7 done" and first["levelname"] == "INFO"
    assert handler.producer is not None and handler.producer.stats.sent == 2000


def test_flush_leaves_the_handler_working(server: EmulatorServer, logstore: str, logger: logging.Logger) -> None:
    handler = queued(server, logstore, None, None, None, 30)  # long put_wait: only flush sends
    logger.addHandler(handler)
    logger.info("before", extra={"n": "1"})
    handler.flush()
    assert counts(read(server, logstore), "n") == {"1": 1}
    logger.info("after", extra={"n": "2"})
    handler.flush()
    assert counts(read(server, logstore), "n") == {"1": 1, "2": 1}
    assert handler.producer is not None and not handler.producer.closed


def test_simple_handler_sends_synchronously(server: EmulatorServer, logstore: str, logger: logging.Logger) -> None:
    handler = SimpleLogHandler(server.endpoint, server.access_key_id, server.access_key_secret, PROJECT, logstore)
    logger.addHandler(handler)
    logger.warning("now", extra={"n": "1"})
    assert counts(read(server, logstore), "n") == {"1": 1}


def test_dict_config(server: EmulatorServer, logstore: str) -> None:
    name = "dictconfig-app"
    config = {
        "version": 1,
        "handlers": {
            "sls": {
                "()": "aliyun.log.QueuedLogHandler",
                "level": "INFO",
                "end_point": server.endpoint,
                "access_key_id": server.access_key_id,
                "access_key": server.access_key_secret,
                "project": PROJECT,
                "log_store": logstore,
                "topic": "dict",
                "extract_json": True,
                "put_wait": 0.1,
            },
            "by_class": {
                "class": "aliyun.log.logger_hanlder.QueuedLogHandler",
                "end_point": server.endpoint,
                "access_key_id": server.access_key_id,
                "access_key": server.access_key_secret,
                "project": PROJECT,
                "log_store": logstore,
                "topic": "class",
            },
        },
        "loggers": {name: {"handlers": ["sls", "by_class"], "level": "INFO", "propagate": False}},
        # the default (True) would disable every logger created so far, other tests' included
        "disable_existing_loggers": False,
    }
    logging.config.dictConfig(config)
    try:
        logging.getLogger(name).info({"event": "login", "user": "ann"})
        # reconfiguring (as uvicorn and dictConfig users do) flushes and closes the old handlers
        logging.config.dictConfig(
            {"version": 1, "disable_existing_loggers": False, "loggers": {name: {"handlers": [], "propagate": False}}}
        )
        # dictConfig holds the logging lock while it closes them, so they finish sending in a
        # thread of their own once it returns (waiting under that lock could deadlock)
        expected = {("dict", "login", "ann"), ("class", None, None)}
        deadline = time.monotonic() + 30
        while True:
            seen = {(log["__topic__"], log.get("event"), log.get("user")) for log in read(server, logstore)}
            if seen == expected or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert seen == expected
    finally:
        logging.config.dictConfig({"version": 1, "incremental": False, "disable_existing_loggers": False})


def test_file_config_with_official_positional_args(
    server: EmulatorServer, logstore: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLS_TEST_ENDPOINT", server.endpoint)
    monkeypatch.setenv("SLS_TEST_KEY_ID", server.access_key_id)
    monkeypatch.setenv("SLS_TEST_KEY", server.access_key_secret)
    ini = tmp_path / "logging.ini"
    ini.write_text(
        textwrap.dedent(
            f"""
            [loggers]
            keys=root,fileapp

            [handlers]
            keys=sls

            [formatters]
            keys=plain

            [logger_root]
            level=WARNING
            handlers=

            [logger_fileapp]
            level=INFO
            handlers=sls
            qualname=fileapp
            propagate=0

            [handler_sls]
            class=aliyun.log.QueuedLogHandler
            level=INFO
            formatter=plain
            args=(os.environ.get('SLS_TEST_ENDPOINT'), os.environ.get('SLS_TEST_KEY_ID'),
                os.environ.get('SLS_TEST_KEY'), '{PROJECT}', '{logstore}', 'file-topic',
                ['level', 'func_name'], 1000, 0.1, 3, 100)

            [formatter_plain]
            format=%(levelname)s %(message)s
            """
        )
    )
    logging.config.fileConfig(str(ini), disable_existing_loggers=False)
    try:
        handler = logging.getLogger("fileapp").handlers[0]
        assert isinstance(handler, QueuedLogHandler)
        assert (handler.queue_size, handler.put_wait, handler.close_wait, handler.batch_size) == (1000, 0.1, 3, 100)
        logging.getLogger("fileapp").info("from ini")
        handler.flush()
        (log,) = read(server, logstore)
        assert (log["__topic__"], log["message"], log["levelname"], log["funcName"]) == (
            "file-topic",
            "INFO from ini",
            "INFO",
            "test_file_config_with_official_positional_args",
        )
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})


class StalledHandler(QueuedLogHandler):
    """Sends through a transport that holds every PutLogs call; counts handleError calls."""

    stall: StallTransport
    errors = 0

    def create_client(self) -> None:
        self.stall = StallTransport(Urllib3Transport())
        self.client = LogClient(self.end_point, self.access_key_id, self.access_key, transport=self.stall)

    def handleError(self, record: logging.LogRecord) -> None:
        self.errors += 1


def test_a_full_buffer_does_not_block_the_caller_forever(
    server: EmulatorServer, logstore: str, logger: logging.Logger
) -> None:
    handler = StalledHandler(
        server.endpoint, server.access_key_id, server.access_key_secret, PROJECT, logstore, None, None, 5, 0.1
    )
    logger.addHandler(handler)
    try:
        for i in range(12):
            logger.info("m", extra={"n": str(i)})  # returns: at most put_wait for each refused record
        assert handler.errors >= 5
        assert handler.producer is not None
        assert handler.producer.stats.pending_logs <= 5
        assert handler.producer.stats.dropped == handler.errors
    finally:
        handler.stall.release.set()
    handler.flush()
    assert len(counts(read(server, logstore), "n")) == 12 - handler.errors


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_logs_through_its_own_handler(
    server: EmulatorServer, logstore: str, logger: logging.Logger
) -> None:
    handler = queued(server, logstore, None, None, None, 30)
    logger.addHandler(handler)
    logger.info("parent before fork", extra={"who": "parent"})  # still buffered at the fork
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            for _ in range(10):
                logger.info("child", extra={"who": "child"})
            handler.flush()
            assert handler.producer is not None
            code = 0 if handler.producer.stats.sent == 10 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    handler.flush()
    assert counts(read(server, logstore), "who") == {"parent": 1, "child": 10}


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=60
    )


def test_buffered_records_are_sent_at_exit(server: EmulatorServer, logstore: str) -> None:
    result = _run(
        f"""
        import logging
        from aliyun.log import QueuedLogHandler
        handler = QueuedLogHandler({server.endpoint!r}, {server.access_key_id!r}, {server.access_key_secret!r},
                                   {PROJECT!r}, {logstore!r}, None, None, None, 600, 30)
        log = logging.getLogger("exit-app")
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        for i in range(100):
            log.info("bye", extra={{"n": str(i)}})
        """
    )
    assert result.returncode == 0, result.stderr
    assert len(counts(read(server, logstore), "n")) == 100


def test_a_process_with_unsent_records_exits_within_close_wait() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        result = _run(
            f"""
            import logging
            from aliyun.log import QueuedLogHandler
            handler = QueuedLogHandler("127.0.0.1:{port}", "id", "secret", "some-project", "ls",
                                       None, None, None, 0.01, 1)
            log = logging.getLogger("exit-app")
            log.addHandler(handler)
            for i in range(50):
                log.warning("never answered")
            print("logged")
            """
        )
    assert result.returncode == 0, result.stderr
    assert "logged" in result.stdout
    assert "unsent" in result.stderr or "in flight" in result.stderr


@pytest.mark.parametrize("kind", ["simple", "queued"])
def test_root_handler_with_an_in_process_emulator_does_not_feed_back(
    server: EmulatorServer, logstore: str, kind: str
) -> None:
    """The emulator's request log (INFO, from its own threads) must not be shipped back to it:
    with a synchronous handler that deadlocked on the handler's lock, with either it looped."""
    root = logging.getLogger()
    level = root.level
    if kind == "simple":
        handler: SimpleLogHandler = SimpleLogHandler(
            server.endpoint, server.access_key_id, server.access_key_secret, PROJECT, logstore
        )
    else:
        handler = queued(server, logstore, None, None, None, 0.05)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        for i in range(5):
            logging.getLogger("app").info("step %d", i, extra={"n": str(i)})
        handler.flush()
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
    logs = read(server, logstore)
    assert counts(logs, "n") == {str(i): 1 for i in range(5)}
    assert all(log.get("name", "app") == "app" for log in logs)  # nothing of the emulator's
