"""The ``aliyunlog`` CLI (``aliyun-log-cli`` 0.2.10 from PyPI, unmodified) on this package, against the emulator.

The CLI is installed ``--no-deps`` next to this package (it pins ``aliyun-log-python-sdk<0.10.0``;
see docs/migrating.md), configured through its own config file (``aliyunlog configure``, written
under ``$HOME``), and run as a user runs it. It builds its subcommands from ``LogClient``'s methods,
so what works here is also a check of this package's drop-in surface. Version 0.2.10 has no
command that writes logs (``copy_data`` needs ``LogClient.copy_data``), so the logs it reads are
written with our SDK.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import _environments as environments
import pytest

from aliyun.log import IndexConfig, IndexLineConfig, LogItem, PutLogsRequest
from aliyun.log.emulator import EmulatorServer

_ENTRY_POINT = "import sys; from aliyunlogcli.cli import main; sys.argv[0] = 'aliyunlog'; sys.exit(main())"


class Cli:
    """Runs ``aliyunlog`` with a private ``$HOME`` (its config file lives there)."""

    def __init__(self, python: Path, home: Path) -> None:
        # The console script's shebang names the build's staging path, so start the entry point
        # through the interpreter (what the ``aliyunlog`` script does).
        self.program = [str(python), "-c", _ENTRY_POINT]
        # The checkout first: the tests check the code as it is now, not the copy installed at build time.
        self.env = environments.clean_env(HOME=str(home), PYTHONPATH=str(environments.REPOSITORY))

    def run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.program, *arguments], capture_output=True, text=True, timeout=120, env=self.env, cwd=self.env["HOME"]
        )

    def json(self, *arguments: str) -> Any:
        done = self.run(*arguments)
        assert done.returncode == 0, (
            f"aliyunlog {' '.join(arguments)}: exit {done.returncode}\n{done.stderr[-4000:]}\n{done.stdout[-2000:]}"
        )
        return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.fixture
def cli(cli_python: Path, server: EmulatorServer, tmp_path: Path) -> Cli:
    runner = Cli(cli_python, tmp_path)
    done = runner.run("configure", server.access_key_id, server.access_key_secret, server.endpoint)
    assert done.returncode == 0, done.stderr
    config = (tmp_path / ".aliyunlogcli").read_text()
    assert server.endpoint in config
    return runner


def _seed(server: EmulatorServer, project: str, logstore: str, count: int) -> None:
    """Write ``count`` logs with our SDK and wait until the (background) index sees them all."""
    ours = server.client()
    now = int(time.time())
    items = [LogItem(now, [("level", "error" if i % 4 == 0 else "info"), ("seq", str(i))]) for i in range(count)]
    ours.put_logs(PutLogsRequest(project, logstore, "cli", "seed", items))
    for _ in range(400):
        if ours.get_log(project, logstore, now - 300, now + 300, query="*").get_count() == count:
            return
        time.sleep(0.05)
    raise AssertionError("the index never saw the seeded logs")


def test_cli_round_trip(cli: Cli, server: EmulatorServer) -> None:
    assert cli.json("log", "create_project", "--project_name=cli-made", "--project_des=made by aliyunlog") is None
    listed = cli.json("log", "list_project")
    assert [p["projectName"] for p in listed["projects"]] == ["cli-made"]
    assert cli.json("log", "get_project", "--project_name=cli-made")["description"] == "made by aliyunlog"

    cli.json("log", "create_logstore", "--project_name=cli-made", "--logstore_name=app", "--ttl=7", "--shard_count=2")
    index = {"line": {"token": [" "]}, "keys": {"level": {"type": "text", "token": [" "], "doc_value": True}}}
    cli.json(
        "log", "create_index", "--project_name=cli-made", "--logstore_name=app", f"--index_detail={json.dumps(index)}"
    )
    assert cli.json("log", "list_logstore", "--project_name=cli-made")["logstores"] == ["app"]
    assert len(cli.json("log", "list_shards", "--project_name=cli-made", "--logstore_name=app")) == 2
    cli.json("log", "update_logstore", "--project_name=cli-made", "--logstore_name=app", "--ttl=9")
    got = cli.json("log", "get_logstore", "--project_name=cli-made", "--logstore_name=app")
    assert (got["ttl"], got["shardCount"]) == (9, 2)
    assert list(cli.json("log", "get_index_config", "--project_name=cli-made", "--logstore_name=app")["keys"]) == [
        "level"
    ]

    _seed(server, "cli-made", "app", 40)
    cursor = cli.json(
        "log", "get_cursor", "--project_name=cli-made", "--logstore_name=app", "--shard_id=0", "--start_time=begin"
    )
    assert cursor["cursor"]
    now = int(time.time())
    window = (f"--from_time={now - 300}", f"--to_time={now + 300}")
    sql = "* | select level, count(*) as n group by level order by level"
    rows = cli.json("log", "get_log", "--project=cli-made", "--logstore=app", *window, f"--query={sql}")
    assert [(row["level"], row["n"]) for row in rows] == [("error", "10"), ("info", "30")]
    seqs = cli.json(
        "log",
        "get_log",
        "--project=cli-made",
        "--logstore=app",
        *window,
        "--query=level: error",
        "--jmes-filter=[].seq",
    )
    assert sorted(seqs, key=int) == [str(i) for i in range(0, 40, 4)]

    # An SLS error is printed as the service's JSON, with a non-zero exit status.
    missing = cli.run("log", "get_project", "--project_name=no-such-project")
    assert missing.returncode != 0
    assert json.loads(missing.stdout)["errorCode"] == "ProjectNotExist"

    cli.json("log", "delete_logstore", "--project_name=cli-made", "--logstore_name=app")
    assert cli.json("log", "list_logstore", "--project_name=cli-made")["logstores"] == []
    cli.json("log", "delete_project", "--project_name=cli-made")
    assert cli.json("log", "list_project")["projects"] == []


def test_cli_arguments_from_the_command_line_reach_the_sdk_typed(cli: Cli, server: EmulatorServer) -> None:
    """The CLI passes every option as a string; the SDK must still send numbers and booleans."""
    cli.json("log", "create_project", "--project_name=typed", "--project_des=typed")
    cli.json("log", "create_logstore", "--project_name=typed", "--logstore_name=app", "--shard_count=3", "--ttl=5")
    logstore = server.client().get_logstore("typed", "app")
    assert (logstore.get_shard_count(), logstore.get_ttl()) == (3, 5)


def test_cli_builds_request_objects_and_documents_from_json(cli: Cli, server: EmulatorServer) -> None:
    """Arguments typed by a docstring's ``:type`` line (a request class, ``dict/string``, ``int``)."""
    ours = server.client()
    ours.create_project("objects", "")
    ours.create_logstore("objects", "app", shard_count=1)
    ours.create_index("objects", "app", IndexConfig(line_config=IndexLineConfig()))
    _seed(server, "objects", "app", 12)
    now = int(time.time())
    request = {"project": "objects", "logstore": "app", "fromTime": now - 300, "toTime": now + 300,
               "query": "error"}  # fmt: skip
    histograms = cli.json("log", "get_histograms", f"--request={json.dumps(request)}")
    assert sum(bucket["count"] for bucket in histograms) == 3

    dashboard = {"dashboardName": "cli-board", "displayName": "From the CLI", "charts": []}
    cli.json("log", "create_dashboard", "--project=objects", f"--detail={json.dumps(dashboard)}")
    assert ours.get_dashboard("objects", "cli-board").get_entity()["displayName"] == "From the CLI"
    listed = cli.json("log", "list_dashboard", "--project=objects", "--offset=0", "--size=10")
    assert listed["dashboards"] == ["cli-board"]

    group = {"group_name": "web", "machine_type": "ip", "machine_list": ["10.0.0.1"]}
    cli.json("log", "create_machine_group", "--project_name=objects", f"--group_detail={json.dumps(group)}")
    assert ours.get_machine_group("objects", "web").get_machine_group().machine_list == ["10.0.0.1"]


def test_cli_pull_log_prints_the_logs(cli: Cli, server: EmulatorServer) -> None:
    ours = server.client()
    ours.create_project("pulled", "")
    ours.create_logstore("pulled", "app", ttl=7, shard_count=1)
    ours.put_logs(PutLogsRequest("pulled", "app", "", "", [LogItem(int(time.time()), [("k", "v")])]))
    out = cli.json("log", "pull_log", "--project_name=pulled", "--logstore_name=app", "--shard_id=0",
                   "--from_time=begin", "--to_time=end")  # fmt: skip
    assert [log["k"] for log in out["logs"]] == ["v"]


def test_cli_pins_an_sdk_version_range_this_package_is_inside_of(cli_python: Path) -> None:
    """docs/migrating.md explains the pin; this keeps the statement there true."""
    probe = "import importlib.metadata as m, json; print(json.dumps(m.requires('aliyun-log-cli')))"
    done = subprocess.run([str(cli_python), "-I", "-c", probe], capture_output=True, text=True, timeout=60)
    assert "aliyun-log-python-sdk<0.10.0,>=0.8.11" in json.loads(done.stdout)
    # the checkout's version (the cached environment holds a copy of the package from when it was built)
    from aliyun.log.version import __version__

    release = tuple(int(part) for part in __version__.split(".")[:3])
    assert (0, 8, 11) <= release < (0, 10, 0)
