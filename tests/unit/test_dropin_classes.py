"""Request, configuration and response classes at the official module paths: construction,
JSON shapes both ways, getters, type checks and the official misspellings."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest

from aliyun.log import LogException

# -- configurations -------------------------------------------------------------------------------


def test_external_store_configs_round_trip(tmp_path: Path) -> None:
    from aliyun.log.external_store_config import (
        ExternalStoreConfig,
        ExternalStoreConfigBase,
        ExternalStoreCsvConfig,
        ExternalStoreOssConfig,
    )

    rds = ExternalStoreConfig("rds1", "cn-hangzhou", "rds-vpc", "vpc-1", "i-1", "10.0.0.5", 3306, "u", "p", "db", "t")
    body = rds.to_json()
    assert body["parameter"]["vpc-id"] == "vpc-1" and body["parameter"]["db"] == "db"
    back = ExternalStoreConfigBase.from_json(body)
    assert isinstance(back, ExternalStoreConfig) and back.to_json() == body

    oss = ExternalStoreOssConfig("oss1", ["a.csv"], [{"name": "id", "type": "varchar"}], "ep", "bkt", "ak", "sk")
    assert isinstance(ExternalStoreConfigBase.from_json(oss.to_json()), ExternalStoreOssConfig)

    csv = tmp_path / "users.csv"
    csv.write_text("id,name\n1,ann\n", encoding="utf-8")
    config = ExternalStoreCsvConfig("users", f"file://{csv}", [{"name": "id", "type": "bigint"}])
    param = config.to_json()["parameter"]
    assert param["externalStoreCsvSize"] == csv.stat().st_size
    assert zlib.decompress(base64.b64decode(param["externalStoreCsv"])) == csv.read_bytes()
    loaded = ExternalStoreConfigBase.from_json(config.to_json())
    assert isinstance(loaded, ExternalStoreCsvConfig) and loaded.get_csv_bytes() == csv.read_bytes()

    with pytest.raises(LogException):
        ExternalStoreCsvConfig("x", str(tmp_path / "missing.csv"), [])
    with pytest.raises(LogException):
        ExternalStoreConfigBase.from_json({"storeType": "nope", "externalStoreName": "x"})


def test_store_view_json() -> None:
    from aliyun.log import StoreView, StoreViewStore

    view = StoreView("sv", "logstore", [StoreViewStore("p1", "a"), StoreViewStore("p2", "b", query="* | where x > 1")])
    body = view._to_json_dict()
    assert body == {
        "name": "sv",
        "storeType": "logstore",
        "stores": [
            {"project": "p1", "storeName": "a"},
            {"project": "p2", "storeName": "b", "query": "* | where x > 1"},
        ],
    }
    again = StoreView._from_json_dict(body)
    assert again.stores[1].query == "* | where x > 1" and again._to_json_dict() == body


def test_acl_and_pipeline_configs() -> None:
    from aliyun.log.acl_config import AclConfig
    from aliyun.log.logtail_pipeline_config_detail import LogtailPipelineConfigDetail

    acl = AclConfig("1234", ["READ"])
    again = AclConfig("")
    again.from_json(acl.to_json())
    assert again.principle == "1234" and again.privilege_list == ["READ"]

    pipeline = LogtailPipelineConfigDetail(
        "c", [{"Type": "input_file"}], [{"Type": "flusher_sls"}], global_config={"a": 1}
    )
    body = pipeline.to_json()
    assert body["global"] == {"a": 1} and "processors" not in body
    assert LogtailPipelineConfigDetail.from_json(body).to_json() == body


def test_resource_records_check_types_and_read_answers() -> None:
    from aliyun.log.resource_params import Resource, ResourceRecord, ResourceSchemaItem, check_params

    with pytest.raises(TypeError):
        ResourceRecord(record_id=5)  # type: ignore[arg-type]
    record = ResourceRecord(tag="t", value={"k": 1})
    with pytest.raises(ValueError):
        record.check_for_update()
    record.set_record_id("r1")
    record.check_for_update()
    assert record.to_dict() == {"value": {"k": 1}, "tag": "t", "id": "r1"}
    with pytest.raises(TypeError):
        record.set_tag(3)
    answer = {"id": "r2", "tag": "", "value": json.dumps({"x": "y"}), "create_time": 10}
    loaded = ResourceRecord.from_dict(answer)
    assert (loaded.get_record_id(), loaded.get_value(), loaded.get_create_time()) == ("r2", {"x": "y"}, 10)

    resource = Resource("sls.common.user", "userdefine", [ResourceSchemaItem("name", schema_type="string")])
    resource.check_for_create()
    assert resource.to_dict()["schema"] == [{"column": "name", "type": "string"}]
    with pytest.raises(TypeError):
        Resource(schema_list=["not an item"])  # type: ignore[list-item]
    got = Resource.from_dict(
        {
            "name": "r",
            "type": "userdefine",
            "schema": json.dumps({"schema": [{"column": "c", "type": "long"}]}),
            "acl": json.dumps({"policy": {}}),
            "extInfo": "e",
        }
    )
    assert got.get_resource_name() == "r" and got.get_schema()[0].get_schema_type() == "long"  # type: ignore[index]
    assert got.get_acl() == {"policy": {}}

    @check_params("value", int)
    def setter(self: object, value: int) -> None:
        return None

    with pytest.raises(TypeError):
        setter(None, "x")


def test_topostore_records() -> None:
    from aliyun.log.topostore_params import Topostore, TopostoreNode, TopostoreRelation

    node = TopostoreNode("n1", "host", {"ip": "10.0.0.1"}, display_name="web")
    assert node.to_dict() == {"nodeId": "n1", "nodeType": "host", "displayName": "web", "property": {"ip": "10.0.0.1"}}
    back = TopostoreNode.from_dict({**node.to_dict(), "property": json.dumps(node.property)})
    assert back.get_property() == {"ip": "10.0.0.1"}
    relation = TopostoreRelation("r1", "calls", "n1", "n2")
    assert TopostoreRelation.from_dict(relation.to_dict()).get_dst_node_id() == "n2"
    with pytest.raises(ValueError):
        TopostoreRelation().check_for_create()
    with pytest.raises(TypeError):
        Topostore(name="t", tag="not a dict")  # type: ignore[arg-type]
    store = Topostore.from_dict({"name": "t", "tag": json.dumps({"a": "b"}), "schema": "{}", "acl": ""})
    assert store.get_tag() == {"a": "b"} and store.to_dict()["name"] == "t"


def test_scheduled_sql_job_body() -> None:
    from aliyun.log.job import JobSchedule, JobScheduleType, JobType
    from aliyun.log.scheduled_sql import (
        Log2MetricParameters,
        ScheduledSQL,
        ScheduledSQLBaseParameters,
        ScheduledSQLConfiguration,
        dict_to_schedule_rule,
        dict_to_scheduled_sql_config,
    )

    job = ScheduledSQL()
    job.setName("hourly")
    schedule = JobSchedule()
    schedule.setType(JobScheduleType.FIXED_RATE)
    schedule.setInterval("1h")
    job.setSchedule(schedule)
    config = ScheduledSQLConfiguration()
    config.setScript("* | select count(*) as n")
    config.setDataFormat("log2metric")
    params = Log2MetricParameters()
    params.setMetricKeys('["n"]')
    config.setParameters(params)
    job.setConfiguration(config)
    body = job.scheduled_sql_to_dict()
    assert body["type"] == JobType.SCHEDULED_SQL and body["schedule"]["interval"] == "1h"
    assert body["configuration"]["maxRetries"] == 5 and body["configuration"]["parameters"]["metricKeys"] == '["n"]'
    base = ScheduledSQLBaseParameters()
    base.withFields("a")
    base.addBaseParams("a", 1)
    base.addBaseParams("b", 2)  # undeclared: ignored
    config.setParameters(base)
    config.setDataFormat("log2log")
    assert config.configurationToDict()["parameters"] == {"a": 1}
    config.setDataFormat("bogus")
    with pytest.raises(ValueError):
        config.configurationToDict()
    assert dict_to_scheduled_sql_config({"script": "x"}).getScript() == "x"
    assert dict_to_schedule_rule({"type": "Cron", "cronExpression": "0 * * * *"}).getCronExpression() == "0 * * * *"


def test_requests_keep_fields_and_parse_times() -> None:
    from aliyun.log import (
        DeleteLogsRequest,
        DeleteLogsV2Request,
        GetDeleteLogsStatusRequest,
        ListDeleteLogsTasksRequest,
        SubmitAsyncSqlRequest,
        UpdateLogsRequest,
    )
    from aliyun.log.delete_async_sql_request import DeleteAsyncSqlRequest
    from aliyun.log.get_async_sql_request import GetAsyncSqlRequest

    submit = SubmitAsyncSqlRequest("p", "ls", "* | select 1", "2023-11-14 22:13:20+00:00", 1700000600, max_run_time=60)
    assert (submit.get_from(), submit.get_to(), submit.get_allow_incomplete()) == (1700000000, 1700000600, True)
    submit.set_power_sql(True)
    assert submit.get_power_sql() is True
    assert GetAsyncSqlRequest("p").get_query_id() == "" and GetAsyncSqlRequest("p", "q", 5).get_offset() == 5
    assert DeleteAsyncSqlRequest("p", "q").get_query_id() == "q"
    delete = DeleteLogsRequest("p", "ls", 1, 2, topic="t", query="level: debug")
    assert (delete.get_logstore(), delete.get_topic(), delete.get_query()) == ("ls", "t", "level: debug")
    assert DeleteLogsV2Request("p", "ls", rowId="r").get_row_id() == "r"
    update = UpdateLogsRequest("p", "ls", 1, 2, updateMode="overwrite", data={"k": "v"})
    assert (update.get_update_mode(), update.get_data()) == ("overwrite", {"k": "v"})
    assert GetDeleteLogsStatusRequest("p", "ls", "t1").get_taskid() == "t1"
    assert ListDeleteLogsTasksRequest("p", "ls").get_project() == "p"


# -- responses ------------------------------------------------------------------------------------

HEADERS = {"x-log-requestid": "REQ"}


def test_list_and_document_responses() -> None:
    from aliyun.log.etl_config_response import GetEtlResponse, ListEtlsResponse
    from aliyun.log.external_store_config_response import ListExternalStoreResponse
    from aliyun.log.scheduled_sql_response import ListScheduledSQLResponse
    from aliyun.log.store_view_response import ListStoreViewsResponse

    etls = ListEtlsResponse({"count": 1, "total": 3, "results": [{"name": "e"}]}, HEADERS)
    assert (etls.get_count(), etls.get_total(), etls.get_etls()) == (1, 3, [{"name": "e"}])
    etls.merge(ListEtlsResponse({"count": 2, "total": 3, "results": [{"name": "f"}, {"name": "g"}]}, HEADERS))
    assert etls.get_count() == 3 and len(etls.get_etls()) == 3
    assert GetEtlResponse(HEADERS, {"name": "e"}).get_etl() == {"name": "e"}
    stores = ListExternalStoreResponse({"count": 1, "total": 1, "externalstores": ["s"]}, HEADERS)
    assert stores.get_logstores() == ["s"] and stores.get_logstores_total() == 1
    assert ListScheduledSQLResponse(HEADERS, {"count": 0, "total": 0, "results": []}).get_scheduled_sql_jobs() == []
    assert ListStoreViewsResponse(HEADERS, {"count": 1, "total": 1, "storeviews": ["v"]}).get_store_views() == ["v"]
    assert etls.get_request_id() == "REQ"


def test_entity_responses() -> None:
    from aliyun.log import GetEntityResponse, ListEntityResponse

    page = ListEntityResponse(HEADERS, {"count": 1, "total": 2, "dashboards": [{"dashboardName": "a"}]})
    assert page.resource_name == "dashboards"
    assert page.get_dashboards() == [{"dashboardName": "a"}]  # type: ignore[attr-defined]
    page.merge(ListEntityResponse(HEADERS, {"count": 1, "total": 2, "dashboards": [{"dashboardName": "b"}]}))
    assert page.get_count() == 2 and page.body["dashboards"][1] == {"dashboardName": "b"}
    with pytest.raises(ValueError):
        page.merge("nope")  # type: ignore[arg-type]
    assert GetEntityResponse(HEADERS, {"x": 1}).get_entity() == {"x": 1}


def test_typed_item_responses() -> None:
    from aliyun.log.resource_response import GetRecordResponse, ListResourcesResponse
    from aliyun.log.topostore_response import ListTopostoreNodesResponse

    resources = ListResourcesResponse(
        {"count": 1, "total": 1, "items": [{"name": "r", "type": "t", "schema": "{}", "acl": "{}"}]}, HEADERS
    )
    assert resources.get_resources()[0].get_resource_name() == "r"
    record = GetRecordResponse(HEADERS, {"id": "1", "value": '{"a": 1}'}).get_record()
    assert record.get_value() == {"a": 1}
    nodes = ListTopostoreNodesResponse({"count": 1, "total": 1, "items": [{"nodeId": "n", "property": "{}"}]}, HEADERS)
    assert nodes.get_nodes()[0].get_node_id() == "n"


def test_small_responses_and_official_misspellings() -> None:
    from aliyun.log import (
        DeleteLogsResponse,
        GetDeleteLogsStatusResponse,
        GetObjectResponse,
        GetProjectTagsResponse,
        GetResourcePolicyResponse,
        ListDeleteLogsTasksResponse,
        PutObjectResponse,
    )
    from aliyun.log.project_response import GetProjectTagsResponse as InProjectResponse
    from aliyun.log.substore_config_response import GetSubStoreResponse
    from aliyun.log.tag_response import GetResourceTagsResponse, Tag

    assert DeleteLogsResponse({"taskId": "t"}, HEADERS).get_taskid() == "t"
    status = GetDeleteLogsStatusResponse({"progress": 100}, HEADERS)
    assert status.is_completed() and status.get_process() == 100.0
    tasks = ListDeleteLogsTasksResponse({"count": 1, "total": 1, "tasks": [{"progress": 40}]}, HEADERS)
    assert not tasks.is_completed() and tasks.get_task_list() == [{"progress": 40}]
    obj = GetObjectResponse({"ETag": '"abc"', "Content-Type": "text/plain"}, b"data")
    assert (obj.get_etag(), obj.get_content_type(), obj.get_body()) == ('"abc"', "text/plain", b"data")
    assert PutObjectResponse({"etag": "e"}).get_etag() == "e"
    policy = GetResourcePolicyResponse(
        {"resourceType": "project", "policyDocument": "{}", "revision": "2", "createTime": 1, "updateTime": 2}, HEADERS
    )
    assert policy.get_revision() == 2 and policy.get_resource_name() == ""
    tags = GetProjectTagsResponse(HEADERS, {"nextToken": "", "tagResources": [{"tagKey": "env", "tagValue": "prod"}]})
    assert tags.get_tags() == {"env": "prod"} and InProjectResponse is GetProjectTagsResponse
    resource_tags = GetResourceTagsResponse(
        HEADERS,
        {
            "nextToken": "n",
            "tagResources": [{"resourceId": "p", "resourceType": "project", "tagKey": "k", "tagValue": "v"}],
        },
    )
    (tag,) = resource_tags.get_tags()
    assert tag == Tag("p", "project", "k", "v") and tag.resourc_id == "p"  # official spelling
    sub = GetSubStoreResponse({"name": "prom", "ttl": 30, "sortedKeyCount": 2, "timeIndex": 2, "keys": []}, HEADERS)
    assert (sub.get_substore_name(), sub.get_ttl(), sub.get_time_index()) == ("prom", 30, 2)


def test_log_print_shows_fields(capsys: pytest.CaptureFixture[str]) -> None:
    from aliyun.log.etl_config_response import ListEtlsResponse

    ListEtlsResponse({"count": 1, "total": 1, "results": ["e1"]}, HEADERS).log_print()
    out = capsys.readouterr().out
    assert "ListEtlsResponse" in out and "REQ" in out and "e1" in out


def test_consumer_group_checkpoints_official_spelling() -> None:
    from aliyun.log import ConsumerGroupCheckPointResponse

    answer = ConsumerGroupCheckPointResponse([{"shard": 0, "checkpoint": "c"}], HEADERS)
    assert answer.consumer_group_check_poins == [{"shard": 0, "checkpoint": "c"}]
    answer.consumer_group_check_poins = []
    assert answer.get_consumer_group_check_points() == []
