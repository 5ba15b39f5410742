"""Every path under an emulator's data directory, decided in one place.

::

    <data dir>/
      meta.sqlite                         metadata: every JSON document (projects, logstores ...)
      damage.jsonl                        what was found damaged at start-up or while serving
      shards/<project>/<logstore>/<id>/   one shard's log (segment files)
      index/<project>/<logstore>/<gen>/   one logstore's query store (DuckDB file and journals)

Per-logstore data lives in ``<kind>/<project>/<logstore>``, so deleting a logstore (or what is
left of a project) removes the same two folders of every kind. Each name becomes exactly one
path segment: a name that could address another place (empty, ``.``, ``..``, a separator, a
NUL) is refused here even though the services have already checked it, so no request can reach
outside the data directory. An in-memory emulator (no data directory) has no paths at all.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Optional

__all__ = ["META_FILE", "REPORT_FILE", "DataLayout"]

META_FILE = "meta.sqlite"
REPORT_FILE = "damage.jsonl"
SHARDS = "shards"
INDEX = "index"


def _segment(name: str) -> str:
    """``name`` if it is one safe path segment (``ValueError`` otherwise: a programming error)."""
    separators = {os.sep, "/", "\\"} | ({os.altsep} if os.altsep else set())
    if name in ("", ".", "..") or "\x00" in name or any(sep in name for sep in separators):
        raise ValueError(f"not a single path segment: {name!r}")
    return name


class DataLayout:
    """The paths of one data directory (``root``), or none when ``root`` is ``None``."""

    def __init__(self, root: Optional[Path]) -> None:
        self.root = root

    def create(self) -> None:
        """Make the data directory if it is missing."""
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)

    @property
    def meta_file(self) -> Optional[Path]:
        """The metadata database."""
        return None if self.root is None else self.root / META_FILE

    @property
    def report_file(self) -> Optional[Path]:
        """The damage report (one JSON object per line)."""
        return None if self.root is None else self.root / REPORT_FILE

    def logstore_dir(self, kind: str, project: str, logstore: str) -> Optional[Path]:
        """A logstore's folder of one kind of data."""
        if self.root is None:
            return None
        return self.root / _segment(kind) / _segment(project) / _segment(logstore)

    def shard_dir(self, project: str, logstore: str, shard_id: int) -> Optional[Path]:
        """Where a shard's log lives."""
        folder = self.logstore_dir(SHARDS, project, logstore)
        return None if folder is None else folder / str(int(shard_id))

    def index_dir(self, project: str, logstore: str) -> Optional[Path]:
        """Where a logstore's query stores live (one subfolder per index generation)."""
        return self.logstore_dir(INDEX, project, logstore)

    def shard_name(self, folder: Path) -> str:
        """``<project>/<logstore>/<id>`` of a shard folder, for reports and messages."""
        if self.root is None:
            return str(folder)
        return str(folder.relative_to(self.root / SHARDS))

    def drop_logstore(self, project: str, logstore: str) -> None:
        """Delete a logstore's folders of every kind (what is there; errors are ignored)."""
        project, logstore = _segment(project), _segment(logstore)
        for kind in self._kinds():
            shutil.rmtree(kind / project / logstore, ignore_errors=True)

    def drop_project(self, project: str) -> None:
        """Delete what is left of a project's folders of every kind."""
        project = _segment(project)
        for kind in self._kinds():
            shutil.rmtree(kind / project, ignore_errors=True)

    def _kinds(self) -> list[Path]:
        if self.root is None or not self.root.exists():
            return []
        return [entry for entry in self.root.iterdir() if entry.is_dir()]
