"""Index rules: create, update, read and delete a logstore's index, and feed it every write.

Per logstore with an index:

* ``logstore.extras["index"]``: the open :class:`~aliyun.log.emulator.query.LogstoreIndex`;
* ``logstore.extras["index_doc"]``: the stored document ``{"config", "createTime",
  "lastModifyTime", "generation"}``, also kept durably as the meta document
  ``("index", "<project>/<logstore>", "config")``. The logstore's scope is used (not the
  project's) so that deleting the logstore deletes its index document with everything else of it;
  a re-created logstore of the same name then starts without an index, as on SLS.

Index data lives in ``<data_dir>/index/<project>/<logstore>/<generation>`` (in memory without a
data directory). Each CreateIndex gets a new generation folder, so an index created after a
delete never sees the old one's files, even if something still holds them open.

Only logs written while the index exists are searchable (SLS indexes on write and never
re-indexes): the PutLogs append hook converts each stored log group and ingests it.
"""

from __future__ import annotations

import copy
import logging
import shutil
import uuid
from pathlib import Path
from typing import Any, Optional

from ..errors import SLSError, bad_request
from ..query import LogRecord, LogstoreIndex, validate_index_config
from ..query.config import DEFAULT_TOKENS
from .data import DataService
from .state import EmulatorState, LogstoreState, ShardState

__all__ = ["IndexService", "log_records"]

logger = logging.getLogger(__name__)

_ENGINE = "index"
_DOC = "index_doc"
_KIND = "index"
_NAME = "config"
#: keys of a GetIndex answer that are the service's, not the user's (dropped from create/update bodies)
_READ_ONLY = ("lastModifyTime",)


def _text(value: Any) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    """``(Key, Value)`` of protobuf contents as text. The runtime gives ``str`` unless a value is
    not UTF-8, so the plain comprehension is the fast path and only odd groups pay for decoding."""
    pairs = tuple([(item.Key, item.Value) for item in items])
    for key, value in pairs:
        if type(key) is not str or type(value) is not str:
            return tuple((_text(k), _text(v)) for k, v in pairs)
    return pairs


def log_records(group: Any, shard_id: int, receive_time: int) -> list[LogRecord]:
    """The logs of a protobuf ``LogGroup`` as engine records (non-UTF-8 bytes become U+FFFD)."""
    topic = _text(group.Topic) if group.HasField("Topic") else ""
    source = _text(group.Source) if group.HasField("Source") else ""
    tags = tuple((_text(tag.Key), _text(tag.Value)) for tag in group.LogTags)
    records = []
    for log in group.Logs:
        contents = _pairs(log.Contents)
        time_ns = log.Time_ns if log.HasField("Time_ns") else 0
        records.append(LogRecord(int(log.Time), int(time_ns), topic, source, tags, contents, shard_id, receive_time))
    return records


def _user_config(body: Any) -> dict[str, Any]:
    """The index JSON to store: the body minus service-owned keys, validated."""
    if not isinstance(body, dict):
        raise bad_request("IndexInfoInvalid", "index config must be a JSON object")
    config = {k: v for k, v in body.items() if k not in _READ_ONLY}
    validate_index_config(config)
    return config


def _with_defaults(text_config: dict[str, Any]) -> None:
    """Make ``token`` and ``caseSensitive`` explicit: both SDK versions read them without a default."""
    if text_config.get("token") is None:
        text_config["token"] = list(DEFAULT_TOKENS)
    text_config.setdefault("caseSensitive", False)


class IndexService:
    """Indexes of one emulator."""

    def __init__(self, state: EmulatorState, data: DataService) -> None:
        self.state = state
        state.logstore_hooks.append(self._load)
        data.append_hooks.append(self._on_append)

    # -- storage ----------------------------------------------------------------------------

    def _folder(self, logstore: LogstoreState) -> Optional[Path]:
        if self.state.data_dir is None:
            return None
        return self.state.data_dir / "index" / logstore.project / logstore.name

    def _open(self, logstore: LogstoreState, doc: dict[str, Any]) -> LogstoreIndex:
        folder = self._folder(logstore)
        return LogstoreIndex(doc["config"], None if folder is None else folder / doc["generation"])

    def _save(self, logstore: LogstoreState, doc: dict[str, Any]) -> None:
        self.state.meta.put(_KIND, self.state.logstore_scope(logstore), _NAME, doc)

    def _load(self, state: EmulatorState, logstore: LogstoreState) -> None:
        """Logstore hook: reopen the index of a logstore loaded at start-up (none for a new one)."""
        scope = state.logstore_scope(logstore)
        for doc_scope, name, doc in state.meta.items(_KIND):
            if doc_scope == scope and name == _NAME:
                try:
                    logstore.extras[_ENGINE] = self._open(logstore, doc)
                except Exception:  # a damaged index must not keep the emulator from starting
                    logger.exception("cannot reopen the index of %s", scope)
                    return
                logstore.extras[_DOC] = doc
                return

    # -- rules ------------------------------------------------------------------------------

    def engine(self, project: Optional[str], logstore_name: str) -> Optional[LogstoreIndex]:
        """The logstore's open index (``None`` without one); ``LogStoreNotExist`` for no logstore."""
        engine: Optional[LogstoreIndex] = self.state.logstore(project or "", logstore_name).extras.get(_ENGINE)
        return engine

    def create(self, project: Optional[str], logstore_name: str, body: Any) -> None:
        """CreateIndex: ``IndexAlreadyExist`` when there is one."""
        config = _user_config(body)
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            if _ENGINE in logstore.extras:
                raise SLSError("IndexAlreadyExist", f"index of logstore {logstore_name} already exists", 400)
            folder = self._folder(logstore)
            if folder is not None:
                # Left-overs of an index of an earlier logstore with this name.
                shutil.rmtree(folder, ignore_errors=True)
            now = self.state.now()
            doc = {"config": config, "createTime": now, "lastModifyTime": now, "generation": uuid.uuid4().hex[:16]}
            engine = self._open(logstore, doc)
            try:
                self._save(logstore, doc)
            except Exception:
                engine.close()
                raise
            logstore.extras[_ENGINE] = engine
            logstore.extras[_DOC] = doc

    def update(self, project: Optional[str], logstore_name: str, body: Any) -> None:
        """UpdateIndex: the new config applies to logs written from now on."""
        config = _user_config(body)
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            engine, doc = self._existing(logstore)
            engine.update_config(config)
            updated = dict(doc, config=config, lastModifyTime=self.state.now())
            self._save(logstore, updated)
            logstore.extras[_DOC] = updated

    def get(self, project: Optional[str], logstore_name: str) -> dict[str, Any]:
        """GetIndex: the stored JSON (unknown keys included) plus what SDK parsers require."""
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            _, doc = self._existing(logstore)
            view: dict[str, Any] = copy.deepcopy(doc["config"])
        if isinstance(view.get("line"), dict):
            _with_defaults(view["line"])
        for key_config in [*(view.get("keys") or {}).values(), view.get("all_keys")]:
            if isinstance(key_config, dict) and key_config.get("type", "text") in ("text", "json"):
                _with_defaults(key_config)
        # 0.6 clients read a top-level ttl; the index shares the logstore's retention.
        view.setdefault("ttl", int(logstore.config.get("ttl", 30)))
        view["lastModifyTime"] = int(doc["lastModifyTime"])
        return view

    def delete(self, project: Optional[str], logstore_name: str) -> None:
        """DeleteIndex: the logstore's logs are no longer searchable."""
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            engine, _ = self._existing(logstore)
            del logstore.extras[_ENGINE]
            del logstore.extras[_DOC]
            self.state.meta.delete(_KIND, self.state.logstore_scope(logstore), _NAME)
            engine.close()
            folder = self._folder(logstore)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    def _existing(self, logstore: LogstoreState) -> tuple[LogstoreIndex, dict[str, Any]]:
        engine = logstore.extras.get(_ENGINE)
        if engine is None:
            raise SLSError("IndexConfigNotExist", f"index config of logstore {logstore.name} does not exist", 400)
        return engine, logstore.extras[_DOC]

    # -- ingestion and shutdown ---------------------------------------------------------------

    def _on_append(self, logstore: LogstoreState, shard: ShardState, group: Any, receive_time: int) -> None:
        """PutLogs hook: index the stored group when the logstore has an index."""
        if _ENGINE not in logstore.extras:
            return
        records = log_records(group, shard.shard_id, receive_time)
        with logstore.lock:
            engine = logstore.extras.get(_ENGINE)
            if engine is None:
                return
            try:
                engine.ingest(records)
            except Exception:
                # The group is already stored; failing the PutLogs now would make the client
                # send it again. Log loudly instead.
                logger.exception("indexing a log group of %s/%s failed", logstore.project, logstore.name)

    def close(self) -> None:
        """Flush and close every open index (emulator shutdown)."""
        with self.state.lock:
            logstores = [ls for p in self.state.projects.values() for ls in p.logstores.values()]
        for logstore in logstores:
            with logstore.lock:
                engine = logstore.extras.pop(_ENGINE, None)
                logstore.extras.pop(_DOC, None)
            if engine is not None:
                try:
                    engine.close()
                except Exception:
                    logger.exception("closing the index of %s/%s failed", logstore.project, logstore.name)
