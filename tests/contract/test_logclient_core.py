"""``aliyun.log.logclient_core``: method factories building entity methods on a client class."""

from __future__ import annotations

from typing import Any

import pytest

from aliyun.log import LogClient, LogException
from aliyun.log.common_response import GetEntityResponse, ListEntityResponse
from aliyun.log.emulator import EmulatorServer
from aliyun.log.logclient_core import get_entity, list_entity, make_lcrud_methods


class BuiltClient(LogClient):
    """A subclass with methods made by the factories, as code written for the official SDK does."""


make_lcrud_methods(BuiltClient, "dashboard", name_field="dashboardName")
make_lcrud_methods(BuiltClient, "job", name_field="name", root_resource="/jobs", entities_key="results")
BuiltClient.list_alert = list_entity("alert", root_resource="/jobs", entities_key="results", job_type="Alert")  # type: ignore[attr-defined]
BuiltClient.get_shipper = get_entity("shipper", logstore_level=True, root_resource="/shipper")  # type: ignore[attr-defined]


@pytest.fixture
def built(emulator: EmulatorServer) -> Any:
    client = BuiltClient(emulator.endpoint, emulator.access_key_id, emulator.access_key_secret)
    client.create_project("core-factories", "")
    client.create_logstore("core-factories", "logs", shard_count=1)
    yield client
    client.delete_project("core-factories")


def test_factory_methods_have_the_official_shape(built: Any) -> None:
    import inspect

    assert list(inspect.signature(BuiltClient.create_dashboard).parameters) == ["self", "project", "detail"]
    assert list(inspect.signature(BuiltClient.get_dashboard).parameters) == ["self", "project", "entity"]
    assert list(inspect.signature(BuiltClient.list_dashboard).parameters) == ["self", "project", "offset", "size"]
    assert list(inspect.signature(BuiltClient.get_shipper).parameters) == ["self", "project", "logstore", "entity"]
    assert BuiltClient.update_dashboard.__name__ == "update_dashboard"


def test_factory_methods_drive_the_emulator(built: Any) -> None:
    project = "core-factories"
    built.create_dashboard(project, {"dashboardName": "made", "displayName": "Made", "charts": []})
    got = built.get_dashboard(project, entity="made")
    assert isinstance(got, GetEntityResponse) and got.get_entity()["displayName"] == "Made"
    built.update_dashboard(project, detail={"dashboardName": "made", "displayName": "Changed", "charts": []})
    assert built.get_dashboard(project, "made").get_entity()["displayName"] == "Changed"
    listed = built.list_dashboard(project)
    assert isinstance(listed, ListEntityResponse) and listed.get_dashboards() == ["made"]
    built.delete_dashboard(project, "made")
    with pytest.raises(LogException) as missing:
        built.get_dashboard(project, "made")
    assert missing.value.get_error_code() == "DashboardNotExist"

    schedule = {"type": "FixedRate", "interval": "1m"}
    alert = {"name": "made-alert", "displayName": "A", "type": "Alert", "schedule": schedule, "configuration": {}}
    built.create_job(project, alert)
    assert [job["name"] for job in built.list_alert(project).get_entities()] == ["made-alert"]
    assert built.get_job(project, "made-alert").get_entity()["type"] == "Alert"

    with pytest.raises(LogException) as no_shipper:
        built.get_shipper(project, "logs", "nope")
    assert no_shipper.value.get_error_code() == "ShipperNotExist"


def test_a_family_sls_does_not_have_is_refused_before_sending(built: Any) -> None:
    make_lcrud_methods(BuiltClient, "gizmo")
    with pytest.raises(LogException) as refused:
        built.list_gizmo("core-factories")
    assert refused.value.get_error_code() == "BadParameters"
    with pytest.raises(LogException):
        built.get_dashboard("core-factories", "../x")
