"""Resource documents (dashboards, saved searches): our ``LogClient`` against the emulator."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from aliyun.log import LogClient, LogException
from aliyun.log.common_response import GetEntityResponse, ListEntityResponse


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def dashboard(name: str, title: str = "Title") -> dict[str, Any]:
    return {
        "dashboardName": name,
        "displayName": title,
        "description": "for tests",
        "charts": [{"title": "pv", "type": "line", "search": {"query": "* | select count(*)"}}],
    }


def saved_search(name: str, logstore: str) -> dict[str, Any]:
    return {
        "savedsearchName": name,
        "displayName": name.upper(),
        "searchQuery": "status: 500",
        "logstore": logstore,
        "topic": "web",
    }


def test_dashboard_crud_round_trips_the_document(client: LogClient, project: str) -> None:
    client.create_dashboard(project, dashboard("ops"))

    got = client.get_dashboard(project, "ops")
    assert isinstance(got, GetEntityResponse)
    entity = got.get_entity()
    assert entity["charts"] == dashboard("ops")["charts"]
    assert entity["displayName"] == "Title"
    assert entity["createTime"] == entity["lastModifyTime"]

    # JSON text and bytes are accepted as the official client accepts them
    client.update_dashboard(project, json.dumps(dashboard("ops", "Renamed")))
    assert client.get_dashboard(project, "ops").get_entity()["displayName"] == "Renamed"

    client.delete_dashboard(project, "ops")
    missing = error_of(lambda: client.get_dashboard(project, "ops"))
    assert (missing.get_error_code(), missing.resp_status) == ("DashboardNotExist", 404)


def test_dashboard_errors(client: LogClient, project: str) -> None:
    client.create_dashboard(project, dashboard("dup"))
    again = error_of(lambda: client.create_dashboard(project, dashboard("dup")))
    assert (again.get_error_code(), again.resp_status) == ("ParameterInvalid", 400)
    assert again.get_error_message() == "specified dashboard already exists"

    absent = error_of(lambda: client.update_dashboard(project, dashboard("absent")))
    assert absent.get_error_code() == "DashboardNotExist"
    assert error_of(lambda: client.delete_dashboard(project, "absent")).get_error_code() == "DashboardNotExist"

    bad_charts = {**dashboard("bad"), "charts": "not a list"}
    assert error_of(lambda: client.create_dashboard(project, bad_charts)).get_error_code() == "ParameterInvalid"
    for bad_name in ("has space", "x", "d" * 129):
        document = dashboard(bad_name)
        refused = error_of(lambda doc=document: client.create_dashboard(project, doc))  # type: ignore[misc]
        assert refused.get_error_code() == "InvalidDashboardName"
    client.create_dashboard(project, dashboard("d" * 128))

    many = {**dashboard("many"), "charts": [{"title": f"c{index}"} for index in range(201)]}
    assert error_of(lambda: client.create_dashboard(project, many)).get_error_code() == "ExceedQuota"
    client.create_dashboard(project, {**many, "charts": many["charts"][:200]})
    twice = {**dashboard("twice"), "charts": [{"title": "same"}, {"title": "same"}]}
    assert error_of(lambda: client.create_dashboard(project, twice)).get_error_code() == "PostBodyInvalid"

    # caught before anything is sent
    unnamed = error_of(lambda: client.update_dashboard(project, {"displayName": "x"}))
    assert unnamed.get_error_code() == "BadParameters"
    for hostile in ("", "..", "a/b"):
        refused = error_of(lambda name=hostile: client.get_dashboard(project, name))  # type: ignore[misc]
        assert refused.get_error_code() == "BadParameters"
    assert error_of(lambda: client.create_dashboard(project, 42)).get_error_code() == "BadParameters"


def test_dashboard_listing_pages_and_items(client: LogClient, project: str) -> None:
    for index in range(5):
        client.create_dashboard(project, dashboard(f"d{index}", f"Dashboard {index}"))

    first = client.list_dashboard(project, 0, 2)
    assert isinstance(first, ListEntityResponse)
    assert (first.get_count(), first.get_total()) == (2, 5)
    assert first.get_dashboards() == ["d0", "d1"]
    assert first.get_body()["dashboardItems"][1] == {
        "dashboardName": "d1",
        "displayName": "Dashboard 1",
        "description": "for tests",
    }
    assert client.list_dashboard(project, 4, 10).get_entities() == ["d4"]
    everything = client.list_dashboard(project, 0, -1)
    assert everything.get_entities() == [f"d{index}" for index in range(5)]


def test_saved_search_crud_and_listing(client: LogClient, project: str, logstore: str) -> None:
    client.create_savedsearch(project, saved_search("errors", logstore))
    client.create_savedsearch(project, saved_search("slow", logstore))

    entity = client.get_savedsearch(project, "errors").get_entity()
    assert (entity["searchQuery"], entity["logstore"], entity["topic"]) == ("status: 500", logstore, "web")

    changed = {**saved_search("errors", logstore), "searchQuery": "status >= 500"}
    client.update_savedsearch(project, changed)
    assert client.get_savedsearch(project, "errors").get_entity()["searchQuery"] == "status >= 500"

    listing = client.list_savedsearch(project)
    assert listing.get_savedsearches() == ["errors", "slow"]
    assert listing.get_body()["savedsearchItems"][0]["logstore"] == logstore

    client.delete_savedsearch(project, "slow")
    assert client.list_savedsearch(project).get_total() == 1
    assert error_of(lambda: client.get_savedsearch(project, "slow")).get_error_code() == "SavedSearchNotExist"


def test_saved_search_names_and_quota(client: LogClient, project: str, logstore: str) -> None:
    for bad_name in ("ab", "s" * 64):
        document = saved_search(bad_name, logstore)
        refused = error_of(lambda doc=document: client.create_savedsearch(project, doc))  # type: ignore[misc]
        assert refused.get_error_code() == "ParameterInvalid"
    for index in range(100):
        client.create_savedsearch(project, saved_search(f"search-{index:03d}", logstore))
    over = error_of(lambda: client.create_savedsearch(project, saved_search("one-too-many", logstore)))
    assert (over.get_error_code(), over.resp_status) == ("ExceedQuota", 400)
    client.delete_savedsearch(project, "search-000")
    client.create_savedsearch(project, saved_search("one-too-many", logstore))  # room again


def test_saved_search_needs_a_query_and_a_logstore(client: LogClient, project: str, logstore: str) -> None:
    for missing in ("searchQuery", "logstore"):
        body = {key: value for key, value in saved_search("s", logstore).items() if key != missing}
        refused = error_of(lambda doc=body: client.create_savedsearch(project, doc))  # type: ignore[misc]
        assert refused.get_error_code() == "ParameterInvalid"


def test_documents_belong_to_their_project(client: LogClient, project: str) -> None:
    client.create_dashboard(project, dashboard("mine"))
    client.create_project("other-docs-project", "")
    try:
        assert client.list_dashboard("other-docs-project").get_total() == 0
        client.create_dashboard("other-docs-project", dashboard("mine"))  # the same name elsewhere is fine
    finally:
        client.delete_project("other-docs-project")
    # a deleted project takes its documents with it
    client.create_project("other-docs-project", "")
    try:
        assert client.list_dashboard("other-docs-project").get_total() == 0
    finally:
        client.delete_project("other-docs-project")
    missing = error_of(lambda: client.list_dashboard("no-such-project-docs"))
    assert missing.get_error_code() == "ProjectNotExist"
