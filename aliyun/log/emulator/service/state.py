"""The emulator's in-memory model of projects, logstores and shards, backed by durable storage.

Every change is persisted first and applied to memory only once the metadata store took it, so
a failed write (a full disk) changes nothing and a restart on the same data directory sees the
same model. A metadata document that cannot be read at start-up does not stop the emulator: the
resource is reported (:class:`~aliyun.log.emulator.service.faults.StorageFaults`) and answers a
clear error instead of being served or silently replaced.
"""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..clock import Clock, SystemClock
from ..errors import SLSError, not_found
from ..storage.files import FilePool, default_max_open
from ..storage.layout import REPORT_FILE, DataLayout
from ..storage.meta import MetaStore
from ..storage.shardlog import ShardLog

if TYPE_CHECKING:  # the index service's type; importing it here would be a cycle
    from .open_index import OpenIndex
from .faults import StorageFaults

__all__ = ["EmulatorState", "LogstoreState", "ProjectState", "ShardState", "damaged_error"]

logger = logging.getLogger(__name__)

KEY_SPACE = 1 << 128
MAX_KEY = "f" * 32


def damaged_error(kind: str, name: str, reason: str) -> SLSError:
    """The answer for a resource whose stored definition is damaged (it is not served)."""
    return SLSError(
        "InternalServerError",
        f"the stored definition of {kind} {name} is damaged ({reason}); it is not served."
        f" See {REPORT_FILE} in the emulator's data directory; deleting it removes what is left",
        500,
    )


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
    #: held by an append to this shard (its fsync included) and by whatever retires the shard
    #: (split, merge, deleting the logstore), so no write lands in a shard after it is retired;
    #: the logstore's lock is not held meanwhile, so writes to other shards go on in parallel
    gate: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @property
    def cursor_base(self) -> int:
        """Cursors of this shard are ``cursor_base + sequence number``."""
        return self.create_time * 1_000_000_000

    def to_doc(self) -> dict[str, Any]:
        """The stored form of the shard (metadata, not an answer: see ``http/shapes.py``)."""
        return {
            "shardID": self.shard_id,
            "status": self.status,
            "inclusiveBeginKey": self.begin_key,
            "exclusiveEndKey": self.end_key,
            "createTime": self.create_time,
            "parents": self.parents,
            "children": self.children,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ShardState:
        return cls(
            int(doc["shardID"]),
            str(doc["status"]),
            str(doc["inclusiveBeginKey"]),
            str(doc["exclusiveEndKey"]),
            int(doc["createTime"]),
            [int(p) for p in doc.get("parents", [])],
            [int(c) for c in doc.get("children", [])],
        )


@dataclass
class LogstoreState:
    """A logstore: its settings (as the REST API shows them) and shards.

    ``index`` is the index service's (set while the logstore has an index);
    ``consumer_groups`` is the consumer-group service's, loaded on first use.
    """

    project: str
    name: str
    config: dict[str, Any]
    shards: dict[int, ShardState] = field(default_factory=dict)
    #: the open index (:class:`~aliyun.log.emulator.service.open_index.OpenIndex`), if any
    index: Optional[OpenIndex] = None
    #: consumer groups by name (:class:`~aliyun.log.emulator.service.consumer.GroupState`)
    consumer_groups: Optional[dict[str, Any]] = None
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
    #: logstores whose stored definition could not be read at start-up: name -> reason
    damaged: dict[str, str] = field(default_factory=dict)

    def logstore(self, name: str) -> LogstoreState:
        """A logstore by name, or ``LogStoreNotExist`` (an error naming the damage for a damaged one)."""
        found = self.logstores.get(name)
        if found is None:
            if name in self.damaged:
                raise damaged_error("logstore", f"{self.name}/{name}", self.damaged[name])
            raise not_found("LogStoreNotExist", f"logstore {name} does not exist")
        return found


class EmulatorState:
    """Everything one emulator instance knows (never module-global: one per server).

    :param data_dir: where data and metadata live; ``None`` keeps all in memory.
    :param fsync: shard log fsync mode (see :data:`~aliyun.log.emulator.storage.shardlog.FSYNC_MODES`).
    :param max_open_files: segment files kept open at once (default: from the process's
        descriptor limit, see :func:`~aliyun.log.emulator.storage.files.default_max_open`).
    """

    def __init__(
        self,
        data_dir: Optional[Path],
        *,
        clock: Optional[Clock] = None,
        fsync: str = "always",
        max_open_files: Optional[int] = None,
    ) -> None:
        self.data_dir = data_dir
        #: every path under the data directory (:mod:`~aliyun.log.emulator.storage.layout`)
        self.layout = DataLayout(data_dir)
        self.clock = clock or SystemClock()
        self.fsync = fsync
        self.lock = threading.RLock()
        self.layout.create()
        #: the one descriptor pool of every shard log of this emulator
        self.files = FilePool(max_open_files or default_max_open())
        #: storage errors as SLS answers, and the damage report
        self.faults = StorageFaults(self.layout.report_file)
        self.meta = MetaStore(self.layout.meta_file)
        self.projects: dict[str, ProjectState] = {}
        #: projects whose stored definition could not be read at start-up: name -> reason
        self.damaged_projects: dict[str, str] = {}
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
            if (name or "") in self.damaged_projects:
                raise damaged_error("project", name or "", self.damaged_projects[name or ""])
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
        self.meta.put("logstore", logstore.project, logstore.name, self.logstore_doc(logstore.config, logstore.shards))

    @staticmethod
    def logstore_doc(config: dict[str, Any], shards: dict[int, ShardState]) -> dict[str, Any]:
        """The stored document of a logstore with these settings and shards (to persist before applying)."""
        return {"config": config, "shards": [s.to_doc() for s in shards.values()]}

    def shard_folder(self, project: str, logstore: str, shard_id: int) -> Optional[Path]:
        """Where a shard's log lives."""
        return self.layout.shard_dir(project, logstore, shard_id)

    def open_shard_log(self, project: str, logstore: str, shard: ShardState, *, fresh: bool = False) -> None:
        """Attach the data log to a shard.

        :param fresh: the shard is being created: files left in its folder belong to no stored
            shard (a creation whose metadata write failed, or an interrupted delete) and are
            removed, so they can never reappear as this shard's data.
        """
        folder = self.shard_folder(project, logstore, shard.shard_id)
        if fresh and folder is not None and folder.exists():
            shutil.rmtree(folder)
        shard.log = ShardLog(folder, self.fsync, files=self.files, on_damage=self._on_shard_damage)

    def _on_shard_damage(self, log: ShardLog, items: list[dict[str, Any]]) -> None:
        where = str(log.folder) if log.folder is None else self.layout.shard_name(log.folder)
        self.faults.report("shard", where, items)

    def logstore_scope(self, logstore: LogstoreState) -> str:
        """Scope string under which per-logstore documents are stored."""
        return f"{logstore.project}/{logstore.name}"

    def drop_logstore_data(self, logstore: LogstoreState) -> None:
        """Delete a logstore's documents, then its shard logs and attached state (indexes ...).

        The documents go first (one transaction): if that fails nothing changed; files left
        behind by a failure after it belong to no stored logstore and are removed when a
        logstore of that name is created again.
        """
        self.meta.write(
            [("delete", "logstore", logstore.project, logstore.name), ("delete_scope", self.logstore_scope(logstore))]
        )
        try:
            for shard in logstore.shards.values():
                with shard.gate:  # an append in flight finishes first; later ones see "deleted"
                    shard.status = "deleted"
                    if shard.log is not None:
                        shard.log.destroy()
        except OSError as exc:  # the logstore is gone already; its files go at the next create
            logger.warning("deleting the files of %s/%s: %s", logstore.project, logstore.name, exc)
        index, logstore.index = logstore.index, None
        if index is not None:
            index.close()
        self.drop_logstore_folders(logstore.project, logstore.name)

    def drop_logstore_folders(self, project: str, logstore: str) -> None:
        """Delete every per-logstore folder (``<data_dir>/<kind>/<project>/<logstore>``)."""
        self.layout.drop_logstore(project, logstore)

    def drop_project_folders(self, project: str) -> None:
        """Delete what is left of a project's per-logstore folders."""
        self.layout.drop_project(project)

    def run_logstore_hooks(self, logstore: LogstoreState) -> None:
        """Let attached services set up their per-logstore state."""
        for hook in self.logstore_hooks:
            hook(self, logstore)

    def _load(self) -> None:
        for _, name, attrs in self.meta.items("project", self.report_bad_document):
            if isinstance(attrs, dict):
                self.projects[name] = ProjectState(name, attrs)
            else:
                self.report_bad_document("project", "", name, "not a JSON object")
        for scope, name, doc in self.meta.items("logstore", self.report_bad_document):
            project = self.projects.get(scope)
            if project is None:
                continue
            try:
                logstore = LogstoreState(scope, name, dict(doc["config"]))
                shards = [ShardState.from_doc(shard_doc) for shard_doc in doc["shards"]]
            except (KeyError, TypeError, ValueError) as exc:
                self.report_bad_document("logstore", scope, name, f"unreadable field {exc}")
                continue
            try:
                for shard in shards:
                    self.open_shard_log(scope, name, shard)
                    logstore.shards[shard.shard_id] = shard
            except OSError as exc:  # a shard folder that cannot be read: keep the logstore out of service
                for shard in logstore.shards.values():
                    if shard.log is not None:
                        shard.log.close()
                self.report_bad_document("logstore", scope, name, f"shard data cannot be opened: {exc}")
                continue
            project.logstores[name] = logstore

    def report_bad_document(self, kind: str, scope: str, name: str, reason: str) -> None:
        """A stored definition that cannot be read: report it and keep the resource out of service."""
        if kind == "project":
            self.damaged_projects[name] = reason
        elif kind == "logstore" and scope in self.projects:
            self.projects[scope].damaged[name] = reason
        self.faults.report(f"{kind} definition", f"{scope}/{name}" if scope else name, reason)

    def close(self) -> None:
        """Close every open file."""
        with self.lock:
            for project in self.projects.values():
                for logstore in project.logstores.values():
                    for shard in logstore.shards.values():
                        if shard.log is not None:
                            shard.log.close()
            self.meta.close()
            self.files.close()
