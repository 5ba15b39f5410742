"""Queries over a store view through our ``LogClient`` (docs/query.md "Querying a store view"): GetLogs,
GetHistograms and project SQL on a view's name answer for the union of its members, each filtered
by its member query."""

from __future__ import annotations

import time

import pytest
from _remote_emulator import emulator_python

from aliyun.log import (
    GetHistogramsRequest,
    GetLogsRequest,
    GetProjectLogsRequest,
    IndexConfig,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
    StoreView,
    StoreViewStore,
)

T = int(time.time()) - 600
INDEX = {
    "line": {"token": [" "]},
    "keys": {
        "n": {"type": "long", "doc_value": True},
        "app": {"type": "text", "token": [" "], "doc_value": True},
    },
}


def put(client: LogClient, project: str, logstore: str, app: str, numbers: range, topic: str = "") -> None:
    items = [LogItem(T + n, [("n", str(n)), ("app", app)]) for n in numbers]
    client.put_logs(PutLogsRequest(project, logstore, topic, "10.0.0.1", items))


@pytest.fixture
def view(client: LogClient, project: str) -> str:
    """``web`` over ``front`` (n 0..9, every log) and ``back`` (n 20..29, only n >= 25)."""
    for name in ("front", "back"):
        client.create_logstore(project, name, shard_count=2)
        config = IndexConfig()
        config.from_json(INDEX)
        client.create_index(project, name, config)
    put(client, project, "front", "shop", range(10), topic="web")
    put(client, project, "back", "api", range(20, 30), topic="web")
    stores = [StoreViewStore(project, "front"), StoreViewStore(project, "back", "n >= 25")]
    client.create_store_view(project, StoreView("web", "logstore", stores))
    return "web"


def logs(client: LogClient, project: str, name: str, query: str, **kwargs: object) -> list[dict[str, str]]:
    answer = client.get_logs(GetLogsRequest(project, name, T - 10, T + 100, query=query, **kwargs))  # type: ignore[arg-type]
    return [log.get_contents() for log in answer.get_logs()]


def test_search_returns_the_union_in_time_order(client: LogClient, project: str, view: str) -> None:
    found = logs(client, project, view, "*")
    assert [int(row["n"]) for row in found] == [*range(10), *range(25, 30)]
    assert {row["__tag__:__logstore__"] for row in found} == {"front", "back"}
    assert all(row["__tag__:__project__"] == project for row in found)
    newest = logs(client, project, view, "*", reverse=True, line=3)
    assert [int(row["n"]) for row in newest] == [29, 28, 27]
    page = logs(client, project, view, "*", line=4, offset=8)
    assert [int(row["n"]) for row in page] == [8, 9, 25, 26]
    assert [int(row["n"]) for row in logs(client, project, view, "app: api and n < 27")] == [25, 26]


def test_sql_aggregates_over_the_union(client: LogClient, project: str, view: str) -> None:
    rows = logs(client, project, view, "* | select app, count(*) as c, max(n) as top group by app order by app")
    assert rows == [{"app": "api", "c": "5", "top": "29"}, {"app": "shop", "c": "10", "top": "9"}]
    total = logs(client, project, view, "n > 5 | select count(*) as c")
    assert total == [{"c": "9"}]
    by_store = logs(
        client, project, view, '* | select "__tag__:__logstore__" as s, count(*) as c group by s order by s'
    )
    assert by_store == [{"s": "back", "c": "5"}, {"s": "front", "c": "10"}]


def test_histograms_and_project_sql_over_the_union(client: LogClient, project: str, view: str) -> None:
    histogram = client.get_histograms(GetHistogramsRequest(project, view, T - 10, T + 100, query="app: api"))
    assert histogram.get_total_count() == 5
    assert histogram.is_completed()
    answer = client.get_project_logs(GetProjectLogsRequest(project, f"select count(*) as c from {view}"))
    assert [log.get_contents()["c"] for log in answer.get_logs()] == ["15"]


def test_a_view_follows_new_data_and_its_updated_members(client: LogClient, project: str, view: str) -> None:
    put(client, project, "back", "api", range(40, 42))
    assert logs(client, project, view, "* | select count(*) as c") == [{"c": "17"}]
    stores = [StoreViewStore(project, "back")]
    client.update_store_view(project, view, StoreView(view, "logstore", stores))
    assert logs(client, project, view, "* | select count(*) as c") == [{"c": "12"}]


def test_view_query_errors(client: LogClient, project: str, view: str) -> None:
    with pytest.raises(LogException) as missing:
        logs(client, project, "no-such-view", "*")
    assert missing.value.get_error_code() == "LogStoreNotExist"
    client.create_logstore(project, "bare", shard_count=1)  # no index
    client.create_store_view(project, StoreView("with-bare", "logstore", [StoreViewStore(project, "bare")]))
    with pytest.raises(LogException) as unindexed:
        logs(client, project, "with-bare", "*")
    assert unindexed.value.get_error_code() == "IndexConfigNotExist"
    assert "bare" in unindexed.value.get_error_message()
    client.delete_logstore(project, "bare")
    with pytest.raises(LogException) as gone:
        logs(client, project, "with-bare", "*")
    assert gone.value.get_error_code() == "LogStoreNotExist"
    assert f"{project}/bare" in gone.value.get_error_message()
    bad_filter = [StoreViewStore(project, "front", "* | select 1")]
    client.update_store_view(project, "with-bare", StoreView("with-bare", "logstore", bad_filter))
    with pytest.raises(LogException) as sql_filter:
        logs(client, project, "with-bare", "*")
    assert sql_filter.value.get_error_code() == "ParameterInvalid"


def test_a_view_query_reads_a_bounded_number_of_logs(
    client: LogClient, project: str, view: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if emulator_python() is not None:
        pytest.skip("the bound is a constant of the emulator process")
    from aliyun.log.emulator.service import view_query

    monkeypatch.setattr(view_query, "MAX_VIEW_LOGS", 15)
    assert logs(client, project, view, "* | select count(*) as c") == [{"c": "15"}]
    monkeypatch.setattr(view_query, "MAX_VIEW_LOGS", 14)
    with pytest.raises(LogException) as too_many:
        logs(client, project, view, "*")
    assert too_many.value.get_error_code() == "ExceedQuota"
    assert "14" in too_many.value.get_error_message()
    # a narrower range reads fewer logs and is answered
    narrow = client.get_logs(GetLogsRequest(project, view, T, T + 5, query="*"))
    assert narrow.get_count() == 5
