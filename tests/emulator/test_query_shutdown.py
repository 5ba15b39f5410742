"""Stopping the emulator never waits on a running query, and the limits reach the server."""

from __future__ import annotations

import threading

import pytest

from aliyun.log import LogException, LogItem, PutLogsRequest, RetryPolicy
from aliyun.log.emulator import EmulatorServer, QueryLimits
from aliyun.log.emulator.__main__ import parse_args

INDEX = {
    "line": {"token": list(",; "), "caseSensitive": False},
    "keys": {"content": {"type": "text", "token": list(",; "), "doc_value": True}},
}
EXPENSIVE = "* | select count(*) as c from log a, log b, log c, log d, log e"


def _fill(server: EmulatorServer) -> None:
    client = server.client()
    client.create_project("query-stop", "")
    client.create_logstore("query-stop", "ls", shard_count=1)
    client.create_index("query-stop", "ls", INDEX)
    items = [LogItem(timestamp=1_700_000_000, contents=[("content", f"line {i}")]) for i in range(200)]
    client.put_logs(PutLogsRequest("query-stop", "ls", logitems=items))


def test_stop_interrupts_a_running_query() -> None:
    server = EmulatorServer(port=0, query_limits=QueryLimits(timeout=600)).start()
    _fill(server)
    client = server.client(retry=RetryPolicy(max_attempts=1))
    outcome: list[BaseException] = []
    started = threading.Event()

    def query() -> None:
        started.set()
        try:
            client.get_log("query-stop", "ls", 1_699_999_000, 1_700_001_000, query=EXPENSIVE)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=query, daemon=True)
    worker.start()
    started.wait()
    assert client.get_log("query-stop", "ls", 1_699_999_000, 1_700_001_000, query="line").get_count() > 0
    assert worker.is_alive()
    server.stop()  # would wait up to the 600 s limit if it waited on the statement
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert outcome and isinstance(outcome[0], LogException)


def test_query_limits_from_the_command_line() -> None:
    args = parse_args(["--query-timeout", "5", "--query-memory", "256MB"])
    assert (args.query_timeout, args.query_memory) == (5.0, "256MB")
    defaults = parse_args([])
    assert (defaults.query_timeout, defaults.query_memory) == (QueryLimits().timeout, QueryLimits().memory_limit)


def test_timeout_answers_parameter_invalid_over_http() -> None:
    with EmulatorServer(port=0, query_limits=QueryLimits(timeout=0.2)) as server:
        _fill(server)
        with pytest.raises(LogException) as err:
            server.client().get_log("query-stop", "ls", 1_699_999_000, 1_700_001_000, query=EXPENSIVE)
        assert err.value.get_error_code() == "ParameterInvalid"
        assert err.value.get_resp_status() == 400
        assert "--query-timeout" in err.value.get_error_message()
