"""Behaviour of the modules at the official SDK's paths: auth, util, compress, protobuf, version,
logclient constants, pluralize."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from aliyun.log import LogException
from aliyun.log._auth import AuthFailure, verify_request


class _Creds:
    def __init__(self, token: str = "") -> None:
        self._token = token

    def get_access_key_id(self) -> str:
        return "my-ak"

    def get_access_key_secret(self) -> str:
        return "my-secret"

    def get_security_token(self) -> str:
        return self._token


class _Provider:
    def __init__(self, token: str = "") -> None:
        self.creds = _Creds(token)

    def get_credentials(self) -> _Creds:
        return self.creds


def _lookup(key: str) -> Any:
    return "my-secret" if key == "my-ak" else None


# -- auth -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "region"), [("v1", ""), ("v4", "cn-hangzhou")])
def test_make_auth_signs_requests_the_emulator_accepts(version: str, region: str) -> None:
    from aliyun.log.auth import AUTH_VERSION_1, AUTH_VERSION_4, AuthV1, AuthV4, make_auth

    auth = make_auth(_Provider(token="sts"), version, region)
    assert isinstance(auth, AuthV4 if version == AUTH_VERSION_4 else AuthV1)
    assert AUTH_VERSION_1 == "v1"
    body = b'{"a": 1}'
    headers = {"Content-Type": "application/json", "x-log-apiversion": "0.6.0", "x-log-bodyrawsize": "8"}
    auth.sign_request("POST", "/logstores/ls/index", {"offset": 0, "size": "10"}, headers, body)
    assert headers["x-acs-security-token"] == "sts"
    assert (
        verify_request("POST", "/logstores/ls/index", [("offset", "0"), ("size", "10")], headers, body, _lookup)
        == "my-ak"
    )
    headers["x-log-apiversion"] = "0.6.1"  # any signed header changed: rejected
    with pytest.raises(AuthFailure):
        verify_request("POST", "/logstores/ls/index", [("offset", "0"), ("size", "10")], headers, body, _lookup)


def test_to_bytes() -> None:
    from aliyun.log.auth import to_bytes

    assert to_bytes("é") == "é".encode() and to_bytes(b"x") == b"x"


# -- util -----------------------------------------------------------------------------------------


def test_util_helpers() -> None:
    from aliyun.log.util import Util, base64_decodestring, base64_encodestring

    assert base64_encodestring("hello") == "aGVsbG8=\n"
    assert base64_decodestring("aGVsbG8=\n") == "hello"
    assert Util.is_row_ip("10.0.0.1") and not Util.is_row_ip("10.0.0.256") and not Util.is_row_ip("a.b.c.d")
    assert Util.cal_md5(b"abc") == "900150983CD24FB0D6963F7D28E17F72"
    assert (
        Util.hmac_sha1("data", "key")
        == base64.b64encode(__import__("hmac").new(b"key", b"data", "sha1").digest()).decode()
    )
    assert Util.canonicalized_log_headers({"x-log-b": "2", "x-log-meta-z": "no", "X-Acs-A": "1", "Other": "x"}) == (
        "X-Acs-A:1\nx-log-b:2\n"
    )
    assert Util.canonicalized_resource("/logstores", {"size": 10, "offset": "0"}) == "/logstores?offset=0&size=10"
    assert Util.h_v_t({"X-Log-Count": "3"}, "x-log-count") == "3"
    with pytest.raises(ValueError):
        Util.h_v_t({}, "x-log-count")
    assert Util.h_v_td({}, "x-log-count", 7) == 7
    assert Util.v_or_d(None, 1) == 1 and Util.v_or_d(0, 1) == 0
    assert Util.convert_unicode_to_str({b"k": [b"v", "w"]}) == {"k": ["v", "w"]}


def test_parse_timestamp_and_is_stats_query() -> None:
    from aliyun.log.util import is_stats_query, parse_timestamp

    assert parse_timestamp(1700000000) == 1700000000
    assert parse_timestamp("1700000000") == 1700000000
    assert parse_timestamp("2023-11-14 22:13:20+00:00") == 1700000000
    with pytest.raises(ValueError):
        parse_timestamp("not a time at all")
    assert is_stats_query("* | select count(*)")
    assert not is_stats_query('msg: "a | select b"')
    assert not is_stats_query("")


def test_prefix_logger_adapter(caplog: pytest.LogCaptureFixture) -> None:
    from aliyun.log.util import PrefixLoggerAdapter

    adapter = PrefixLoggerAdapter("[shard 3] ", {"shard": 3}, logging.getLogger("test.prefix"), {})
    with caplog.at_level(logging.INFO, logger="test.prefix"):
        adapter.info("fetched %s groups", 5)
    record = caplog.records[-1]
    assert record.getMessage() == "[shard 3] fetched 5 groups"
    assert record.shard == 3  # type: ignore[attr-defined]


def test_sink_and_export_serialisers() -> None:
    from aliyun.log.job import Export, ExportConfiguration
    from aliyun.log.odps_sink import AliyunMaxComputeSink
    from aliyun.log.oss_sink import AliyunOSSSink
    from aliyun.log.util import export_deserialize, maxcompute_sink_deserialize, oss_sink_deserialize

    oss = AliyunOSSSink("role", "bkt", "pre", ".json", "%Y/%m", "time", 256, 300, "+0800", "json", "snappy", {})
    assert oss_sink_deserialize(oss)["bucket"] == "bkt" and oss.getType() == "AliyunOSS"
    oss.setBucket("other")
    assert oss.getBucket() == "other"
    odps = AliyunMaxComputeSink(["__partition_time__"], ["a", "b"])
    odps.setOdpsProject("p")
    assert maxcompute_sink_deserialize(odps) == {
        "fields": ["a", "b"],
        "partitionColumn": ["__partition_time__"],
        "odpsProject": "p",
        "type": "AliyunODPS",
    }
    job = Export()
    job.setName("exp")
    job.setDisplayName("Export")
    config = ExportConfiguration()
    config.setLogstore("ls")
    config.setRoleArn("role")
    config.setFromTime(1)
    config.setToTime(0)
    config.setSink(oss)
    job.setConfiguration(config)
    body = json.loads(export_deserialize(job, oss_sink_deserialize(oss)))
    assert body["type"] == "Export" and body["schedule"] == {"runImmediately": False, "type": "Resident"}
    assert body["configuration"]["version"] == "v2.0" and body["configuration"]["sink"]["type"] == "AliyunOSS"


# -- compress / protobuf --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["UNCOMPRESSED", "LZ4", "ZSTD"])
def test_compressor_round_trip(kind: str) -> None:
    from aliyun.log.compress import Compressor, CompressType

    if kind == "ZSTD":
        pytest.importorskip("zstandard")
    member = CompressType[kind]
    data = b"hello hello hello hello" * 50
    packed = Compressor.compress(data, member)
    assert Compressor.decompress(packed, len(data), member) == data
    header = {"x-log-compresstype": str(member), "x-log-bodyrawsize": str(len(data))}
    assert Compressor.decompress_response(header, packed) == data


def test_compress_type_and_errors() -> None:
    from aliyun.log.compress import Compressor, CompressType, lz_compresss, lz_decompress

    assert str(CompressType.LZ4) == "lz4" and str(CompressType.UNCOMPRESSED) == ""
    assert CompressType.from_nullable_str(None) is CompressType.LZ4
    assert CompressType.from_nullable_str("zstd") is CompressType.ZSTD
    assert lz_decompress(6, lz_compresss(b"abcdef")) == b"abcdef"
    with pytest.raises(LogException) as caught:
        Compressor.decompress(b"\x00garbage", 100, CompressType.LZ4)
    assert caught.value.get_error_code() == "DecompressError"
    with pytest.raises(LogException):
        Compressor.compress(b"x", "lz4")  # type: ignore[arg-type]


def test_protobuf_modules_are_the_wire_messages() -> None:
    from aliyun.log import LogGroup as TopLogGroup
    from aliyun.log.log_logs_pb2 import LogGroup, LogGroupList
    from aliyun.log.log_logs_raw_pb2 import LogGroupRaw
    from aliyun.log.proto import LogGroup as ProtoLogGroup

    assert ProtoLogGroup is LogGroup and TopLogGroup is LogGroupRaw
    group = LogGroup(Topic="t", Source="s")
    log = group.Logs.add(Time=1700000000)
    log.Contents.add(Key="k", Value="v")
    group.LogTags.add(Key="tag", Value="x")
    blob = LogGroupList(LogGroups=[group]).SerializeToString()
    raw = LogGroupRaw.FromString(LogGroupList.FromString(blob).LogGroups[0].SerializeToString())
    assert raw.Logs[0].Contents[0].Value == b"v" and raw.Topic == "t"


def test_async_sql_response_decodes_the_protobuf() -> None:
    from aliyun.log.async_sql_pb2 import AsyncSqlResponsePB
    from aliyun.log.async_sql_response import AsyncSqlResponse
    from aliyun.log.compress import Compressor, CompressType

    pb = AsyncSqlResponsePB(id="q1", state="FINISHED")
    pb.meta.result_rows = 1
    pb.meta.keys.extend(["a", "b"])
    pb.meta.progress = "Complete"
    pb.rows.add(columns=["1", "2"])
    raw = pb.SerializeToString()
    header = {"x-log-compresstype": "lz4", "x-log-bodyrawsize": str(len(raw)), "x-log-requestid": "R"}
    answer = AsyncSqlResponse(header, Compressor.compress(raw, CompressType.LZ4))
    assert (answer.get_query_id(), answer.get_state(), answer.get_result_rows()) == ("q1", "FINISHED", 1)
    assert answer.get_keys() == ["a", "b"] and answer.get_rows() == [["1", "2"]]
    assert answer.get_error_code() is None and answer.get_progress() == "Complete"
    with pytest.raises(LogException):
        AsyncSqlResponse({}, b"\xff\xff\xff")


# -- version, logclient constants, pluralize ------------------------------------------------------


def test_version_constants_match_what_the_client_sends() -> None:
    from aliyun.log import LogClient, logclient, version

    assert version.API_VERSION == "0.6.0" == logclient.API_VERSION
    assert LogClient("cn-hangzhou.log.aliyuncs.com", "id", "secret").user_agent == version.USER_AGENT
    assert version.ES_MIGRATION_USER_AGENT.endswith(version.USER_AGENT)
    assert logclient.MAX_LIST_PAGING_SIZE == 500 and logclient.MAX_GET_LOG_PAGING_SIZE == 100
    assert logclient.AUTH_VERSION_4 == "v4"


@pytest.mark.parametrize(
    ("word", "plural"),
    [("", ""), ("dashboard", "dashboards"), ("savedsearch", "savedsearches"), ("policy", "policies"),
     ("index", "indices"), ("genius", "genii"), ("day", "days"), ("pass", "passes")],
)  # fmt: skip
def test_pluralize(word: str, plural: str) -> None:
    from aliyun.log.pluralize import pluralize

    assert pluralize(word) == plural
