"""Tags and resource groups: our ``LogClient`` against the emulator (in-process and over a socket)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log import LogClient, LogException
from aliyun.log.emulator.service.tags import MAX_TAGS, PAGE_SIZE
from aliyun.log.tag_response import GetResourceTagsResponse, Tag


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def project_tags(client: LogClient, project: str, **filters: Any) -> dict[str, str]:
    merged: dict[str, str] = {}
    for page in client.get_project_tags(project, **filters):
        merged.update(page.get_tags())
    return merged


def resource_tags(client: LogClient, kind: str, resource_id: Any, **filters: Any) -> set[Tag]:
    found: set[Tag] = set()
    for page in client.list_tag_resources(kind, resource_id, **filters):
        assert isinstance(page, GetResourceTagsResponse)
        found |= page.get_tags()
    return found


def test_project_tags_round_trip(client: LogClient, project: str) -> None:
    assert project_tags(client, project) == {}
    client.tag_project(project, env="prod", team="search", empty="")
    assert project_tags(client, project) == {"env": "prod", "team": "search", "empty": ""}

    client.tag_project(project, env="staging")  # an existing key is overwritten
    assert project_tags(client, project)["env"] == "staging"
    assert project_tags(client, project, env="staging") == {"env": "staging", "team": "search", "empty": ""}
    assert project_tags(client, project, env="prod") == {}

    client.untag_project(project, "team", "absent")
    assert project_tags(client, project) == {"env": "staging", "empty": ""}


def test_tags_go_with_the_project(client: LogClient) -> None:
    client.create_project("tags-gone", "d")
    client.tag_project("tags-gone", k="v")
    client.delete_project("tags-gone")
    client.create_project("tags-gone", "d")
    try:
        assert project_tags(client, "tags-gone") == {}
    finally:
        client.delete_project("tags-gone")


def test_resource_tags_of_each_type(client: LogClient, project: str, logstore: str) -> None:
    client.create_dashboard(project, {"dashboardName": "board", "charts": []})
    client.create_machine_group(project, _machine_group("hosts"))
    ids = {"logstore": f"{project}#{logstore}", "dashboard": f"{project}#board", "machine_group": f"{project}#hosts"}
    for kind, resource_id in ids.items():
        client.tag_resources(kind, resource_id, owner=kind)
    for kind, resource_id in ids.items():
        assert resource_tags(client, kind, resource_id) == {Tag(resource_id, kind, "owner", kind)}

    client.untag_resources("logstore", ids["logstore"], "owner")
    assert resource_tags(client, "logstore", ids["logstore"]) == set()

    # without an id: every resource of the type carrying the filter tags
    client.tag_resources("dashboard", ids["dashboard"], tier="gold")
    gold = resource_tags(client, "dashboard", None, tier="gold")
    assert {(t.get_resource_id(), t.get_tag_key()) for t in gold} >= {
        (ids["dashboard"], "tier"),
        (ids["dashboard"], "owner"),
    }
    assert all(t.get_resource_id() != ids["machine_group"] for t in gold)


def test_a_re_created_resource_starts_without_tags(client: LogClient, project: str, logstore: str) -> None:
    client.create_dashboard(project, {"dashboardName": "again", "charts": []})
    client.tag_resources("dashboard", f"{project}#again", k="v")
    client.delete_dashboard(project, "again")
    assert resource_tags(client, "dashboard", None, k="v") & {Tag(f"{project}#again", "dashboard", "k", "v")} == set()
    with pytest.raises(LogException):
        resource_tags(client, "dashboard", f"{project}#again")

    client.tag_resources("logstore", f"{project}#{logstore}", k="v")
    client.delete_logstore(project, logstore)
    client.create_logstore(project, logstore, shard_count=1)
    assert resource_tags(client, "logstore", f"{project}#{logstore}") == set()


def test_tag_limits_and_errors(client: LogClient, project: str) -> None:
    client.tag_project(project, **{f"k{i}": "v" for i in range(MAX_TAGS)})
    over = error_of(lambda: client.tag_project(project, one_more="v"))
    assert (over.get_error_code(), over.resp_status) == ("ExceedQuota", 400)
    client.tag_project(project, k0="overwriting is no new key")

    for bad in ({"x" * 129: "v"}, {"k": "v" * 129}, {"aliyun-owned": "v"}, {"acs:x": "v"}, {"k": "https://x"}):
        refused = error_of(lambda tags=bad: client.tag_project(project, **tags))  # type: ignore[misc]
        assert refused.get_error_code() == "ParameterInvalid", bad
    assert error_of(lambda: client.tag_project(project)).get_error_code() == "ParameterInvalid"

    missing = error_of(lambda: client.tag_resources("logstore", f"{project}#absent", k="v"))
    assert (missing.get_error_code(), missing.resp_status) == ("LogStoreNotExist", 404)
    no_board = error_of(lambda: client.tag_resources("dashboard", f"{project}#absent", k="v"))
    assert no_board.get_error_code() == "DashboardNotExist"
    assert error_of(lambda: client.tag_resources("printer", f"{project}#x", k="v")).get_error_code() == (
        "ParameterInvalid"
    )
    no_project = error_of(lambda: client.tag_project("absent-project-tags", k="v"))
    assert no_project.get_error_code() == "ProjectNotExist"

    # refused before sending
    for bad_id in ("a/b", "a.b"):
        assert error_of(lambda i=bad_id: client.tag_project(i, k="v")).get_error_code() == "BadParameters"  # type: ignore[misc]
    assert error_of(lambda: list(client.get_project_tags("a b"))).get_error_code() == "BadParameters"


def test_listing_pages_with_next_token(client: LogClient, project: str) -> None:
    boards = 1 + PAGE_SIZE // MAX_TAGS  # more pairs than one page holds
    for i in range(boards):
        client.create_dashboard(project, {"dashboardName": f"b{i}", "charts": []})
        client.tag_resources("dashboard", f"{project}#b{i}", **{f"k{j}": str(j) for j in range(MAX_TAGS)})
    pages = list(client.list_tag_resources("dashboard", None, k0="0"))
    assert len(pages) == 2
    assert pages[0].next_token and pages[-1].next_token == ""
    mine = {t for page in pages for t in page.get_tags() if t.get_resource_id().startswith(project + "#")}
    assert len(mine) == boards * MAX_TAGS


def test_change_resource_group(client: LogClient, project: str) -> None:
    client.change_resource_group(project, "rg-acfm2")
    assert client.get_project(project).get_body()["resourceGroupId"] == "rg-acfm2"
    bad_type = error_of(lambda: client.change_resource_group(project, "rg-1", "LOGSTORE"))
    assert bad_type.get_error_code() == "ParameterInvalid"
    assert error_of(lambda: client.change_resource_group(project, "")).get_error_code() == "ParameterInvalid"
    assert error_of(lambda: client.change_resource_group("absent-rg-proj", "rg")).get_error_code() == (
        "ProjectNotExist"
    )


def _machine_group(name: str) -> Any:
    from aliyun.log import MachineGroupDetail

    return MachineGroupDetail(name, "ip", ["10.0.0.1"])
