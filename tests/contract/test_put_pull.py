"""Writing and reading logs through our LogClient against the emulator."""

from __future__ import annotations

import time

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest


def _items(n: int, tag: str = "x") -> list[LogItem]:
    return [
        LogItem(timestamp=1_700_000_000 + i, contents=[("id", f"{tag}-{i}"), ("msg", "hello world")]) for i in range(n)
    ]


def _all_logs(client: LogClient, project: str, logstore: str) -> list[dict]:
    rows: list[dict] = []
    for shard in client.list_shards(project, logstore).get_shards_info():
        for batch in client.pull_log(project, logstore, shard["shardID"], "begin", "end"):
            rows.extend(batch.get_flatten_logs_json())
    return rows


@pytest.mark.parametrize("compress_type", ["lz4", "zstd", "deflate", None])
def test_put_then_pull_every_compression(client: LogClient, project: str, logstore: str, compress_type: str) -> None:
    request = PutLogsRequest(
        project,
        logstore,
        "topic-a",
        "10.1.2.3",
        _items(5),
        logtags=[("env", "test")],
        compress=compress_type is not None,
        compress_type=compress_type,
    )
    assert client.put_logs(request).get_request_id()
    rows = _all_logs(client, project, logstore)
    assert sorted(r["id"] for r in rows) == [f"x-{i}" for i in range(5)]
    row = rows[0]
    assert row["__topic__"] == "topic-a"
    assert row["__source__"] == "10.1.2.3"
    assert row["__tag__:env"] == "test"
    assert isinstance(row["__time__"], int)


def test_hash_key_routes_to_the_owning_shard(client: LogClient, project: str, logstore: str) -> None:
    client.put_logs(PutLogsRequest(project, logstore, "", "", _items(3), hashKey="9" + "0" * 31))
    shard1 = list(client.pull_log(project, logstore, 1, "begin", "end"))
    shard0 = list(client.pull_log(project, logstore, 0, "begin", "end"))
    assert sum(b.get_log_count() for b in shard1) == 3
    assert shard0 == []


def test_pull_compression_options_and_end_cursor(client: LogClient, project: str) -> None:
    client.create_logstore(project, "one", shard_count=1)
    for i in range(4):
        client.put_logs(PutLogsRequest(project, "one", "", "", _items(2, tag=str(i))))
    begin = client.get_begin_cursor(project, "one", 0).get_cursor()
    end = client.get_end_cursor(project, "one", 0).get_cursor()
    for options in ({}, {"compress": False}, {"accept_compress_type": "zstd"}, {"accept_compress_type": "deflate"}):
        batch = client.pull_logs(project, "one", 0, begin, count=3, **options)
        assert batch.get_loggroup_count() == 3
        assert batch.get_log_count() == 6
    middle = client.pull_logs(project, "one", 0, begin, count=2).get_next_cursor()
    limited = client.pull_logs(project, "one", 0, begin, end_cursor=middle)
    assert limited.get_loggroup_count() == 2
    tail = client.pull_logs(project, "one", 0, end)
    assert tail.get_loggroup_count() == 0
    assert tail.get_next_cursor() == end
    groups = client.pull_logs(project, "one", 0, begin).get_loggroup_list()
    assert [c.Value for c in groups.LogGroups[0].Logs[0].Contents] == ["0-0", "hello world"]


def test_cursor_time_and_previous_cursor(client: LogClient, project: str, logstore: str) -> None:
    before = int(time.time()) - 1
    client.put_logs(PutLogsRequest(project, logstore, "", "", _items(1), hashKey="0" * 32))
    begin = client.get_begin_cursor(project, logstore, 0).get_cursor()
    end = client.get_end_cursor(project, logstore, 0).get_cursor()
    assert begin != end
    received = client.get_cursor_time(project, logstore, 0, begin).get_cursor_time()
    assert received >= before
    assert client.get_previous_cursor_time(project, logstore, 0, end).get_cursor_time() == received
    assert client.get_cursor(project, logstore, 0, received + 3600).get_cursor() == end
    assert client.get_cursor(project, logstore, 0, "2000-01-01 00:00:00+8:00").get_cursor() == begin
    with pytest.raises(LogException) as info:
        client.get_cursor_time(project, logstore, 0, "not-a-cursor")
    assert info.value.get_error_code() == "InvalidCursor"


def test_pull_from_unknown_shard(client: LogClient, project: str, logstore: str) -> None:
    with pytest.raises(LogException) as info:
        client.get_begin_cursor(project, logstore, 99)
    assert info.value.get_error_code() == "ShardNotExist"


def test_non_utf8_values_survive(client: LogClient, project: str, logstore: str) -> None:
    item = LogItem(timestamp=1_700_000_000, contents=[("raw", b"\xff\x00\xfe"), ("text", "naïve ✓")])
    client.put_logs(PutLogsRequest(project, logstore, "", "", [item], hashKey="0" * 32))
    rows = _all_logs(client, project, logstore)
    assert rows[0]["raw"] == b"\xff\x00\xfe"
    assert rows[0]["text"] == "naïve ✓"


def test_client_side_size_check(client: LogClient, project: str, logstore: str) -> None:
    huge = [LogItem(contents=[("blob", "x" * (11 * 1024 * 1024))])]
    with pytest.raises(LogException) as info:
        client.put_logs(PutLogsRequest(project, logstore, "", "", huge))
    assert info.value.get_error_code() == "InvalidLogSize"


def test_reading_across_split_and_merge(client: LogClient, project: str) -> None:
    client.create_logstore(project, "evolving", shard_count=1)
    client.put_logs(PutLogsRequest(project, "evolving", "", "", _items(2, "before")))
    client.split_shard(project, "evolving", 0, "8" + "0" * 31)
    client.put_logs(PutLogsRequest(project, "evolving", "", "", _items(2, "left"), hashKey="1" + "0" * 31))
    client.put_logs(PutLogsRequest(project, "evolving", "", "", _items(2, "right"), hashKey="9" + "0" * 31))
    client.merge_shard(project, "evolving", 1)
    client.put_logs(PutLogsRequest(project, "evolving", "", "", _items(2, "merged")))
    by_shard = {
        s["shardID"]: sorted(
            r["id"]
            for b in client.pull_log(project, "evolving", s["shardID"], "begin", "end")
            for r in b.get_flatten_logs_json()
        )
        for s in client.list_shards(project, "evolving").get_shards_info()
    }
    assert by_shard == {
        0: ["before-0", "before-1"],
        1: ["left-0", "left-1"],
        2: ["right-0", "right-1"],
        3: ["merged-0", "merged-1"],
    }


def _one_shard_of_groups(client: LogClient, project: str, groups: int) -> str:
    client.create_logstore(project, "ahead", shard_count=1)
    for i in range(groups):
        client.put_logs(PutLogsRequest(project, "ahead", "", "", _items(2, tag=str(i))))
    return "ahead"


def test_pull_log_read_ahead_gives_the_same_batches(client: LogClient, project: str) -> None:
    logstore = _one_shard_of_groups(client, project, 5)
    runs = []
    for read_ahead in (True, False):
        batches = list(client.pull_log(project, logstore, 0, "begin", "end", batch_size=1, read_ahead=read_ahead))
        runs.append([(b.get_next_cursor(), b.get_flatten_logs_json()) for b in batches])
    assert len(runs[0]) == 5
    assert runs[0] == runs[1]


def test_pull_log_read_ahead_error_is_raised_where_its_batch_would_be(
    client: LogClient, project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    logstore = _one_shard_of_groups(client, project, 4)
    real = client.pull_logs
    calls = []

    def failing_third(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[3])
        if len(calls) == 3:
            raise LogException("InternalServerError", "injected")
        return real(*args, **kwargs)

    monkeypatch.setattr(client, "pull_logs", failing_third)
    seen = []
    with pytest.raises(LogException) as caught:
        for batch in client.pull_log(project, logstore, 0, "begin", "end", batch_size=1):
            seen.append(batch.get_flatten_logs_json()[0]["id"])
    assert caught.value.get_error_code() == "InternalServerError"
    assert seen == ["0-0", "1-0"]  # both batches before the failed one were handed out first


def test_pull_log_fetches_the_next_batch_ahead_only_when_asked_to(
    client: LogClient, project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    logstore = _one_shard_of_groups(client, project, 3)
    real = client.pull_logs
    calls = []
    second = threading.Event()

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[3])
        if len(calls) == 2:
            second.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(client, "pull_logs", counting)
    lazy = client.pull_log(project, logstore, 0, "begin", "end", batch_size=1, read_ahead=False)
    next(lazy)
    assert len(calls) == 1  # nothing is requested before the caller asks for the next batch
    lazy.close()
    calls.clear()
    eager = client.pull_log(project, logstore, 0, "begin", "end", batch_size=1)
    first = next(eager)
    assert second.wait(10)  # the second batch was requested while the first was being handled
    assert calls[1] == first.get_next_cursor()
    assert len(list(eager)) == 2


def test_pull_answer_body_is_the_official_dict(client: LogClient, project: str, logstore: str) -> None:
    from aliyun.log import LogItem, PutLogsRequest

    client.put_logs(PutLogsRequest(project, logstore, "t", "s", [LogItem(1_700_000_000, [("k", "v")])]))
    answers = []
    for shard in client.list_shards(project, logstore).get_shards_info():
        cursor = client.get_cursor(project, logstore, shard["shardID"], "begin").get_cursor()
        answers.append(client.pull_logs(project, logstore, shard["shardID"], cursor, 10))
    (answer,) = [one for one in answers if one.get_loggroup_count()]
    assert all(one.get_body()["logs"] == [] for one in answers if one is not answer)
    body = answer.get_body()
    assert body["next_cursor"] == answer.get_next_cursor() and body["count"] == 1
    assert body["logs"][0]["k"] == "v" and answer.body is body
    assert answer.get_raw_body().startswith(b"\x0a")  # the LogGroupList bytes stay available
