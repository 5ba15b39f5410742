"""LogstoreIndex.delete_rows / update_rows: every query path leaves deleted rows out, updated
rows are indexed like their originals, and the changes are durable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogRecord, LogstoreIndex
from aliyun.log.emulator.query import engine as engine_module

DAY = 86_400
T = 1_700_000_000
CONFIG: dict[str, Any] = {
    "line": {"token": [" ", ","], "caseSensitive": False},
    "keys": {
        "level": {"type": "text", "doc_value": True},
        "n": {"type": "long", "doc_value": True},
        "body": {"type": "json", "doc_value": True, "json_keys": {"user": {"type": "text", "doc_value": True}}},
    },
}


def rec(t: int, level: str, n: int, topic: str = "web", **extra: str) -> LogRecord:
    contents = (("level", level), ("n", str(n)), ("body", json.dumps({"user": f"u{n}"})), *extra.items())
    return LogRecord(t, 0, topic, "src", (("host", "h1"),), contents)


@pytest.fixture
def index() -> Any:
    idx = LogstoreIndex(CONFIG)
    # the same day twice: ``compare`` looks one day back
    idx.ingest([rec(T + i, "ERROR" if i % 2 else "INFO", i, msg="hello world") for i in range(6)])
    idx.ingest([rec(T - DAY + i, "ERROR" if i % 2 else "INFO", i) for i in range(6)])
    yield idx
    idx.close()


def count(index: LogstoreIndex, query: str = "*", frm: int = T, to: int = T + 60) -> int:
    return int(query_meta(index.get_logs(query, frm, to))["processedRows"])


def test_every_query_path_leaves_deleted_rows_out(index: LogstoreIndex) -> None:
    assert index.delete_rows("level:ERROR", T - DAY, T + 60) == 6
    assert count(index) == 3
    assert [r["level"] for r in index.get_logs("*", T, T + 60).rows] == ["INFO"] * 3
    assert index.get_logs("* | select count(*) as c", T, T + 60).rows == [{"c": "3"}]
    assert index.get_logs("body.user:u1", T, T + 60).rows == []  # json sub-key column
    assert query_meta(index.get_logs('#"hello world"', T, T + 60))["count"] == 3  # phrase candidates
    assert sum(b["count"] for b in index.get_histograms("*", T, T + 60)) == 3
    compared = index.get_logs("* | select compare(pv, 86400) as d from (select count(*) as pv from log)", T, T + 60)
    assert compared.rows[0]["d"].startswith("[3.0,3.0")  # the day before lost its deleted rows too
    assert index.delete_rows("*", T - DAY, T + 60, topic="web") == 6
    assert index.list_topics() == []


def test_a_deleted_row_is_deleted_once(index: LogstoreIndex) -> None:
    row_id = index.get_logs("n:3", T, T + 60, row_ids=True).rows[0]["__rowid__"]
    assert index.delete_rows("", None, None, row_id=row_id) == 1
    assert index.delete_rows("", None, None, row_id=row_id) == 0
    assert index.delete_rows("n:3", T, T + 60) == 0
    assert index.delete_rows("", None, None, row_id="x1") == 0  # not an id this index hands out


def test_updated_rows_are_searchable_by_their_new_values(index: LogstoreIndex) -> None:
    assert index.update_rows("level:INFO", T, T + 60, {"level": "WARN", "n": "40"}) == 3
    assert count(index, "level:WARN") == 3 and count(index, "level:INFO") == 0
    assert count(index, "n >= 40") == 3  # the long column is filled from the new value
    assert count(index, "body.user:u2") == 1  # a field the update kept
    rows = index.get_logs("* | select level, sum(n) as s group by level order by level", T, T + 60).rows
    assert rows == [{"level": "ERROR", "s": "9"}, {"level": "WARN", "s": "120"}]
    assert count(index, "*", T - DAY, T - DAY + 60) == 6  # outside the range: untouched


def test_full_update_replaces_the_fields_and_keeps_time_topic_tags_and_id(index: LogstoreIndex) -> None:
    before = index.get_logs("n:2", T, T + 60, row_ids=True).rows[0]
    assert index.update_rows("", None, None, {"level": "X"}, full=True, row_id=before["__rowid__"]) == 1
    (after,) = index.get_logs("level:X", T, T + 60, row_ids=True).rows
    assert after == {
        "__time__": before["__time__"],
        "__source__": "src",
        "__topic__": "web",
        "__tag__:host": "h1",
        "level": "X",
        "__rowid__": before["__rowid__"],
    }


def test_an_updated_row_keeps_the_index_config_it_was_written_under(index: LogstoreIndex) -> None:
    index.update_config({**CONFIG, "keys": {**CONFIG["keys"], "extra": {"type": "long", "doc_value": True}}})
    index.update_rows("n:1", T, T + 60, {"extra": "5"})
    # SLS indexes a key from the config a log was written under: the old log's new field is not a
    # long column (so no range match), but it is still found as text of the log
    assert count(index, "extra > 1") == 0
    assert count(index, "5") == 1


def test_changes_refuse_sql_phrases_and_missing_ranges(index: LogstoreIndex) -> None:
    for call in (
        lambda: index.delete_rows("* | select 1", T, T + 60),
        lambda: index.delete_rows('#"hello world"', T, T + 60),
        lambda: index.delete_rows("*", None, None),
        lambda: index.update_rows("*", T + 60, T, {"a": "b"}),
    ):
        with pytest.raises(SLSError):
            call()
    assert count(index) == 6


def test_a_change_addressing_too_many_rows_changes_nothing(index: LogstoreIndex, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine_module, "MAX_CHANGED_ROWS", 2)
    with pytest.raises(SLSError) as info:
        index.delete_rows("*", T, T + 60)
    assert info.value.code == "ParameterInvalid"
    assert count(index) == 6


def test_changes_survive_reopening(tmp_path: Path) -> None:
    index = LogstoreIndex(CONFIG, tmp_path)
    index.ingest([rec(T + i, "INFO", i) for i in range(4)])
    index.delete_rows("n:0", T, T + 60)
    index.update_rows("n:1", T, T + 60, {"level": "NEW"})
    index.ingest([rec(T + 10, "INFO", 10)])  # staged in the journal, not yet loaded
    index.close()
    reopened = LogstoreIndex(CONFIG, tmp_path)
    try:
        assert sorted(r["level"] for r in reopened.get_logs("*", T, T + 60).rows) == ["INFO", "INFO", "INFO", "NEW"]
        assert reopened.get_logs("n:1", T, T + 60, row_ids=True).rows[0]["__rowid__"] == "1"
    finally:
        reopened.close()
