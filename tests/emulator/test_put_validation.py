"""Hostile or malformed PutLogs bodies get a clear 4xx, never crash the server, never leave a partial write."""

from __future__ import annotations

import zlib

import lz4.block
import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log._codec import encode_log_group
from aliyun.log.emulator import EmulatorServer

GOOD = encode_log_group([(1_700_000_000, 0, [("k", "v")])], "topic", "src")


def send_put(client: LogClient, project: str, body: bytes, headers: dict[str, str]) -> None:
    client._send(
        "PutLogs",
        project,
        "/logstores/logs/shards/lb",
        body=body,
        headers=headers,
        content_type="application/x-protobuf",
    )


def stored_groups(client: LogClient, project: str) -> int:
    total = 0
    for shard in (0, 1):
        begin = client.get_begin_cursor(project, "logs", shard).get_cursor()
        total += client.pull_logs(project, "logs", shard, begin).get_loggroup_count()
    return total


@pytest.mark.parametrize(
    ("body", "headers", "code"),
    [
        (b"\xff\xff\xff garbage", {"x-log-bodyrawsize": "13"}, "PostBodyInvalid"),
        (GOOD[:-2], {"x-log-bodyrawsize": str(len(GOOD) - 2)}, "PostBodyInvalid"),
        (
            lz4.block.compress(GOOD, store_size=False),
            {"x-log-compresstype": "lz4", "x-log-bodyrawsize": "3"},
            "PostBodyUncompressError",
        ),
        (
            lz4.block.compress(GOOD, store_size=False),
            {"x-log-compresstype": "lz4", "x-log-bodyrawsize": ""},
            "MissingBodyRawSize",
        ),
        (
            lz4.block.compress(GOOD, store_size=False),
            {"x-log-compresstype": "lz4", "x-log-bodyrawsize": "abc"},
            "InvalidBodyRawSize",
        ),
        (b"x" * 10, {"x-log-compresstype": "lz4", "x-log-bodyrawsize": str(2**40)}, "PostBodyTooLarge"),
        (
            zlib.compress(b"\0" * (20 * 1024 * 1024)),
            {"x-log-compresstype": "deflate", "x-log-bodyrawsize": "100"},
            "PostBodyUncompressError",
        ),
        (GOOD, {"x-log-compresstype": "brotli", "x-log-bodyrawsize": str(len(GOOD))}, "InvalidCompressType"),
        (b"garbage-lz4", {"x-log-compresstype": "lz4", "x-log-bodyrawsize": "1000"}, "PostBodyUncompressError"),
        (encode_log_group([], "t", "s"), {}, "PostBodyInvalid"),
    ],
    ids=[
        "garbage",
        "truncated",
        "raw-size-too-small",
        "raw-size-missing",
        "raw-size-not-int",
        "raw-size-huge",
        "deflate-bomb",
        "unknown-compression",
        "garbage-lz4",
        "empty-group",
    ],
)
def test_bad_bodies(
    client: LogClient, project: str, logstore: str, body: bytes, headers: dict[str, str], code: str
) -> None:
    with pytest.raises(LogException) as info:
        send_put(client, project, body, headers)
    assert info.value.get_error_code() == code
    assert info.value.get_resp_status() == 400
    assert stored_groups(client, project) == 0
    client.put_logs(PutLogsRequest(project, logstore, "", "", [LogItem(contents=[("still", "works")])]))
    assert stored_groups(client, project) == 1


def test_wrong_signature_and_unknown_key(emulator: EmulatorServer) -> None:
    for key_id, secret, code in (
        (emulator.access_key_id, "wrong", "SignatureNotMatch"),
        ("nobody", "x", "Unauthorized"),
    ):
        with pytest.raises(LogException) as info:
            LogClient(emulator.endpoint, key_id, secret).list_project()
        assert (info.value.get_error_code(), info.value.get_resp_status()) == (code, 401)


def test_request_time_skew_is_rejected(emulator: EmulatorServer) -> None:
    import datetime

    from aliyun.log._auth import Credentials, SignerV1

    signer = SignerV1()
    headers = {"x-log-apiversion": "0.6.0", "x-log-bodyrawsize": "0", "Host": emulator.host}
    stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    signer.sign("GET", "/", {}, headers, b"", Credentials(emulator.access_key_id, emulator.access_key_secret), stale)
    import urllib.request

    request = urllib.request.Request(f"http://{emulator.endpoint}/", headers=headers)
    try:
        urllib.request.urlopen(request)
        raise AssertionError("a stale request was accepted")
    except urllib.error.HTTPError as answer:
        assert answer.code == 400
        assert b"RequestTimeExpired" in answer.read()
        assert answer.headers["x-log-requestid"]


def test_unknown_path_is_a_clean_404(client: LogClient) -> None:
    with pytest.raises(LogException) as info:
        client._send("ListProject", None, "/no/such/api")
    assert info.value.get_resp_status() == 404


def test_restart_keeps_everything(tmp_path: object) -> None:
    from pathlib import Path

    data = Path(str(tmp_path)) / "data"
    with EmulatorServer(port=0, data_dir=data) as first:
        client = first.client(in_process=True)
        client.create_project("durable", "kept")
        client.create_logstore("durable", "logs", shard_count=2, ttl=9)
        client.split_shard("durable", "logs", 0, "4" + "0" * 31)
        client.put_logs(
            PutLogsRequest("durable", "logs", "", "", [LogItem(contents=[("n", "1")])], hashKey="9" + "0" * 31)
        )
    with EmulatorServer(port=0, data_dir=data) as second:
        client = second.client(in_process=True)
        assert client.get_project("durable").get_description() == "kept"
        assert client.get_logstore("durable", "logs").get_ttl() == 9
        assert [s["shardID"] for s in client.list_shards("durable", "logs").get_shards_info()] == [0, 1, 2, 3]
        begin = client.get_begin_cursor("durable", "logs", 1).get_cursor()
        rows = client.pull_logs("durable", "logs", 1, begin).get_flatten_logs_json()
        assert [r["n"] for r in rows] == ["1"]
        client.put_logs(
            PutLogsRequest("durable", "logs", "", "", [LogItem(contents=[("n", "2")])], hashKey="9" + "0" * 31)
        )
        assert client.pull_logs("durable", "logs", 1, begin).get_log_count() == 2
