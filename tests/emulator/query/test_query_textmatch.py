"""Token matching rules (docs/query.md "Search syntax in short") evaluated by DuckDB on single values."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from aliyun.log.emulator.query.config import DEFAULT_TOKENS, TextSpec
from aliyun.log.emulator.query.textmatch import (
    FIELD_SEP,
    QMARK,
    STAR,
    split_tokens,
    sql_str,
    text_match_sql,
    whole_value_sql,
)

DEF = TextSpec(frozenset("".join(DEFAULT_TOKENS)), False)
DEF_CS = TextSpec(DEF.delims, True)
UA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    yield c
    c.close()


def matches(con: duckdb.DuckDBPyConnection, stored: str, predicate: str) -> bool:
    row = con.execute(f"SELECT {predicate} FROM (SELECT {sql_str(stored)} AS v)").fetchone()
    assert row is not None
    return bool(row[0])


def test_split_tokens_keeps_wildcards() -> None:
    assert split_tokens("/request/path-2", DEF.delims) == ["request", "path-2"]
    assert split_tokens(f"mozi{QMARK}la", DEF.delims) == [f"mozi{QMARK}la"]
    assert split_tokens("www.mg.mock.com", DEF.delims) == ["www.mg.mock.com"]
    assert split_tokens("x86_64", DEF.delims) == ["x86_64"]
    assert split_tokens("22/Dec", DEF.delims) == ["22", "Dec"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("firefox", True),
        ("FIREFOX", True),
        ("fire", False),  # no partial-token match
        (f"fire{STAR}", True),
        (f"mo{STAR}la", True),
        (f"mozi{QMARK}la", True),
        (f"mozi{QMARK}{QMARK}la", False),
        ("x86_64", True),
        ("rv:121.0", True),  # tokens rv and 121.0, order-free
        ("121.0 rv", True),
        ("Linux Firefox", True),
        ("Linux Safari", False),
        ("/", False),  # only delimiters: no token to look for
        ("5.0", True),
        ("0", False),
    ],
)
def test_tokenised_match(con: duckdb.DuckDBPyConnection, query: str, expected: bool) -> None:
    assert matches(con, UA, text_match_sql("v", DEF, query)) is expected


def test_case_sensitive_field(con: duckdb.DuckDBPyConnection) -> None:
    assert matches(con, UA, text_match_sql("v", DEF_CS, "Firefox"))
    assert not matches(con, UA, text_match_sql("v", DEF_CS, "firefox"))
    assert not matches(con, UA, text_match_sql("v", DEF_CS, f"fire{STAR}"))


def test_quoted_wildcard_is_literal(con: duckdb.DuckDBPyConnection) -> None:
    assert matches(con, "region cn* here", text_match_sql("v", DEF, "cn*"))
    assert not matches(con, "region cn-x here", text_match_sql("v", DEF, "cn*"))


def test_phrase(con: duckdb.DuckDBPyConnection) -> None:
    uri = "/request/path-1/file-4"
    assert matches(con, uri, text_match_sql("v", DEF, "path-1/file-4", phrase=True))
    assert not matches(con, uri, text_match_sql("v", DEF, "file-4/path-1", phrase=True))
    assert matches(con, uri, text_match_sql("v", DEF, "file-4/path-1"))
    assert not matches(con, "01/Jan/2024:08:00:05", text_match_sql("v", DEF, "08/Jan", phrase=True))
    assert matches(con, "01/Jan/2024:08:00:05", text_match_sql("v", DEF, "08/Jan"))


def test_segmented_full_text_keeps_fields_apart(con: duckdb.DuckDBPyConnection) -> None:
    stored = f"alpha beta{FIELD_SEP}gamma"
    assert matches(con, stored, text_match_sql("v", DEF, "alpha beta", segmented=True))
    assert not matches(con, stored, text_match_sql("v", DEF, "alpha gamma", segmented=True))
    assert matches(con, stored, text_match_sql("v", DEF, "gamma", segmented=True))
    assert not matches(con, stored, text_match_sql("v", DEF, "beta gamma", phrase=True, segmented=True))


def test_unsegmented_full_text_matches_each_whole_value(con: duckdb.DuckDBPyConnection) -> None:
    # an empty line token list: every field's value is one token, and a term must equal one of them
    whole = TextSpec(frozenset(), False)
    stored = f"error{FIELD_SEP}10"
    assert matches(con, stored, text_match_sql("v", whole, "error", segmented=True))
    assert matches(con, stored, text_match_sql("v", whole, "ERROR", segmented=True))
    assert matches(con, stored, text_match_sql("v", whole, "10", segmented=True))
    assert matches(con, stored, text_match_sql("v", whole, f"err{STAR}", segmented=True))
    assert not matches(con, stored, text_match_sql("v", whole, "rror", segmented=True))
    # a pattern never spans two fields
    assert not matches(con, stored, text_match_sql("v", whole, f"error{STAR}10", segmented=True))
    assert not matches(con, stored, text_match_sql("v", TextSpec(frozenset(), True), "ERROR", segmented=True))


@pytest.mark.parametrize(
    ("stored", "query", "cs", "expected"),
    [
        ("www.mg.mock.com", "www.mg.mock.com", False, True),
        ("www.mg.mock.com", "WWW.MG.MOCK.COM", False, True),
        ("www.mg.mock.com", "WWW.MG.MOCK.COM", True, False),
        ("www.mg.mock.com", "mock", False, False),
        ("www.mg.mock.com", f"www.{STAR}.com", False, True),
        ("www.mg.mock.com", f"www.m{QMARK}.mock.com", False, True),
        ("100%_sure", f"100%_s{STAR}", False, True),
        ("100x_sure", f"100%_s{STAR}", False, False),
    ],
)
def test_whole_value(con: duckdb.DuckDBPyConnection, stored: str, query: str, cs: bool, expected: bool) -> None:
    assert matches(con, stored, whole_value_sql("v", query, cs)) is expected


def test_special_characters_in_literals(con: duckdb.DuckDBPyConnection) -> None:
    spec = TextSpec(frozenset(" "), False)
    for stored in ["it's", "50%", "a_b", r"back\slash", "(paren)", "[x]", "a.b*c", "中文 词"]:
        token = stored.split(" ")[0]
        assert matches(con, stored, text_match_sql("v", spec, token)), stored
