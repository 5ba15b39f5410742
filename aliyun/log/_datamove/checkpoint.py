"""Where a copy or transform job stands, per shard, so an interrupted job can continue.

A shard's entry holds the cursor after the last batch that was completely written, the end
cursor fixed when the job first started (so a rerun covers exactly the same range), whether
the shard is done, and its counts. The entry moves only after a batch's writes succeeded, so
rerunning after an interruption neither skips nor repeats a batch, with one exception: a
process killed between a batch's last write and the checkpoint save writes that batch again.

The checkpoint is a ``dict`` (updated in place) or the path of a JSON file (replaced
atomically after every batch).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import MutableMapping
from typing import Any, Optional, Union

from ..errors import BadParameters

__all__ = ["Checkpoint"]

_VERSION = 1


class Checkpoint:
    """A job's saved positions (module docstring).

    :param target: ``None`` (nothing saved), a dict, or a file path.
    :param job: what identifies the job (source and target); a checkpoint of another job is
        refused with ``BadParameters``.
    """

    def __init__(
        self, target: Union[str, os.PathLike[str], MutableMapping[str, Any], None], job: dict[str, Any]
    ) -> None:
        self._lock = threading.Lock()
        self._path: Optional[str] = None
        self._data: MutableMapping[str, Any]
        if target is None:
            self._data = {}
        elif isinstance(target, MutableMapping):
            self._data = target
        else:
            self._path = os.fspath(target)
            self._data = self._read(self._path)
        saved_job = self._data.get("job")
        if saved_job is not None and saved_job != job:
            raise BadParameters("BadParameters", f"the checkpoint belongs to another job: {saved_job}")
        self._data.setdefault("version", _VERSION)
        self._data["job"] = job
        self._data.setdefault("shards", {})

    @staticmethod
    def _read(path: str) -> dict[str, Any]:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise BadParameters("BadParameters", f"cannot read the checkpoint {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise BadParameters("BadParameters", f"the checkpoint {path} is not a JSON object")
        return data

    def shard(self, shard_id: int) -> Optional[dict[str, Any]]:
        """A copy of a shard's entry, or ``None`` before its first batch."""
        with self._lock:
            entry = self._data["shards"].get(str(shard_id))
            return dict(entry) if entry is not None else None

    def save_shard(self, shard_id: int, entry: dict[str, Any]) -> None:
        """Replace a shard's entry and persist the checkpoint."""
        with self._lock:
            self._data["shards"][str(shard_id)] = dict(entry)
            if self._path is not None:
                self._write(self._path)

    def _write(self, path: str) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        fd, temp = tempfile.mkstemp(prefix=".checkpoint-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._data, handle, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
