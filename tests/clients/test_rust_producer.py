"""The Rust producer bindings ``aliyun-log-producer`` (PyPI, unmodified) against the emulator.

The producer's URL parser rejects ``<project>.127.0.0.1`` (a name ending in a number must be an
IPv4 address), so it is given the endpoint ``sls.local:PORT`` and the emulator as its HTTP proxy
(``HTTP_PROXY``): it then sends ``POST http://<project>.sls.local:PORT/...`` to the emulator,
which knows ``sls.local`` as its own name (``--server-name sls.local``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import SERVER_NAME, client_env, run_json

from aliyun.log.emulator import EmulatorServer

COUNT = 4000

SCRIPT = """
import json, os, sys, time
from aliyun_log_producer import EnqueueFullError, Producer, ProducerConfig

config = ProducerConfig(
    endpoint=os.environ["SLS_ENDPOINT"],
    access_key_id=os.environ["SLS_ACCESS_KEY_ID"],
    access_key_secret=os.environ["SLS_ACCESS_KEY_SECRET"],
    compression=os.environ["SLS_COMPRESSION"],
    linger=0.05,
    batch_count_threshold=500,
)
delivered, failures = [0], []


def on_delivery(error):
    if error is None:
        delivered[0] += 1
    else:
        failures.append([error.kind, error.message, error.http_status, error.error_code])


with Producer(config) as producer:
    writer = producer.writer("rust-made", "app")
    for seq in range(int(sys.argv[1])):
        while True:
            try:
                writer.send({"seq": str(seq), "msg": "from rust"}, topic="rust", source="producer",
                            on_delivery=on_delivery)
                break
            except EnqueueFullError:  # back-pressure: wait for deliveries to free room
                time.sleep(0.005)
    producer.flush()
print(json.dumps({"delivered": delivered[0], "failures": failures[:5]}))
"""


@pytest.mark.parametrize("compression", ["zstd", "lz4"])
def test_producer_logs_are_stored_exactly_once(producer_python: Path, server: EmulatorServer, compression: str) -> None:
    ours = server.client()
    ours.create_project("rust-made", "the producer writes here")
    ours.create_logstore("rust-made", "app", ttl=7, shard_count=2)
    proxy = f"http://127.0.0.1:{server.port}"
    endpoint = f"http://{SERVER_NAME}:{server.port}"
    env = client_env(server, SLS_ENDPOINT=endpoint, SLS_COMPRESSION=compression, HTTP_PROXY=proxy, http_proxy=proxy)
    out = run_json([str(producer_python), "-I", "-c", SCRIPT, str(COUNT)], env, timeout=180)
    assert out == {"delivered": COUNT, "failures": []}

    rows = []
    for shard in (0, 1):
        for batch in ours.pull_log("rust-made", "app", shard, "begin", "end"):
            rows.extend(batch.get_flatten_logs_json())
    seen = Counter(row["seq"] for row in rows)
    assert sorted(seen, key=int) == [str(i) for i in range(COUNT)]
    assert set(seen.values()) == {1}, [seq for seq, n in seen.items() if n > 1][:10]
    assert {(row["__topic__"], row["__source__"], row["msg"]) for row in rows} == {("rust", "producer", "from rust")}
    # The producer tags each batch with a pack id; every stored group carries one.
    assert all(row.get("__tag__:__pack_id__") for row in rows)
