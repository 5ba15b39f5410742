"""Analytic SQL: translation rules, rendering, errors (docs/query.md "SQL", docs/architecture-query.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import acceptance_cases as ac

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogRecord, LogstoreIndex
from aliyun.log.emulator.query.render import java_double, presto_type, render_value


@pytest.fixture(scope="module")
def index() -> Iterator[LogstoreIndex]:
    idx = LogstoreIndex(ac.INDEX_CONFIG)
    for topic, source, tags, logs in ac.log_groups():
        idx.ingest([LogRecord(t, 0, topic, source, tags, tuple(p)) for t, p in logs])
    yield idx
    idx.close()


def rows(index: LogstoreIndex, sql: str, search: str = "*", **kw: Any) -> list[list[str]]:
    result = index.get_logs(f"{search} | {sql}", ac.FROM, kw.pop("to_time", ac.TO), **kw)
    return [list(r.values()) for r in result.rows]


def keys(index: LogstoreIndex, sql: str) -> list[str]:
    return list(query_meta(index.get_logs(f"* | {sql}", ac.FROM, ac.TO))["keys"])


def error(index: LogstoreIndex, sql: str) -> SLSError:
    with pytest.raises(SLSError) as err:
        index.get_logs(f"* | {sql}", ac.FROM, ac.TO)
    assert err.value.code == "ParameterInvalid"
    return err.value


def test_from_forms_are_equivalent(index: LogstoreIndex) -> None:
    for sql in ["select count(*) as c", "select count(*) as c from log", "select count(*) as c from my_logstore"]:
        assert rows(index, sql) == [["16"]]
    assert rows(index, "select count(*) as c from log l where l.status = 200") == [["8"]]


def test_set_session_prefix_is_dropped(index: LogstoreIndex) -> None:
    assert rows(index, "set session parallel_sql=true; select count(*) as c") == [["16"]]


def test_unaliased_columns_are_colN(index: LogstoreIndex) -> None:
    assert keys(index, "select status, count(*), max(request_time) group by status") == ["status", "_col1", "_col2"]


def test_limit_rules(index: LogstoreIndex) -> None:
    assert rows(index, "select status group by status order by status limit 2, 3") == [["302"], ["304"], ["404"]]
    assert len(rows(index, "select __time__ limit all")) == 16
    error(index, "select status limit 1000001")
    error(index, "select status limit 1 offset 2")


def test_nested_query_needs_inner_from(index: LogstoreIndex) -> None:
    assert rows(index, "select max(c) as m from (select count(*) as c from log group by status)") == [["8"]]
    err = error(index, "select max(c) from (select count(*) as c group by status)")
    assert err.message.startswith("you are using nested sql")


def test_with_clause(index: LogstoreIndex) -> None:
    sql = "with s as (select status, count(*) as c from log group by status) select max(c) as m from s"
    assert rows(index, sql) == [["8"]]


def test_decimal_literal_is_double(index: LogstoreIndex) -> None:
    assert rows(index, "select 1.0 / 4 as q, 5 / 2 as i, round(2.5) as r limit 1") == [["0.25", "2", "3.0"]]


def test_rendering(index: LogstoreIndex) -> None:
    got = rows(
        index,
        "select null as n, true as b, from_unixtime(__time__) as ts, 1e7 as big, 0.0001 as small, "
        "array[1, 2] as a, cast(1 as bigint) as one order by __time__ limit 1",
    )
    assert got == [["null", "true", "2024-01-01 08:00:05.000", "1.0E7", "1.0E-4", "[1,2]", "1"]]
    result = index.get_logs("* | select status, request_time, request_uri limit 1", ac.FROM, ac.TO)
    assert query_meta(result)["columnTypes"] == ["bigint", "double", "varchar"]


def test_time_functions_run_in_utc8(index: LogstoreIndex) -> None:
    sql = (
        "select to_unixtime(date_parse('2024-01-01 08:00:05', '%Y-%m-%d %H:%i:%s')) as u, "
        "date_format(__time__, '%H:%i:%s') as f, hour(from_unixtime(__time__)) as h "
        "order by __time__ limit 1"
    )
    assert rows(index, sql) == [["1.704067205E9", "08:00:05", "8"]]
    assert rows(index, "select date_trunc('minute', __time__) as m order by __time__ limit 1") == [
        ["2024-01-01 08:00:00.000"]
    ]


def test_date_column_is_the_log_time_as_a_timestamp(index: LogstoreIndex) -> None:
    first = "order by __time__ limit 1"
    assert rows(index, f"select __date__ as d, from_unixtime(__time__) as f {first}") == [
        ["2024-01-01 08:00:05.000", "2024-01-01 08:00:05.000"]
    ]
    assert rows(
        index, f"select to_unixtime(__date__) = __time__ as same, date_format(__date__, '%H:%i') as hm {first}"
    ) == [["true", "08:00"]]
    by_day = rows(index, "select date_trunc('day', __date__) as day, count(*) as c group by day")
    assert by_day == [["2024-01-01 00:00:00.000", "16"]]
    assert presto_type_of(index, "select __date__ as d limit 1") == "timestamp"


def presto_type_of(index: LogstoreIndex, sql: str) -> str:
    meta = query_meta(index.get_logs(f"* | {sql}", ac.FROM, ac.TO))
    return str(meta["columnTypes"][0])


def test_time_series_padding_modes(index: LogstoreIndex) -> None:
    base = "select time_series(__time__, '5m', '%H:%i', '{}') as t, count(*) as c group by t order by t"
    assert rows(index, base.format("null"), to_time=ac.T0 + 1200)[-1] == ["08:15", "null"]
    assert rows(index, base.format("last"), to_time=ac.T0 + 1200)[-1] == ["08:15", "4"]
    assert rows(index, base.format("0"), to_time=ac.T0 + 1200)[-1] == ["08:15", "0"]
    limited = base.format("0") + " limit 2"
    assert rows(index, limited, to_time=ac.T0 + 1200) == [["08:00", "7"], ["08:05", "5"]]


def test_approximate_functions_are_exact(index: LogstoreIndex) -> None:
    assert rows(index, "select approx_percentile(body_bytes_sent, 0.5) as p") == [["166"]]
    assert rows(index, "select approx_distinct(host) as d") == [["3"]]


def test_sls_function_macros(index: LogstoreIndex) -> None:
    sql = (
        "select url_extract_parameter(request_uri, 'id') as id, url_extract_path(request_uri) as p, "
        "regexp_extract(request_uri, 'users/(\\d+)', 1) as u where request_uri like '/api/v1/users%' "
        "order by __time__"
    )
    assert rows(index, sql) == [
        ["42", "/api/v1/users", "null"],
        ["7", "/api/v1/users", "null"],
        ["null", "/api/v1/users/7", "7"],
        ["null", "/api/v1/users/42", "42"],
    ]


def test_json_subkey_columns(index: LogstoreIndex) -> None:
    sql = 'select "extra.user.id" as id, count(*) as c where "extra.user.id" > 10 group by 1'
    assert rows(index, sql) == [["42", "3"]]


@pytest.mark.parametrize(
    ("sql", "prefix"),
    [
        ("select status where status like '2%'", "Left side of LIKE expression must evaluate to a varchar"),
        ("select status where request_method in (1, 2)", "IN value and list items must be the same type: varchar"),
        ("select status where request_method = 1", "'=' cannot be applied to varchar, integer"),
        ("select http_referer", "Column 'http_referer' no longer exists or type mismatch"),
        ("select nosuchfn(status)", "Function nosuchfn not registered"),
        ("select count(distinct a), count(distinct b), count(distinct c), count(distinct d), "
         "count(distinct e), count(distinct f), count(distinct g), count(distinct h), "
         "count(distinct i), count(distinct j), count(distinct k)", "max distinct num is:10"),
        ("select from where", "line 1:"),
        ("select 1; select 2", "only one analytic statement"),
        ("select time_series(__time__, '5x', '%H', '0') as t group by t", "invalid time_series window"),
        ("select cast('abc' as bigint)", "Can not cast 'abc' to BIGINT"),
    ],
)  # fmt: skip
def test_sql_errors(index: LogstoreIndex, sql: str, prefix: str) -> None:
    assert error(index, sql).message.startswith(prefix)


def test_sql_meta(index: LogstoreIndex) -> None:
    meta = query_meta(index.get_logs("status >= 500 | select count(*) as c", ac.FROM, ac.TO))
    assert meta["hasSQL"] is True
    assert meta["processedRows"] == 3
    assert meta["keys"] == ["c"]
    assert meta["whereQuery"] == "status >= 500"
    assert meta["aggQuery"] == "select count(*) as c"


@pytest.mark.parametrize(
    ("value", "text"),
    [(60.0, "60.0"), (0.5, "0.5"), (31.25, "31.25"), (1e7, "1.0E7"), (1e-4, "1.0E-4"), (12345678.9, "1.23456789E7"),
     (-0.0, "-0.0"), (0.001, "0.001"), (9999999.0, "9999999.0"), (1.5e300, "1.5E300")],
)  # fmt: skip
def test_java_double(value: float, text: str) -> None:
    assert java_double(value) == text


def test_render_value_and_types() -> None:
    assert render_value(None) == "null"
    assert render_value(False) == "false"
    assert render_value({"GET": 10, "POST": 3}) == '{"GET":10,"POST":3}'
    assert render_value(["a", "b"]) == '["a","b"]'
    assert presto_type("MAP(VARCHAR, UBIGINT)") == "map(varchar,bigint)"
    assert presto_type("VARCHAR[]") == "array(varchar)"
    assert presto_type("HUGEINT") == "bigint"
