"""The public surface of the foundation slice, pinned to the forms users of the official SDK write
(docs/migrating.md)."""

from __future__ import annotations

import inspect

import pytest

import aliyun.log
from aliyun.log import (
    ListLogstoresRequest,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
)


def params(func: object) -> list[str]:
    return [p for p in inspect.signature(func).parameters if p != "self"]  # type: ignore[arg-type]


def positional(func: object) -> list[str]:
    return [
        name
        for name, p in inspect.signature(func).parameters.items()  # type: ignore[arg-type]
        if name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


# 0.9.52 positional parameter lists (each extends the 0.6.10 one).
METHODS = {
    "__init__": [
        "endpoint",
        "accessKeyId",
        "accessKey",
        "securityToken",
        "source",
        "auth_version",
        "region",
        "credentials_provider",
    ],
    "create_project": ["project_name", "project_des", "resource_group_id", "data_redundancy_type"],
    "get_project": ["project_name"],
    "update_project": ["project_name", "project_des"],
    "delete_project": ["project_name"],
    "list_project": ["offset", "size", "project_name_pattern", "resource_group_id", "description"],
    "create_logstore": [
        "project_name",
        "logstore_name",
        "ttl",
        "shard_count",
        "enable_tracking",
        "append_meta",
        "auto_split",
        "max_split_shard",
        "preserve_storage",
        "encrypt_conf",
        "telemetry_type",
        "hot_ttl",
        "mode",
        "infrequent_access_ttl",
        "enable_modify",
    ],
    "get_logstore": ["project_name", "logstore_name"],
    "update_logstore": [
        "project_name",
        "logstore_name",
        "ttl",
        "enable_tracking",
        "shard_count",
        "append_meta",
        "auto_split",
        "max_split_shard",
        "preserve_storage",
        "encrypt_conf",
        "hot_ttl",
        "mode",
        "telemetry_type",
        "infrequent_access_ttl",
    ],
    "delete_logstore": ["project_name", "logstore_name"],
    "list_logstore": ["project_name", "logstore_name_pattern", "offset", "size"],
    "list_logstores": ["request"],
    "list_shards": ["project_name", "logstore_name"],
    "split_shard": ["project_name", "logstore_name", "shardId", "split_hash"],
    "merge_shard": ["project_name", "logstore_name", "shardId"],
    "delete_shard": ["project_name", "logstore_name", "shardId"],
    "put_logs": ["request"],
    "put_log_raw": ["project", "logstore", "log_group", "compress"],
    "get_cursor": ["project_name", "logstore_name", "shard_id", "start_time"],
    "get_begin_cursor": ["project_name", "logstore_name", "shard_id"],
    "get_end_cursor": ["project_name", "logstore_name", "shard_id"],
    "get_cursor_time": ["project_name", "logstore_name", "shard_id", "cursor"],
    "get_previous_cursor_time": ["project_name", "logstore_name", "shard_id", "cursor", "normalize"],
    "pull_logs": [
        "project_name",
        "logstore_name",
        "shard_id",
        "cursor",
        "count",
        "end_cursor",
        "compress",
        "query",
        "accept_compress_type",
        "processor",
    ],
    "pull_log": [
        "project_name",
        "logstore_name",
        "shard_id",
        "from_time",
        "to_time",
        "batch_size",
        "compress",
        "query",
        "accept_compress_type",
        "processor",
    ],
    "pull_log_dump": [
        "project_name",
        "logstore_name",
        "from_time",
        "to_time",
        "file_path",
        "batch_size",
        "compress",
        "encodings",
        "shard_list",
        "no_escape",
        "query",
        "processor",
    ],
    "set_user_agent": ["user_agent"],
    "set_credentials_auto_refresher": ["refresher"],
    "set_source": ["source"],
}


@pytest.mark.parametrize("name", sorted(METHODS))
def test_logclient_positional_parameters(name: str) -> None:
    assert positional(getattr(LogClient, name)) == METHODS[name]


def test_new_client_options_are_keyword_only() -> None:
    signature = inspect.signature(LogClient.__init__)
    for name in ("timeout", "retry", "proxy", "transport", "user_agent"):
        assert signature.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_client_version_attribute() -> None:
    assert LogClient.Version == "0.6.0"


def test_constructor_does_no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the constructor must not touch the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    LogClient("cn-hangzhou.log.aliyuncs.com", "id", "secret")
    LogClient("127.0.0.1:8080", "id", "secret", auth_version="v4", region="cn-hangzhou")


def test_request_constructors() -> None:
    assert params(LogItem.__init__) == ["timestamp", "contents", "time_nano_part"]
    assert params(PutLogsRequest.__init__) == [
        "project",
        "logstore",
        "topic",
        "source",
        "logitems",
        "hashKey",
        "compress",
        "logtags",
        "compress_type",
    ]
    assert params(ListLogstoresRequest.__init__) == ["project"]
    assert PutLogsRequest().get_compress() is True


def test_log_exception_surface() -> None:
    assert params(LogException.__init__) == [
        "errorCode",
        "errorMessage",
        "requestId",
        "resp_status",
        "resp_header",
        "resp_body",
    ]
    error = LogException("Code", "message", "rid", 404)
    assert (error.get_error_code(), error.get_error_message(), error.get_request_id(), error.get_resp_status()) == (
        "Code",
        "message",
        "rid",
        404,
    )
    assert str(error) == '{"errorCode": "Code", "errorMessage": "message", "requestId": "rid"}'


@pytest.mark.parametrize(
    "name",
    [
        "LogClient",
        "LogException",
        "LogItem",
        "LogResponse",
        "PutLogsRequest",
        "ListLogstoresRequest",
        "ListLogstoresResponse",
        "ListProjectResponse",
        "GetProjectResponse",
        "CreateProjectResponse",
        "DeleteProjectResponse",
        "ListShardResponse",
        "DeleteShardResponse",
        "GetCursorResponse",
        "GetCursorTimeResponse",
        "PullLogResponse",
        "__version__",
    ],
)
def test_names_exported_from_aliyun_log(name: str) -> None:
    assert hasattr(aliyun.log, name)
    assert name in aliyun.log.__all__


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("aliyun.log.logclient", "LogClient"),
        ("aliyun.log.logexception", "LogException"),
        ("aliyun.log.logitem", "LogItem"),
        ("aliyun.log.putlogsrequest", "PutLogsRequest"),
        ("aliyun.log.putlogsresponse", "PutLogsResponse"),
        ("aliyun.log.logstore_config_response", "GetLogStoreResponse"),
        ("aliyun.log.logstore_config_response", "ListLogStoreResponse"),
        ("aliyun.log.project_response", "GetProjectResponse"),
        ("aliyun.log.shard_response", "ListShardResponse"),
        ("aliyun.log.pulllog_response", "PullLogResponse"),
        ("aliyun.log.cursor_response", "GetCursorResponse"),
        ("aliyun.log.cursor_time_response", "GetCursorTimeResponse"),
        ("aliyun.log.listlogstoresrequest", "ListLogstoresRequest"),
        ("aliyun.log.listlogstoresresponse", "ListLogstoresResponse"),
        ("aliyun.log.logresponse", "LogResponse"),
        ("aliyun.log.version", "__version__"),
        ("aliyun.log.consumer", "ConsumerWorker"),
        ("aliyun.log.consumer.worker", "ConsumerWorker"),
        ("aliyun.log.consumer.config", "LogHubConfig"),
        ("aliyun.log.consumer.config", "CursorPosition"),
        ("aliyun.log.consumer.tasks", "ConsumerProcessorBase"),
        ("aliyun.log.consumer.tasks", "ConsumerJsonProcessorBase"),
        ("aliyun.log.consumer.tasks", "ConsumerProcessorAdaptor"),
        ("aliyun.log.consumer.checkpoint_tracker", "ConsumerCheckpointTracker"),
        ("aliyun.log.consumer.exceptions", "ClientWorkerException"),
        ("aliyun.log.consumer.fetched_log_group", "FetchedLogGroup"),
        ("aliyun.log.consumer.preprocessor", "to_log_group_list_pb"),
        ("aliyun.log.consumer.preprocessor", "to_flattern_json_list"),
    ],
)
def test_module_paths_users_import(module: str, name: str) -> None:
    imported = __import__(module, fromlist=[name])
    assert hasattr(imported, name)


RESPONSE_GETTERS = {
    "GetProjectResponse": [
        "get_create_time",
        "get_data_redundancy_type",
        "get_description",
        "get_last_modify_time",
        "get_owner",
        "get_projectname",
        "get_region",
        "get_resource_group_id",
        "get_status",
        "log_print",
    ],
    "ListProjectResponse": ["get_count", "get_projects", "get_total", "log_print", "merge"],
    "ListLogstoresResponse": ["get_count", "get_logstores", "get_total", "log_print", "merge"],
    "ListShardResponse": ["count", "get_shards_info", "log_print", "shards"],
    "PullLogResponse": [
        "body",
        "get_body",
        "get_flatten_logs_json",
        "get_flatten_logs_json_auto",
        "get_log_count",
        "get_log_count_from_group",
        "get_loggroup",
        "get_loggroup_count",
        "get_loggroup_json_list",
        "get_loggroup_list",
        "get_next_cursor",
        "get_raw_log_group_count_before_query",
        "get_raw_size",
        "get_raw_size_before_query",
        "log_count",
        "log_print",
        "loggroup_list",
        "loggroups_to_flattern_list",
    ],
    "LogResponse": ["get_all_headers", "get_body", "get_header", "get_request_id", "log_print"],
}


@pytest.mark.parametrize("cls_name", sorted(RESPONSE_GETTERS))
def test_response_getters(cls_name: str) -> None:
    cls = getattr(aliyun.log, cls_name)
    instance = cls(b"", {}) if cls_name == "PullLogResponse" else cls([] if "Shard" in cls_name else {}, {})
    for member in RESPONSE_GETTERS[cls_name]:
        assert hasattr(instance, member), f"{cls_name}.{member}"


def test_logstore_response_getters() -> None:
    from aliyun.log.logstore_config_response import GetLogStoreResponse, ListLogStoreResponse

    for member in [
        "get_enable_modify",
        "get_enable_tracking",
        "get_encrypt_conf",
        "get_hot_ttl",
        "get_shard_count",
        "get_ttl",
        "log_print",
    ]:
        assert hasattr(GetLogStoreResponse, member)
    for member in [
        "get_count",
        "get_logstores",
        "get_logstores_count",
        "get_logstores_total",
        "get_total",
        "log_print",
        "logstores",
        "merge",
        "total",
    ]:
        assert hasattr(ListLogStoreResponse({}, {}), member)
