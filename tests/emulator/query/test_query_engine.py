"""LogstoreIndex behaviour beyond the acceptance cases: storage, config changes, paging, edges."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogRecord, LogstoreIndex, validate_index_config
from aliyun.log.emulator.query import store as store_module

T = 1_700_000_000
TEXT_KEYS: dict[str, Any] = {"line": {"token": [" ", "/"], "caseSensitive": False}}


def rec(t: int, topic: str = "", **contents: str) -> LogRecord:
    return LogRecord(t, 0, topic, "src", (("host", "h1"),), tuple(contents.items()))


def search_ids(index: LogstoreIndex, query: str, **kw: Any) -> list[str]:
    kw.setdefault("from_time", T)
    kw.setdefault("to_time", T + 10_000)
    return [r["id"] for r in index.get_logs(query, **kw).rows]


def config(**keys: dict[str, Any]) -> dict[str, Any]:
    return {"line": {"token": [" ", "/", ","], "caseSensitive": False}, "keys": keys}


# -- validation -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"line": None, "keys": None},
        {"keys": {"a": {"type": "bogus"}}},
        {"keys": {"a": "text"}},
        {"keys": {"__tag__:x": {"type": "long"}}},
        {"line": {"token": "abc"}},
        {"keys": {"a": {"type": "json", "json_keys": {"b": {"type": "json"}}}}},
        {"keys": {"": {"type": "text"}}},
    ],
)
def test_invalid_configs(bad: dict[str, Any]) -> None:
    with pytest.raises(SLSError) as err:
        validate_index_config(bad)
    assert err.value.code == "IndexInfoInvalid"
    with pytest.raises(SLSError):
        LogstoreIndex(bad)


def test_valid_configs_accept_unknown_attributes() -> None:
    validate_index_config({"line": {"token": [","], "chn": False, "auto_key_detect": False}, "ttl": 7})
    validate_index_config({"keys": {"a": {"type": "long", "doc_value": True, "alias": "x"}}, "log_reduce": False})


# -- paging -----------------------------------------------------------------------------------
@pytest.fixture
def paged() -> Any:
    index = LogstoreIndex(config(id={"type": "text", "token": [], "doc_value": True}))
    # two logs share second T+1: the tie keeps ingestion order
    index.ingest([rec(T + i // 2 if i < 2 else T + i, id=str(i)) for i in range(250)])
    yield index
    index.close()


def test_paging_walks_all_logs_then_empty_page(paged: LogstoreIndex) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        result = paged.get_logs("*", T, T + 1000, line=100, offset=offset)
        assert query_meta(result)["count"] == len(result.rows)
        assert query_meta(result)["processedRows"] == 250
        if not result.rows:
            break
        seen += [r["id"] for r in result.rows]
        offset += query_meta(result)["count"]
    assert seen == [str(i) for i in range(250)]


def test_reverse_and_line_clamp(paged: LogstoreIndex) -> None:
    rows = paged.get_logs("*", T, T + 1000, line=500, reverse=True).rows
    assert len(rows) == 100
    assert rows[0]["id"] == "249"
    assert rows[-1]["id"] == "150"
    assert search_ids(paged, "*", line=2, offset=248, reverse=True) == ["1", "0"]
    assert search_ids(paged, "*", line=0) == []


def test_bad_paging_parameters(paged: LogstoreIndex) -> None:
    for kw in ({"line": -1}, {"offset": -1}):
        with pytest.raises(SLSError):
            paged.get_logs("*", T, T + 10, **kw)


def test_nanosecond_range() -> None:
    index = LogstoreIndex(config(id={"type": "text"}))
    index.ingest([LogRecord(T, ns, "", "", (), (("id", str(ns)),)) for ns in (0, 500, 999)])
    rows = index.get_logs("*", T, T, from_ns=500, to_ns=999).rows
    assert [r["id"] for r in rows] == ["500"]
    assert [r["id"] for r in index.get_logs("*", T, T + 1, from_ns=1).rows] == ["500", "999"]
    index.close()


# -- storage ----------------------------------------------------------------------------------
def test_reopen_restores_everything(tmp_path: Path) -> None:
    cfg = config(id={"type": "text", "doc_value": True}, n={"type": "long", "doc_value": True})
    index = LogstoreIndex(cfg, tmp_path)
    index.ingest([rec(T + i, "web", id=str(i), n=str(i * 10)) for i in range(5)])
    index.close()
    again = LogstoreIndex(cfg, tmp_path)
    assert search_ids(again, "n >= 20") == ["2", "3", "4"]
    again.ingest([rec(T + 9, "api", id="9", n="90")])
    assert again.list_topics() == ["api", "web"]
    assert again.get_logs("* | select sum(n) as s", T, T + 100).rows == [{"s": "190"}]
    again.close()
    third = LogstoreIndex(cfg, tmp_path)
    assert search_ids(third, "*") == ["0", "1", "2", "3", "4", "9"]
    third.close()


def test_crash_before_flush_is_replayed(tmp_path: Path) -> None:
    live, copy = tmp_path / "live", tmp_path / "copy"
    cfg = config(id={"type": "text"})
    index = LogstoreIndex(cfg, live)
    index.ingest([rec(T, id="flushed")])
    index.flush()
    index.ingest([rec(T + 1, id="journal-only")])
    # The process "dies" here: copy its files as they are, without close().
    shutil.copytree(live, copy)
    index.close()
    recovered = LogstoreIndex(cfg, copy)
    assert search_ids(recovered, "*") == ["flushed", "journal-only"]
    recovered.close()


def test_background_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "FLUSH_ROWS", 7)
    index = LogstoreIndex(config(id={"type": "long", "doc_value": True}), tmp_path)
    for start in range(0, 100, 5):
        index.ingest([rec(T + i, id=str(i)) for i in range(start, start + 5)])
    assert index.get_logs("* | select count(*) as c, sum(id) as s", T, T + 1000).rows == [{"c": "100", "s": "4950"}]
    index.close()
    assert not list(tmp_path.glob("journal.*.csv"))
    again = LogstoreIndex(config(id={"type": "long", "doc_value": True}), tmp_path)
    assert query_meta(again.get_logs("id >= 95", T, T + 1000))["count"] == 5
    again.close()


def test_values_with_separators_round_trip() -> None:
    odd = ["line1\nline2", "tab\there", "cr\rx", "\x1e\x1f\x1d\x1b0", "nul\x00x", "emoji 😀 中文", ""]
    index = LogstoreIndex(config(v={"type": "text", "doc_value": True}))
    index.ingest(
        [
            LogRecord(T + i, 0, "to\npic", "so\x1eurce", (("k\x1d", "v\n"),), (("v", s), ("id", str(i))))
            for i, s in enumerate(odd)
        ]
    )
    rows = index.get_logs("*", T, T + 100).rows
    expected = [s.replace("\x00", "\ufffd") for s in odd]
    assert [r["v"] for r in rows] == expected
    assert rows[0]["__topic__"] == "to\npic"
    assert rows[0]["__source__"] == "so\x1eurce"
    assert rows[0]["__tag__:k\x1d"] == "v\n"
    assert search_ids(index, "v:line2") == ["0"]
    assert search_ids(index, "v:emoji") == ["5"]
    assert search_ids(index, "v:中文") == ["5"]
    assert search_ids(index, 'v:""') == ["6"]
    assert index.get_logs("* | select v where v like 'line1%'", T, T + 100).rows == [{"v": "line1\nline2"}]
    index.close()


# -- index config versions --------------------------------------------------------------------
def test_update_config_applies_to_new_data_only() -> None:
    index = LogstoreIndex(config(a={"type": "text", "doc_value": True}))
    index.ingest([rec(T, id="old", a="x", b="5")])
    index.update_config(config(a={"type": "text", "doc_value": True}, b={"type": "long", "doc_value": True}))
    index.ingest([rec(T + 1, id="new", a="x", b="5")])
    assert search_ids(index, "a:x") == ["old", "new"]
    assert search_ids(index, "b:5") == ["new"]
    assert search_ids(index, "b:*") == ["new"]
    rows = index.get_logs("* | select b order by __time__", T, T + 100).rows
    assert rows == [{"b": "null"}, {"b": "5"}]
    # dropping a key makes field search on it an error again
    index.update_config(config(b={"type": "long", "doc_value": True}))
    with pytest.raises(SLSError):
        index.get_logs("a:x", T, T + 100)
    assert index.config == config(b={"type": "long", "doc_value": True})
    index.close()


def test_full_text_before_line_index_existed() -> None:
    index = LogstoreIndex({"keys": {"id": {"type": "text"}}})
    index.ingest([rec(T, id="1", msg="hello")])
    assert search_ids(index, "hello") == []  # no line index: only text keys are full-text
    index.update_config({"line": {"token": [" "]}, "keys": {"id": {"type": "text"}}})
    index.ingest([rec(T + 1, id="2", msg="hello")])
    assert search_ids(index, "hello") == ["2"]
    assert search_ids(index, "1") == ["1"]
    index.close()


def test_case_sensitive_and_whole_value_keys() -> None:
    index = LogstoreIndex(
        config(
            cs={"type": "text", "token": [" "], "caseSensitive": True},
            whole={"type": "text", "token": []},
        )
    )
    index.ingest([rec(T, id="1", cs="Hello World", whole="a b")])
    assert search_ids(index, "cs:Hello") == ["1"]
    assert search_ids(index, "cs:hello") == []
    assert search_ids(index, "whole:a") == []
    assert search_ids(index, 'whole:"A B"') == ["1"]
    assert search_ids(index, "whole:a*") == ["1"]
    index.close()


def test_reserved_fields_and_topic_parameter() -> None:
    index = LogstoreIndex(TEXT_KEYS)
    index.ingest([LogRecord(T, 0, "Nginx", "10.1.1.1", (("__client_ip__", "1.2.3.4"),), (("id", "1"),))])
    index.ingest([LogRecord(T + 1, 0, "", "10.1.1.2", (), (("id", "2"),))])
    assert search_ids(index, "__topic__:nginx") == ["1"]
    assert search_ids(index, '__topic__:""') == ["2"]
    assert search_ids(index, "source:10.1.1.*") == ["1", "2"]
    assert search_ids(index, "__source__:10.1.1.2") == ["2"]
    assert search_ids(index, "__tag__:__client_ip__:1.2.3.4") == ["1"]
    assert search_ids(index, "not __tag__:__client_ip__:*") == ["2"]
    assert search_ids(index, "*", topic="nginx") == ["1"]
    assert search_ids(index, "Nginx") == []  # reserved fields are not full-text
    assert index.list_topics() == ["", "Nginx"]
    index.close()


def test_numeric_field_rules() -> None:
    index = LogstoreIndex(config(n={"type": "long"}, d={"type": "double"}))
    index.ingest([rec(T, id="1", n="10", d="1.5"), rec(T + 1, id="2", n="x", d="-"), rec(T + 2, id="3")])
    assert search_ids(index, "n:10") == ["1"]
    assert search_ids(index, "n:abc") == []
    assert search_ids(index, "n > 1") == ["1"]
    assert search_ids(index, "n:*") == ["1", "2"]
    assert search_ids(index, "not n:*") == ["3"]
    assert search_ids(index, "d in (1 1.5]") == ["1"]
    assert search_ids(index, "not d > 0") == ["2", "3"]
    assert search_ids(index, "10") == []  # numeric keys are not full-text
    with pytest.raises(SLSError):
        index.get_logs("n:1*", T, T + 10)
    # a comparison on a text key degrades to full-text of its pieces
    assert search_ids(index, "id > 1") == []
    index.close()


def test_json_keys_without_json_keys_config() -> None:
    index = LogstoreIndex(config(j={"type": "json", "token": [" ", ","], "index_all": True}))
    index.ingest([rec(T, id="1", j='{"a":{"b":"deep value"},"n":3}'), rec(T + 1, id="2", j="not json")])
    assert search_ids(index, "j.a.b:deep") == ["1"]
    assert search_ids(index, "j.n:3") == ["1"]
    assert search_ids(index, "j:json") == ["2"]
    index.close()


def test_histogram_counts_phrase_as_plain_terms() -> None:
    index = LogstoreIndex(TEXT_KEYS)
    index.ingest([rec(T, msg="a b"), rec(T + 1, msg="b a")])
    assert query_meta(index.get_logs('#"a b"', T, T + 60))["count"] == 1
    buckets = index.get_histograms('#"a b"', T, T + 60)
    assert sum(b["count"] for b in buckets) == 2
    assert len(buckets) == 60
    index.close()


@pytest.mark.parametrize(
    ("span", "count", "width"),
    [(1, 1, 1), (60, 60, 1), (61, 31, 2), (900, 60, 15), (3600, 60, 60), (86400, 48, 1800), (86400 * 90, 45, 172800)],
)
def test_histogram_layout(span: int, count: int, width: int) -> None:
    index = LogstoreIndex(TEXT_KEYS)
    buckets = index.get_histograms("*", T, T + span)
    assert len(buckets) == count
    assert buckets[0]["to"] - buckets[0]["from"] == width
    assert buckets[-1]["to"] == T + span
    index.close()


def test_concurrent_ingest_and_query() -> None:
    index = LogstoreIndex(config(id={"type": "long", "doc_value": True}))
    errors: list[BaseException] = []

    def writer(base: int) -> None:
        try:
            for i in range(20):
                index.ingest([rec(T + base + i * 10 + j, id="1") for j in range(10)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k * 1000,)) for k in range(3)]
    for thread in threads:
        thread.start()
    for _ in range(10):
        index.get_logs("* | select count(*) as c", T, T + 10_000)
    for thread in threads:
        thread.join()
    assert not errors
    assert index.get_logs("* | select sum(id) as c", T, T + 10_000).rows == [{"c": "600"}]
    index.close()
