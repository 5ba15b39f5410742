"""Index rules: create, update, read and delete a logstore's index, and feed it every write.

Per logstore with an index, ``logstore.index`` is an :class:`~.open_index.OpenIndex`: the open
:class:`~aliyun.log.emulator.query.LogstoreIndex`, its :class:`~.indexer.IndexFeed` (how far each
shard is indexed) and the stored document ``{"config", "createTime", "lastModifyTime",
"generation", "shardPositions"}``, also kept durably as the meta document
``("index", "<project>/<logstore>", "config")``. The logstore's scope is used (not the project's)
so that deleting the logstore deletes its index document with everything else of it; a
re-created logstore of the same name then starts without an index, as on SLS.

Index data lives in ``<data_dir>/index/<project>/<logstore>/<generation>`` (in memory without a
data directory). Each CreateIndex gets a new generation folder, so an index created after a
delete never sees the old one's files, even if something still holds them open.

Only logs written while the index exists are searchable (SLS indexes on write and never
re-indexes). The document records the shard ends at CreateIndex (``shardPositions``): logs
before them are never indexed, even after a restart. PutLogs does not index: it tells the
background indexer (:mod:`.indexer`) that the logstore has new data, and every query first
catches up with what was written before it arrived (:meth:`IndexService.searchable`).
"""

from __future__ import annotations

import copy
import logging
import shutil
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

from ..errors import SLSError, bad_request
from ..query import LogstoreIndex, validate_index_config
from ..query.config import DEFAULT_TOKENS
from ..query.limits import DEFAULT_LIMITS, QueryLimits
from .indexer import CATCH_UP_TIMEOUT, BackgroundIndexer, IndexFeed, resume_positions
from .open_index import OpenIndex
from .state import EmulatorState, LogstoreState, ShardState

__all__ = ["IndexService"]

logger = logging.getLogger(__name__)

_KIND = "index"
_NAME = "config"
#: keys of a GetIndex answer that are the service's, not the user's (dropped from create/update bodies)
_READ_ONLY = ("lastModifyTime",)


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

    def __init__(self, state: EmulatorState, limits: QueryLimits = DEFAULT_LIMITS) -> None:
        self.state = state
        self.limits = limits
        #: indexes what PutLogs stored once writes pause (``pause()``/``resume()`` for tests)
        self.indexer = BackgroundIndexer(self._index_pending)

    # -- storage ----------------------------------------------------------------------------

    def _folder(self, logstore: LogstoreState) -> Optional[Path]:
        return self.state.layout.index_dir(logstore.project, logstore.name)

    def _open(self, logstore: LogstoreState, doc: dict[str, Any]) -> LogstoreIndex:
        folder = self._folder(logstore)
        return LogstoreIndex(doc["config"], None if folder is None else folder / doc["generation"], limits=self.limits)

    def _save(self, logstore: LogstoreState, doc: dict[str, Any]) -> None:
        self.state.meta.put(_KIND, self.state.logstore_scope(logstore), _NAME, doc)

    def load_logstore(self, state: EmulatorState, logstore: LogstoreState) -> None:
        """Logstore hook: reopen the index of a logstore loaded at start-up (none for a new one).

        Groups stored after the index's last durable position (the emulator stopped before
        indexing them) are indexed again from the shard logs, by the background indexer or the
        first query. An index whose files cannot be read (a bad journal line, a garbage version
        file, a deleted database ...) is rebuilt the same way: its files are moved aside, the
        damage is reported, and every log the shards still hold since CreateIndex is indexed
        again under the current config.
        """
        scope = state.logstore_scope(logstore)
        for doc_scope, name, doc in state.meta.items(_KIND, state.report_bad_document):
            if doc_scope != scope or name != _NAME:
                continue
            shards = list(logstore.shards.values())
            try:
                created = doc.get("shardPositions")
                start = None if created is None else {int(k): int(v) for k, v in created.items()}
                config, generation = doc["config"], str(doc["generation"])
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                state.report_bad_document(_KIND, doc_scope, name, f"unreadable field {exc}")
                return
            engine: Optional[LogstoreIndex]
            try:
                engine = self._open(logstore, doc)
            except Exception as exc:  # a damaged index must not keep the emulator from starting
                engine = self._rebuild(logstore, config, generation, exc)
                if engine is None:
                    return
                positions = _from_start(shards, start)
            else:
                try:
                    positions = resume_positions(
                        engine, shards, start, report=self._reporter(logstore), now=state.now()
                    )
                except Exception as exc:
                    engine.close()
                    engine = self._rebuild(logstore, config, generation, exc)
                    if engine is None:
                        return
                    positions = _from_start(shards, start)
            feed = IndexFeed(positions)
            logstore.index = OpenIndex(engine, feed, doc)
            if feed.behind(shards):
                self.indexer.notify(logstore, 0)
            return

    def _reporter(self, logstore: LogstoreState) -> Callable[[str], None]:
        scope = self.state.logstore_scope(logstore)
        return lambda detail: self.state.faults.report("index", scope, detail)

    def _rebuild(
        self, logstore: LogstoreState, config: dict[str, Any], generation: str, cause: Exception
    ) -> Optional[LogstoreIndex]:
        """An empty index in place of a damaged one (its files moved aside); None if even that fails."""
        report = self._reporter(logstore)
        why = (str(cause).splitlines() or [type(cause).__name__])[0]
        folder = self._folder(logstore)
        kept = ""
        if folder is not None and (folder / generation).exists():
            aside = folder / f"{generation}.damaged-{int(time.time())}"
            try:
                (folder / generation).rename(aside)
                kept = f"; its files are kept in {aside}"
            except OSError as exc:
                shutil.rmtree(folder / generation, ignore_errors=True)
                kept = f"; its files could not be kept ({exc})"
        try:
            engine = self._open(logstore, {"config": config, "generation": generation})
        except Exception as exc:
            report(f"cannot be read ({why}) nor rebuilt ({exc}): searches answer without an index{kept}")
            return None
        report(f"cannot be read ({why}); rebuilding it from the shard logs{kept}")
        return engine

    # -- rules ------------------------------------------------------------------------------

    def engine(self, project: Optional[str], logstore_name: str) -> Optional[LogstoreIndex]:
        """The logstore's open index (``None`` without one); ``LogStoreNotExist`` for no logstore."""
        index = self.state.logstore(project or "", logstore_name).index
        return None if index is None else index.engine

    def create(self, project: Optional[str], logstore_name: str, body: Any) -> None:
        """CreateIndex: ``IndexAlreadyExist`` when there is one."""
        config = _user_config(body)
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            if logstore.index is not None:
                raise SLSError("IndexAlreadyExist", f"index of logstore {logstore_name} already exists", 400)
            folder = self._folder(logstore)
            if folder is not None:
                # Left-overs of an index of an earlier logstore with this name.
                shutil.rmtree(folder, ignore_errors=True)
            now = self.state.now()
            # Logs stored so far are never indexed (appends hold the logstore lock too).
            positions = {s.shard_id: s.log.end for s in logstore.shards.values() if s.log is not None}
            doc = {
                "config": config,
                "createTime": now,
                "lastModifyTime": now,
                "generation": uuid.uuid4().hex[:16],
                "shardPositions": {str(k): v for k, v in positions.items()},
            }
            with self.state.faults.guard("CreateIndex"):
                engine = self._open(logstore, doc)
                try:
                    self._save(logstore, doc)
                except BaseException:
                    engine.close()
                    if folder is not None:
                        shutil.rmtree(folder, ignore_errors=True)
                    raise
            logstore.index = OpenIndex(engine, IndexFeed(positions), doc)

    def update(self, project: Optional[str], logstore_name: str, body: Any) -> None:
        """UpdateIndex: the new config applies to logs written from now on."""
        config = _user_config(body)
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            index = self._existing(logstore)
            engine, feed, doc = index.engine, index.feed, index.doc
            updated = dict(doc, config=config, lastModifyTime=self.state.now())
            with feed.lock, self.state.faults.guard("UpdateIndex"):
                # Logs written before the update are indexed under the old config.
                feed.catch_up(list(logstore.shards.values()), engine)
                engine.update_config(config)
                try:
                    self._save(logstore, updated)
                except BaseException:
                    engine.update_config(doc["config"])  # the stored document decides: back to it
                    raise
            index.doc = updated

    def get(self, project: Optional[str], logstore_name: str) -> dict[str, Any]:
        """GetIndex: the stored JSON (unknown keys included) plus what SDK parsers require."""
        logstore = self.state.logstore(project or "", logstore_name)
        with logstore.lock:
            doc = self._existing(logstore).doc
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
            index = self._existing(logstore)
            with self.state.faults.guard("DeleteIndex"):
                self.state.meta.delete(_KIND, self.state.logstore_scope(logstore), _NAME)
            logstore.index = None
            index.close()  # waits for a batch in progress; what is still pending is dropped
            folder = self._folder(logstore)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    @staticmethod
    def _existing(logstore: LogstoreState) -> OpenIndex:
        if logstore.index is None:
            raise SLSError("IndexConfigNotExist", f"index config of logstore {logstore.name} does not exist", 400)
        return logstore.index

    def existing(self, project: Optional[str], logstore_name: str) -> OpenIndex:
        """The logstore's index, or ``IndexConfigNotExist`` (``LogStoreNotExist`` for no logstore)."""
        return self._existing(self.state.logstore(project or "", logstore_name))

    # -- ingestion, catching up and shutdown ------------------------------------------------

    def on_append(self, logstore: LogstoreState, shard: ShardState, log_count: int, receive_time: int) -> None:
        """PutLogs hook: tell the indexer (the group is already in the shard log, which is the queue)."""
        if logstore.index is not None:
            self.indexer.notify(logstore, log_count)

    def _index_pending(self, logstore: LogstoreState) -> bool:
        """Background work: index everything stored so far. False if indexing failed."""
        index = logstore.index
        if index is None:
            return True
        engine, feed = index.engine, index.feed
        try:
            with feed.lock:
                feed.catch_up(list(logstore.shards.values()), engine)
        except Exception as exc:  # a full disk, say: retried; one line a minute, not one a second
            scope = self.state.logstore_scope(logstore)
            self.state.faults.log(
                f"indexing {scope}",
                "indexing %s failed (%s); retrying, the shard logs keep what is not indexed yet",
                scope,
                exc,
                exc_info=True,
            )
            return False
        return True

    def searchable(self, project: Optional[str], logstore_name: str) -> tuple[Optional[LogstoreIndex], bool]:
        """The logstore's index once it holds every log stored before this call, and whether it does.

        The caller's thread indexes what is missing (read-your-writes). Only if that fails, or
        the feed's lock cannot be had within :data:`CATCH_UP_TIMEOUT`, is the answer
        ``(index, False)``: the caller answers with what is there, marked incomplete.
        ``(None, True)`` without an index; ``LogStoreNotExist`` for no logstore.
        """
        logstore = self.state.logstore(project or "", logstore_name)
        index = logstore.index
        if index is None:
            return None, True
        engine, feed = index.engine, index.feed
        shards = list(logstore.shards.values())
        if not feed.behind(shards):
            return engine, True
        targets = {s.shard_id: s.log.end for s in shards if s.log is not None}
        if not feed.lock.acquire(timeout=CATCH_UP_TIMEOUT):
            logger.error("index of %s/%s is busy; answering without the newest logs", logstore.project, logstore.name)
            return engine, False
        try:
            feed.catch_up(shards, engine, targets)
        except Exception as exc:
            scope = self.state.logstore_scope(logstore)
            self.state.faults.log(
                f"indexing {scope}",
                "indexing %s failed (%s); answering without the newest logs",
                scope,
                exc,
                exc_info=True,
            )
            return engine, False
        finally:
            feed.lock.release()
        return engine, True

    def stop_queries(self) -> None:
        """Interrupt the queries running on every index and refuse new ones (emulator shutdown)."""
        with self.state.lock:
            logstores = [ls for p in self.state.projects.values() for ls in p.logstores.values()]
        for logstore in logstores:
            index = logstore.index
            if index is not None:
                index.engine.stop_queries()

    def close(self) -> None:
        """Index what is pending, then flush and close every open index (emulator shutdown)."""
        self.indexer.stop()
        with self.state.lock:
            logstores = [ls for p in self.state.projects.values() for ls in p.logstores.values()]
        for logstore in logstores:
            with logstore.lock:
                index, logstore.index = logstore.index, None
            if index is None:
                continue
            engine, feed = index.engine, index.feed
            try:
                with feed.lock:
                    feed.catch_up(list(logstore.shards.values()), engine)
            except Exception:  # the shard logs keep the rest: indexed again at the next start
                logger.exception("indexing the rest of %s/%s failed", logstore.project, logstore.name)
            feed.close()
            try:
                engine.close()
            except Exception:
                logger.exception("closing the index of %s/%s failed", logstore.project, logstore.name)


def _from_start(shards: list[ShardState], start: Optional[dict[int, int]]) -> dict[int, int]:
    """Feed positions of a rebuilt index: every log stored since CreateIndex (the current ends if unknown)."""
    if start is None:
        return {s.shard_id: s.log.end for s in shards if s.log is not None}
    return {s.shard_id: min(start.get(s.shard_id, 0), s.log.end) for s in shards if s.log is not None}
