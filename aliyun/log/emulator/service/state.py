"""The emulator's in-memory model of projects, logstores and shards, backed by durable storage.

Every mutation goes through :class:`EmulatorState` methods that update memory and the metadata
store together under one lock, so a restart on the same data directory sees the same model.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from ..clock import Clock, SystemClock
from ..errors import SLSError, not_found
from ..storage.meta import MetaStore
from ..storage.shardlog import ShardLog

__all__ = ["EmulatorState", "LogstoreState", "ProjectState", "ShardState"]

KEY_SPACE = 1 << 128
MAX_KEY = "f" * 32


def key_hex(value: int) -> str:
    """A point of the MD5 key space as 32 lowercase hex digits."""
    return f"{min(value, KEY_SPACE - 1):032x}" if value < KEY_SPACE else MAX_KEY


@dataclass
class ShardState:
    """One shard: key range, status, lineage and its data log."""

    shard_id: int
    status: str
    begin_key: str
    end_key: str
    create_time: int
    parents: list[int] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    log: Optional[ShardLog] = field(default=None, repr=False)

    @property
    def cursor_base(self) -> int:
        """Cursors of this shard are ``cursor_base + sequence number``."""
        return self.create_time * 1_000_000_000

    def to_api(self) -> dict[str, Any]:
        """The shard object of the REST API."""
        return {
            "shardID": self.shard_id,
            "status": self.status,
            "inclusiveBeginKey": self.begin_key,
            "exclusiveEndKey": self.end_key,
            "createTime": self.create_time,
        }

    def to_doc(self) -> dict[str, Any]:
        doc = self.to_api()
        doc["parents"] = self.parents
        doc["children"] = self.children
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ShardState:
        return cls(
            doc["shardID"],
            doc["status"],
            doc["inclusiveBeginKey"],
            doc["exclusiveEndKey"],
            doc["createTime"],
            list(doc.get("parents", [])),
            list(doc.get("children", [])),
        )


@dataclass
class LogstoreState:
    """A logstore: its settings (as the REST API shows them) and shards.

    ``extras`` holds state other services attach (index, consumer groups ...), keyed by service.
    """

    project: str
    name: str
    config: dict[str, Any]
    shards: dict[int, ShardState] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def readwrite_shards(self) -> list[ShardState]:
        """Read-write shards in key order."""
        return sorted((s for s in self.shards.values() if s.status == "readwrite"), key=lambda s: s.begin_key)

    def shard(self, shard_id: int) -> ShardState:
        """A shard by id, or ``ShardNotExist``."""
        found = self.shards.get(shard_id)
        if found is None:
            raise SLSError("ShardNotExist", f"shard {shard_id} does not exist", 400)
        return found


@dataclass
class ProjectState:
    """A project: its attributes and logstores."""

    name: str
    attrs: dict[str, Any]
    logstores: dict[str, LogstoreState] = field(default_factory=dict)

    def logstore(self, name: str) -> LogstoreState:
        """A logstore by name, or ``LogStoreNotExist``."""
        found = self.logstores.get(name)
        if found is None:
            raise not_found("LogStoreNotExist", f"logstore {name} does not exist")
        return found


class EmulatorState:
    """Everything one emulator instance knows (never module-global: one per server).

    :param data_dir: where data and metadata live; ``None`` keeps all in memory.
    :param fsync: shard log fsync mode (see :data:`~aliyun.log.emulator.storage.shardlog.FSYNC_MODES`).
    """

    def __init__(self, data_dir: Optional[Path], *, clock: Optional[Clock] = None, fsync: str = "always") -> None:
        self.data_dir = data_dir
        self.clock = clock or SystemClock()
        self.fsync = fsync
        self.lock = threading.RLock()
        if data_dir is not None:
            data_dir.mkdir(parents=True, exist_ok=True)
        self.meta = MetaStore(None if data_dir is None else data_dir / "meta.sqlite")
        self.projects: dict[str, ProjectState] = {}
        #: hooks run after a logstore is loaded or created: ``hook(state, logstore)``
        self.logstore_hooks: list[Callable[[EmulatorState, LogstoreState], None]] = []
        self._load()

    def now(self) -> int:
        """Current time in whole seconds."""
        return int(self.clock.now())

    # -- lookups ----------------------------------------------------------------------------

    def project(self, name: Optional[str]) -> ProjectState:
        """A project, or ``ProjectNotExist``."""
        found = self.projects.get(name or "")
        if found is None:
            raise not_found("ProjectNotExist", f"The Project does not exist : {name}")
        return found

    def logstore(self, project: str, name: str) -> LogstoreState:
        """A logstore, or ``ProjectNotExist`` / ``LogStoreNotExist``."""
        return self.project(project).logstore(name)

    # -- persistence ------------------------------------------------------------------------

    def save_project(self, project: ProjectState) -> None:
        """Persist a project's attributes."""
        self.meta.put("project", "", project.name, project.attrs)

    def save_logstore(self, logstore: LogstoreState) -> None:
        """Persist a logstore's settings and shard table."""
        doc = {"config": logstore.config, "shards": [s.to_doc() for s in logstore.shards.values()]}
        self.meta.put("logstore", logstore.project, logstore.name, doc)

    def shard_folder(self, project: str, logstore: str, shard_id: int) -> Optional[Path]:
        """Where a shard's log lives."""
        if self.data_dir is None:
            return None
        return self.data_dir / "shards" / project / logstore / str(shard_id)

    def open_shard_log(self, project: str, logstore: str, shard: ShardState) -> None:
        """Attach the data log to a shard."""
        shard.log = ShardLog(self.shard_folder(project, logstore, shard.shard_id), self.fsync)

    def logstore_scope(self, logstore: LogstoreState) -> str:
        """Scope string under which per-logstore documents are stored."""
        return f"{logstore.project}/{logstore.name}"

    def drop_logstore_data(self, logstore: LogstoreState) -> None:
        """Delete a logstore's shard logs, attached state (indexes ...) and documents."""
        for shard in logstore.shards.values():
            if shard.log is not None:
                shard.log.destroy()
        for extra in logstore.extras.values():
            close = getattr(extra, "close", None)
            if callable(close):
                close()
        logstore.extras.clear()
        if self.data_dir is not None:
            # Every per-logstore folder lives at <data_dir>/<kind>/<project>/<logstore>.
            for kind in self.data_dir.iterdir():
                if kind.is_dir():
                    shutil.rmtree(kind / logstore.project / logstore.name, ignore_errors=True)
        self.meta.delete("logstore", logstore.project, logstore.name)
        self.meta.delete_scope(self.logstore_scope(logstore))

    def drop_project_folders(self, project: str) -> None:
        """Delete what is left of a project's per-logstore folders."""
        if self.data_dir is not None:
            for kind in self.data_dir.iterdir():
                if kind.is_dir():
                    shutil.rmtree(kind / project, ignore_errors=True)

    def run_logstore_hooks(self, logstore: LogstoreState) -> None:
        """Let attached services set up their per-logstore state."""
        for hook in self.logstore_hooks:
            hook(self, logstore)

    def _load(self) -> None:
        for _, name, attrs in self.meta.items("project"):
            self.projects[name] = ProjectState(name, attrs)
        for scope, name, doc in self.meta.items("logstore"):
            project = self.projects.get(scope)
            if project is None:
                continue
            logstore = LogstoreState(scope, name, doc["config"])
            for shard_doc in doc["shards"]:
                shard = ShardState.from_doc(shard_doc)
                self.open_shard_log(scope, name, shard)
                logstore.shards[shard.shard_id] = shard
            project.logstores[name] = logstore

    def close(self) -> None:
        """Close every open file."""
        with self.lock:
            for project in self.projects.values():
                for logstore in project.logstores.values():
                    for shard in logstore.shards.values():
                        if shard.log is not None:
                            shard.log.close()
            self.meta.close()
