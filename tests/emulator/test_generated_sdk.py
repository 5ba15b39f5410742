"""The generated OpenAPI SDK (``alibabacloud_sls20201230``) against the emulator, when one is at hand.

That SDK signs v1 with ``x-log-signaturemethod: hmac-sha256`` and creates projects through the
service host. Set ``ALIYUN_LOG_GENERATED_SDK_PYTHON`` to an interpreter that has it installed
(``python3 -m venv /tmp/gen && /tmp/gen/bin/pip install alibabacloud-sls20201230``) to run this;
otherwise it is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from aliyun.log.emulator import EmulatorServer

INTERPRETER = os.environ.get("ALIYUN_LOG_GENERATED_SDK_PYTHON", "")

SCRIPT = """
import json, sys, time
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_sls20201230.client import Client
from alibabacloud_sls20201230 import models as m

port = sys.argv[1]
client = Client(open_api_models.Config(
    access_key_id=sys.argv[2], access_key_secret=sys.argv[3], endpoint=f"127.0.0.1:{port}",
    protocol="http", http_proxy=f"http://127.0.0.1:{port}",
))
out = {}
client.create_project(m.CreateProjectRequest(project_name="gen-sdk", description="made by the generated SDK"))
out["project"] = client.get_project("gen-sdk", m.GetProjectRequest()).body.description
client.create_log_store("gen-sdk", m.CreateLogStoreRequest(logstore_name="app", shard_count=1, ttl=7))
out["logstores"] = client.list_log_stores("gen-sdk", m.ListLogStoresRequest()).body.logstores
log = m.LogItem(time=int(time.time()), contents=[m.LogContent(key="k", value="v")])
client.put_logs("gen-sdk", "app", m.PutLogsRequest(body=m.LogGroup(topic="gen", source="here", log_items=[log])))
out["cursor"] = bool(client.get_cursor("gen-sdk", "app", "0", m.GetCursorRequest(from_="begin")).body.cursor)
client.update_project("gen-sdk", m.UpdateProjectRequest(description="changed"))
out["updated"] = client.get_project("gen-sdk", m.GetProjectRequest()).body.description
print(json.dumps(out))
"""


@pytest.mark.skipif(not INTERPRETER, reason="ALIYUN_LOG_GENERATED_SDK_PYTHON is not set")
def test_generated_sdk_round_trip() -> None:
    with EmulatorServer(port=0) as server:
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "http_proxy")}
        done = subprocess.run(
            [INTERPRETER, "-c", SCRIPT, str(server.port), server.access_key_id, server.access_key_secret],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert json.loads(done.stdout) == {
            "project": "made by the generated SDK",
            "logstores": ["app"],
            "cursor": True,
            "updated": "changed",
        }
        pulled = server.client().pull_log("gen-sdk", "app", 0, "begin", "end")
        assert [log["k"] for batch in pulled for log in batch.get_flatten_logs_json()] == ["v"]
