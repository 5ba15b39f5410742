"""The query acceptance data set and its cases, as data (the rules they follow: docs/query.md).

Kept free of any engine or HTTP specifics so the same cases can run against ``LogstoreIndex``
directly and, later, through the HTTP API. Search results are log ids (1..16); a row maps back
to its id through ``__time__`` (every log has a distinct offset from ``T0``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Optional

T0 = 1704067200  # 2024-01-01 00:00:00 UTC = 08:00:00 +08:00
FROM = T0
TO = T0 + 900

DEF = [",", " ", "'", '"', ";", "=", "(", ")", "[", "]", "{", "}", "?", "@", "&", "<", ">", "/", ":", "\n", "\t", "\r"]

INDEX_CONFIG: dict[str, Any] = {
    "line": {"token": DEF, "caseSensitive": False, "chn": False},
    "keys": {
        "remote_addr": {"type": "text", "token": [], "caseSensitive": False, "doc_value": True},
        "remote_user": {"type": "text", "token": DEF, "caseSensitive": False, "doc_value": True},
        "request_method": {"type": "text", "token": DEF, "caseSensitive": False, "doc_value": True},
        "request_uri": {"type": "text", "token": DEF, "caseSensitive": False, "doc_value": True},
        "status": {"type": "long", "doc_value": True},
        "body_bytes_sent": {"type": "long", "doc_value": True},
        "request_time": {"type": "double", "doc_value": True},
        "http_user_agent": {"type": "text", "token": DEF, "caseSensitive": False, "doc_value": True},
        "host": {"type": "text", "token": [], "caseSensitive": False, "doc_value": True},
        "time_local": {"type": "text", "token": DEF, "caseSensitive": False, "doc_value": False},
        "extra": {
            "type": "json",
            "token": DEF,
            "caseSensitive": False,
            "doc_value": True,
            "index_all": True,
            "max_depth": -1,
            "json_keys": {
                "user.id": {"type": "long", "doc_value": True},
                "user.role": {"type": "text", "doc_value": True},
                "region": {"type": "text", "doc_value": True},
            },
        },
    },
}

CW = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
FL = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
CL = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
CU = "curl/8.4.0"

ABSENT = object()  # remote_user of log 9

# id: (off, remote_addr, remote_user, method, uri, status, bytes, request_time, UA, host)
LOGS: dict[int, tuple[Any, ...]] = {
    1: (5, "10.0.0.1", "-", "GET", "/request/path-1/file-1", "200", "1500", "0.012", CW, "www.mg.mock.com"),
    2: (20, "10.0.0.2", "alice", "GET", "/request/path-2/file-4", "200", "3000", "0.350", FL, "www.mg.mock.com"),
    3: (45, "10.0.0.3", "-", "POST", "/api/v1/users?id=42&debug=true", "201", "512", "0.480", CU, "api.mock.com"),
    4: (70, "10.0.0.3", "bob", "GET", "/api/v1/users?id=7", "200", "2048", "0.055", CU, "api.mock.com"),
    5: (130, "10.0.0.4", "anna", "GET", "/static/app.js", "304", "0", "0.001", CL, "www.ol.mock.com"),
    6: (185, "10.0.0.5", "", "GET", "/request/path-1/file-4", "404", "153", "0.002", CW, "www.ol.mock.com"),
    7: (240, "10.0.0.6", "-", "PUT", "/api/v1/users/7", "500", "89", "1.250", CU, "api.mock.com"),
    8: (
        300,
        "10.0.0.1",
        "-",
        "GET",
        "/request/path-1/file-1?redirect=/request/path-2/file-4",
        "302",
        "0",
        "0.004",
        CW,
        "www.mg.mock.com",
    ),
    9: (365, "10.0.0.7", ABSENT, "DELETE", "/api/v1/users/42", "502", "166", "2.000", CU, "api.mock.com"),
    10: (420, "10.0.0.2", "alice", "POST", "/login", "200", "620", "0.210", FL, "www.mg.mock.com"),
    11: (480, "10.0.0.8", "-", "GET", "/request/path-3/file-2", "200", "4096", "0.075", CL, "www.mg.mock.com"),
    12: (545, "10.0.0.3", "bob", "GET", "/api/v2/orders", "200", "1024", "0.120", CU, "api.mock.com"),
    13: (600, "10.0.0.9", "-", "HEAD", "/request/path-1/file-1", "200", "0", "-", CW, "www.ol.mock.com"),
    14: (660, "10.0.0.6", "-", "POST", "/api/v2/orders", "500", "77", "0.900", CU, "api.mock.com"),
    15: (725, "10.0.0.5", "anna", "GET", "/request/path-2/file-4", "200", "2500", "0.095", CL, "www.mg.mock.com"),
    16: (830, "10.0.0.4", "Alice", "GET", "/request/path-4/file-1", "404", "153", "0.003", FL, "www.mg.mock.com"),
}

EXTRA = {
    3: '{"user":{"id":42,"role":"admin"},"region":"cn-hangzhou"}',
    4: '{"user":{"id":7,"role":"guest"},"region":"cn-shanghai"}',
    7: '{"user":{"id":7,"role":"guest"},"region":"cn-shanghai"}',
    9: '{"user":{"id":42,"role":"admin"},"region":"cn-hangzhou"}',
    12: '{"user":{"id":7,"role":"guest"},"region":"cn-hangzhou"}',
    14: '{"user":{"id":42,"role":"admin"},"region":"cn-beijing"}',
}

# (topic, source, tags, ids) per PutLogs call
GROUPS = [
    ("web", "192.0.2.10", (("__hostname__", "web-1"),), [1, 2, 5, 6, 8]),
    ("api", "192.0.2.11", (("__hostname__", "api-1"),), [3, 4, 7, 9, 12, 14]),
    ("web", "192.0.2.12", (("__hostname__", "web-2"),), [10, 11, 13, 15, 16]),
]
ALL = list(range(1, 17))
_CST = datetime.timezone(datetime.timedelta(hours=8))


def time_local(ts: int) -> str:
    """``time_local`` as the data set writes it (+08:00)."""
    return datetime.datetime.fromtimestamp(ts, _CST).strftime("%d/%b/%Y:%H:%M:%S")


def contents(log_id: int) -> list[tuple[str, str]]:
    """Key/value pairs of one log, in the order they are written."""
    off, addr, user, method, uri, status, size, rt, ua, host = LOGS[log_id]
    ts = T0 + off
    pairs = [("remote_addr", addr)]
    if user is not ABSENT:
        pairs.append(("remote_user", user))
    pairs += [
        ("request_method", method),
        ("request_uri", uri),
        ("status", status),
        ("body_bytes_sent", size),
        ("request_time", rt),
        ("http_user_agent", ua),
        ("host", host),
        ("http_referer", "https://www.google.com/search?q=mock" if log_id in (1, 2) else "-"),
        ("time_local", time_local(ts)),
    ]
    if log_id in EXTRA:
        pairs.append(("extra", EXTRA[log_id]))
    return pairs


def log_groups() -> list[tuple[str, str, tuple[tuple[str, str], ...], list[tuple[int, list[tuple[str, str]]]]]]:
    """The three PutLogs calls: (topic, source, tags, [(time, contents), ...])."""
    return [(topic, source, tags, [(T0 + LOGS[i][0], contents(i)) for i in ids]) for topic, source, tags, ids in GROUPS]


def id_of(row: dict[str, str]) -> int:
    """Log id of a returned log row."""
    off = int(row["__time__"]) - T0
    return next(i for i, spec in LOGS.items() if spec[0] == off)


# -- 7.1 search statements: (case id, query, expected ids) ------------------------------------
SEARCH_CASES: list[tuple[str, str, list[int]]] = [
    ("S01", "*", ALL),
    ("S02", "", ALL),
    ("S03", "status: 404", [6, 16]),
    ("S04", "status=404", [6, 16]),
    ("S06", "request_time in [0.05 0.35]", [2, 4, 10, 11, 12, 15]),
    ("S08", "status in [200 299]", [1, 2, 3, 4, 10, 11, 12, 13, 15]),
    ("S09", "request_method:GET and status in [200 299]", [1, 2, 4, 11, 12, 15]),
    ("S10", "request_method:GET or request_method:POST", [1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 14, 15, 16]),
    ("S11", "not request_method:GET", [3, 7, 9, 10, 13, 14]),
    ("S12", "(request_method:GET or request_method:POST) not status in [200 299]", [5, 6, 8, 14, 16]),
    ("S13", "request_method:get", [1, 2, 4, 5, 6, 8, 11, 12, 15, 16]),
    ("S14", "request_method:GET AND NOT status:200", [5, 6, 8, 16]),
    ("S15", "host: www.ol.mock.com", [5, 6, 13]),
    ("S17", "host: mock", []),
    ("S18", "remote_user: a*", [2, 5, 10, 15, 16]),
    ("S19", "remote_user: Alice", [2, 10, 16]),
    ("S20", "http_user_agent: mo*la", [1, 2, 5, 6, 8, 10, 11, 13, 15, 16]),
    ("S22", "mozi?la", [1, 2, 5, 6, 8, 10, 11, 13, 15, 16]),
    ("S23", "moz* and sa*", [1, 5, 6, 8, 11, 13, 15]),
    ("S24", "Firefox", [2, 10, 16]),
    ("S25", 'http_user_agent:"Linux Chrome"', [5, 11, 15]),
    ("S27", "request_uri:/request/path-2/file-4", [2, 8, 15]),
    ("S29", 'request_uri: #"path-1/file-4"', [6]),
    ("S30", "request_uri:/request* not request_uri:/file-1", [2, 6, 11, 15]),
    ("S31", "time_local: 08/Jan", ALL),
    ("S32", 'time_local: #"08/Jan"', []),
    ("S34", "__topic__: api", [3, 4, 7, 9, 12, 14]),
    ("S35", "__topic__:web or __topic__:api", ALL),
    ("S36", "source: 192.0.2.12", [10, 11, 13, 15, 16]),
    ("S38", "__tag__:__hostname__:web-2", [10, 11, 13, 15, 16]),
    ("S39", 'remote_user:""', [6]),
    ("S40", 'not remote_user:""', [i for i in ALL if i != 6]),
    ("S42", "not remote_user:*", [9]),
    ("S43", "request_time > -1000000000", [i for i in ALL if i != 13]),
    ("S44", '(request_time:"") or (not request_time > -10000000000)', [13]),
    ("S46", "request_method:DELETE or request_method:PUT not status:500", [9]),
    ("S47", "status >= 500", [7, 9, 14]),
    ("S48", "status>=400 and __topic__:web", [6, 16]),
    ("S49", "extra.region: cn-hangzhou", [3, 9, 12]),
    ("S51", "cn*", [3, 4, 7, 9, 12, 14]),
    ("S52", "www.google.com", [1, 2]),
    ("S54", '"rv:121.0"', [2, 10, 16]),
    ("S55", "GET 200", []),
]


@dataclass(frozen=True)
class PagingCase:
    """A GetLogs request with non-default parameters and the expected ids."""

    case: str
    query: str
    expected: list[int]
    params: dict[str, Any] = field(default_factory=dict)


PAGING_CASES: list[PagingCase] = [
    PagingCase("P01", "*", [1], {"from_time": T0 + 5, "to_time": T0 + 20}),
    PagingCase("P02", "status:200", [1, 2, 4], {"line": 3}),
    PagingCase("P05", "status:200", [], {"offset": 8}),
    PagingCase("P06", "*", [3, 4, 7, 9, 12, 14], {"topic": "api"}),
]

#: Log 1 exactly as a non-SQL response returns it.
LOG1_ROW = {
    "__time__": "1704067205",
    "__source__": "192.0.2.10",
    "__topic__": "web",
    "__tag__:__hostname__": "web-1",
    "remote_addr": "10.0.0.1",
    "remote_user": "-",
    "request_method": "GET",
    "request_uri": "/request/path-1/file-1",
    "status": "200",
    "body_bytes_sent": "1500",
    "request_time": "0.012",
    "http_user_agent": CW,
    "host": "www.mg.mock.com",
    "http_referer": "https://www.google.com/search?q=mock",
    "time_local": "01/Jan/2024:08:00:05",
}


# -- 7.2 search + SQL -------------------------------------------------------------------------
@dataclass(frozen=True)
class SqlCase:
    """A SQL case: rows as lists of strings in column order.

    :param compare: ``exact`` (rows in order), ``multiset`` (order unspecified) or ``float``
        (cells compared as floats with tolerance 1e-12).
    """

    case: str
    query: str
    keys: list[str]
    rows: list[list[str]]
    compare: str = "exact"
    params: dict[str, Any] = field(default_factory=dict)


SQL_CASES: list[SqlCase] = [
    SqlCase("Q01", "* | SELECT count(*) AS pv", ["pv"], [["16"]]),
    SqlCase(
        "Q02",
        "* | SELECT status, count(*) AS pv GROUP BY status ORDER BY pv DESC, status",
        ["status", "pv"],
        [["200", "8"], ["404", "2"], ["500", "2"], ["201", "1"], ["302", "1"], ["304", "1"], ["502", "1"]],
    ),
    SqlCase("Q03", "request_method:GET | select count(1) as c", ["c"], [["10"]]),
    SqlCase(
        "Q04",
        "* | select request_method, count(*) as c group by request_method order by c desc, request_method limit 3",
        ["request_method", "c"],
        [["GET", "10"], ["POST", "3"], ["DELETE", "1"]],
    ),
    SqlCase(
        "Q06",
        "* | select sum(body_bytes_sent) as total, max(body_bytes_sent) as mx, min(body_bytes_sent) as mn",
        ["total", "mx", "mn"],
        [["15938", "4096", "0"]],
    ),
    SqlCase(
        "Q07",
        "* | select avg(request_time) as a, count(request_time) as n, count(*) as total",
        ["a", "n", "total"],
        [["0.3704666666666667", "15", "16"]],
        compare="float",
    ),
    SqlCase(
        "Q09",
        "* | select count_if(status >= 400) * 100.0 / count(*) as err_rate",
        ["err_rate"],
        [["31.25"]],
    ),
    SqlCase("Q10", "* | select approx_distinct(remote_addr) as uv", ["uv"], [["9"]]),
    SqlCase(
        "Q11",
        "* | select count(*) as c from (select distinct remote_addr from log)",
        ["c"],
        [["9"]],
    ),
    SqlCase(
        "Q13",
        "* | select split_part(request_uri, '?', 1) as path, count(1) as pv group by path order by pv desc, path limit 3",  # noqa: E501
        ["path", "pv"],
        [["/request/path-1/file-1", "3"], ["/api/v1/users", "2"], ["/api/v2/orders", "2"]],
    ),
    SqlCase(
        "Q15",
        "* | select json_extract_scalar(extra, '$.region') as region, count(*) as c where extra is not null group by region order by region",  # noqa: E501
        ["region", "c"],
        [["cn-beijing", "1"], ["cn-hangzhou", "3"], ["cn-shanghai", "2"]],
    ),
    SqlCase(
        "Q16",
        '__topic__: api | select "extra.user.role" as role, count(*) as c group by role order by c desc, role',
        ["role", "c"],
        [["admin", "3"], ["guest", "3"]],
    ),
    SqlCase(
        "Q18",
        "* | select host, count(*) as c, sum(body_bytes_sent) as bytes group by host order by bytes desc",
        ["host", "c", "bytes"],
        [["www.mg.mock.com", "7", "11869"], ["api.mock.com", "6", "3916"], ["www.ol.mock.com", "3", "153"]],
    ),
    SqlCase(
        "Q19",
        "* | select request_uri, request_time order by request_time desc limit 3",
        ["request_uri", "request_time"],
        [["/api/v1/users/42", "2.0"], ["/api/v1/users/7", "1.25"], ["/api/v2/orders", "0.9"]],
    ),
    SqlCase(
        "Q19r",  # Q19 re-run: SQL ignores line/offset/reverse
        "* | select request_uri, request_time order by request_time desc limit 3",
        ["request_uri", "request_time"],
        [["/api/v1/users/42", "2.0"], ["/api/v1/users/7", "1.25"], ["/api/v2/orders", "0.9"]],
        params={"reverse": True, "line": 1},
    ),
    SqlCase(
        "Q21",
        "* | select __time__ - __time__ % 300 as t, count(*) as c group by t order by t",
        ["t", "c"],
        [["1704067200", "7"], ["1704067500", "5"], ["1704067800", "4"]],
    ),
    SqlCase(
        "Q23",
        "* | select date_format(date_trunc('hour', __time__), '%Y-%m-%d %H:%i:%s') as h, count(*) as c group by h",
        ["h", "c"],
        [["2024-01-01 08:00:00", "16"]],
    ),
    SqlCase(
        "Q24",
        "* | select date_format(from_unixtime(__time__), '%Y-%m-%d %H:%i:%s') as t order by __time__ limit 1",
        ["t"],
        [["2024-01-01 08:00:05"]],
    ),
    SqlCase(
        "Q25",
        "* | select time_series(__time__, '5m', '%H:%i', '0') as t, count(*) as c group by t order by t",
        ["t", "c"],
        [["08:00", "7"], ["08:05", "5"], ["08:10", "4"]],
    ),
    SqlCase(
        "Q26",
        "* | select time_series(__time__, '5m', '%H:%i', '0') as t, count(*) as c group by t order by t",
        ["t", "c"],
        [["08:00", "7"], ["08:05", "5"], ["08:10", "4"], ["08:15", "0"]],
        params={"to_time": T0 + 1200},
    ),
    SqlCase(
        "Q28",
        "status:500 | select count(*) as c, sum(body_bytes_sent) as b",
        ["c", "b"],
        [["2", "166"]],
    ),
    SqlCase(
        "Q29",
        "status >= 500 | select request_uri, count(*) as c group by request_uri order by c desc, request_uri",
        ["request_uri", "c"],
        [["/api/v1/users/42", "1"], ["/api/v1/users/7", "1"], ["/api/v2/orders", "1"]],
    ),
    SqlCase(
        "Q31",
        "* | select __source__, count(*) as c group by __source__ order by __source__",
        ["__source__", "c"],
        [["192.0.2.10", "5"], ["192.0.2.11", "6"], ["192.0.2.12", "5"]],
    ),
    SqlCase(
        "Q32",
        "* | select lower(request_method) as m, count(*) as c where request_method in ('GET','POST') group by 1 order by 1",  # noqa: E501
        ["m", "c"],
        [["get", "10"], ["post", "3"]],
    ),
    SqlCase(
        "Q33",
        "* | select histogram(request_method) as m",
        ["m"],
        [['{"DELETE":1,"GET":10,"HEAD":1,"POST":3,"PUT":1}']],
    ),
    SqlCase(
        "Q34",
        "* | select ip_to_domain(remote_addr) as d, count(*) as c group by d",
        ["d", "c"],
        [["intranet", "16"]],
    ),
    SqlCase(
        "Q35",
        "* | select status = 200 and request_method = 'GET'",
        ["_col0"],
        [["true"]] * 6 + [["false"]] * 10,
        compare="multiset",
    ),
]

#: Q37/Q38: a second logstore with 150 logs at T0+1000+i.
BIG_FROM = T0 + 1000
BIG_TO = T0 + 1200
BIG_CASES: list[tuple[str, str, int]] = [
    ("Q37", "* | select __time__", 100),
    ("Q38", "* | select __time__ order by __time__ limit 150", 150),
]


# -- 7.3 histograms ---------------------------------------------------------------------------
H02_NONZERO = [0, 1, 3, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 55]


# -- 7.4 errors: (case id, query, code, message prefix or None) ------------------------------
ERROR_CASES: list[tuple[str, str, str, Optional[str]]] = [
    (
        "E01",
        "http_referer: google",
        "ParameterInvalid",
        "key (http_referer) is not config as key value config,if symbol : is in your log,"
        'please wrap : with quotation mark "',
    ),
    (
        "E03",
        "* | select time_local limit 1",
        "ParameterInvalid",
        "Column 'time_local' no longer exists or type mismatch",
    ),
    (
        "E04",
        "* | select status where status = '200'",
        "ParameterInvalid",
        "'=' cannot be applied to bigint, varchar(3)",
    ),
    ("E05", "* | select wm_concat(request_uri)", "ParameterInvalid", "Function wm_concat not registered"),
    ("E08", '#"like Gecko" | select count(*)', "ParameterInvalid", None),
    ("E09", 'not #"like Gecko"', "ParameterInvalid", None),
]
