"""SLS IP functions in analytic SQL: exact classification and subnets, NULL geolocation (docs/query.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aliyun.log.emulator.query import LogRecord, LogstoreIndex
from aliyun.log.emulator.query.ip_functions import GEO_FUNCTIONS

T = 1_700_000_000
IPS = [
    "10.1.2.3",
    "192.168.1.7",
    "172.20.0.1",
    "127.0.0.1",
    "8.8.8.8",
    "100.64.0.1",
    "::1",
    "fd12:3456::1",
    "2001:db8::1",
]


@pytest.fixture(scope="module")
def index() -> Iterator[LogstoreIndex]:
    idx = LogstoreIndex({"keys": {"ip": {"type": "text", "token": [], "doc_value": True}}})
    idx.ingest([LogRecord(T + i, 0, "", "", (), (("ip", ip),)) for i, ip in enumerate(IPS)])
    yield idx
    idx.close()


def rows(index: LogstoreIndex, sql: str) -> list[list[str]]:
    return [list(r.values()) for r in index.get_logs(f"* | {sql}", T, T + 100).rows]


def test_ip_to_domain(index: LogstoreIndex) -> None:
    got = rows(index, "select ip, ip_to_domain(ip) as d order by __time__")
    assert got == [
        ["10.1.2.3", "intranet"],
        ["192.168.1.7", "intranet"],
        ["172.20.0.1", "intranet"],
        ["127.0.0.1", "intranet"],
        ["8.8.8.8", "internet"],
        ["100.64.0.1", "intranet"],
        ["::1", "intranet"],
        ["fd12:3456::1", "intranet"],
        ["2001:db8::1", "internet"],
    ]
    assert rows(index, "select ipv6_to_domain('fe80::1') as a, ipv6_to_domain('2001:db8::1') as b limit 1") == [
        ["intranet", "internet"]
    ]


def test_ip_prefix_and_subnet_bounds(index: LogstoreIndex) -> None:
    sql = (
        "select ip_prefix('192.168.1.7', 24) as p, ip_prefix('10.1.2.3', 8) as q, ip_prefix('10.1.2.3', 0) as z, "
        "ip_prefix('not an ip', 8) as bad, ip_subnet_min('192.168.1.7/24') as lo, "
        "ip_subnet_max('192.168.1.7/24') as hi, ip_subnet_range('10.0.0.0/15') as r limit 1"
    )
    assert rows(index, sql) == [
        [
            "192.168.1.0/24",
            "10.0.0.0/8",
            "0.0.0.0/0",
            "null",
            "192.168.1.0",
            "192.168.1.255",
            '["10.0.0.0","10.1.255.255"]',
        ]
    ]


def test_subnet_membership(index: LogstoreIndex) -> None:
    got = rows(index, "select ip from log where is_subnet_of('10.0.0.0/8', ip) or is_subnet_of('192.168.0.0/16', ip)")
    assert sorted(r[0] for r in got) == ["10.1.2.3", "192.168.1.7"]
    sql = (
        "select is_prefix_subnet_of('192.168.0.0/16', '192.168.1.0/24') as a, "
        "is_prefix_subnet_of('192.168.1.0/24', '192.168.0.0/16') as b, "
        "is_prefix_subnet_of('192.168.1.0/24', '192.168.2.0/25') as c, is_subnet_of('1.2.3.0/24', 'x') as d limit 1"
    )
    assert rows(index, sql) == [["true", "false", "false", "null"]]


@pytest.mark.parametrize(("name", "with_lang"), GEO_FUNCTIONS)
def test_every_geo_function_exists_and_answers_null(index: LogstoreIndex, name: str, with_lang: bool) -> None:
    assert rows(index, f"select {name}(ip) as g, count(*) as c group by g") == [["null", str(len(IPS))]]
    if with_lang:
        assert rows(index, f"select {name}(ip, 'en') as g limit 1") == [["null"]]
