"""Migrating one Elasticsearch shard of one index into a logstore, resumably.

A task scrolls through the shard (``preference=_shards:N``) in index order (``_doc``), writes
each page of hits as one PutLogs, and then records in its checkpoint file how many hits are
written. A rerun of an unfinished task opens a new scroll and skips that many hits, so as long
as the index is not written meanwhile, no hit is lost or written twice (a scroll context on the
server does not survive the client, so it is not reused).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import tempfile
from typing import Any, Optional

from ..errors import BadParameters
from ..logclient import LogClient
from ..logitem import LogItem
from ..putlogsrequest import PutLogsRequest
from ._es import NotFoundError
from .doc_logitem_converter import DocLogItemConverter

__all__ = ["Checkpoint", "MigrationLogstore", "MigrationTask"]


class Checkpoint:
    """The state file of one task, ``<ckpt_path>/task_<id>.json``.

    ``status`` is one of the class constants; ``progress`` counts the hits written.
    A file of another task (other index, shard, logstore or time field) is refused.
    """

    processing = "processing"
    interrupted = "interrupted"
    finished = "finished"
    dropped = "dropped"
    failed = "failed"

    def __init__(
        self,
        ckpt_path: str,
        task_id: int,
        es_index: str,
        es_shard: int,
        logstore: str,
        time_reference: Optional[str],
        logger: Any,
    ) -> None:
        self._ckpt_file = os.path.join(ckpt_path, f"task_{task_id}.json")
        self._logger = logger
        task = {"es_index": es_index, "es_shard": es_shard, "logstore": logstore, "time_reference": time_reference}
        self._content: dict[str, Any] = {
            "status": self.processing,
            "task": task,
            "update_time": None,
            "progress": 0,
            "checkpoint": {"_id": None, "scroll_id": None},
        }
        saved = self._load()
        if saved is not None:
            if saved.get("task") != task:
                raise BadParameters("BadParameters", f"{self._ckpt_file} belongs to another task: {saved.get('task')}")
            self._content.update(saved)

    def _load(self) -> Optional[dict[str, Any]]:
        try:
            with open(self._ckpt_file, encoding="utf-8") as handle:
                text = handle.read().strip()
        except FileNotFoundError:
            return None
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BadParameters("BadParameters", f"{self._ckpt_file} is not a checkpoint: {exc}") from exc
        return data if isinstance(data, dict) else None

    @property
    def id(self) -> Optional[str]:
        """``_id`` of the last hit written."""
        return self._content["checkpoint"]["_id"]  # type: ignore[no-any-return]

    @property
    def scroll_id(self) -> Optional[str]:
        """The last scroll id seen (informative: a rerun opens a new scroll)."""
        return self._content["checkpoint"]["scroll_id"]  # type: ignore[no-any-return]

    @property
    def status(self) -> str:
        return str(self._content["status"])

    @property
    def progress(self) -> int:
        """Hits written so far."""
        return int(self._content["progress"])

    @property
    def content(self) -> dict[str, Any]:
        return dict(self._content)

    def update(
        self, status: str = processing, count: int = 0, _id: Optional[str] = None, scroll_id: Optional[str] = None
    ) -> None:
        """Record ``count`` more hits written (and the status) and replace the file atomically."""
        self._content["update_time"] = datetime.datetime.now().isoformat(timespec="seconds")
        self._content["status"] = status
        self._content["progress"] = int(self._content["progress"]) + int(count)
        if _id:
            self._content["checkpoint"]["_id"] = _id
        if scroll_id:
            self._content["checkpoint"]["scroll_id"] = scroll_id
        directory = os.path.dirname(self._ckpt_file) or "."
        fd, temp = tempfile.mkstemp(prefix=".task-", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._content, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, self._ckpt_file)


class MigrationLogstore:
    """The target logstore of a task, with its topic and source."""

    def __init__(
        self,
        endpoint: str,
        access_id: str,
        access_key: str,
        project_name: str,
        logstore_name: str,
        topic: Optional[str],
        source: Optional[str],
        *,
        client: Optional[LogClient] = None,
    ) -> None:
        self._log_client = client or LogClient(endpoint, access_id, access_key)
        self._project_name = project_name
        self._logstore_name = logstore_name
        self._topic, self._source = topic, source

    @property
    def name(self) -> str:
        return self._logstore_name

    def put_logs(self, logitems: list[LogItem]) -> None:
        """Write the logs, halving a request the service finds too large."""
        from ..logclient_operator import put_logs_auto_div

        request = PutLogsRequest(self._project_name, self._logstore_name, self._topic, self._source, logitems)
        put_logs_auto_div(self._log_client, request)


class MigrationTask:
    """Migrate shard ``es_shard`` of ``es_index`` into ``logstore`` (module docstring).

    :param es_query: the search body as a dict or JSON text (``{"query": {...}}``).
    :param es_scroll: how long the server keeps the scroll between pages (``"1d"``).
    :param batch_size: hits per page (and per PutLogs).
    """

    def __init__(
        self,
        _id: int,
        es_client: Any,
        es_index: str,
        es_shard: int,
        logstore: MigrationLogstore,
        ckpt_path: str,
        batch_size: int,
        logger: Any,
        es_version: int,
        es_query: Any = None,
        es_scroll: str = "1d",
        time_reference: Optional[str] = None,
    ) -> None:
        self._id = _id
        self._es = es_client
        self._es_index = es_index
        self._es_shard = int(es_shard)
        self._query = json.loads(es_query) if isinstance(es_query, str) and es_query else dict(es_query or {})
        self._query.setdefault("sort", ["_doc"])  # a stable order, so a rerun can skip what is written
        self._scroll = es_scroll or "1d"
        self._logstore = logstore
        self._time_reference = time_reference
        self._batch_size = int(batch_size)
        self._logger = logger or logging.getLogger(__name__)
        self._es_version = es_version
        self._ckpt = Checkpoint(ckpt_path, _id, es_index, self._es_shard, logstore.name, time_reference, self._logger)

    def run(self, shutdown_flag: str) -> str:
        """Migrate until done, interrupted (the file ``shutdown_flag`` appears) or failed; the final status."""
        if self._ckpt.status in (Checkpoint.finished, Checkpoint.dropped):
            return self._ckpt.status
        try:
            status = self._run(shutdown_flag)
        except NotFoundError:
            self._logger.info("task %s: index %s is gone", self._id, self._es_index)
            status = Checkpoint.dropped
        except Exception:
            self._logger.exception("task %s (%s shard %s) failed", self._id, self._es_index, self._es_shard)
            status = Checkpoint.failed
        self._ckpt.update(status=status)
        return status

    def _pages(self) -> Any:
        answer = self._es.search(
            index=self._es_index,
            scroll=self._scroll,
            size=self._batch_size,
            preference=f"_shards:{self._es_shard}",
            **self._query,
        )
        scroll_id = answer.get("_scroll_id")
        try:
            while True:
                hits = answer["hits"]["hits"]
                if not hits:
                    return
                yield hits, scroll_id
                if scroll_id is None:
                    return
                answer = self._es.scroll(scroll_id=scroll_id, scroll=self._scroll)
                scroll_id = answer.get("_scroll_id") or scroll_id
        finally:
            if scroll_id is not None:
                try:
                    self._es.clear_scroll(scroll_id=scroll_id)
                except Exception:  # the context expires by itself; clearing is a courtesy
                    self._logger.debug("task %s: cannot clear scroll", self._id)

    def _run(self, shutdown_flag: str) -> str:
        skip = self._ckpt.progress
        for hits, scroll_id in self._pages():
            if os.path.exists(shutdown_flag):
                return Checkpoint.interrupted
            if skip >= len(hits):
                skip -= len(hits)
                continue
            fresh, skip = hits[skip:], 0
            self._logstore.put_logs([DocLogItemConverter.to_log_item(doc, self._time_reference) for doc in fresh])
            self._ckpt.update(count=len(fresh), _id=str(fresh[-1].get("_id", "")), scroll_id=scroll_id)
        return Checkpoint.finished
