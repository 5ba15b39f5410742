"""Every acceptance case (``acceptance_cases.py``) against ``LogstoreIndex`` directly."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import acceptance_cases as ac

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.shapes import query_meta
from aliyun.log.emulator.query import LogRecord, LogstoreIndex, no_index_error


def build_index(**kwargs: Any) -> LogstoreIndex:
    """The acceptance data set, written with three ingest calls like three PutLogs."""
    index = LogstoreIndex(ac.INDEX_CONFIG, **kwargs)
    for topic, source, tags, logs in ac.log_groups():
        index.ingest([LogRecord(t, 0, topic, source, tags, tuple(pairs)) for t, pairs in logs])
    return index


@pytest.fixture(scope="module")
def index() -> Iterator[LogstoreIndex]:
    idx = build_index()
    yield idx
    idx.close()


@pytest.fixture(scope="module")
def big_index() -> Iterator[LogstoreIndex]:
    idx = LogstoreIndex(ac.INDEX_CONFIG)
    idx.ingest([LogRecord(ac.BIG_FROM + i, 0, "", "", (), (("status", "200"),)) for i in range(150)])
    yield idx
    idx.close()


def ids(result: Any) -> list[int]:
    return [ac.id_of(r) for r in result.rows]


@pytest.mark.parametrize(("case", "query", "expected"), ac.SEARCH_CASES, ids=[c[0] for c in ac.SEARCH_CASES])
def test_search(index: LogstoreIndex, case: str, query: str, expected: list[int]) -> None:
    result = index.get_logs(query, ac.FROM, ac.TO)
    assert ids(result) == expected
    assert query_meta(result)["progress"] == "Complete"
    assert query_meta(result)["count"] == len(expected)
    assert query_meta(result)["hasSQL"] is False


@pytest.mark.parametrize("pc", ac.PAGING_CASES, ids=[c.case for c in ac.PAGING_CASES])
def test_paging(index: LogstoreIndex, pc: ac.PagingCase) -> None:
    params = {"from_time": ac.FROM, "to_time": ac.TO, **pc.params}
    result = index.get_logs(pc.query, **params)
    assert ids(result) == pc.expected
    assert query_meta(result)["count"] == len(pc.expected)
    assert query_meta(result)["progress"] == "Complete"


def test_p02_meta(index: LogstoreIndex) -> None:
    meta = query_meta(index.get_logs("status:200", ac.FROM, ac.TO, line=3))
    assert meta["count"] == 3
    assert meta["hasSQL"] is False
    assert meta["whereQuery"] == "status:200"
    assert meta["aggQuery"] == ""
    assert meta["progress"] == "Complete"
    assert meta["processedRows"] == 8


def test_p07_from_equals_to(index: LogstoreIndex) -> None:
    with pytest.raises(SLSError) as err:
        index.get_logs("*", ac.T0, ac.T0)
    assert err.value.code == "ParameterInvalid"


def test_log1_shape(index: LogstoreIndex) -> None:
    row = index.get_logs("*", ac.FROM, ac.TO, line=1).rows[0]
    assert row == ac.LOG1_ROW
    assert list(row)[:4] == ["__time__", "__source__", "__topic__", "__tag__:__hostname__"]


def _assert_rows(case: ac.SqlCase, rows: list[list[str]]) -> None:
    if case.compare == "multiset":
        assert Counter(map(tuple, rows)) == Counter(map(tuple, case.rows))
    elif case.compare == "float":
        assert len(rows) == len(case.rows)
        for got, want in zip(rows, case.rows):
            assert [float(x) for x in got] == pytest.approx([float(x) for x in want], abs=1e-12)
    else:
        assert rows == case.rows


@pytest.mark.parametrize("case", ac.SQL_CASES, ids=[c.case for c in ac.SQL_CASES])
def test_sql(index: LogstoreIndex, case: ac.SqlCase) -> None:
    params = {"from_time": ac.FROM, "to_time": ac.TO, **case.params}
    result = index.get_logs(case.query, **params)
    meta = query_meta(result)
    assert meta["hasSQL"] is True
    assert meta["keys"] == case.keys
    search, _, sql = case.query.partition("|")
    assert meta["whereQuery"] == search.strip()
    assert meta["aggQuery"] == sql.strip()
    assert meta["count"] == len(result.rows)
    assert meta["progress"] == "Complete"
    for row in result.rows:
        assert list(row) == case.keys
        assert all(isinstance(v, str) for v in row.values())
    _assert_rows(case, [[r[k] for k in case.keys] for r in result.rows])


@pytest.mark.parametrize(("case", "query", "count"), ac.BIG_CASES, ids=[c[0] for c in ac.BIG_CASES])
def test_default_limit(big_index: LogstoreIndex, case: str, query: str, count: int) -> None:
    result = big_index.get_logs(query, ac.BIG_FROM, ac.BIG_TO)
    assert len(result.rows) == count
    assert query_meta(result)["count"] == count


def test_h01_histogram_totals(index: LogstoreIndex) -> None:
    buckets = index.get_histograms("*", ac.FROM, ac.TO)
    assert sum(b["count"] for b in buckets) == 16
    assert all(b["progress"] == "Complete" for b in buckets)
    assert buckets[0]["from"] == ac.FROM
    assert buckets[-1]["to"] == ac.TO
    assert all(a["to"] == b["from"] for a, b in zip(buckets, buckets[1:]))
    assert len(buckets) <= 60


def test_h02_histogram_layout(index: LogstoreIndex) -> None:
    buckets = index.get_histograms("*", ac.FROM, ac.TO)
    assert len(buckets) == 60
    assert all(b["to"] - b["from"] == 15 for b in buckets)
    assert [i for i, b in enumerate(buckets) if b["count"]] == ac.H02_NONZERO
    assert all(b["count"] == 1 for b in buckets if b["count"])


def test_h04_histogram_rejects_sql(index: LogstoreIndex) -> None:
    with pytest.raises(SLSError):
        index.get_histograms("* | select count(*)", ac.FROM, ac.TO)


@pytest.mark.parametrize(("case", "query", "code", "message"), ac.ERROR_CASES, ids=[c[0] for c in ac.ERROR_CASES])
def test_errors(index: LogstoreIndex, case: str, query: str, code: str, message: str) -> None:
    with pytest.raises(SLSError) as err:
        index.get_logs(query, ac.FROM, ac.TO)
    assert err.value.code == code
    assert err.value.status == 400
    if message is not None:
        assert err.value.message.startswith(message)


def test_e07_no_index() -> None:
    err = no_index_error()
    assert (err.code, err.message, err.status) == (
        "IndexConfigNotExist",
        "logstore without index config",
        400,
    )
