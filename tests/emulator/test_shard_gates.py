"""Writes to different shards run in parallel, and none lands in a shard after it is retired."""

from __future__ import annotations

import threading

from aliyun.log import LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

P, LS = "gates", "ls"


def _ids(server: EmulatorServer) -> list[str]:
    client = server.client(in_process=True)
    out = []
    for shard in client.list_shards(P, LS).get_shards_info():
        for batch in client.pull_log(P, LS, shard["shardID"], "begin", "end"):
            out.extend(log["id"] for log in batch.get_flatten_logs_json())
    return out


def test_splits_and_merges_under_concurrent_writes_lose_and_misplace_nothing() -> None:
    with EmulatorServer(port=0, listen=False, fsync="never") as server:
        setup = server.client(in_process=True)
        setup.create_project(P, "")
        setup.create_logstore(P, LS, shard_count=2)
        written: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()
        errors: list[BaseException] = []

        def writer(n: int) -> None:
            client = server.client(in_process=True)
            i = 0
            try:
                while not stop.is_set() or i < 50:
                    rid = f"{n}-{i}"
                    client.put_logs(PutLogsRequest(P, LS, logitems=[LogItem(contents=[("id", rid)])]))
                    with lock:
                        written.append(rid)
                    i += 1
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        ends_at_retirement: dict[int, str] = {}
        for _ in range(3):
            shards = [s for s in setup.list_shards(P, LS).get_shards_info() if s["status"] == "readwrite"]
            first = shards[0]
            middle = format((int(first["inclusiveBeginKey"], 16) + int(first["exclusiveEndKey"], 16)) // 2, "032x")
            setup.split_shard(P, LS, first["shardID"], middle)
            ends_at_retirement[first["shardID"]] = setup.get_end_cursor(P, LS, first["shardID"]).get_cursor()
        stop.set()
        for t in threads:
            t.join()
        assert not errors, errors
        # every acknowledged write is stored exactly once ...
        assert sorted(_ids(server)) == sorted(written)
        # ... and no write reached a shard after the split that retired it
        for shard_id, end in ends_at_retirement.items():
            assert setup.get_end_cursor(P, LS, shard_id).get_cursor() == end
