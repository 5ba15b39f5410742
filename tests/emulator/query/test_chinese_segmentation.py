"""Chinese text in searches: ``chn`` ("include Chinese") of line and key indexes.

Without ``chn`` a run of Chinese characters belongs to the token around it (SLS delimiters cannot be
Chinese characters), so a Chinese word inside a longer run is not found. With ``chn`` Chinese text
is segmented; the emulator's rule: every Chinese character is a token and a token boundary, Chinese
punctuation is a delimiter, and a query word's Chinese characters must be consecutive.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query import LogRecord, LogstoreIndex, validate_index_config
from aliyun.log.emulator.query.config import DEFAULT_TOKENS, TextSpec, parse_index_config
from aliyun.log.emulator.query.textmatch import STAR, sql_str, text_match_sql

DELIMS = frozenset("".join(DEFAULT_TOKENS))
OFF = TextSpec(DELIMS, False)
ON = TextSpec(DELIMS, False, chn=True)
COMMA = "\uff0c"  # the full-width comma, a delimiter only with chn
MSG = f"文件 sample.png 打开失败{COMMA}请重试"
T = 1_700_000_000


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    yield c
    c.close()


def hit(con: duckdb.DuckDBPyConnection, stored: str, query: str, spec: TextSpec, **kw: Any) -> bool:
    row = con.execute(
        f"SELECT {text_match_sql('v', spec, query, **kw)} FROM (SELECT {sql_str(stored)} AS v)"
    ).fetchone()
    assert row is not None
    return bool(row[0])


# -- the matching rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "without", "with_chn"),
    [
        ("打开", False, True),  # a word inside a run of Chinese text
        ("失败", False, True),
        ("打开失败", False, True),
        ("文件", True, True),  # the whole run between delimiters is a token either way
        ("请重试", False, True),  # the comma is not a default delimiter, but Chinese punctuation is one with chn
        (f"打开失败{COMMA}请重试", True, True),
        ("sample.png", True, True),
        ("sample", False, False),  # "." stays a non-delimiter
        ("失败 打开", False, True),  # tokens of a term are order-free
        ("成功", False, False),
    ],
)
def test_words_in_chinese_text(con: duckdb.DuckDBPyConnection, query: str, without: bool, with_chn: bool) -> None:
    assert hit(con, MSG, query, OFF) is without
    assert hit(con, MSG, query, ON) is with_chn


def test_character_level_rule_also_matches_non_words(con: duckdb.DuckDBPyConnection) -> None:
    # documented over-match: a real segmenter would not produce "开失"
    assert hit(con, MSG, "开失", ON)
    assert hit(con, MSG, "开", ON)


def test_latin_tokens_next_to_chinese(con: duckdb.DuckDBPyConnection) -> None:
    stored = "用户admin登录ok"
    assert not hit(con, stored, "admin", OFF)
    assert hit(con, stored, "admin", ON) and hit(con, stored, "ok", ON)
    assert hit(con, stored, "admin登录", ON) and hit(con, stored, "户admin", ON)
    assert not hit(con, stored, "admi", ON)  # latin tokens still need their own boundaries
    assert hit(con, stored, "ADMIN", ON)  # case rule unchanged
    assert not hit(con, stored, "ADMIN", TextSpec(DELIMS, True, chn=True))


def test_wildcards_stop_at_chinese_characters(con: duckdb.DuckDBPyConnection) -> None:
    stored = "用户admin登录"
    assert hit(con, stored, "adm" + STAR, ON)
    assert not hit(con, stored, "adm" + STAR + "录", ON)  # "*" never spans a Chinese character
    assert hit(con, stored, "用户adm" + STAR, OFF)  # without chn the whole run is one token


def test_phrases(con: duckdb.DuckDBPyConnection) -> None:
    assert hit(con, "用户登录成功", "登录 成功", ON, phrase=True)  # adjacent words need no delimiter
    assert not hit(con, "用户登录成功", "成功 登录", ON, phrase=True)
    assert hit(con, "用户登录 成功", "登录 成功", ON, phrase=True)
    assert hit(con, MSG, "失败 请重试", ON, phrase=True)
    assert not hit(con, "用户登录成功", "登录 成功", OFF, phrase=True)


def test_full_text_column_keeps_fields_apart(con: duckdb.DuckDBPyConnection) -> None:
    stored = "用户登录\x1e成功"
    assert hit(con, stored, "登录", ON, segmented=True)
    assert not hit(con, stored, "登录 成功", ON, segmented=True, phrase=True)
    assert not hit(con, stored, "录成", ON, segmented=True)


# -- configuration ------------------------------------------------------------------------------


def test_config_reads_chn_per_field() -> None:
    spec = parse_index_config(
        {"line": {"token": [" "], "chn": True}, "keys": {"a": {"type": "text", "token": [" "]}, "b": {"chn": True}}}
    )
    assert spec.line is not None and spec.line.chn
    a, b = spec.key("a"), spec.key("b")
    assert a is not None and a.text is not None and not a.text.chn
    assert b is not None and b.text is not None and b.text.chn


@pytest.mark.parametrize("bad", [{"line": {"token": [" "], "chn": "yes"}}, {"keys": {"a": {"type": "text", "chn": 1}}}])
def test_chn_must_be_boolean(bad: dict[str, Any]) -> None:
    with pytest.raises(SLSError) as err:
        validate_index_config(bad)
    assert err.value.code == "IndexInfoInvalid"


# -- through the engine ---------------------------------------------------------------------------


def _index(chn: bool) -> LogstoreIndex:
    index = LogstoreIndex(
        {
            "line": {"token": list(DEFAULT_TOKENS), "chn": chn},
            "keys": {"msg": {"type": "text", "token": list(DEFAULT_TOKENS), "chn": chn}, "n": {"type": "long"}},
        }
    )
    texts = ["用户登录成功", f"用户登录失败{COMMA}密码错误", "订单已创建 order=42", "login ok"]
    index.ingest([LogRecord(T + i, 0, "", "src", (), (("n", str(i)), ("msg", m))) for i, m in enumerate(texts)])
    return index


def _numbers(index: LogstoreIndex, query: str) -> list[int]:
    return [int(r["n"]) for r in index.get_logs(query, T, T + 100).rows]


def test_engine_without_chn() -> None:
    index = _index(False)
    try:
        assert _numbers(index, "登录") == []
        assert _numbers(index, "msg:用户登录成功") == [0]
        assert _numbers(index, "订单已创建") == [2]
    finally:
        index.close()


def test_engine_with_chn() -> None:
    index = _index(True)
    try:
        assert _numbers(index, "登录") == [0, 1]
        assert _numbers(index, "msg:失败 and msg:密码") == [1]
        assert _numbers(index, "密码错误 or 订单") == [1, 2]
        assert _numbers(index, 'msg:#"登录 失败"') == [1]
        assert _numbers(index, "order") == [2]
        assert _numbers(index, "not 登录") == [2, 3]
    finally:
        index.close()


def test_update_index_switches_the_rule_for_stored_logs() -> None:
    index = _index(False)
    try:
        assert _numbers(index, "登录") == []
        config = copy.deepcopy(index.config)
        config["line"]["chn"] = config["keys"]["msg"]["chn"] = True
        index.update_config(config)
        assert _numbers(index, "登录") == [0, 1]  # tokenisation is applied at query time
    finally:
        index.close()


def test_through_the_client() -> None:
    with EmulatorServer(port=0) as server:
        client = server.client(in_process=True)
        client.create_project("chn-project", "")
        client.create_logstore("chn-project", "logs", shard_count=1)
        client.create_index("chn-project", "logs", {"line": {"token": list(DEFAULT_TOKENS), "chn": True}})
        items = [LogItem(T, [("msg", "支付回调超时")]), LogItem(T + 1, [("msg", "支付成功")])]
        client.put_logs(PutLogsRequest("chn-project", "logs", "", "src", items))
        answer = client.get_log("chn-project", "logs", T, T + 10, query="超时")
        assert [log.get_contents()["msg"] for log in answer.get_logs()] == ["支付回调超时"]
        assert client.get_log("chn-project", "logs", T, T + 10, query="支付").get_count() == 2
        assert client.get_index_config("chn-project", "logs").get_index_config().to_json()["line"]["chn"] is True
