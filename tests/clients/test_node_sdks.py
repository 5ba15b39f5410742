"""The Node SDKs ``@alicloud/log`` and ``@alicloud/sls20201230`` (npm, unmodified) against the emulator.

Both build ``<project>.127.0.0.1:PORT`` host names; ``resolve_emulator.js``, preloaded with
``node --require``, makes such names resolve to 127.0.0.1 (the recipe in docs/emulator.md).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import HERE, SERVER_NAME, client_env, run_json

from aliyun.log import IndexConfig, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

PRELOAD = str(HERE / "resolve_emulator.js")


def run_node(script: str, node_modules: Path, server: EmulatorServer, **extra: str) -> dict:
    env = client_env(server, NODE_PATH=str(node_modules), **extra)
    return run_json(["node", "--require", PRELOAD, str(HERE / script)], env)


@pytest.mark.parametrize("host", ["127.0.0.1", SERVER_NAME])
def test_alicloud_log_round_trip(node_modules: Path, server: EmulatorServer, host: str) -> None:
    # With the server name, the preload resolves it because SLS_EMULATOR_HOSTS lists it (the
    # emulator knows it from hosts=/--server-name); with 127.0.0.1 no setting is needed.
    out = run_node("node_log_client.js", node_modules, server, SLS_HOST=host, SLS_EMULATOR_HOSTS=SERVER_NAME)
    # Empty success answers come back as "" (no JSON content type on an empty body).
    assert out["createProject"] == out["post"] == out["update"] == out["deleteProject"] == ""
    assert out["duplicate"]["code"] == "ProjectAlreadyExist"
    assert out["description"] == "made by @alicloud/log"
    assert out["logstores"] == ["app"]
    assert out["errors"] == [
        {"seq": str(i), "level": "error", "topic": "node", "source": "test", "tag": "js"} for i in (0, 4, 8, 12, 16)
    ]
    assert out["histogramCount"] == 15
    # SQL rows of the GET form carry __time__ and __source__ besides the selected columns.
    assert [{"level": row["level"], "n": row["n"]} for row in out["sql"]] == [
        {"level": "error", "n": "5"},
        {"level": "info", "n": "15"},
    ]
    assert out["ttl"] == 9
    assert out["indexKeys"] == ["level"]
    assert out["missingProject"] == {
        "code": "ProjectNotExist",
        "name": "ProjectNotExistError",
        "message": "The Project does not exist : no-such-project",
    }
    assert out["missingLogstore"]["code"] == "LogStoreNotExist"
    assert out["afterDelete"] == []
    assert out["deleted"]["code"] == "ProjectNotExist"
    assert "node-log" not in [p.get_projectname() for p in server.client().list_project().get_projects()]


def test_generated_node_sdk_round_trip(node_modules: Path, server: EmulatorServer) -> None:
    ours = server.client()
    ours.create_project("seeded", "written by our SDK")
    ours.create_logstore("seeded", "seeded", ttl=7, shard_count=1)
    index = {"line": {"token": [" "]}, "keys": {"level": {"type": "text", "token": [" "]}}}
    config = IndexConfig()
    config.from_json(index)
    ours.create_index("seeded", "seeded", config)
    now = int(time.time())
    items = [LogItem(now, [("level", "error" if i % 3 == 0 else "info"), ("seq", str(i))]) for i in range(9)]
    ours.put_logs(PutLogsRequest("seeded", "seeded", "", "", items))
    _wait_indexed(server, "seeded", "seeded", 9)

    out = run_node("node_generated_client.js", node_modules, server, SLS_SEEDED="seeded")
    assert out["duplicate"] == {"code": "ProjectAlreadyExist", "statusCode": 400}
    assert out["description"] == "generated"
    assert out["projects"] == ["node-generated", "seeded"]
    assert out["logstores"] == ["app"]
    assert out["ttl"] == 9
    assert out["changed"] == "changed"
    assert out["cursor"] is True
    assert out["logs"] == ["0", "3", "6"]
    assert out["v2"] == {"seqs": ["0", "3", "6"], "count": 3, "progress": "Complete"}
    assert out["missingProject"] == {"code": "ProjectNotExist", "statusCode": 404}
    assert out["missingLogstore"] == {"code": "LogStoreNotExist", "statusCode": 404}
    assert out["deleted"] == {"code": "ProjectNotExist", "statusCode": 404}


def _wait_indexed(server: EmulatorServer, project: str, logstore: str, count: int) -> None:
    """The index is filled in the background: wait until a query sees ``count`` logs."""
    client = server.client()
    for _ in range(400):
        now = int(time.time())
        if client.get_log(project, logstore, now - 300, now + 300, query="*").get_count() == count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the index of {project}/{logstore} never reached {count} logs")


LOOKUPS = """
const dns = require('dns');
const names = ['demo.127.0.0.1', 'demo.sls.local', 'sls.local', 'demo.other.invalid'];
Promise.all(names.map((name) => new Promise((resolve) => {
  dns.lookup(name, { all: true }, (err, addresses) => resolve([name, err ? err.code : addresses[0].address]));
}))).then((pairs) => console.log(JSON.stringify(Object.fromEntries(pairs))));
"""


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("sls.local", {"demo.127.0.0.1": True, "demo.sls.local": True, "sls.local": True}),
        ("", {"demo.127.0.0.1": True, "demo.sls.local": False, "sls.local": False}),
    ],
)
def test_the_preload_maps_only_the_emulators_names(
    node_modules: Path, server: EmulatorServer, listed: str, expected: dict[str, bool]
) -> None:
    env = client_env(server, SLS_EMULATOR_HOSTS=listed)
    out = run_json(["node", "--require", PRELOAD, "-e", LOOKUPS], env)
    # Other names go to the real resolver, which fails on them (".invalid" never resolves); the
    # error code depends on the machine's resolver (ENOTFOUND, EAI_AGAIN).
    assert {name: answer == "127.0.0.1" for name, answer in out.items()} == {**expected, "demo.other.invalid": False}
    assert all(answer in ("127.0.0.1", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL") for answer in out.values())
