"""A query cannot reach the host, and cannot run unbounded (docs/query.md, "What a query can reach").

Each hostile statement below used to work: it read a file, listed a directory, showed the
databases or downloaded an extension. Now each answers an SLS error, from the translation
(the first layer) — and the database underneath refuses the same things on its own (the second).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogRecord, LogstoreIndex
from aliyun.log.emulator.query.limits import DEFAULT_LIMITS, QueryLimits

CONFIG = {
    "line": {"token": list(",; "), "caseSensitive": False},
    "keys": {"content": {"type": "text", "token": list(",; "), "doc_value": True}},
}
SECRET_TEXT = "host file that no query may read"


@pytest.fixture
def host_file(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET_TEXT)
    return path


def _index(tmp_path: Path, limits: QueryLimits = DEFAULT_LIMITS, logs: int = 50) -> LogstoreIndex:
    idx = LogstoreIndex(CONFIG, tmp_path / "index", limits=limits)
    idx.ingest([LogRecord(1000 + i, 0, "", "", (), (("content", f"line {i} word{i % 7}"),)) for i in range(logs)])
    return idx


@pytest.fixture
def index(tmp_path: Path) -> Iterator[LogstoreIndex]:
    idx = _index(tmp_path)
    yield idx
    idx.close()


def _error(index: LogstoreIndex, query: str) -> SLSError:
    with pytest.raises(SLSError) as err:
        index.get_logs(query, 0, 10_000)
    assert err.value.code == "ParameterInvalid", err.value
    assert err.value.status == 400
    return err.value


HOSTILE = [
    "select content from read_text('{path}')",
    "select * from read_blob('{dir}/*')",
    "select * from read_csv('{path}')",
    "select * from sniff_csv('{path}')",
    "select * from read_json_auto('{path}')",
    "select * from read_parquet('{path}')",
    "select * from glob('{dir}/*')",
    "select * from duckdb_databases()",
    "select * from duckdb_settings()",
    "select * from duckdb_extensions()",
    "select * from query('select 42')",
    "select * from log l join read_text('{path}') f on true",
    "select (select content from read_text('{path}')) as c",
    "with f as (select * from read_text('{path}')) select * from f",
    "select read_csv('{path}')",
    "select current_setting('temp_directory')",
    "select getenv('HOME')",
    "select current_database()",
    "select version()",
]


@pytest.mark.parametrize("statement", HOSTILE)
def test_hostile_statements_answer_an_sls_error(index: LogstoreIndex, host_file: Path, statement: str) -> None:
    sql = statement.format(path=host_file, dir=host_file.parent)
    err = _error(index, f"* | {sql}")
    assert SECRET_TEXT not in err.message


def test_unknown_function_answers_not_registered(index: LogstoreIndex) -> None:
    assert _error(index, "* | select pragma_version()").message == "Function pragma_version not registered"
    assert _error(index, "* | select list_transform([1], x -> x)").message == "Function list_transform not registered"


def test_sls_functions_still_work(index: LogstoreIndex) -> None:
    result = index.get_logs(
        "* | select count(*) as c, url_extract_host('http://a.b/x') as h, ip_to_domain('10.0.0.1') as d,"
        " date_format(from_unixtime(max(__time__)), '%Y') as y, regexp_extract(arbitrary(content), 'line') as r",
        0,
        10_000,
    )
    assert result.rows == [{"c": "50", "h": "a.b", "d": "intranet", "y": "1970", "r": "line"}]


def test_database_itself_refuses_host_files(index: LogstoreIndex, host_file: Path) -> None:
    """Layer two: a statement that slipped past the translation still cannot read the host."""
    with index._store.sessions.session() as con:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_text('{host_file}')").fetchall()
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"COPY (SELECT 1) TO '{host_file.parent / 'written.csv'}'")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.Error):
            con.execute("SET memory_limit = '100GB'")
        with pytest.raises(duckdb.Error):
            con.execute("INSTALL httpfs")
    assert not (host_file.parent / "written.csv").exists()


def test_in_memory_index_is_sandboxed_too(host_file: Path) -> None:
    idx = LogstoreIndex(CONFIG)
    try:
        idx.ingest([LogRecord(1000, 0, "", "", (), (("content", "x"),))])
        assert idx.get_logs("* | select count(*) as c", 0, 10_000).rows == [{"c": "1"}]
        with idx._store.sessions.session() as con:
            with pytest.raises(duckdb.PermissionException):
                con.execute(f"SELECT * FROM read_text('{host_file}')").fetchall()
    finally:
        idx.close()


# -- size and nesting bounds ---------------------------------------------------------------


def test_long_search_term_is_refused(index: LogstoreIndex) -> None:
    err = _error(index, '"' + "x" * 5_000 + '"')
    assert "at most 4096" in err.message


def test_too_many_search_words_are_refused(index: LogstoreIndex) -> None:
    phrase = '"' + " ".join(["ab"] * 1_200) + '"'
    assert "more than 1000 words" in _error(index, phrase).message
    assert "more than 1000 words" in _error(index, ",".join(["ab"] * 1_200)).message
    assert "more than 1000 words" in _error(index, " or ".join(f"w{i}" for i in range(1_200))).message


def test_long_query_is_refused(index: LogstoreIndex) -> None:
    sql = "* | select count(*) from log where content in (" + ",".join(f"'{i:08d}'" for i in range(10_000)) + ")"
    assert "characters long" in _error(index, sql).message


@pytest.mark.parametrize("query", ["(" * 1_000 + "a" + ")" * 1_000, "not " * 1_000 + "a", "a " + "not " * 500 + "b"])
def test_deeply_nested_search_is_refused(index: LogstoreIndex, query: str) -> None:
    assert "nested too deeply" in _error(index, query).message


@pytest.mark.parametrize(
    "sql",
    [
        "select " + "(" * 200 + "1" + ")" * 200,
        "select * from " + "(select * from " * 60 + "log" + ") t" * 60,
        "select array" + "[" * 100 + "1" + "]" * 100,
    ],
)
def test_deeply_nested_sql_is_refused(index: LogstoreIndex, sql: str) -> None:
    assert "nested too deeply" in _error(index, f"* | {sql}").message


def test_moderate_nesting_still_works(index: LogstoreIndex) -> None:
    assert index.get_logs("* | select " + "(" * 20 + "1" + ")" * 20 + " as v limit 1", 0, 10_000).rows == [{"v": "1"}]
    assert query_meta(index.get_logs("(" * 20 + "word1" + ")" * 20, 0, 10_000))["count"] > 0


def test_limits_are_settable(tmp_path: Path) -> None:
    idx = _index(tmp_path, QueryLimits(max_term_chars=10, max_depth=3, max_sql_depth=3))
    try:
        assert "at most 10" in _error(idx, "abcdefghijkl").message
        assert "nested too deeply" in _error(idx, "((((a))))").message
        assert "nested too deeply" in _error(idx, "* | select ((((1))))").message
        assert query_meta(idx.get_logs("((word1))", 0, 10_000))["count"] > 0
    finally:
        idx.close()


# -- time and memory -----------------------------------------------------------------------

EXPENSIVE = "* | select count(*) as c from log a, log b, log c, log d, log e"


def test_query_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    idx = _index(tmp_path, QueryLimits(timeout=0.2), logs=200)
    try:
        err = _error(idx, EXPENSIVE)
        assert "--query-timeout" in err.message
        # the session survived: the next query answers normally
        assert idx.get_logs("* | select count(*) as c", 0, 10_000).rows == [{"c": "200"}]
    finally:
        idx.close()


def test_query_past_its_memory_limit_fails_cleanly(tmp_path: Path) -> None:
    # 700 MB: DuckDB 1.x reserves a 512 MB read buffer to load staged logs, so less cannot ingest
    idx = _index(tmp_path, QueryLimits(memory_limit="700MB"), logs=6_000)
    try:
        # 36 million strings held by one aggregate: well over 1 GB
        err = _error(idx, "* | select array_agg(a.content || b.content) as v from log a, log b")
        assert "--query-memory" in err.message
        assert idx.get_logs("* | select count(*) as c", 0, 10_000).rows == [{"c": "6000"}]
    finally:
        idx.close()


def test_slow_query_does_not_block_the_logstores_other_queries(tmp_path: Path) -> None:
    idx = _index(tmp_path, QueryLimits(timeout=120), logs=200)
    outcome: list[BaseException] = []

    def slow() -> None:
        try:
            idx.get_logs(EXPENSIVE, 0, 10_000)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=slow)
    worker.start()
    try:
        for written in range(5):  # reads see each write at once: ingestion is not held up either
            assert idx.get_logs("* | select count(*) as c", 0, 10_000).rows == [{"c": str(200 + written)}]
            assert query_meta(idx.get_logs("word3", 0, 10_000))["count"] > 0
            idx.ingest([LogRecord(5000, 0, "", "", (), (("content", "late"),))])
        assert worker.is_alive(), "the expensive query finished too soon to show anything"
    finally:
        idx.close()  # interrupts the running statement instead of waiting for it
        worker.join(timeout=30)
    assert not worker.is_alive()
    assert outcome and isinstance(outcome[0], SLSError)


def test_watchdog_calls_armed_callbacks_in_deadline_order_and_never_disarmed_ones() -> None:
    from aliyun.log.emulator.query.sandbox import _Watchdog

    dog = _Watchdog()
    calls: list[str] = []
    last = threading.Event()
    dog.disarm(dog.arm(0.2, lambda: calls.append("disarmed")))
    dog.arm(0.3, lambda: (calls.append("late"), last.set()))
    dog.arm(0.05, lambda: calls.append("early"))
    assert last.wait(10)
    assert calls == ["early", "late"]
