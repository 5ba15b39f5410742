"""Migrating Elasticsearch indexes into SLS logstores: ``MigrationConfig`` and ``MigrationManager``.

The manager lists the primary shards of the indexes (``search_shards``), makes one task per
shard (``tasks.json`` in the cache directory), creates the logstores and their indexes from
the Elasticsearch mappings (``auto_creation``), then runs the tasks in a thread pool. Failed
tasks are retried up to ``retries_failed`` rounds. Everything is kept under ``cache_path``, so
running the same migration again continues it: finished tasks are skipped and unfinished ones
resume after their last written hit. Creating the file ``<cache_path>/shutdown.lock`` (which
SIGINT/SIGTERM do when the manager runs in the main thread) stops the tasks at their next page.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

from ..errors import BadParameters, IndexAlreadyExist, LogStoreAlreadyExist
from ..logclient import LogClient
from ._es import major_version, make_client
from .index_logstore_mappings import IndexLogstoreMappings
from .mapping_index_converter import MappingIndexConverter
from .migration_log import setup_logging
from .migration_task import Checkpoint, MigrationLogstore, MigrationTask
from .util import split_and_strip

__all__ = ["MigrationConfig", "MigrationManager"]

logger = logging.getLogger(__name__)


class MigrationConfig:
    """What to migrate, kept in ``<cache_path>/config.json`` so a rerun continues the same migration.

    :param cache_path: directory of the migration's state (created; keep it for resuming and
        use a fresh one for a new migration).
    :param endpoint: SLS endpoint. :param access_key_id: AccessKey id. :param access_key: its secret
        (both kept in memory only, never in the cache).
    :param project_name: the SLS project.
    :param hosts: Elasticsearch nodes, ``"host1:9200,host2:9200"`` (URLs accepted).
    :param indexes: indexes to migrate, ``"index1,logs-*"`` (default: all except ``.internal`` ones).
    :param query: a search body selecting the documents, as JSON text (``{"query": {...}}``).
    :param scroll: how long the cluster keeps a scroll between pages (default ``"1d"``).
    :param time_reference: the ``_source`` field giving each log's time.
    :param logstore_index_mappings: JSON text ``{"logstore": "index1,index2*"}``.
    :param source: ``__source__`` of the logs. :param topic: ``__topic__`` of the logs.
    :param pool_size: tasks running at once (default 10).
    :param batch_size: hits per page and per PutLogs (default 1000).
    :param wait_time_in_secs: pause after creating logstores and indexes, for the service to
        apply them (default 60).
    :param auto_creation: create the logstores and indexes (default True).
    :param retries_failed: rounds of retrying failed tasks (default 10).
    :param retry_interval_in_secs: keyword-only; pause between rounds (default 120).

    Given values override a cached configuration; omitted ones keep it.
    """

    default_pool_size = 10
    default_wait_time = 60
    default_batch_size = 1000
    default_retries_failed = 10
    default_retry_interval = 120

    def __init__(
        self,
        cache_path: str,
        endpoint: Optional[str] = None,
        access_key_id: Optional[str] = None,
        access_key: Optional[str] = None,
        project_name: Optional[str] = None,
        hosts: Optional[str] = None,
        indexes: Optional[str] = None,
        query: Optional[str] = None,
        scroll: str = "1d",
        time_reference: Optional[str] = None,
        logstore_index_mappings: Optional[str] = None,
        source: Optional[str] = None,
        topic: Optional[str] = None,
        pool_size: Optional[int] = None,
        batch_size: Optional[int] = None,
        wait_time_in_secs: Optional[int] = None,
        auto_creation: bool = True,
        retries_failed: Optional[int] = None,
        *,
        retry_interval_in_secs: Optional[float] = None,
    ) -> None:
        self.cache_path = cache_path
        self.access_key_id, self.access_key = access_key_id, access_key
        self.ckpt_path = os.path.join(cache_path, "ckpt")
        os.makedirs(self.ckpt_path, exist_ok=True)
        self._config_file = os.path.join(cache_path, "config.json")
        self._valid = True
        given = {
            "endpoint": endpoint, "project_name": project_name, "hosts": hosts, "indexes": indexes, "query": query,
            "scroll": scroll, "time_reference": time_reference, "logstore_index_mappings": logstore_index_mappings,
            "source": source, "topic": topic, "pool_size": pool_size, "batch_size": batch_size,
            "wait_time_in_secs": wait_time_in_secs, "auto_creation": auto_creation, "retries_failed": retries_failed,
            "retry_interval_in_secs": retry_interval_in_secs,
        }  # fmt: skip
        defaults = {
            "pool_size": self.default_pool_size,
            "batch_size": self.default_batch_size,
            "wait_time_in_secs": self.default_wait_time,
            "retries_failed": self.default_retries_failed,
            "retry_interval_in_secs": self.default_retry_interval,
        }
        cached = self._load_cache()
        self._cont: dict[str, Any] = {**defaults, **cached, **{k: v for k, v in given.items() if v is not None}}
        self._dump_cache()

    @property
    def valid(self) -> bool:
        return self._valid

    def get(self, name: str) -> Any:
        """A setting by name (``None`` when unset)."""
        return self._cont.get(name)

    @property
    def hosts(self) -> list[str]:
        """The Elasticsearch nodes as a list."""
        return [h for h in split_and_strip(self.get("hosts") or "", sep=",") if h]

    def _load_cache(self) -> dict[str, Any]:
        try:
            with open(self._config_file, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            return {}
        if not text.strip():
            return {}
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BadParameters("BadParameters", f"{self._config_file} is not a migration configuration") from exc
        return data if isinstance(data, dict) else {}

    def _dump_cache(self) -> None:
        with open(self._config_file, "w", encoding="utf-8") as handle:
            json.dump(self._cont, handle, indent=2)


class MigrationManager:
    """Runs a migration (module docstring); :meth:`migrate` returns the final task counts."""

    def __init__(self, config: MigrationConfig) -> None:
        self._config = config
        self._id = uuid.uuid4().hex
        self._es = make_client(config.hosts)
        self._es_version = major_version(self._es)
        self._log_client = LogClient(config.get("endpoint"), config.access_key_id, config.access_key)
        setup_logging(
            self._id,
            config.get("endpoint"),
            config.get("project_name"),
            config.access_key_id or "",
            config.access_key or "",
        )
        self._logger = logging.getLogger(__name__)
        self._shutdown_flag = os.path.join(config.cache_path, "shutdown.lock")
        self._logger.info("migration %s from %s (Elasticsearch %s)", self._id, config.hosts, self._es_version)

    def migrate(self) -> dict[str, int]:
        """Run every unfinished task; ``{"total", "finished", "dropped", "failed", "interrupted"}``."""
        tasks = self._discover_tasks()
        state = self._state(tasks, {})
        if os.path.exists(self._shutdown_flag):
            os.unlink(self._shutdown_flag)
        restore = self._install_signal_handlers()
        statuses: dict[int, str] = {}
        try:
            rounds = max(1, int(self._config.get("retries_failed")))
            with ThreadPoolExecutor(
                max_workers=max(1, min(int(self._config.get("pool_size")), len(tasks) or 1))
            ) as pool:
                for attempt in range(rounds):
                    pending = [
                        t for t in tasks if statuses.get(t["id"]) not in (Checkpoint.finished, Checkpoint.dropped)
                    ]
                    for task, status in zip(pending, pool.map(self._run_task, pending)):
                        statuses[task["id"]] = status
                    state = self._state(tasks, statuses)
                    self._logger.info("migration %s round %d: %s", self._id, attempt + 1, state)
                    if os.path.exists(self._shutdown_flag) or state["finished"] + state["dropped"] >= state["total"]:
                        break
                    if attempt < rounds - 1:
                        time.sleep(float(self._config.get("retry_interval_in_secs")))
        finally:
            restore()
        return state

    @staticmethod
    def _state(tasks: list[dict[str, Any]], statuses: dict[int, str]) -> dict[str, int]:
        state = {"total": len(tasks), Checkpoint.finished: 0, Checkpoint.dropped: 0, Checkpoint.failed: 0,
                 Checkpoint.interrupted: 0}  # fmt: skip
        for status in statuses.values():
            if status in state:
                state[status] += 1
        return state

    def _install_signal_handlers(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None

        def stop(signum: int, frame: Any) -> None:
            self._logger.info("migration %s: signal %s, stopping at the next page", self._id, signum)
            with open(self._shutdown_flag, "w", encoding="utf-8"):
                pass

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        return lambda: [signal.signal(sig, handler) for sig, handler in previous.items()]

    def _run_task(self, task: dict[str, Any]) -> str:
        if os.path.exists(self._shutdown_flag):
            return Checkpoint.interrupted
        config = self._config
        logstore = MigrationLogstore(
            config.get("endpoint"), config.access_key_id or "", config.access_key or "", config.get("project_name"),
            task["logstore"], config.get("topic"), config.get("source"), client=self._log_client,
        )  # fmt: skip
        return MigrationTask(
            _id=task["id"], es_client=self._es, es_index=task["es_index"], es_shard=task["es_shard"],
            logstore=logstore, ckpt_path=config.ckpt_path, batch_size=config.get("batch_size"),
            logger=self._logger, es_version=self._es_version, es_query=config.get("query"),
            es_scroll=config.get("scroll"), time_reference=config.get("time_reference"),
        ).run(self._shutdown_flag)  # fmt: skip

    def _discover_tasks(self) -> list[dict[str, Any]]:
        indexes = self._config.get("indexes")
        answer = self._es.search_shards(index=indexes) if indexes else self._es.search_shards()
        found: list[dict[str, Any]] = []
        for copies in answer["shards"]:
            for item in copies:
                if not indexes and str(item["index"]).startswith("."):
                    continue  # the cluster's own indexes
                if item.get("state") == "STARTED" and item.get("primary"):
                    found.append({"es_index": item["index"], "es_shard": int(item["shard"])})
        return self._handle_cache(found)

    def _handle_cache(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        path = os.path.join(self._config.cache_path, "tasks.json")
        try:
            with open(path, encoding="utf-8") as handle:
                known: list[dict[str, Any]] = json.load(handle)
        except FileNotFoundError:
            known = []
        mappings = IndexLogstoreMappings(
            sorted({t["es_index"] for t in found} | {t["es_index"] for t in known}),
            self._config.get("logstore_index_mappings"),
        )
        seen = {(t["es_index"], t["es_shard"]) for t in known}
        tasks = list(known)
        for task in sorted(found, key=lambda t: (t["es_index"], t["es_shard"])):
            if (task["es_index"], task["es_shard"]) not in seen:
                tasks.append({**task, "id": len(tasks), "logstore": mappings.get_logstore(task["es_index"])})
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(tasks, handle, indent=2)
        if self._config.get("auto_creation"):
            self._setup_aliyun_log(mappings)
        return tasks

    def _setup_aliyun_log(self, mappings: IndexLogstoreMappings) -> None:
        project = self._config.get("project_name")
        for logstore in mappings.get_all_logstores():
            try:
                self._log_client.create_logstore(project, logstore, ttl=3650, shard_count=8)
            except LogStoreAlreadyExist:
                self._logger.info("logstore %s exists, kept", logstore)
            for index in mappings.get_indexes(logstore):
                self._setup_index(project, logstore, index)
        time.sleep(float(self._config.get("wait_time_in_secs")))

    def _setup_index(self, project: str, logstore: str, index: str) -> None:
        answer = self._es.indices.get(index=index)
        mapping = answer[index]["mappings"]
        # before 7, mappings are per document type
        per_type = mapping.values() if self._es_version < 7 else [mapping]
        for one in per_type:
            config = MappingIndexConverter.to_index_config(one)
            if config is None:
                continue
            try:
                self._log_client.create_index(project, logstore, config)
            except IndexAlreadyExist:
                self._log_client.update_index(project, logstore, config)
