"""``aliyun.log.logclient_operator`` functions against the in-process emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _remote_emulator import needs_emulator

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log import logclient_operator as op

pytestmark = needs_emulator

PROJECT = "operator-compat"


@pytest.fixture()
def client() -> Iterator[LogClient]:
    from aliyun.log.emulator import EmulatorServer

    with EmulatorServer(port=0, listen=False) as server:
        c = server.client(in_process=True)
        c.create_project(PROJECT, "operator tests")
        yield c


def _put(client: LogClient, logstore: str, count: int) -> None:
    items = [LogItem(1700000000 + i, [("n", str(i))]) for i in range(count)]
    client.put_logs(PutLogsRequest(PROJECT, logstore, "t", "s", items))


def test_list_more_merges_pages(client: LogClient) -> None:
    for i in range(5):
        client.create_logstore(PROJECT, f"ls-{i}", shard_count=1)
    merged = op.list_more(client.list_logstore, 0, -1, 2, PROJECT)
    assert sorted(merged.get_logstores()) == [f"ls-{i}" for i in range(5)]
    assert op.list_more(client.list_logstore, 0, 3, 2, PROJECT).get_count() == 3


def test_copy_data_and_dump_worker(client: LogClient, tmp_path: Path) -> None:
    client.create_logstore(PROJECT, "src", shard_count=2)
    client.create_logstore(PROJECT, "dst", shard_count=1)
    _put(client, "src", 7)
    result = op.copy_data(client, PROJECT, "src", "begin", "end", to_logstore="dst", new_topic="copied")
    assert result.get_body()["total_count"] == 7
    path, written = op.dump_worker(client, PROJECT, "dst", "begin", "end", 0, str(tmp_path / "dump.json"))
    lines = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    assert written == 7 and sorted(int(line["n"]) for line in lines) == list(range(7))
    assert {line["__topic__"] for line in lines} == {"copied"}


class _SmallPipe:
    """A client whose PutLogs takes at most ``limit`` logs, like a service rejecting large bodies."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.sent: list[int] = []

    def put_logs(self, request: PutLogsRequest) -> Any:
        items = request.get_log_items()
        if len(items) > self.limit:
            raise LogException("InvalidLogSize", "too large")
        self.sent.extend(int(dict(i.get_contents())["n"]) for i in items)
        return len(items)


def test_put_logs_auto_div_halves_until_it_fits() -> None:
    pipe = _SmallPipe(limit=3)
    request = PutLogsRequest(PROJECT, "ls", "t", "s", [LogItem(1, [("n", str(i))]) for i in range(10)])
    op.put_logs_auto_div(pipe, request)
    assert pipe.sent == list(range(10))  # every log once, in order
    with pytest.raises(LogException):
        op.put_logs_auto_div(_SmallPipe(limit=0), request)


@pytest.mark.parametrize(("start", "count"), [(1, 3), (2, 4), (1, 1)])
def test_arrange_shard_splits_into_near_equal_ranges(client: LogClient, start: int, count: int) -> None:
    client.create_logstore(PROJECT, "shards", shard_count=start)
    final = op.arrange_shard(client, PROJECT, "shards", count)
    read_write = [s for s in final.get_shards_info() if s["status"] == "readwrite"]
    widths = sorted(int(s["exclusiveEndKey"], 16) - int(s["inclusiveBeginKey"], 16) for s in read_write)
    assert len(read_write) == count
    assert widths[-1] - widths[0] <= op.TOTAL_SHARD_SIZE // count // 10  # even within 10 %
    op.arrange_shard(client, PROJECT, "shards", count)  # already arranged: nothing to do
    assert len(client.list_shards(PROJECT, "shards").get_shards_info()) == len(final.get_shards_info())


def test_get_encoder_cls_decodes_bytes() -> None:
    encoder = op.get_encoder_cls(["utf8", "gbk"])
    assert json.dumps({"a": "中".encode("gbk")}, cls=encoder, ensure_ascii=False) == '{"a": "中"}'
