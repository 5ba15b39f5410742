"""GetContextLogs through our LogClient against the emulator (in-process and over a socket).

A producer tags each log group with ``__pack_id__ = <context prefix>-<group number>`` (hex). A query
ending in ``| with_pack_meta`` adds ``__pack_meta__`` to such logs; ``get_context_logs`` with a log's
pack id and pack meta returns the logs before and after it in the same context, group by group.
"""

from __future__ import annotations

import base64

import pytest

from aliyun.log import GetContextLogsResponse, LogClient, LogException, LogItem, PutLogsRequest

T = 1_700_000_000
GROUPS = 5
PER_GROUP = 3


def put_group(client: LogClient, project: str, logstore: str, pack_id: str, first: int, t: int = T) -> None:
    items = [LogItem(t + first + i, [("n", str(first + i)), ("msg", f"line {first + i}")]) for i in range(PER_GROUP)]
    client.put_logs(PutLogsRequest(project, logstore, "", "10.0.0.1", items, logtags=[("__pack_id__", pack_id)]))


@pytest.fixture
def context_store(client: LogClient, project: str) -> tuple[str, str]:
    """Context ABCDEF (groups 1..5, n = 0..14), interleaved with context FFFF and untagged logs."""
    client.create_logstore(project, "ctx", shard_count=2)
    client.create_index(project, "ctx", {"line": {"token": [" "]}, "keys": {"n": {"type": "text"}}})
    for g in range(GROUPS):
        put_group(client, project, "ctx", f"ABCDEF-{g + 1:X}", g * PER_GROUP)
        put_group(client, project, "ctx", f"FFFF-{g + 1:X}", 100 + g * PER_GROUP)
        client.put_logs(PutLogsRequest(project, "ctx", "", "10.0.0.1", [LogItem(T + 50 + g, [("n", f"u{g}")])]))
    return project, "ctx"


def logs_by_n(client: LogClient, project: str, logstore: str, query: str) -> dict[str, dict[str, str]]:
    answer = client.get_log(project, logstore, T, T + 1000, query=query, size=200)
    return {log.get_contents()["n"]: log.get_contents() for log in answer.get_logs()}


def n_and_index(answer: GetContextLogsResponse) -> list[tuple[str, str]]:
    return [(log.get_contents()["n"], log.get_contents()["__index_number__"]) for log in answer.get_logs()]


def test_with_pack_meta_adds_the_meta(client: LogClient, context_store: tuple[str, str]) -> None:
    project, logstore = context_store
    plain = logs_by_n(client, project, logstore, "*")
    assert all("__pack_meta__" not in log for log in plain.values())
    rows = logs_by_n(client, project, logstore, "* | with_pack_meta")
    assert rows["4"]["__tag__:__pack_id__"] == "ABCDEF-2"
    shard, cursor, pack_num, offset = rows["4"]["__pack_meta__"].split("|")
    assert shard in ("0", "1") and base64.b64decode(cursor).isdigit() and (pack_num, offset) == ("3", "1")
    assert "__pack_meta__" not in rows["u0"]  # no pack id, no context
    searched = logs_by_n(client, project, logstore, "n:4 | WITH_PACK_META")
    assert searched["4"]["__pack_meta__"] == rows["4"]["__pack_meta__"]


def test_context_around_a_log(client: LogClient, context_store: tuple[str, str]) -> None:
    project, logstore = context_store
    start = logs_by_n(client, project, logstore, "* | with_pack_meta")["7"]
    answer = client.get_context_logs(project, logstore, start["__tag__:__pack_id__"], start["__pack_meta__"], 4, 5)
    assert isinstance(answer, GetContextLogsResponse) and answer.is_completed()
    assert n_and_index(answer) == [(str(n), str(n - 7)) for n in range(3, 13)]
    assert (answer.get_total_lines(), answer.get_back_lines(), answer.get_forward_lines()) == (10, 4, 5)
    first = answer.get_logs()[0]
    assert first.get_time() == T + 3 and first.get_source() == "10.0.0.1"
    assert first.get_contents()["__tag__:__pack_id__"] == "ABCDEF-2"
    assert first.get_contents()["__pack_meta__"].endswith("|3|0")


def test_context_stops_at_the_ends(client: LogClient, context_store: tuple[str, str]) -> None:
    project, logstore = context_store
    rows = logs_by_n(client, project, logstore, "* | with_pack_meta")
    head = client.get_context_logs(project, logstore, "ABCDEF-1", rows["1"]["__pack_meta__"], 10, 1)
    assert n_and_index(head) == [("0", "-1"), ("1", "0"), ("2", "1")]
    assert (head.get_back_lines(), head.get_forward_lines()) == (1, 1)
    tail = client.get_context_logs(project, logstore, "ABCDEF-5", rows["14"]["__pack_meta__"], 0, 100)
    assert n_and_index(tail) == [("14", "0")] and tail.get_total_lines() == 1
    other = client.get_context_logs(project, logstore, "FFFF-3", rows["107"]["__pack_meta__"], 2, 2)
    assert [n for n, _ in n_and_index(other)] == ["105", "106", "107", "108", "109"]


def test_chained_queries_walk_the_context(client: LogClient, context_store: tuple[str, str]) -> None:
    project, logstore = context_store
    start = logs_by_n(client, project, logstore, "* | with_pack_meta")["14"]
    seen: list[str] = []
    pack_id, pack_meta = start["__tag__:__pack_id__"], start["__pack_meta__"]
    for _ in range(10):
        answer = client.get_context_logs(project, logstore, pack_id, pack_meta, 4, 0)
        earlier = answer.get_logs()[:-1]  # the last one is the start log itself
        if not earlier:
            break
        seen = [log.get_contents()["n"] for log in earlier] + seen
        head = earlier[0].get_contents()
        pack_id, pack_meta = head["__tag__:__pack_id__"], head["__pack_meta__"]
    assert seen == [str(n) for n in range(14)]


def test_group_numbers_order_numerically(client: LogClient, project: str) -> None:
    client.create_logstore(project, "hex", shard_count=1)
    client.create_index(project, "hex", {"line": {"token": [" "]}, "keys": {"n": {"type": "text"}}})
    # written out of order; A (10) comes after 9 and before 10 (16)
    for number, first in ((0x10, 30), (0x9, 0), (0xA, 10), (0xF, 20)):
        put_group(client, project, "hex", f"77-{number:X}", first)
    start = logs_by_n(client, project, "hex", "* | with_pack_meta")["0"]
    answer = client.get_context_logs(project, "hex", "77-9", start["__pack_meta__"], 0, 100)
    assert [n for n, _ in n_and_index(answer)] == ["0", "1", "2", "10", "11", "12", "20", "21", "22", "30", "31", "32"]


def test_context_is_limited_to_a_day_around_the_start(client: LogClient, project: str) -> None:
    client.create_logstore(project, "days", shard_count=1)
    client.create_index(project, "days", {"line": {"token": [" "]}, "keys": {"n": {"type": "text"}}})
    put_group(client, project, "days", "AA-1", 0)
    put_group(client, project, "days", "AA-2", 10, t=T + 2 * 86_400)
    start = logs_by_n(client, project, "days", "* | with_pack_meta")["0"]
    answer = client.get_context_logs(project, "days", "AA-1", start["__pack_meta__"], 0, 100)
    assert [n for n, _ in n_and_index(answer)] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("pack_id", "pack_meta", "back", "forward"),
    [
        ("ABCDEF-2", "garbage", 1, 1),
        ("ABCDEF-2", "0|!!!|3|1", 1, 1),
        ("ABCDEF-2", "0|OTk5OTk5|3|1", 1, 1),  # no such log
        ("FFFF-2", None, 1, 1),  # the meta names a log of another pack
        ("not-a-pack", None, 1, 1),
        ("ABCDEF-2", None, 0, 0),
        ("ABCDEF-2", None, 101, 1),
        ("ABCDEF-2", None, 1, -1),
    ],
)
def test_invalid_requests(
    client: LogClient, context_store: tuple[str, str], pack_id: str, pack_meta: str, back: int, forward: int
) -> None:
    project, logstore = context_store
    if pack_meta is None:
        pack_meta = logs_by_n(client, project, logstore, "* | with_pack_meta")["4"]["__pack_meta__"]
    with pytest.raises(LogException) as caught:
        client.get_context_logs(project, logstore, pack_id, pack_meta, back, forward)
    assert caught.value.get_error_code() == "InvalidParameter"
    assert caught.value.get_resp_status() == 400


def test_needs_an_index(client: LogClient, project: str) -> None:
    client.create_logstore(project, "plain", shard_count=1)
    with pytest.raises(LogException) as caught:
        client.get_context_logs(project, "plain", "AA-1", "0|MQ==|1|0", 1, 1)
    assert caught.value.get_error_code() == "IndexConfigNotExist"
