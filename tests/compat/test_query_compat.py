"""The public surface of indexes and queries, pinned to what users of the official SDK write
(docs/query.md, docs/migrating.md)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

import aliyun.log
from aliyun.log import (
    CreateIndexResponse,
    DeleteIndexResponse,
    GetHistogramsRequest,
    GetHistogramsResponse,
    GetIndexResponse,
    GetLogsRequest,
    GetLogsResponse,
    GetProjectLogsRequest,
    Histogram,
    IndexConfig,
    IndexJsonKeyConfig,
    IndexKeyConfig,
    IndexLineConfig,
    ListTopicsRequest,
    ListTopicsResponse,
    LogClient,
    QueriedLog,
    UpdateIndexResponse,
)


def positional(func: Any) -> list[str]:
    return [
        name
        for name, p in inspect.signature(func).parameters.items()
        if name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def defaults(func: Any) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(func).parameters.items()
        if p.default is not inspect.Parameter.empty and p.kind == p.POSITIONAL_OR_KEYWORD
    }


def public(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


# -- LogClient methods -----------------------------------------------------------------------

METHODS = {
    "create_index": ["project_name", "logstore_name", "index_detail"],
    "update_index": ["project_name", "logstore_name", "index_detail"],
    "delete_index": ["project_name", "logstore_name"],
    "get_index_config": ["project_name", "logstore_name"],
    "list_topics": ["request"],
    "list_topic": ["request"],
    "get_logs": ["request"],
    "get_histograms": ["request"],
    "get_project_logs": ["request"],
    "get_log": [
        "project", "logstore", "from_time", "to_time", "topic", "query", "reverse", "offset", "size", "power_sql",
        "scan", "forward", "accurate_query", "from_time_nano_part", "to_time_nano_part",
    ],
    "get_log_all": [
        "project", "logstore", "from_time", "to_time", "topic", "query", "reverse", "offset", "power_sql",
        "accurate_query",
    ],
    "get_log_all_v2": [
        "project", "logstore", "from_time", "to_time", "topic", "query", "reverse", "offset", "power_sql", "scan",
        "forward",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(METHODS))
def test_client_method_positions(name: str) -> None:
    assert positional(getattr(LogClient, name)) == METHODS[name]


def test_client_method_defaults() -> None:
    assert defaults(LogClient.get_log) == {
        "topic": None, "query": None, "reverse": False, "offset": 0, "size": 100, "power_sql": False, "scan": False,
        "forward": True, "accurate_query": True, "from_time_nano_part": 0, "to_time_nano_part": 0,
    }  # fmt: skip
    assert defaults(LogClient.get_log_all) == {
        "topic": None, "query": None, "reverse": False, "offset": 0, "power_sql": False, "accurate_query": True,
    }  # fmt: skip


def test_extra_options_are_keyword_only() -> None:
    for name in ("get_logs", "get_histograms", "get_project_logs"):
        params = inspect.signature(getattr(LogClient, name)).parameters
        extra = [n for n in params if n not in ("self", "request")]
        assert extra and all(params[n].kind == inspect.Parameter.KEYWORD_ONLY for n in extra), name


# -- constructors ----------------------------------------------------------------------------

CONSTRUCTORS: dict[type, tuple[list[str], dict[str, Any]]] = {
    GetLogsRequest: (
        ["project", "logstore", "fromTime", "toTime", "topic", "query", "line", "offset", "reverse", "power_sql",
         "scan", "forward", "accurate_query", "from_time_nano_part", "to_time_nano_part"],
        {"line": 100, "offset": 0, "reverse": False, "power_sql": False, "scan": False, "forward": True,
         "accurate_query": True},
    ),
    GetHistogramsRequest: (
        ["project", "logstore", "fromTime", "toTime", "topic", "query", "accurate_query", "from_time_nano_part",
         "to_time_nano_part", "shard_id"],
        {"accurate_query": True, "shard_id": -1},
    ),
    GetProjectLogsRequest: (["project", "query", "power_sql"], {"power_sql": False}),
    ListTopicsRequest: (["project", "logstore", "token", "line"], {"token": None, "line": None}),
    IndexConfig: (
        ["ttl", "line_config", "key_config_list", "all_keys_config", "log_reduce", "scan_index"], {"ttl": 1},
    ),
    IndexKeyConfig: (
        ["token_list", "case_sensitive", "index_type", "doc_value", "alias", "json_key_config", "chinese",
         "embedding", "vector_index"],
        {"case_sensitive": False, "index_type": "text", "doc_value": False},
    ),
    IndexLineConfig: (
        ["token_list", "case_sensitive", "include_keys", "exclude_keys", "chinese", "auto_key_detect",
         "auto_key_count_limit", "auto_text_keys"],
        {"case_sensitive": False, "auto_key_detect": False},
    ),
    IndexJsonKeyConfig: (["index_all", "max_depth", "alias"], {"index_all": True, "max_depth": -1}),
    QueriedLog: (["timestamp", "source", "contents"], {}),
    Histogram: (["fromTime", "toTime", "count", "progress"], {}),
    GetLogsResponse: (["resp", "header"], {}),
    GetHistogramsResponse: (["resp", "header"], {}),
    ListTopicsResponse: (["resp", "header"], {}),
    GetIndexResponse: (["resp", "header"], {}),
    CreateIndexResponse: (["header", "resp"], {"resp": ""}),
    UpdateIndexResponse: (["header", "resp"], {"resp": ""}),
    DeleteIndexResponse: (["header", "resp"], {"resp": ""}),
}  # fmt: skip


@pytest.mark.parametrize("cls", list(CONSTRUCTORS), ids=lambda c: c.__name__)
def test_constructors(cls: type) -> None:
    names, some_defaults = CONSTRUCTORS[cls]
    assert positional(cls.__init__) == names
    found = defaults(cls.__init__)
    for key, value in some_defaults.items():
        assert found[key] == value, key


def test_readme_request_forms_construct() -> None:
    GetLogsRequest("project1", "logstore1", fromTime=1, toTime=2, topic="", query="*", line=1000, offset=0,
                   reverse=False)  # fmt: skip
    ListTopicsRequest("project1", "logstore1")
    request = GetHistogramsRequest()  # 0.6.10 form; 0.9.52 raises here
    assert request.get_from() is None
    readable = GetHistogramsRequest("p", "l", "1 hour ago", "now")
    assert (readable.get_from(), readable.get_to()) == ("1 hour ago", "now")  # converted when sent


# -- getters and setters ---------------------------------------------------------------------

MEMBERS = {
    GetLogsRequest: {
        "get_accurate_query", "get_forward", "get_from", "get_from_time_nano_part", "get_line", "get_logstore",
        "get_offset", "get_power_sql", "get_project", "get_query", "get_reverse", "get_scan", "get_to",
        "get_to_time_nano_part", "get_topic", "set_accurate_query", "set_forward", "set_from",
        "set_from_time_nano_part", "set_line", "set_logstore", "set_offset", "set_power_sql", "set_project",
        "set_query", "set_reverse", "set_scan", "set_to", "set_to_time_nano_part", "set_topic",
    },
    GetProjectLogsRequest: {"get_power_sql", "get_project", "get_query", "set_power_sql", "set_project", "set_query"},
    GetHistogramsRequest: {
        "get_accurate_query", "get_from", "get_from_time_nano_part", "get_logstore", "get_project", "get_query",
        "get_shard_id", "get_to", "get_to_time_nano_part", "get_topic", "set_accurate_query", "set_from",
        "set_from_time_nano_part", "set_logstore", "set_project", "set_query", "set_shard_id", "set_to",
        "set_to_time_nano_part", "set_topic",
    },
    ListTopicsRequest: {
        "get_line", "get_logstore", "get_project", "get_token", "set_line", "set_logstore", "set_project", "set_token",
    },
    IndexConfig: {
        "from_json", "set_docvalue_max_text_len", "set_log_reduce_black_list", "set_log_reduce_white_list",
        "set_scan_index", "to_json",
    },
    IndexKeyConfig: {"from_json", "get_json_key_config", "set_json_key_config", "to_json"},
    IndexLineConfig: {"from_json", "to_json"},
    IndexJsonKeyConfig: {"add_key", "from_json", "to_json"},
    GetLogsResponse: {
        "get_agg_query", "get_begin_offset", "get_count", "get_cpu_cores", "get_cpu_sec", "get_elapsed_mills",
        "get_end_offset", "get_has_sql", "get_log_list", "get_logs", "get_meta", "get_processed_rows",
        "get_query_mode", "get_scan_all", "get_scan_bytes", "get_where_query", "is_completed", "log_print", "merge",
    },
    GetLogsResponse.GetLogsResponseMeta: {
        "get_agg_query", "get_column_types", "get_count", "get_cpu_cores", "get_cpu_sec", "get_elapsed_millisecond",
        "get_has_sql", "get_highlights", "get_inserted_sql", "get_is_accurate", "get_keys", "get_limited",
        "get_marker", "get_mode", "get_phrase_query_info", "get_power_sql", "get_processed_bytes",
        "get_processed_rows", "get_progress", "get_scan_bytes", "get_telemetry_type", "get_terms",
        "get_where_query", "is_completed", "log_print", "merge",
    },
    GetLogsResponse.PhraseQueryInfo: {"get_begin_offset", "get_end_offset", "get_end_time", "get_scan_all",
                                      "log_print"},
    GetLogsResponse.Term: {"get_key", "get_term", "log_print"},
    GetHistogramsResponse: {"get_histograms", "get_total_count", "is_completed", "log_print"},
    Histogram: {"get_count", "get_from", "get_to", "is_completed", "log_print"},
    ListTopicsResponse: {"get_count", "get_next_token", "get_topics", "log_print"},
    QueriedLog: {"get_contents", "get_source", "get_time", "log_print"},
    GetIndexResponse: {"get_index_config", "log_print"},
    CreateIndexResponse: {"log_print"},
    UpdateIndexResponse: {"log_print"},
    DeleteIndexResponse: {"log_print"},
}  # fmt: skip


@pytest.mark.parametrize("cls", list(MEMBERS), ids=lambda c: c.__qualname__)
def test_members(cls: type) -> None:
    assert MEMBERS[cls] <= public(cls), MEMBERS[cls] - public(cls)


def test_query_mode_values() -> None:
    modes = GetLogsResponse.QueryMode
    assert [modes.NORMAL, modes.PHRASE, modes.SCAN, modes.SCAN_SQL] == [0, 1, 2, 3]


def test_exports() -> None:
    for name in (
        "CreateIndexResponse", "DeleteIndexResponse", "GetHistogramsRequest", "GetHistogramsResponse",
        "GetIndexResponse", "GetLogsRequest", "GetLogsResponse", "GetProjectLogsRequest", "Histogram", "IndexConfig",
        "IndexKeyConfig", "IndexLineConfig", "ListTopicsRequest", "ListTopicsResponse", "QueriedLog",
        "UpdateIndexResponse",
    ):  # fmt: skip
        assert name in aliyun.log.__all__ and hasattr(aliyun.log, name), name
    from aliyun.log.getlogsrequest import GetProjectLogsRequest as from_module
    from aliyun.log.index_config import IndexJsonKeyConfig as json_keys

    assert from_module is GetProjectLogsRequest and json_keys is IndexJsonKeyConfig


# -- behaviour of the model classes ------------------------------------------------------------


def test_index_json_shapes() -> None:
    assert IndexKeyConfig().to_json() == {"type": "text", "token": [], "caseSensitive": False, "doc_value": False}
    assert IndexKeyConfig(index_type="long", doc_value=True).to_json() == {"type": "long", "doc_value": True}
    line = IndexLineConfig().to_json()
    assert line["token"] == [] and line["caseSensitive"] is False and line["auto_key_detect"] is False
    assert IndexConfig().to_json() == {}
    keys = IndexJsonKeyConfig()
    keys.add_key("a.b", "long", doc_value=True)
    target: dict[str, Any] = {}
    keys.to_json(target)  # the official signature writes into the given dict
    assert target == {"index_all": True, "max_depth": -1, "json_keys": {"a.b": {"type": "long", "doc_value": True}}}


def test_from_json_keeps_unknown_keys_and_reads_ttl() -> None:
    raw = {
        "ttl": 7, "storage": "pg", "index_mode": "v2", "lastModifyTime": 1700000000,
        "line": {"token": [","], "include_keys": ["a"], "exclude_keys": ["b"], "future_option": 1},
        "keys": {"k": {"type": "text", "token": [" "], "embedding": "e1", "new_key_option": True}},
    }  # fmt: skip
    config = IndexConfig()
    config.from_json(raw)
    assert config.ttl == 7 and config.modify_time == 1700000000
    out = config.to_json()
    assert "ttl" not in out and "lastModifyTime" not in out
    assert out["storage"] == "pg" and out["index_mode"] == "v2"
    assert out["line"]["include_keys"] == ["a"] and out["line"]["exclude_keys"] == ["b"]
    assert out["line"]["future_option"] == 1
    assert out["keys"]["k"]["new_key_option"] is True and out["keys"]["k"]["embedding"] == "e1"
    assert json.loads(json.dumps(out)) == out


def test_get_logs_response_reads_both_forms() -> None:
    v2 = GetLogsResponse(
        {"meta": {"count": 1, "progress": "Complete", "hasSQL": False, "mode": 1,
                  "phraseQueryInfo": {"scanAll": True, "beginOffset": 2, "endOffset": 3},
                  "terms": [{"key": "k", "term": "v"}]},
         "data": [{"__time__": "100", "__source__": "s", "k": "v"}]},
        {"x-log-requestid": "R"},
    )  # fmt: skip
    assert v2.get_count() == 1 and v2.is_completed() and v2.get_request_id() == "R"
    assert v2.get_query_mode() is GetLogsResponse.QueryMode.PHRASE
    assert (v2.get_scan_all(), v2.get_begin_offset(), v2.get_end_offset()) == (True, 2, 3)
    assert [(t.get_key(), t.get_term()) for t in v2.get_meta().get_terms()] == [("k", "v")]
    log = v2.get_logs()[0]
    assert (log.get_time(), log.get_source(), log.get_contents()) == (100, "s", {"k": "v"})
    v1 = GetLogsResponse([{"__time__": "5", "a": "b"}], {"x-log-progress": "Incomplete", "x-log-has-sql": "false"})
    assert v1.get_count() == 1 and not v1.is_completed() and v1.get_has_sql() is False
    empty = GetLogsResponse({"meta": {}, "data": []}, {})
    assert empty.get_count() == 0 and not empty.is_completed()
    v2.merge(GetLogsResponse({"meta": {"count": 2, "progress": "Complete"}, "data": [{}, {}]}, {}))
    assert v2.get_count() == 3 and len(v2.get_logs()) == 3 and v2.is_completed()


def test_log_print_never_raises(capsys: pytest.CaptureFixture[str]) -> None:
    GetLogsResponse({"meta": {}, "data": [{"x": 1}]}, {}).log_print()
    GetHistogramsResponse([{"from": 1, "to": 2, "count": 3, "progress": "Complete"}], {}).log_print()
    ListTopicsResponse(["a"], {}).log_print()
    GetIndexResponse({}, {}).log_print()
    QueriedLog(1, "s", {"k": "v"}).log_print()
    Histogram(1, 2, 3, "Complete").log_print()
    CreateIndexResponse({}).log_print()
    assert "QueriedLog" in capsys.readouterr().out
