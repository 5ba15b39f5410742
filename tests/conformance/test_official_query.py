"""The official SDK's index and query calls against the emulator.

The official client creates the index (from the README-style ``IndexConfig().from_json``), writes the
acceptance data set (``tests/emulator/query/acceptance_cases.py``) with its own PutLogs, and then asks the
acceptance cases through ``get_logs`` in both of its forms (the default POST form with LZ4 answers,
and the legacy GET form), ``get_log``, ``get_log_all``, ``get_histograms``, ``list_topics`` and
``get_project_logs``. Every answer it parses must match the expected results exactly.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "emulator" / "query"))

import acceptance_cases as ac

pytestmark = pytest.mark.conformance

P, L = "conf-query", "access"

QUERY_SCRIPT = """
P, L = "conf-query", "access"
T0, FROM, TO = PARAMS["t0"], PARAMS["from"], PARAMS["to"]

def when(log):
    return log.get_time()

# -- index: create from README-style JSON, read back, update, read back again ----------------
config = IndexConfig()
config.from_json(PARAMS["index"])
client.create_index(P, L, config)
out = {"create_twice": error_of(client.create_index, P, L, config)}
stored = client.get_index_config(P, L).get_index_config()
out["stored_keys"] = sorted(stored.key_config_list)
out["stored_extra_type"] = stored.key_config_list["extra"].index_type
out["stored_line_tokens"] = stored.line_config.token_list
client.update_index(P, L, stored)
out["after_update"] = client.get_index_config(P, L).get_index_config().to_json()

# -- the data set, written by the official client ----------------------------------------------
for topic, source, tags, logs in PARAMS["groups"]:
    items = [LogItem(t, [tuple(kv) for kv in pairs]) for t, pairs in logs]
    client.put_logs(PutLogsRequest(P, L, topic, source, items, logtags=[tuple(t) for t in tags]))

def search_all(form):
    client._get_logs_v2_enabled = form == "post"
    found = {}
    for case, query in PARAMS["search"]:
        res = client.get_logs(GetLogsRequest(P, L, FROM, TO, query=query))
        found[case] = {"times": [when(log) for log in res.get_logs()], "count": res.get_count(),
                       "complete": res.is_completed()}
    for case, query, params in PARAMS["paging"]:
        res = client.get_logs(GetLogsRequest(P, L, params.get("from_time", FROM), params.get("to_time", TO),
                                             topic=params.get("topic"), query=query, line=params.get("line", 100),
                                             offset=params.get("offset", 0)))
        found[case] = {"times": [when(log) for log in res.get_logs()], "count": res.get_count(),
                       "complete": res.is_completed()}
    first = client.get_logs(GetLogsRequest(P, L, FROM, TO, query="*", line=1)).get_logs()[0]
    found["log1"] = {"time": first.get_time(), "source": first.get_source(), "contents": first.get_contents()}
    found["readme_line_1000"] = client.get_logs(GetLogsRequest(P, L, fromTime=FROM, toTime=TO, topic="", query="*",
                                                               line=1000, offset=0, reverse=False)).get_count()
    errors = {}
    for case, query, _, _ in PARAMS["errors"]:
        errors[case] = error_of(client.get_logs, GetLogsRequest(P, L, FROM, TO, query=query))
    errors["P07"] = error_of(client.get_logs, GetLogsRequest(P, L, T0, T0, query="*"))
    found["errors"] = errors
    return found

out["post"] = search_all("post")
out["get"] = search_all("get")
client._get_logs_v2_enabled = True

sql = {}
for case, query, params in PARAMS["sql"]:
    res = client.get_logs(GetLogsRequest(P, L, FROM, params.get("to_time", TO), query=query,
                                         line=params.get("line", 100), reverse=params.get("reverse", False)))
    meta = res.get_meta()
    sql[case] = {"rows": res.get_body()["data"], "keys": meta.get_keys(), "has_sql": res.get_has_sql(),
                 "count": res.get_count(), "where": res.get_where_query(), "agg": res.get_agg_query(),
                 "complete": res.is_completed()}
out["sql"] = sql
big = {}
for case, query, _ in PARAMS["big"]:
    big[case] = client.get_logs(GetLogsRequest(P, "big", PARAMS["big_from"], PARAMS["big_to"], query=query)).get_count()
out["big"] = big

# -- helpers built on get_logs ---------------------------------------------------------------
out["get_log"] = [when(l) for l in client.get_log(P, L, FROM, TO, query="status >= 500", size=200).get_logs()]
out["get_log_all"] = [[when(l) for l in page.get_logs()] for page in client.get_log_all(P, L, FROM, TO, query="*")]
out["get_log_all_v2"] = [page.get_count() for page in client.get_log_all_v2(P, L, FROM, TO, query="__topic__: api")]
out["execute_logstore_sql"] = client.execute_logstore_sql(
    P, L, FROM, TO, "* | select count(*) as c", False).get_body()["data"]
project_sql = "select count(*) as c from " + L + " where __time__ >= " + str(T0 + 600)
project_res = client.get_project_logs(GetProjectLogsRequest(P, project_sql))
out["project_logs"] = [l.get_contents() for l in project_res.get_logs()]
out["execute_project_sql"] = [l.get_contents() for l in client.execute_project_sql(P, project_sql, True).get_logs()]

# -- histograms and topics ---------------------------------------------------------------------
hist = client.get_histograms(GetHistogramsRequest(P, L, FROM, TO, query="*"))
buckets = [[h.get_from(), h.get_to(), h.get_count(), h.is_completed()] for h in hist.get_histograms()]
out["histograms"] = {"total": hist.get_total_count(), "complete": hist.is_completed(), "buckets": buckets}
out["histogram_sql"] = error_of(client.get_histograms, GetHistogramsRequest(P, L, FROM, TO, query="* | select 1"))
topics = client.list_topics(ListTopicsRequest(P, L))
out["topics"] = {"topics": topics.get_topics(), "count": topics.get_count(), "next": topics.get_next_token()}
paged, token = [], None
while True:
    page = client.list_topics(ListTopicsRequest(P, L, token=token, line=1))
    paged.append(page.get_topics())
    token = page.get_next_token()
    if not token:
        break
out["topic_pages"] = paged

# -- deleting the index --------------------------------------------------------------------------
client.delete_index(P, L)
out["after_delete"] = {
    "get": error_of(client.get_index_config, P, L),
    "query": error_of(client.get_logs, GetLogsRequest(P, L, FROM, TO, query="*")),
    "delete": error_of(client.delete_index, P, L),
}
emit(out)
"""


def _params() -> dict[str, Any]:
    return {
        "t0": ac.T0,
        "from": ac.FROM,
        "to": ac.TO,
        "index": ac.INDEX_CONFIG,
        "groups": ac.log_groups(),
        "search": [[case, query] for case, query, _ in ac.SEARCH_CASES],
        "paging": [[pc.case, pc.query, pc.params] for pc in ac.PAGING_CASES],
        "sql": [[c.case, c.query, c.params] for c in ac.SQL_CASES],
        "big": ac.BIG_CASES,
        "big_from": ac.BIG_FROM,
        "big_to": ac.BIG_TO,
        "errors": ac.ERROR_CASES,
    }


def _ids(times: list[int]) -> list[int]:
    return [ac.id_of({"__time__": str(t)}) for t in times]


def _assert_sql(case: ac.SqlCase, got: dict[str, Any]) -> None:
    assert got["has_sql"] is True and got["complete"] is True, case.case
    assert got["keys"] == case.keys, case.case
    search, _, sql = case.query.partition("|")
    assert (got["where"], got["agg"]) == (search.strip(), sql.strip()), case.case
    rows = [[row[k] for k in case.keys] for row in got["rows"]]
    assert got["count"] == len(rows)
    if case.compare == "multiset":
        assert Counter(map(tuple, rows)) == Counter(map(tuple, case.rows))
    elif case.compare == "float":
        assert len(rows) == len(case.rows)
        for row, want in zip(rows, case.rows):
            assert [float(x) for x in row] == pytest.approx([float(x) for x in want], abs=1e-12)
    else:
        assert rows == case.rows, case.case


def _assert_searches(found: dict[str, Any]) -> None:
    for case, _, expected in ac.SEARCH_CASES:
        got = found[case]
        assert _ids(got["times"]) == expected, case
        assert got["count"] == len(expected) and got["complete"], case
    for pc in ac.PAGING_CASES:
        assert _ids(found[pc.case]["times"]) == pc.expected, pc.case
    log1 = dict(found["log1"]["contents"])
    assert found["log1"]["time"] == 1704067205 and found["log1"]["source"] == "192.0.2.10"
    assert log1 == {k: v for k, v in ac.LOG1_ROW.items() if k not in ("__time__", "__source__")}
    assert found["readme_line_1000"] == 16
    errors = found["errors"]
    for case, _, code, message in ac.ERROR_CASES:
        assert (errors[case]["code"], errors[case]["status"]) == (code, 400), case
        if message is not None:
            assert errors[case]["message"].startswith(message), case
    assert errors["P07"]["code"] == "ParameterInvalid"


def _setup(server: EmulatorServer) -> None:
    ours = server.client(in_process=True)
    ours.create_project(P, "query conformance")
    ours.create_logstore(P, L, shard_count=2)
    ours.create_logstore(P, "big", shard_count=1)
    ours.create_index(P, "big", ac.INDEX_CONFIG)
    from aliyun.log import LogItem, PutLogsRequest

    items = [LogItem(ac.BIG_FROM + i, [("status", "200")], 0) for i in range(150)]
    ours.put_logs(PutLogsRequest(P, "big", "", "", items))


def test_official_queries(run_official: Any, emulator: EmulatorServer) -> None:
    _setup(emulator)
    out = run_official(QUERY_SCRIPT, emulator, params=_params(), timeout=300)

    assert out["create_twice"]["code"] == "IndexAlreadyExist" and out["create_twice"]["status"] == 400
    assert out["stored_keys"] == sorted(ac.INDEX_CONFIG["keys"])
    assert out["stored_extra_type"] == "json"
    assert out["stored_line_tokens"] == ac.DEF
    assert out["after_update"]["keys"]["extra"]["json_keys"] == ac.INDEX_CONFIG["keys"]["extra"]["json_keys"]

    _assert_searches(out["post"])
    _assert_searches(out["get"])
    for case in ac.SQL_CASES:
        _assert_sql(case, out["sql"][case.case])
    assert out["big"] == {case: count for case, _, count in ac.BIG_CASES}

    assert _ids(out["get_log"]) == [7, 9, 14]
    # The official helpers also hand out the empty page that ends the paging.
    assert [_ids(page) for page in out["get_log_all"] if page] == [ac.ALL]
    assert [count for count in out["get_log_all_v2"] if count] == [6]
    assert out["execute_logstore_sql"] == [{"c": "16"}]
    assert out["project_logs"] == [{"c": "4"}]  # logs 13..16 are at T0+600 and later
    assert out["execute_project_sql"] == [{"c": "4"}]  # the same, with powerSql=true

    hist = out["histograms"]
    assert hist["total"] == 16 and hist["complete"]
    assert [i for i, b in enumerate(hist["buckets"]) if b[2]] == ac.H02_NONZERO
    assert all(b[3] for b in hist["buckets"])
    assert out["histogram_sql"]["status"] == 400
    topics = out["topics"]
    assert (topics["topics"], int(topics["count"]), topics["next"]) == (["api", "web"], 2, "")  # the header text
    assert out["topic_pages"] == [["api"], ["web"]]

    after = out["after_delete"]
    assert (after["get"]["code"], after["get"]["status"]) == ("IndexConfigNotExist", 400)
    assert after["query"]["code"] == "IndexConfigNotExist"
    assert after["delete"]["code"] == "IndexConfigNotExist"


V4_SCRIPT = """
P = "conf-query"
q = 'request_uri: #"path-1/file-4" or (status in [200 299] and "rv:121.0")'
out = {"post": [l.get_time() for l in client.get_logs(GetLogsRequest(P, "access", PARAMS["from"], PARAMS["to"],
                                                                      query=q)).get_logs()]}
client._get_logs_v2_enabled = False
out["get"] = [l.get_time() for l in client.get_logs(GetLogsRequest(P, "access", PARAMS["from"], PARAMS["to"],
                                                                    query=q)).get_logs()]
out["hist"] = client.get_histograms(GetHistogramsRequest(P, "access", PARAMS["from"], PARAMS["to"],
                                                         query=q)).get_total_count()
out["topics"] = client.list_topics(ListTopicsRequest(P, "access")).get_topics()
out["index"] = sorted(client.get_index_config(P, "access").get_index_config().key_config_list)
emit(out)
"""


def test_official_queries_signed_v4(run_official: Any, emulator: EmulatorServer) -> None:
    _setup(emulator)
    ours = emulator.client(in_process=True)
    ours.create_index(P, L, ac.INDEX_CONFIG)
    from aliyun.log import LogItem, PutLogsRequest

    for topic, source, tags, logs in ac.log_groups():
        items = [LogItem(t, pairs, 0) for t, pairs in logs]
        ours.put_logs(PutLogsRequest(P, L, topic, source, items, logtags=list(tags)))

    out = run_official(V4_SCRIPT, emulator, auth_version="v4", params={"from": ac.FROM, "to": ac.TO})

    assert _ids(out["post"]) == _ids(out["get"]) == [2, 6, 10]
    assert (
        out["hist"] >= 3
    )  # histograms count the non-phrase form of a phrase query (docs/query.md "Histograms and topics")
    assert out["topics"] == ["api", "web"]
    assert out["index"] == sorted(ac.INDEX_CONFIG["keys"])
