"""Indexes and queries through our LogClient against the emulator.

Every acceptance case (``tests/emulator/query/acceptance_cases.py``) runs here end to end: the
index is created first, the
data set goes in through PutLogs (three log groups), and each case is asked through ``get_logs``
/ ``get_histograms`` (POST form, and the GET form for the search cases), once in-process and
once over a socket. The cases themselves come from ``tests/emulator/query/acceptance_cases.py``.
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import (
    GetHistogramsRequest,
    GetLogsRequest,
    IndexConfig,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
    QueriedLog,
)
from aliyun.log.emulator import EmulatorServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "emulator" / "query"))

import acceptance_cases as ac

_names = itertools.count()
FORMS = pytest.mark.parametrize("v1", [False, True], ids=["post", "get"])


def put_data_set(client: LogClient, project: str, logstore: str) -> None:
    """The acceptance data set: three PutLogs calls, one log group each."""
    for topic, source, tags, logs in ac.log_groups():
        items = [LogItem(timestamp=t, contents=pairs, time_nano_part=0) for t, pairs in logs]
        client.put_logs(PutLogsRequest(project, logstore, topic, source, items, logtags=list(tags)))


@pytest.fixture(scope="module")
def dataset(emulator: EmulatorServer) -> Iterator[tuple[str, str, str]]:
    """(project, indexed logstore with the data set, 150-log logstore) shared by the module."""
    setup = emulator.client(in_process=True)
    project = f"query-accept-{next(_names)}"
    setup.create_project(project, "acceptance data set")
    setup.create_logstore(project, "access", shard_count=2)
    setup.create_index(project, "access", IndexConfig().from_json(ac.INDEX_CONFIG))
    put_data_set(setup, project, "access")
    setup.create_logstore(project, "big", shard_count=1)
    setup.create_index(project, "big", ac.INDEX_CONFIG)
    setup.put_logs(
        PutLogsRequest(project, "big", "", "", [LogItem(ac.BIG_FROM + i, [("status", "200")], 0) for i in range(150)])
    )
    yield project, "access", "big"
    setup.delete_project(project)


def ids_of(logs: list[QueriedLog]) -> list[int]:
    return [ac.id_of({"__time__": str(log.get_time())}) for log in logs]


def request(project: str, logstore: str, query: str, **params: Any) -> GetLogsRequest:
    return GetLogsRequest(
        project,
        logstore,
        params.pop("from_time", ac.FROM),
        params.pop("to_time", ac.TO),
        query=query,
        **params,
    )


# -- 7.1 search statements -------------------------------------------------------------------


@FORMS
@pytest.mark.parametrize(("case", "query", "expected"), ac.SEARCH_CASES, ids=[c[0] for c in ac.SEARCH_CASES])
def test_search(client: LogClient, dataset: tuple[str, str, str], v1: bool, case: str, query: str,
                expected: list[int]) -> None:  # fmt: skip
    project, logstore, _ = dataset
    answer = client.get_logs(request(project, logstore, query), v1=v1)
    assert ids_of(answer.get_logs()) == expected
    assert answer.get_count() == len(expected)
    assert answer.is_completed()
    assert answer.get_has_sql() is False


@FORMS
@pytest.mark.parametrize("pc", ac.PAGING_CASES, ids=[c.case for c in ac.PAGING_CASES])
def test_paging_cases(client: LogClient, dataset: tuple[str, str, str], v1: bool, pc: ac.PagingCase) -> None:
    project, logstore, _ = dataset
    answer = client.get_logs(request(project, logstore, pc.query, **dict(pc.params)), v1=v1)
    assert ids_of(answer.get_logs()) == pc.expected
    assert answer.get_count() == len(pc.expected)
    assert answer.is_completed()


@FORMS
def test_p02_meta(client: LogClient, dataset: tuple[str, str, str], v1: bool) -> None:
    project, logstore, _ = dataset
    answer = client.get_logs(request(project, logstore, "status:200", line=3), v1=v1)
    assert answer.get_count() == 3
    assert answer.get_has_sql() is False
    assert answer.get_where_query() == "status:200"
    assert answer.get_agg_query() == ""
    assert answer.get_meta().get_progress() == "Complete"
    assert answer.get_processed_rows() == 8


@FORMS
def test_p07_from_equals_to(client: LogClient, dataset: tuple[str, str, str], v1: bool) -> None:
    project, logstore, _ = dataset
    with pytest.raises(LogException) as err:
        client.get_logs(request(project, logstore, "*", from_time=ac.T0, to_time=ac.T0), v1=v1)
    assert err.value.get_error_code() == "ParameterInvalid"
    assert err.value.get_resp_status() == 400


@FORMS
def test_log1_shape(client: LogClient, dataset: tuple[str, str, str], v1: bool) -> None:
    project, logstore, _ = dataset
    answer = client.get_logs(request(project, logstore, "*", line=1), v1=v1)
    row = answer.get_body()["data"][0]
    assert row == ac.LOG1_ROW
    assert list(row)[:4] == ["__time__", "__source__", "__topic__", "__tag__:__hostname__"]
    log = answer.get_logs()[0]
    assert (log.get_time(), log.get_source()) == (1704067205, "192.0.2.10")
    assert log.get_contents()["__topic__"] == "web"
    assert "__time__" not in log.get_contents()


# -- 7.2 search + SQL ------------------------------------------------------------------------


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
def test_sql(client: LogClient, dataset: tuple[str, str, str], case: ac.SqlCase) -> None:
    project, logstore, _ = dataset
    answer = client.get_logs(request(project, logstore, case.query, **dict(case.params)))
    meta = answer.get_meta()
    assert meta.get_has_sql() is True
    assert meta.get_keys() == case.keys
    search, _, sql = case.query.partition("|")
    assert meta.get_where_query() == search.strip()
    assert meta.get_agg_query() == sql.strip()
    rows = answer.get_body()["data"]
    assert answer.get_count() == len(rows) == len(answer.get_logs())
    assert answer.is_completed()
    for row in rows:
        assert list(row) == case.keys
        assert all(isinstance(v, str) for v in row.values())
    _assert_rows(case, [[r[k] for k in case.keys] for r in rows])


def test_sql_through_the_get_form(client: LogClient, dataset: tuple[str, str, str]) -> None:
    project, logstore, _ = dataset
    answer = client.get_logs(request(project, logstore, ac.SQL_CASES[1].query), v1=True)
    assert answer.get_has_sql() is True
    rows = [[log.get_contents()["status"], log.get_contents()["pv"]] for log in answer.get_logs()]
    assert rows == ac.SQL_CASES[1].rows
    assert all("__time__" in row for row in answer.get_body()["data"])  # 0.6 clients need it


@pytest.mark.parametrize(("case", "query", "count"), ac.BIG_CASES, ids=[c[0] for c in ac.BIG_CASES])
def test_default_sql_limit(client: LogClient, dataset: tuple[str, str, str], case: str, query: str,
                           count: int) -> None:  # fmt: skip
    project, _, big = dataset
    answer = client.get_logs(request(project, big, query, from_time=ac.BIG_FROM, to_time=ac.BIG_TO, line=1000))
    assert len(answer.get_logs()) == answer.get_count() == count


# -- 7.3 histograms --------------------------------------------------------------------------


def test_h01_histogram_totals(client: LogClient, dataset: tuple[str, str, str]) -> None:
    project, logstore, _ = dataset
    answer = client.get_histograms(GetHistogramsRequest(project, logstore, ac.FROM, ac.TO, query="*"))
    buckets = answer.get_histograms()
    assert answer.get_total_count() == 16
    assert answer.get_header("x-log-count") == "16"
    assert answer.is_completed() and all(b.is_completed() for b in buckets)
    assert buckets[0].get_from() == ac.FROM and buckets[-1].get_to() == ac.TO
    assert all(a.get_to() == b.get_from() for a, b in zip(buckets, buckets[1:]))
    assert len(buckets) <= 60


def test_h02_histogram_layout(client: LogClient, dataset: tuple[str, str, str]) -> None:
    project, logstore, _ = dataset
    buckets = client.get_histograms(GetHistogramsRequest(project, logstore, ac.FROM, ac.TO, query="*")).get_histograms()
    assert len(buckets) == 60
    assert all(b.get_to() - b.get_from() == 15 for b in buckets)
    assert [i for i, b in enumerate(buckets) if b.get_count()] == ac.H02_NONZERO
    assert all(b.get_count() == 1 for b in buckets if b.get_count())


def test_h04_histogram_rejects_sql(client: LogClient, dataset: tuple[str, str, str]) -> None:
    project, logstore, _ = dataset
    with pytest.raises(LogException) as err:
        client.get_histograms(GetHistogramsRequest(project, logstore, ac.FROM, ac.TO, query="* | select count(*)"))
    assert err.value.get_resp_status() == 400


def test_histograms_of_a_search_and_topic(client: LogClient, dataset: tuple[str, str, str]) -> None:
    project, logstore, _ = dataset
    answer = client.get_histograms(GetHistogramsRequest(project, logstore, ac.FROM, ac.TO, "api", "status >= 500"))
    assert answer.get_total_count() == 3


# -- 7.4 errors ------------------------------------------------------------------------------


@FORMS
@pytest.mark.parametrize(("case", "query", "code", "message"), ac.ERROR_CASES, ids=[c[0] for c in ac.ERROR_CASES])
def test_errors(client: LogClient, dataset: tuple[str, str, str], v1: bool, case: str, query: str, code: str,
                message: str) -> None:  # fmt: skip
    project, logstore, _ = dataset
    with pytest.raises(LogException) as err:
        client.get_logs(request(project, logstore, query), v1=v1)
    assert err.value.get_error_code() == code
    assert err.value.get_resp_status() == 400
    if message is not None:
        assert err.value.get_error_message().startswith(message)


def test_e07_no_index(client: LogClient, project: str) -> None:
    client.create_logstore(project, "plain", shard_count=1)
    for call in (
        lambda: client.get_logs(request(project, "plain", "*")),
        lambda: client.get_logs(request(project, "plain", "*"), v1=True),
        lambda: client.get_histograms(GetHistogramsRequest(project, "plain", ac.FROM, ac.TO)),
    ):
        with pytest.raises(LogException) as err:
            call()
        assert err.value.get_error_code() == "IndexConfigNotExist"
        assert err.value.get_error_message() == "logstore without index config"
        assert err.value.get_resp_status() == 400
