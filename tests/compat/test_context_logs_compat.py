"""``get_context_logs`` and ``GetContextLogsResponse`` pinned to the 0.9.52 surface (docs/query.md
"Context of a log"), and the paging options of ``get_log_all_v2``."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

import aliyun.log
from aliyun.log import GetContextLogsResponse, LogClient, LogException, QueriedLog


def test_method_signature() -> None:
    params = inspect.signature(LogClient.get_context_logs).parameters
    positional = [n for n, p in params.items() if n != "self" and p.kind == p.POSITIONAL_OR_KEYWORD]
    assert positional == ["project", "logstore", "pack_id", "pack_meta", "back_lines", "forward_lines"]
    assert all(p.default is inspect.Parameter.empty for n, p in params.items() if n in positional)
    extra = [n for n, p in params.items() if n != "self" and n not in positional]
    assert extra and all(params[n].kind == inspect.Parameter.KEYWORD_ONLY for n in extra)


def test_get_log_all_v2_defaults() -> None:
    params = inspect.signature(LogClient.get_log_all_v2).parameters
    assert params["scan"].default is False and params["forward"].default is True


def test_response_module_and_export() -> None:
    module = importlib.import_module("aliyun.log.getcontextlogsresponse")
    assert module.GetContextLogsResponse is GetContextLogsResponse
    assert "GetContextLogsResponse" in aliyun.log.__all__


def test_response_getters() -> None:
    public = {name for name in dir(GetContextLogsResponse) if not name.startswith("_")}
    assert {
        "get_total_lines", "get_back_lines", "get_forward_lines", "get_logs", "is_completed", "log_print",
        "get_all_headers", "get_header", "get_request_id",
    } <= public  # fmt: skip
    answer = GetContextLogsResponse(
        {"progress": "Complete", "total_lines": 2, "back_lines": 1, "forward_lines": 0,
         "logs": [{"__time__": "100", "__source__": "s", "__index_number__": "-1", "k": "v"},
                  {"__time__": "101", "__index_number__": "0"}]},
        {"x-log-requestid": "R"},
    )  # fmt: skip
    assert (answer.get_total_lines(), answer.get_back_lines(), answer.get_forward_lines()) == (2, 1, 0)
    assert answer.is_completed() and answer.get_request_id() == "R"
    first, second = answer.get_logs()
    assert isinstance(first, QueriedLog)
    assert (first.get_time(), first.get_source(), first.get_contents()) == (
        100,
        "s",
        {"__index_number__": "-1", "k": "v"},
    )
    assert (second.get_time(), second.get_source()) == (101, "")
    incomplete = GetContextLogsResponse(
        {"progress": "Incomplete", "total_lines": 0, "back_lines": 0, "forward_lines": 0, "logs": []}, {}
    )
    assert not incomplete.is_completed() and incomplete.get_logs() == []


@pytest.mark.parametrize(
    "body",
    [
        {"total_lines": 0, "back_lines": 0, "forward_lines": 0, "logs": []},  # no progress
        {"progress": "Complete", "back_lines": 0, "forward_lines": 0, "logs": []},  # no total_lines
        {"progress": "Complete", "total_lines": 1, "back_lines": 0, "forward_lines": 0, "logs": [{"k": "v"}]},
        {"progress": "Complete", "total_lines": 0, "back_lines": 0, "forward_lines": 0},  # no logs
    ],
)
def test_malformed_answer_is_invalid_response(body: dict[str, Any]) -> None:
    with pytest.raises(LogException) as caught:
        GetContextLogsResponse(body, {})
    assert caught.value.get_error_code() == "InvalidResponse"


def test_log_print(capsys: pytest.CaptureFixture[str]) -> None:
    GetContextLogsResponse(
        {"progress": "Complete", "total_lines": 1, "back_lines": 0, "forward_lines": 0, "logs": [{"__time__": "1"}]},
        {},
    ).log_print()
    out = capsys.readouterr().out
    assert "GetContextLogsResponse" in out and "total_lines: 1" in out
