"""The generated OpenAPI SDK ``alibabacloud_sls20201230`` (PyPI, unmodified) against the emulator.

It signs v1 with ``x-log-signaturemethod: hmac-sha256`` (or v4 when asked), creates projects at the service host, and
writes with its own protobuf and lz4 code. It reaches ``<project>.127.0.0.1:PORT`` through its
``http_proxy`` option pointing at the emulator (the proxy recipe in docs/emulator.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import client_env, run_json

from aliyun.log.emulator import EmulatorServer

SCRIPT = """
import json, os, time
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_sls20201230.client import Client
from alibabacloud_sls20201230 import models as m

port = os.environ["SLS_PORT"]
client = Client(open_api_models.Config(
    access_key_id=os.environ["SLS_ACCESS_KEY_ID"], access_key_secret=os.environ["SLS_ACCESS_KEY_SECRET"],
    endpoint=f"127.0.0.1:{port}", protocol="http", http_proxy=f"http://127.0.0.1:{port}",
    signature_version=os.environ["SLS_SIGNATURE"], region_id="cn-hangzhou",
))


def error_of(call, *args):
    try:
        call(*args)
    except Exception as exc:
        return [getattr(exc, "code", None), getattr(exc, "status_code", None) or exc.data.get("statusCode")]
    return None


out = {}
client.create_project(m.CreateProjectRequest(project_name="gen-sdk", description="made by the generated SDK"))
out["duplicate"] = error_of(client.create_project, m.CreateProjectRequest(project_name="gen-sdk", description="x"))
out["project"] = client.get_project("gen-sdk", m.GetProjectRequest()).body.description
client.create_log_store("gen-sdk", m.CreateLogStoreRequest(logstore_name="app", shard_count=1, ttl=7))
out["logstores"] = client.list_log_stores("gen-sdk", m.ListLogStoresRequest()).body.logstores
index = m.Index(line=m.IndexLine(token=[" "], case_sensitive=False),
                keys={"level": m.IndexKey(type="text", token=[" "])})
client.create_index("gen-sdk", "app", m.CreateIndexRequest(body=index))
now = int(time.time())
logs = [
    m.LogItem(time=now, contents=[m.LogContent(key="level", value="error" if i % 5 == 0 else "info"),
                                  m.LogContent(key="seq", value=str(i))])
    for i in range(50)
]
client.put_logs("gen-sdk", "app", m.PutLogsRequest(body=m.LogGroup(topic="gen", source="here", log_items=logs)))
out["cursor"] = bool(client.get_cursor("gen-sdk", "app", "0", m.GetCursorRequest(from_="begin")).body.cursor)
for _ in range(400):  # the index is filled in the background
    request = m.GetLogsRequest(from_=now - 300, to=now + 300, query="* | select count(*) as n")
    if [row["n"] for row in client.get_logs("gen-sdk", "app", request).body.data] == ["50"]:
        break
    time.sleep(0.05)
# This SDK's get_logs is the POST form: the answer is {"meta": ..., "data": [...]}.
got = client.get_logs("gen-sdk", "app", m.GetLogsRequest(from_=now - 300, to=now + 300, query="level: error")).body
out["errors"] = sorted(((row["seq"], row["__topic__"], row["__source__"]) for row in got.data), key=lambda r: int(r[0]))
out["meta"] = [got.meta.count, got.meta.progress]
client.update_project("gen-sdk", m.UpdateProjectRequest(description="changed"))
out["updated"] = client.get_project("gen-sdk", m.GetProjectRequest()).body.description
client.update_log_store("gen-sdk", "app", m.UpdateLogStoreRequest(logstore_name="app", ttl=9, shard_count=1))
out["ttl"] = client.get_log_store("gen-sdk", "app").body.ttl
out["missing_project"] = error_of(client.get_project, "no-such-project", m.GetProjectRequest())
out["missing_logstore"] = error_of(client.get_log_store, "gen-sdk", "no-such-logstore")
print(json.dumps(out))
"""


@pytest.mark.parametrize("signature", ["v1", "v4"])
def test_generated_sdk_round_trip(generated_python: Path, server: EmulatorServer, signature: str) -> None:
    # v1 is this SDK's default and signs with hmac-sha256; v4 is its SLS4-HMAC-SHA256 scheme.
    out = run_json([str(generated_python), "-I", "-c", SCRIPT], client_env(server, SLS_SIGNATURE=signature))
    assert out == {
        "duplicate": ["ProjectAlreadyExist", 400],
        "project": "made by the generated SDK",
        "logstores": ["app"],
        "cursor": True,
        "errors": [[str(i), "gen", "here"] for i in range(0, 50, 5)],
        "meta": [10, "Complete"],
        "updated": "changed",
        "ttl": 9,
        "missing_project": ["ProjectNotExist", 404],
        "missing_logstore": ["LogStoreNotExist", 404],
    }
    # What it wrote is stored as written: pull it back with our SDK.
    pulled = server.client().pull_log("gen-sdk", "app", 0, "begin", "end")
    rows = [log for batch in pulled for log in batch.get_flatten_logs_json()]
    assert [row["seq"] for row in rows] == [str(i) for i in range(50)]
    assert {(row["__topic__"], row["__source__"]) for row in rows} == {("gen", "here")}
