"""aliyun.log.es_migration against recorded Elasticsearch answers and the emulator.

No Elasticsearch runs here: ``FakeElasticsearch`` is a tiny HTTP server on 127.0.0.1 answering
the few endpoints the migration uses (``GET /``, ``_search_shards``, ``GET /<index>``, scrolled
``_search``, ``_search/scroll``) with answers shaped as Elasticsearch 8 records them, driven by
the real ``elasticsearch`` client from PyPI.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("elasticsearch")

from aliyun.log import LogClient
from aliyun.log.emulator import EmulatorServer
from aliyun.log.es_migration import MigrationConfig, MigrationManager

WEB_MAPPING = {
    "properties": {
        "ts": {"type": "date"},
        "status": {"type": "integer"},
        "latency": {"type": "float"},
        "path": {"type": "keyword"},
        "message": {"type": "text"},
        "client": {"properties": {"ip": {"type": "ip"}, "geo": {"properties": {"city": {"type": "keyword"}}}}},
        "window": {"type": "long_range"},
        "blob": {"type": "binary"},
    }
}


def _doc(index: str, shard: int, n: int) -> dict[str, Any]:
    return {
        "_index": index,
        "_id": f"{index}-{shard}-{n}",
        "_source": {
            "ts": 1_700_000_000 + n,
            "status": 200 + n % 3,
            "latency": n / 10,
            "path": f"/p/{n % 5}",
            "message": f"request {n}",
            "client": {"ip": "10.0.0.1", "geo": {"city": "hz"}},
            "tags": ["a", "b"],
        },
    }


class FakeElasticsearch:
    """The recorded answers, with scroll state kept per scroll id."""

    def __init__(self) -> None:
        self.docs = {
            ("web-2024.01", 0): [_doc("web-2024.01", 0, n) for n in range(250)],
            ("web-2024.01", 1): [_doc("web-2024.01", 1, n) for n in range(250)],
            ("app", 0): [_doc("app", 0, n) for n in range(30)],
            (".kibana", 0): [_doc(".kibana", 0, 0)],
        }
        self.mappings = {
            "web-2024.01": WEB_MAPPING,
            "app": {"properties": {"message": {"type": "text"}}},
            ".kibana": {},
        }
        self.scrolls: dict[str, list[Any]] = {}
        self.fail_scrolls = 0  # answer this many scroll calls with a 500
        self.searches = 0  # scrolls opened
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                return json.loads(self.rfile.read(length) or b"{}") if length else {}

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_DELETE(self) -> None:
                self._route("DELETE")

            def _route(self, method: str) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                parts = [p for p in url.path.split("/") if p]
                try:
                    status, answer = fake.answer(method, parts, query, self._body())
                except Exception as exc:  # shown to the client, so a test failure says why
                    status, answer = 500, {"error": {"type": "fake_server_error", "reason": repr(exc)}, "status": 500}
                self._send(status, answer)

        return Handler

    def answer(self, method: str, parts: list[str], query: dict[str, str], body: Any) -> tuple[int, Any]:
        if not parts:
            return 200, {
                "name": "fake",
                "cluster_name": "fake",
                "version": {"number": "8.11.0", "build_flavor": "default"},
            }
        if parts[-1] == "_search_shards":
            wanted = parts[0].split(",") if len(parts) == 2 else None
            shards = []
            for index, shard in self.docs:
                if wanted is None or any(index == w or (w.endswith("*") and index.startswith(w[:-1])) for w in wanted):
                    shards.append([
                        {"index": index, "shard": shard, "state": "STARTED", "primary": True},
                        {"index": index, "shard": shard, "state": "STARTED", "primary": False},
                    ])  # fmt: skip
            return 200, {"nodes": {}, "indices": {}, "shards": shards}
        if parts[-1] == "scroll" and parts[0] == "_search":
            scroll_id = body.get("scroll_id") or query.get("scroll_id")
            if method == "DELETE":
                with self.lock:
                    self.scrolls.pop(str(scroll_id), None)
                return 200, {"succeeded": True, "num_freed": 1}
            with self.lock:
                if self.fail_scrolls > 0:
                    self.fail_scrolls -= 1
                    return 500, {"error": {"type": "recorded_failure", "reason": "injected"}, "status": 500}
                state = self.scrolls.get(str(scroll_id))
            if state is None:
                return 404, {"error": {"type": "search_context_missing_exception"}, "status": 404}
            return 200, self._page(str(scroll_id))
        if parts[-1] == "_search":
            # the client sends size in the body or the query string, depending on its version
            index, shard = parts[0], int(str(query.get("preference") or body["preference"]).split(":")[1])
            size = int(query.get("size") or body["size"])
            assert body.get("sort") == ["_doc"], body
            with self.lock:
                self.searches += 1
                scroll_id = f"scroll-{self.searches}-{index}-{shard}"
                self.scrolls[scroll_id] = [self.docs[(index, shard)], 0, size]
            return 200, self._page(scroll_id)
        if len(parts) == 1 and method == "GET":
            if parts[0] not in self.mappings:
                return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}
            return 200, {parts[0]: {"aliases": {}, "mappings": self.mappings[parts[0]], "settings": {}}}
        return 400, {"error": {"type": "unexpected", "reason": "/".join(parts)}, "status": 400}

    def _page(self, scroll_id: str) -> dict[str, Any]:
        with self.lock:
            docs, position, size = self.scrolls[scroll_id]
            hits = docs[position : position + size]
            self.scrolls[scroll_id][1] = position + len(hits)
        return {
            "_scroll_id": scroll_id,
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": len(docs)}, "hits": hits},
        }

    def __enter__(self) -> FakeElasticsearch:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """A migration configures the root logger (its log handler, level); undo it after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def es() -> Iterator[FakeElasticsearch]:
    with FakeElasticsearch() as fake:
        yield fake


@pytest.fixture(scope="module")
def sls() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, fsync="never") as server:
        yield server


_projects = iter(range(1000))


@pytest.fixture
def project(sls: EmulatorServer) -> str:
    name = f"es-migration-{next(_projects)}"
    sls.client().create_project(name, "es migration")
    return name


def _config(sls: EmulatorServer, es: FakeElasticsearch, project: str, cache: Path, **extra: Any) -> MigrationConfig:
    return MigrationConfig(
        str(cache), sls.endpoint, sls.access_key_id, sls.access_key_secret, project_name=project,
        hosts=f"127.0.0.1:{es.port}", logstore_index_mappings='{"web": "web-*"}', time_reference="ts",
        batch_size=40, wait_time_in_secs=0, topic="es", retry_interval_in_secs=0, **extra,
    )  # fmt: skip


def _logs(client: LogClient, project: str, logstore: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for shard in client.list_shards(project, logstore).get_shards_info():
        for batch in client.pull_log(project, logstore, shard["shardID"], "begin", "end"):
            rows.extend(batch.get_flatten_logs_json())
    return rows


def test_migrates_every_primary_shard_into_its_logstore(
    sls: EmulatorServer, es: FakeElasticsearch, project: str, tmp_path: Path
) -> None:
    state = MigrationManager(_config(sls, es, project, tmp_path)).migrate()
    assert state["total"] == 3 and state["finished"] == 3 and state["failed"] == 0  # .kibana skipped
    client = sls.client()
    assert sorted(n for n in client.list_logstore(project).get_logstores() if not n.startswith("internal")) == [
        "app",
        "web",
    ]
    web = _logs(client, project, "web")
    assert Counter(r["_id"] for r in web) == Counter(f"web-2024.01-{s}-{n}" for s in (0, 1) for n in range(250))
    row = next(r for r in web if r["_id"] == "web-2024.01-1-7")
    assert row["__time__"] == 1_700_000_007 and row["__topic__"] == "es"
    assert row["status"] == "201" and row["__tag__:__es_index__"] == "web-2024.01"
    assert json.loads(row["client"]) == {"ip": "10.0.0.1", "geo": {"city": "hz"}} and json.loads(row["tags"]) == [
        "a",
        "b",
    ]
    assert len(_logs(client, project, "app")) == 30
    keys = client.get_index_config(project, "web").get_index_config().to_json()["keys"]
    assert keys["status"]["type"] == "long" and keys["latency"]["type"] == "double" and keys["path"]["type"] == "text"
    assert keys["client"]["type"] == "json" and set(keys["client"]["json_keys"]) == {"ip", "geo.city"}
    assert keys["window"]["type"] == "json" and "blob" not in keys and keys["_id"]["doc_value"] is True


def test_a_rerun_continues_and_never_duplicates(
    sls: EmulatorServer, es: FakeElasticsearch, project: str, tmp_path: Path
) -> None:
    es.fail_scrolls = 2  # two pages of the first round fail: those tasks end "failed" and are retried
    state = MigrationManager(_config(sls, es, project, tmp_path, retries_failed=3)).migrate()
    assert state["finished"] == 3 and es.searches == 5  # the two failed tasks opened a second scroll
    again = MigrationManager(
        MigrationConfig(str(tmp_path), access_key_id=sls.access_key_id, access_key=sls.access_key_secret)
    ).migrate()
    assert again["finished"] == 3
    ids = Counter(r["_id"] for r in _logs(sls.client(), project, "web"))
    assert len(ids) == 500 and set(ids.values()) == {1}
    checkpoints = sorted((tmp_path / "ckpt").glob("task_*.json"))
    assert [json.loads(p.read_text())["status"] for p in checkpoints] == ["finished"] * 3


def test_the_shutdown_flag_interrupts(sls: EmulatorServer, es: FakeElasticsearch, project: str, tmp_path: Path) -> None:
    manager = MigrationManager(_config(sls, es, project, tmp_path, retries_failed=1))
    original = manager._run_task

    def stop_then_run(task: dict[str, Any]) -> str:
        (tmp_path / "shutdown.lock").write_text("")
        return original(task)

    manager._run_task = stop_then_run  # type: ignore[method-assign]
    state = manager.migrate()
    assert state["interrupted"] == 3 and state["finished"] == 0
    assert MigrationManager(_config(sls, es, project, tmp_path)).migrate()["finished"] == 3


def test_importing_the_sdk_loads_no_optional_dependency() -> None:
    code = (
        "import sys, aliyun.log, aliyun.log.logclient_operator; "
        "heavy = ('elasticsearch', 'jmespath', 'aliyun.log.es_migration', 'aliyun.log.etl_core'); "
        "bad = [m for m in heavy if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_log_client_es_migration_runs_a_migration_with_the_clients_endpoint_and_keys(
    sls: EmulatorServer, es: FakeElasticsearch, project: str, tmp_path: Path
) -> None:
    client = sls.client()
    answer = client.es_migration(
        str(tmp_path), f"127.0.0.1:{es.port}", project, logstore_index_mappings='{"web": "web-*"}',
        time_reference="ts", batch_size=40, wait_time_in_secs=0, topic="es", retries_failed=0,
    )  # fmt: skip
    assert answer.get_all_headers() == {}
    web = _logs(client, project, "web")
    assert len(web) == 500 and {row["__topic__"] for row in web} == {"es"}
