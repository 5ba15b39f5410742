"""The ``/jobs`` store (alerts, ETL, exports, ingestion): our ``LogClient`` against the emulator."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from aliyun.log import LogClient, LogException
from aliyun.log.common_response import GetEntityResponse, ListEntityResponse
from aliyun.log.etl_config_response import GetEtlResponse, ListEtlsResponse
from aliyun.log.export_response import ListExportResponse
from aliyun.log.ingestion_response import GetIngestionResponse, ListIngestionResponse
from aliyun.log.job import Export, ExportConfiguration
from aliyun.log.logclient_operator import copy_alert
from aliyun.log.oss_sink import AliyunOSSSink


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


def alert(name: str, project: str = "p", title: str = "Errors") -> dict[str, Any]:
    return {
        "name": name,
        "displayName": title,
        "type": "Alert",
        "configuration": {
            "version": "2.0",
            "queryList": [{"project": project, "store": "logs", "query": "status: 500 | select count(*) as c"}],
            "templateConfiguration": {"tokens": {"default.project": project}},
        },
        "schedule": {"type": "FixedRate", "interval": "1m"},
    }


def etl_config(logstore: str = "logs") -> dict[str, Any]:
    return {"logstore": logstore, "script": "e_set('a', 'b')", "sinks": [{"name": "out", "logstore": "dest"}]}


def ingestion(name: str, logstore: str) -> str:
    body = {
        "name": name,
        "displayName": name,
        "type": "Ingestion",
        "configuration": {"logstore": logstore, "source": {"type": "OSS", "bucket": "b", "endpoint": "oss"}},
        "schedule": {"type": "Resident"},
    }
    return json.dumps(body)


def export(name: str, logstore: str) -> Export:
    job = Export()
    job.setName(name)  # type: ignore[attr-defined]
    job.setDisplayName(name.upper())  # type: ignore[attr-defined]
    config = ExportConfiguration()
    config.setLogstore(logstore)  # type: ignore[attr-defined]
    config.setFromTime(1_700_000_000)  # type: ignore[attr-defined]
    config.setToTime(0)  # type: ignore[attr-defined]
    config.setRoleArn("acs:ram::1:role/export")  # type: ignore[attr-defined]
    config.setSink(AliyunOSSSink("acs:ram::1:role/oss", "bkt", "p/", ".json", "%Y/%m", "time", 256, 300,
                                 "+0800", "json", "none", {}))  # fmt: skip
    job.setConfiguration(config)
    return job


def test_alert_crud_and_its_status(client: LogClient, project: str) -> None:
    client.create_alert(project, alert("errors", project))
    got = client.get_alert(project, "errors")
    assert isinstance(got, GetEntityResponse)
    doc = got.get_entity()
    assert (doc["name"], doc["type"], doc["status"]) == ("errors", "Alert", "ENABLED")
    assert doc["createTime"] <= doc["lastModifiedTime"] and doc["scheduleId"]

    client.disable_alert(project, "errors")
    assert client.get_alert(project, "errors").get_entity()["status"] == "DISABLED"
    client.update_alert(project, {**alert("errors", project, "Renamed")})
    updated = client.get_alert(project, "errors").get_entity()
    assert (updated["displayName"], updated["status"], updated["scheduleId"]) == (
        "Renamed",
        "DISABLED",
        doc["scheduleId"],
    )
    client.enable_alert(project, "errors")
    assert client.get_alert(project, "errors").get_entity()["status"] == "ENABLED"
    again = error_of(lambda: client.enable_alert(project, "errors"))  # enabling twice is refused
    assert (again.get_error_code(), again.get_resp_status()) == ("ParameterInvalid", 400)

    duplicate = error_of(lambda: client.create_alert(project, alert("errors")))
    assert (duplicate.get_error_code(), duplicate.get_resp_status()) == ("JobAlreadyExist", 400)
    client.delete_alert(project, "errors")
    missing = error_of(lambda: client.get_alert(project, "errors"))
    assert (missing.get_error_code(), missing.get_resp_status()) == ("JobNotExist", 404)
    assert error_of(lambda: client.enable_alert(project, "errors")).get_error_code() == "JobNotExist"
    assert error_of(lambda: client.delete_alert(project, "errors")).get_error_code() == "JobNotExist"


def test_alert_without_a_type_is_typed_by_the_client_and_lists_page(client: LogClient, project: str) -> None:
    for i in range(5):
        body = alert(f"a{i}")
        del body["type"]
        client.create_alert(project, json.dumps(body))
    client.create_etl(project, "not-an-alert", etl_config(), {"type": "Resident"}, "ETL")
    page = client.list_alert(project, 1, 2)
    assert isinstance(page, ListEntityResponse)
    assert [job["name"] for job in page.get_alerts()] == ["a1", "a2"]  # type: ignore[attr-defined]
    assert (page.get_count(), page.get_total()) == (2, 5)
    everything = client.list_alert(project, 0, -1)
    assert [job["name"] for job in everything.get_entities()] == [f"a{i}" for i in range(5)]


def test_update_alert_needs_a_name(client: LogClient, project: str) -> None:
    assert error_of(lambda: client.update_alert(project, {"displayName": "x"})).get_error_code() == "BadParameters"


def test_copy_alert_rebinds_the_queries_to_the_target_project(client: LogClient, project: str) -> None:
    client.create_alert(project, alert("errors", project))
    other = f"{project}-copy"
    client.create_project(other, "copy target")
    try:
        client.copy_alert(project, "errors", to_project=other)
        copied = client.get_alert(other, "errors").get_entity()
        config = copied["configuration"]
        assert config["queryList"][0]["project"] == other
        assert config["templateConfiguration"]["tokens"]["default.project"] == other
        copy_alert(client, project, "errors", to_alert_name="errors-2")
        same = client.get_alert(project, "errors-2").get_entity()
        assert same["configuration"]["queryList"][0]["project"] == project
        assert same["scheduleId"] != copied["scheduleId"]
        client.copy_alert(project, "errors", to_project=other)  # already there: left alone
        with pytest.raises(LogException):
            copy_alert(client, project, "missing", to_project=other)
    finally:
        client.delete_project(other)


def test_etl_lifecycle(client: LogClient, project: str, logstore: str) -> None:
    client.create_etl(project, "enrich", etl_config(logstore), {"type": "Resident"}, "Enrich", "adds a field")
    got = client.get_etl(project, "enrich")
    assert isinstance(got, GetEtlResponse)
    doc = got.get_etl()
    assert (doc["type"], doc["status"], doc["displayName"], doc["description"]) == (
        "ETL",
        "RUNNING",
        "Enrich",
        "adds a field",
    )
    client.stop_etl(project, "enrich")
    assert client.get_etl(project, "enrich").get_etl()["status"] == "STOPPED"
    client.update_etl(project, "enrich", etl_config("other"), {"type": "Resident"}, "Enrich 2")
    updated = client.get_etl(project, "enrich").get_etl()
    assert (updated["configuration"]["logstore"], updated["status"]) == ("other", "STOPPED")
    client.start_etl(project, "enrich")
    assert client.get_etl(project, "enrich").get_etl()["status"] == "RUNNING"
    listing = client.list_etls(project)
    assert isinstance(listing, ListEtlsResponse)
    assert [job["name"] for job in listing.get_etls()] == ["enrich"] and listing.get_total() == 1
    wrong = error_of(lambda: client.enable_alert(project, "enrich"))
    assert (wrong.get_error_code(), wrong.get_resp_status()) == ("ParameterInvalid", 400)
    client.delete_etl(project, "enrich")
    assert error_of(lambda: client.get_etl(project, "enrich")).get_error_code() == "JobNotExist"


def test_export_lifecycle_and_logstore_filter(client: LogClient, project: str, logstore: str) -> None:
    client.create_logstore(project, "other", shard_count=1)
    client.create_export(project, export("to-oss", logstore))
    client.create_export(project, export("other-to-oss", "other"))
    doc = client.get_export(project, "to-oss").get_export()
    assert (doc["type"], doc["status"]) == ("Export", "RUNNING")
    assert doc["configuration"]["sink"]["bucket"] == "bkt"
    assert [job["name"] for job in client.list_export(project).get_exports()] == ["other-to-oss", "to-oss"]
    only = client.list_logstore_export(project, logstore)
    assert isinstance(only, ListExportResponse)
    assert [job["name"] for job in only.get_exports()] == ["to-oss"]
    changed = {**doc, "displayName": "Changed"}
    client.update_export(project, "to-oss", json.dumps(changed))
    assert client.get_export(project, "to-oss").get_export()["displayName"] == "Changed"
    with pytest.raises(TypeError):
        client.update_export(project, "to-oss", changed)  # type: ignore[arg-type]
    client.delete_export(project, "to-oss")
    assert error_of(lambda: client.get_export(project, "to-oss")).get_error_code() == "JobNotExist"


def test_ingestion_lifecycle(client: LogClient, project: str, logstore: str) -> None:
    client.create_ingestion(project, ingestion("from-oss", logstore))
    got = client.get_ingestion(project, "from-oss")
    assert isinstance(got, GetIngestionResponse)
    assert got.get_ingestion()["status"] == "RUNNING"
    client.stop_ingestion(project, "from-oss")
    assert client.get_ingestion(project, "from-oss").get_ingestion()["status"] == "STOPPED"
    client.start_ingestion(project, "from-oss")
    client.stop_ingestion(project, "from-oss")
    renamed = json.loads(ingestion("from-oss", logstore))
    renamed["displayName"] = "Restarted"
    client.restart_ingestion(project, "from-oss", json.dumps(renamed))
    doc = client.get_ingestion(project, "from-oss").get_ingestion()
    assert (doc["displayName"], doc["status"]) == ("Restarted", "RUNNING")
    client.update_ingestion(project, "from-oss", ingestion("from-oss", logstore))
    assert client.get_ingestion(project, "from-oss").get_ingestion()["status"] == "RUNNING"
    listing = client.list_ingestion(project)
    assert isinstance(listing, ListIngestionResponse)
    assert [job["name"] for job in listing.get_ingestions()] == ["from-oss"]
    assert client.list_ingestion(project, "elsewhere").get_ingestions() == []
    client.delete_ingestion(project, "from-oss")
    assert error_of(lambda: client.get_ingestion(project, "from-oss")).get_error_code() == "JobNotExist"


def test_the_store_checks_documents(client: LogClient, project: str) -> None:
    bad_type = error_of(lambda: client.create_alert(project, {"name": "x", "type": "Nonsense"}))
    assert (bad_type.get_error_code(), bad_type.get_resp_status()) == ("ParameterInvalid", 400)
    bad_name = error_of(lambda: client.create_alert(project, {"name": "bad name", "type": "Alert"}))
    assert bad_name.get_error_code() == "ParameterInvalid"
    bad_config = error_of(lambda: client.create_alert(project, {"name": "x", "type": "Alert", "configuration": []}))
    assert bad_config.get_error_code() == "ParameterInvalid"
    client.create_alert(project, alert("typed"))
    # a job keeps its type: an ETL update of an alert is refused
    changed = error_of(lambda: client.update_etl(project, "typed", etl_config(), {}, "x"))
    assert changed.get_error_code() == "ParameterInvalid"
    assert error_of(lambda: client.get_alert("no-such-project", "typed")).get_error_code() == "ProjectNotExist"


def test_jobs_go_with_their_project(client: LogClient) -> None:
    client.create_project("jobs-gone", "")
    client.create_alert("jobs-gone", alert("a"))
    client.delete_project("jobs-gone")
    client.create_project("jobs-gone", "")
    try:
        assert client.list_alert("jobs-gone").get_total() == 0
    finally:
        client.delete_project("jobs-gone")


def test_the_alerts_spelling_of_the_generated_sdks_is_the_same_store(client: LogClient, project: str) -> None:
    body = alert("via-alerts")
    del body["type"]
    payload = json.dumps(body).encode()
    client._send("CreateAlert", project, "/alerts", body=payload, content_type="application/json")
    assert client.get_alert(project, "via-alerts").get_entity()["type"] == "Alert"
    client._send("DisableAlert", project, "/alerts/via-alerts", params={"action": "disable"})
    answer = client._send("GetAlert", project, "/alerts/via-alerts")
    assert json.loads(answer.body)["status"] == "DISABLED"
    listed = json.loads(client._send("ListAlerts", project, "/alerts", params={"offset": "0", "size": "10"}).body)
    assert [job["name"] for job in listed["results"]] == ["via-alerts"]
    client.create_etl(project, "an-etl", etl_config(), {"type": "Resident"}, "ETL")
    with pytest.raises(LogException) as info:
        client._send("GetAlert", project, "/alerts/an-etl")
    assert info.value.get_error_code() == "JobNotExist"
    client._send("DeleteAlert", project, "/alerts/via-alerts")
    assert error_of(lambda: client.get_alert(project, "via-alerts")).get_error_code() == "JobNotExist"
