"""``compare`` / ``ts_compare`` end to end: PutLogs over two days, GetLogs through the SDK client.

Expected values are counted by hand from the data below (docs/query.md "Period-over-period and IP functions").
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aliyun.log import GetLogsRequest, IndexConfig, LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

DAY = 86400
T0 = 1704153600  # 2024-01-02 08:00:00 +08:00; the queried range is [T0, T0 + 300)
TO = T0 + 300
PROJECT = "compare-project"
LOGSTORE = "access"

# (seconds relative to T0, status)
TODAY = [(5, 200), (15, 200), (65, 200), (80, 500), (85, 500), (190, 200), (400, 200)]  # 400: after `to`
YESTERDAY = [(10, 200), (70, 200), (75, 500), (130, 404), (350, 500)]  # 350: outside the shifted range
TWO_DAYS_AGO = [(20, 200), (100, 200)]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as server:
        client = server.client(in_process=True)
        client.create_project(PROJECT, "compare tests")
        client.create_logstore(PROJECT, LOGSTORE, shard_count=1)
        config = {"line": {"token": [" "]}, "keys": {"status": {"type": "long", "doc_value": True}}}
        client.create_index(PROJECT, LOGSTORE, IndexConfig().from_json(config))
        for base, logs in ((T0, TODAY), (T0 - DAY, YESTERDAY), (T0 - 2 * DAY, TWO_DAYS_AGO)):
            items = [LogItem(timestamp=base + off, contents=[("status", str(st))]) for off, st in logs]
            client.put_logs(PutLogsRequest(PROJECT, LOGSTORE, "", "", items))
        yield server


@pytest.fixture(scope="module")
def client(server: EmulatorServer) -> LogClient:
    return server.client(in_process=True)


def query(client: LogClient, sql: str, search: str = "*") -> list[dict[str, str]]:
    request = GetLogsRequest(PROJECT, LOGSTORE, T0, TO, query=f"{search} | {sql}")
    return [log.get_contents() for log in client.get_logs(request).get_logs()]


def values(rows: list[dict[str, str]], *keys: str) -> list[list[str]]:
    return [[row[k] for k in keys] for row in rows]


def test_compare_one_offset(client: LogClient) -> None:
    rows = query(client, "select compare(pv, 86400) from (select count(*) as pv from log)")
    assert values(rows, "_col0") == [["[6.0,4.0,1.5]"]]


def test_compare_several_offsets_lists_previous_values_then_ratios(client: LogClient) -> None:
    rows = query(client, "select compare(pv, 86400, 172800) as diff from (select count(1) as pv from log)")
    assert values(rows, "diff") == [["[6.0,4.0,2.0,1.5,3.0]"]]


def test_compare_elements(client: LogClient) -> None:
    sql = (
        "select diff[1] as today, diff[2] as yesterday, diff[3] as ratio, "
        "round((diff[3] - 1.0) * 100, 2) as growth "
        "from (select compare(pv, 86400) as diff from (select count(*) as pv from log))"
    )
    assert values(query(client, sql), "today", "yesterday", "ratio", "growth") == [["6.0", "4.0", "1.5", "50.0"]]


def test_compare_empty_previous_period_has_null_ratio(client: LogClient) -> None:
    sql = (
        "select diff[2] as prev, diff[3] as ratio "
        "from (select compare(pv, 3600) as diff from (select count(*) as pv from log))"
    )
    assert values(query(client, sql), "prev", "ratio") == [["0.0", "null"]]


def test_compare_applies_the_search_to_every_period(client: LogClient) -> None:
    rows = query(client, "select compare(pv, 86400) as d from (select count(*) as pv from log)", search="status: 200")
    assert values(rows, "d") == [["[4.0,2.0,2.0]"]]


def test_compare_with_group_by_matches_keys_and_keeps_current_groups(client: LogClient) -> None:
    sql = (
        "select status, compare(c, 86400) as d from "
        "(select status, count(*) as c from log group by status) group by status order by status"
    )
    # 404 only exists yesterday: no row for it
    assert values(query(client, sql), "status", "d") == [["200", "[4.0,2.0,2.0]"], ["500", "[2.0,1.0,2.0]"]]


def test_compare_with_time_of_day_labels(client: LogClient) -> None:
    sql = (
        "select t, diff[1] as today, diff[2] as yesterday, diff[3] as ratio from ("
        "select t, compare(pv, 86400) as diff from ("
        "select date_format(from_unixtime(__time__), '%H:%i') as t, count(1) as pv from log group by t limit 10000"
        ") group by t order by t limit 10000)"
    )
    assert values(query(client, sql), "t", "today", "yesterday", "ratio") == [
        ["08:00", "2.0", "1.0", "2.0"],
        ["08:01", "3.0", "2.0", "1.5"],
        ["08:03", "1.0", "null", "null"],
    ]


def test_other_aggregates_see_the_current_period_only(client: LogClient) -> None:
    sql = (
        "select compare(c, 86400) as d, sum(c) as s, count(*) as n "
        "from (select status, count(*) as c from log group by status)"
    )
    assert values(query(client, sql), "d", "s", "n") == [["[6.0,4.0,1.5]", "6", "2"]]


def test_ts_compare_by_minute(client: LogClient) -> None:
    sql = (
        "select t, ts_compare(pv, 86400) as d from "
        "(select date_trunc('minute', __time__) as t, count(*) as pv from log group by t) group by t order by t"
    )
    y = T0 - DAY
    assert values(query(client, sql), "t", "d") == [
        ["2024-01-02 08:00:00.000", f"[2.0,1.0,2.0,{y}.0]"],
        ["2024-01-02 08:01:00.000", f"[3.0,2.0,1.5,{y + 60}.0]"],
        ["2024-01-02 08:03:00.000", f"[1.0,null,null,{y + 180}.0]"],
    ]


def test_ts_compare_several_offsets_and_bigint_buckets(client: LogClient) -> None:
    sql = (
        "select t, ts_compare(pv, 86400, 172800) as d from "
        "(select __time__ - __time__ % 60 as t, count(*) as pv from log group by t) group by t order by t"
    )
    y, yy = T0 - DAY, T0 - 2 * DAY
    assert values(query(client, sql), "t", "d") == [
        [str(T0), f"[2.0,1.0,1.0,2.0,2.0,{y}.0,{yy}.0]"],
        [str(T0 + 60), f"[3.0,2.0,1.0,1.5,3.0,{y + 60}.0,{yy + 60}.0]"],
        [str(T0 + 180), f"[1.0,null,null,null,null,{y + 180}.0,{yy + 180}.0]"],
    ]


def test_ts_compare_with_an_offset_inside_the_range(client: LogClient) -> None:
    sql = (
        "select t, ts_compare(pv, 60) as d from "
        "(select date_trunc('minute', __time__) as t, count(*) as pv from log group by t) group by 1 order by 1"
    )
    assert values(query(client, sql), "d") == [
        [f"[2.0,null,null,{T0 - 60}.0]"],
        [f"[3.0,2.0,1.5,{T0}.0]"],
        [f"[1.0,null,null,{T0 + 120}.0]"],
    ]


def test_compare_over_a_socket_and_the_get_form(server: EmulatorServer) -> None:
    sql = "select compare(pv, 86400) as d from (select count(*) as pv from log)"
    request = GetLogsRequest(PROJECT, LOGSTORE, T0, TO, query=f"* | {sql}")
    for v1 in (False, True):
        logs = server.client().get_logs(request, v1=v1).get_logs()
        assert [log.get_contents()["d"] for log in logs] == ["[6.0,4.0,1.5]"]


@pytest.mark.parametrize(
    "sql",
    [
        "select compare(count(*), 86400) from log",
        "select compare(pv, 86400) from (select compare(pv, 3600) as pv from (select count(*) as pv from log))",
        "select compare(pv, 'a day') from (select count(*) as pv from log)",
        "select compare(pv) from (select count(*) as pv from log)",
        "select ts_compare(pv, 86400) from (select count(*) as pv from log)",
    ],
)
def test_unsupported_forms_are_parameter_invalid(client: LogClient, sql: str) -> None:
    with pytest.raises(LogException) as err:
        query(client, sql)
    assert err.value.get_error_code() == "ParameterInvalid"
