"""get_resource_usage and copy_dashboard (compositions of other calls): our client against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aliyun.log import LogClient, LogException, MachineGroupDetail
from aliyun.log import logclient_operator as operator
from aliyun.log.logclient_operator import ResourceUsageResponse


def test_resource_usage_counts_what_the_project_holds(client: LogClient, project: str) -> None:
    client.create_logstore(project, "web", shard_count=3)
    client.create_logstore(project, "app", shard_count=1)
    client.create_consumer_group(project, "web", "readers", 60)
    client.create_machine_group(project, MachineGroupDetail("hosts", "ip", ["10.0.0.1"]))
    for name in ("board-a", "board-b"):
        client.create_dashboard(project, {"dashboardName": name, "charts": []})

    usage = client.get_resource_usage(project)
    assert isinstance(usage, ResourceUsageResponse)
    body = usage.get_body()
    assert body["logstore"]["count"] == {"status": 2, "limitation": 200, "usage": "1.0%"}
    assert body["shard"]["logstores"] == {"web": {"status": 3}, "app": {"status": 1}}
    assert body["shard"]["count"]["status"] == 4
    assert body["consumer_group"]["logstores"] == {"web": {"status": 1, "limitation": 10, "usage": "10.0%"}}
    assert body["consumer_group"]["count"] == {"status": 1}
    assert body["machine_group"]["count"]["status"] == 1
    assert body["logtail"]["count"]["status"] == 0
    assert body["saved_search"]["count"]["status"] == 0
    assert body["dashboard"]["count"] == {"status": 2, "limitation": 50, "usage": "4.0%"}
    # the module function of the official path gives the same report
    assert operator.get_resource_usage(client, project).get_body() == body


def _board(project: str) -> dict[str, Any]:
    return {
        "dashboardName": "ops",
        "displayName": "Ops",
        "charts": [
            {
                "title": "pv",
                "search": {"chartQueries": [{"project": project, "logstore": "web", "query": "*"}]},
                "display": {"actionOptions": [{"events": [{"values": {"project": project}}]}]},
            }
        ],
    }


@pytest.fixture
def second_project(client: LogClient) -> Iterator[str]:
    name = "test-copy-target"
    client.create_project(name, "copy target")
    yield name
    client.delete_project(name)


def test_copy_dashboard_to_another_project_rebinds_queries(
    client: LogClient, project: str, second_project: str
) -> None:
    client.create_dashboard(project, _board(project))
    client.copy_dashboard(project, "ops", to_project=second_project)
    copied = client.get_dashboard(second_project, "ops").get_entity()
    chart = copied["charts"][0]
    assert chart["search"]["chartQueries"][0]["project"] == second_project
    assert chart["display"]["actionOptions"][0]["events"][0]["values"]["project"] == second_project
    assert copied["displayName"] == "Ops"
    # the source is untouched
    assert client.get_dashboard(project, "ops").get_entity()["charts"][0]["search"]["chartQueries"][0]["project"] == (
        project
    )


def test_copy_dashboard_under_another_name_and_onto_an_existing_one(client: LogClient, project: str) -> None:
    client.create_dashboard(project, _board(project))
    operator.copy_dashboard(client, project, "ops", to_dashboard_name="ops-copy")
    assert (
        client.get_dashboard(project, "ops-copy").get_entity()["charts"][0]["search"]["chartQueries"][0]["project"]
        == project
    )
    client.update_dashboard(project, {**_board(project), "dashboardName": "ops-copy", "displayName": "Mine"})
    client.copy_dashboard(project, "ops", to_dashboard_name="ops-copy")  # an existing target is kept
    assert client.get_dashboard(project, "ops-copy").get_entity()["displayName"] == "Mine"

    with pytest.raises(LogException) as missing:
        client.copy_dashboard(project, "absent", to_dashboard_name="x")
    assert missing.value.get_error_code() == "DashboardNotExist"
    with pytest.raises(LogException) as no_client:
        client.copy_dashboard(project, "ops", to_region_endpoint="cn-shanghai.log.aliyuncs.com")
    assert no_client.value.get_error_code() == "BadParameters"
