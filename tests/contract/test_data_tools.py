"""copy_data and transform_data against the emulator: data really moves, resumes, reports progress."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aliyun.log import LogClient, LogException, LogItem, PutLogsRequest
from aliyun.log._datamove import Progress, TerminalBar
from aliyun.log.emulator import EmulatorServer

N = 100_000
PER_GROUP = 1000

SCRIPT = """\
from aliyun.log.etl_core import *

DROP_EVENT_odd = {"parity": "odd"}
TRANSFORM_EVENT_parse = [(True, ("msg", r"user=(?P<user>\\w+) code=(?P<code>\\d+)"))]
DROP_FIELDS_helper = "parity"


def sls_eu_mark(event):
    return {"checked": "yes"}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as s:
        yield s


@pytest.fixture
def client(server: EmulatorServer) -> LogClient:
    return server.client()


_projects = iter(range(10_000))


@pytest.fixture
def project(client: LogClient) -> str:
    name = f"data-tools-{next(_projects)}"
    client.create_project(name, "data tools")
    client.create_logstore(name, "src", shard_count=2)
    client.create_logstore(name, "dst", shard_count=2)
    return name


def fill(client: LogClient, project: str, count: int, per_group: int = PER_GROUP) -> None:
    for start in range(0, count, per_group):
        items = [
            LogItem(
                1_700_000_000 + i % 3600,
                [("n", str(i)), ("parity", "odd" if i % 2 else "even"), ("msg", f"user=u{i % 7} code={i % 500}")],
            )
            for i in range(start, min(start + per_group, count))
        ]
        client.put_logs(PutLogsRequest(project, "src", "web", "10.0.0.1", items, hashKey=None))


def read_all(client: LogClient, project: str, logstore: str = "dst") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for shard in client.list_shards(project, logstore).get_shards_info():
        for batch in client.pull_log(project, logstore, shard["shardID"], "begin", "end"):
            rows.extend(batch.get_flatten_logs_json())
    return rows


def test_copy_data_moves_every_log_in_bounded_batches(client: LogClient, project: str) -> None:
    fill(client, project, N)
    pulled: list[int] = []
    original = client.pull_logs

    def counting_pull(*args: Any, **kwargs: Any) -> Any:
        answer = original(*args, **kwargs)
        pulled.append(answer.get_loggroup_count())
        return answer

    client.pull_logs = counting_pull  # type: ignore[method-assign]
    result = client.copy_data(project, "src", "begin", to_logstore="dst", batch_size=10, new_topic="copied")
    body = result.get_body()
    assert body["total_count"] == N and body["total_written"] == N
    assert sum(body["shards"].values()) == N
    assert max(pulled) <= 10  # one batch of at most batch_size groups at a time per shard
    rows = read_all(client, project)
    assert Counter(int(r["n"]) for r in rows) == Counter(range(N))
    assert {r["__topic__"] for r in rows} == {"copied"}


def test_transform_data_applies_the_script(client: LogClient, project: str, tmp_path: Path) -> None:
    fill(client, project, N)
    script = tmp_path / "etl_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    result = client.transform_data(project, "src", str(script), "begin", to_logstore="dst")
    body = result.get_body()
    assert body["total_count"] == N
    assert body["total_removed"] == N // 2 and body["total_written"] == N // 2
    assert sum(s["transformed"] for s in body["shards"].values()) == N // 2
    rows = read_all(client, project)
    assert sorted(int(r["n"]) for r in rows) == list(range(0, N, 2))
    sample = next(r for r in rows if r["n"] == "42")
    assert (sample["user"], sample["code"], sample["checked"]) == ("u0", "42", "yes")
    assert "parity" not in sample and sample["__topic__"] == "web" and sample["__source__"] == "10.0.0.1"
    assert int(sample["__time__"]) == 1_700_000_000 + 42


class Interrupt(Exception):
    pass


@pytest.mark.parametrize("kind", ["copy", "transform"])
def test_rerun_from_the_checkpoint_is_exactly_once(client: LogClient, project: str, tmp_path: Path, kind: str) -> None:
    count = 20_000
    fill(client, project, count, per_group=200)
    checkpoint = tmp_path / "job.checkpoint.json"
    seen: list[Progress] = []

    def interrupt_after_three(progress: Progress) -> None:
        seen.append(progress)
        if len(seen) == 3:
            raise Interrupt("simulated crash")

    def run(report: Any) -> Any:
        if kind == "copy":
            return client.copy_data(
                project, "src", "begin", to_logstore="dst", batch_size=4, progress=report, checkpoint=str(checkpoint)
            )
        return client.transform_data(
            project, "src", lambda e: dict(e, moved="1"), "begin", to_logstore="dst", batch_size=4,
            progress=report, checkpoint=str(checkpoint),
        )  # fmt: skip

    with pytest.raises(Interrupt):
        run(interrupt_after_three)
    saved = json.loads(checkpoint.read_text(encoding="utf-8"))
    assert sum(entry["written"] for entry in saved["shards"].values()) >= 3 * 4 * 200 // 2
    partial = len(read_all(client, project))
    assert 0 < partial < count

    final: list[Progress] = []
    body = run(final.append).get_body()
    assert body["total_count"] == count  # the counts cover both runs
    rows = read_all(client, project)
    assert Counter(int(r["n"]) for r in rows) == Counter(range(count))  # nothing lost, nothing twice
    assert final[-1].shards_done == final[-1].shards_total == 2
    assert final[0].read > 0  # the rerun started from the saved counts, not from zero


def test_copy_to_another_region_and_project(client: LogClient, project: str) -> None:
    fill(client, project, 3000)
    with EmulatorServer(port=0, fsync="never") as other_region:
        target = other_region.client()
        target.create_project("copy-target", "another region")
        target.create_logstore("copy-target", "archive", shard_count=1)
        body = client.copy_data(
            project, "src", "begin", to_client=target, to_project="copy-target", to_logstore="archive"
        ).get_body()
        assert body["total_count"] == 3000
        rows = read_all(target, "copy-target", "archive")
        assert Counter(int(r["n"]) for r in rows) == Counter(range(3000))
    assert read_all(client, project) == []  # nothing went to the source region's dst


KILLED_JOB = """
import sys, time
from aliyun.log import LogClient
endpoint, key_id, key, project, checkpoint = sys.argv[1:]
client = LogClient(endpoint, key_id, key)
client.copy_data(project, "src", "begin", to_logstore="dst", batch_size=2, checkpoint=checkpoint,
                 progress=lambda p: time.sleep(0.02))
"""


def test_a_killed_job_resumes_without_loss(
    server: EmulatorServer, client: LogClient, project: str, tmp_path: Path
) -> None:
    count, per_group, batch = 20_000, 200, 2
    fill(client, project, count, per_group=per_group)
    checkpoint = tmp_path / "killed.json"
    script = tmp_path / "job.py"
    script.write_text(KILLED_JOB, encoding="utf-8")
    args = [server.endpoint, server.access_key_id, server.access_key_secret, project, str(checkpoint)]
    root = Path(__file__).resolve().parents[2]
    job = subprocess.Popen([sys.executable, str(script), *args], env={**os.environ, "PYTHONPATH": str(root)})
    try:
        deadline = 600  # polls, not a timing assertion: the job is killed once it has written some batches
        while deadline and not (checkpoint.exists() and _written(checkpoint) >= 4 * per_group * batch):
            assert job.poll() is None, "the job ended before it could be killed"
            deadline -= 1
            threading.Event().wait(0.05)
        job.send_signal(signal.SIGKILL)
    finally:
        job.wait()
    partial = len(read_all(client, project))
    assert 0 < partial < count
    body = client.copy_data(
        project, "src", "begin", to_logstore="dst", batch_size=batch, checkpoint=str(checkpoint)
    ).get_body()
    assert body["total_count"] >= count
    seen = Counter(int(r["n"]) for r in read_all(client, project))
    assert set(seen) == set(range(count))  # nothing lost
    # at most the batch each shard was writing when killed is written twice
    assert sum(seen.values()) - count <= 2 * batch * per_group


def _written(path: Path) -> int:
    try:
        return sum(entry["written"] for entry in json.loads(path.read_text(encoding="utf-8"))["shards"].values())
    except (ValueError, KeyError):
        return 0  # read while being replaced


def test_a_finished_checkpoint_does_nothing_more(client: LogClient, project: str) -> None:
    fill(client, project, 3000)
    state: dict[str, Any] = {}
    assert (
        client.copy_data(project, "src", "begin", to_logstore="dst", checkpoint=state).get_body()["total_count"] == 3000
    )
    assert all(entry["done"] for entry in state["shards"].values())
    again = client.copy_data(project, "src", "begin", to_logstore="dst", checkpoint=state)
    assert again.get_body()["total_count"] == 3000
    assert len(read_all(client, project)) == 3000


def test_a_checkpoint_of_another_job_is_refused(client: LogClient, project: str) -> None:
    fill(client, project, 10)
    state: dict[str, Any] = {}
    client.copy_data(project, "src", "begin", to_logstore="dst", checkpoint=state)
    with pytest.raises(LogException) as info:
        client.copy_data(project, "dst", "begin", to_logstore="src", checkpoint=state)
    assert info.value.get_error_code() == "BadParameters"


def test_progress_reports_every_batch(client: LogClient, project: str) -> None:
    fill(client, project, 5000, per_group=100)
    reports: list[Progress] = []
    client.copy_data(project, "src", "begin", to_logstore="dst", batch_size=5, progress=reports.append)
    assert len(reports) == sum(p.batches for p in reports[-1:])
    assert [p.read for p in reports] == sorted(p.read for p in reports)
    last = reports[-1]
    assert (last.read, last.written, last.shards_done, last.shards_total) == (5000, 5000, 2, 2)


def test_a_terminal_gets_a_progress_bar(
    client: LogClient, project: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(client, project, 2000)
    monkeypatch.setattr("aliyun.log._datamove.engine.stderr_is_terminal", lambda: True)
    client.copy_data(project, "src", "begin", to_logstore="dst")
    err = capsys.readouterr().err
    assert "shards 2/2" in err and "read 2,000" in err and err.endswith("\n")


def test_terminal_bar_renders_counts() -> None:
    import io

    stream = io.StringIO()
    bar = TerminalBar(stream, interval=0)
    bar(Progress(shard=0, batches=1, read=1500, written=1400, removed=100, failed=0, shards_done=1, shards_total=2))
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\r[##########..........] shards 1/2") and "written 1,400" in text and "removed 100" in text


def test_shard_list_limits_the_shards(client: LogClient, project: str) -> None:
    fill(client, project, 4000, per_group=100)
    body = client.copy_data(project, "src", "begin", to_logstore="dst", shard_list="1").get_body()
    assert set(body["shards"]) <= {"1"}
    assert len(read_all(client, project)) == body["total_count"] > 0


def test_a_script_error_names_the_line(client: LogClient, project: str, tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text(textwrap.dedent("""\
        from aliyun.log.etl_core import *

        KEEP_EVENT_x = NO_SUCH_FUNCTION("a")
    """), encoding="utf-8")  # fmt: skip
    with pytest.raises(LogException) as info:
        client.transform_data(project, "src", str(script), "begin", to_logstore="dst")
    assert "line 3" in info.value.get_error_message() and "NO_SUCH_FUNCTION" in info.value.get_error_message()


def test_consumer_group_mode_transforms_until_the_end(client: LogClient, project: str) -> None:
    fill(client, project, 5000)
    body = client.transform_data(
        project, "src", lambda e: dict(e, via="group"), "begin", "end", to_logstore="dst",
        cg_name="transformers", cg_heartbeat_interval=1, cg_data_fetch_interval=1,
    ).get_body()  # fmt: skip
    assert body["total_count"] == 5000 and sum(s["transformed"] for s in body["shards"].values()) == 5000
    rows = read_all(client, project)
    assert Counter(int(r["n"]) for r in rows) == Counter(range(5000)) and {r["via"] for r in rows} == {"group"}
    groups = [g.get_consumer_group_name() for g in client.list_consumer_group(project, "src").get_consumer_groups()]
    assert groups == ["transformers"]


@pytest.mark.slow
def test_a_million_logs_copy_and_transform(client: LogClient, project: str) -> None:
    total = 1_000_000
    fill(client, project, total, per_group=4000)
    copied = client.copy_data(project, "src", "begin", to_logstore="dst", progress=False).get_body()
    assert copied["total_written"] == total
    client.create_logstore(project, "dst2", shard_count=2)
    moved = client.transform_data(
        project, "src", lambda e: dict(e, moved="1"), "begin", to_logstore="dst2", progress=False
    ).get_body()
    assert moved["total_written"] == total
    assert len(read_all(client, project, "dst2")) == total
