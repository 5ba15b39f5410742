"""Quick start: write and read logs with the SDK.

Runs against a local SLS emulator that it starts itself, unless these environment variables
point it at real SLS (then it creates and deletes a project of yours, so use a test account):

    ALIYUN_LOG_ENDPOINT       e.g. cn-hangzhou.log.aliyuncs.com
    ALIYUN_ACCESS_KEY_ID
    ALIYUN_ACCESS_KEY_SECRET
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator

from aliyun.log import LogClient, LogItem, PutLogsRequest


@contextlib.contextmanager
def make_client() -> Iterator[LogClient]:
    endpoint = os.environ.get("ALIYUN_LOG_ENDPOINT")
    if endpoint:
        print(f"Using SLS at {endpoint}")
        yield LogClient(endpoint, os.environ["ALIYUN_ACCESS_KEY_ID"], os.environ["ALIYUN_ACCESS_KEY_SECRET"])
        return
    from aliyun.log.emulator import EmulatorServer

    with EmulatorServer(port=0) as server:
        print(f"Started a local SLS emulator at {server.endpoint}")
        yield server.client()


def main() -> None:
    project = f"quickstart-{uuid.uuid4().hex[:8]}"
    logstore = "app-logs"
    with make_client() as client:
        client.create_project(project, "quick start demo")
        print(f"Created project {project}")
        client.create_logstore(project, logstore, ttl=7, shard_count=2)
        print(f"Created logstore {logstore} with 2 shards")

        items = [
            LogItem(
                int(time.time()), [("level", "INFO"), ("message", f"request {i} served"), ("latency_ms", str(i * 7))]
            )
            for i in range(10)
        ]
        client.put_logs(PutLogsRequest(project, logstore, topic="web", source="quickstart", logitems=items))
        print(f"Wrote {len(items)} logs")

        shards = client.list_shards(project, logstore).get_shards_info()
        print("Shards:")
        for shard in shards:
            key_range = f"[{shard['inclusiveBeginKey']}, {shard['exclusiveEndKey']})"
            print(f"  shard {shard['shardID']}: {shard['status']} {key_range}")

        read = 0
        for shard in shards:
            for batch in client.pull_log(project, logstore, shard["shardID"], "begin", "end"):
                for row in batch.get_flatten_logs_json():
                    read += 1
                    if read <= 3:
                        print(f"  read: {row['level']} {row['message']} (topic {row['__topic__']})")
        print(f"Read back {read} logs")

        client.delete_logstore(project, logstore)
        client.delete_project(project)
        print(f"Deleted {project}; done.")


if __name__ == "__main__":
    main()
