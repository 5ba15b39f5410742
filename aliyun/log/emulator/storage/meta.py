"""Durable metadata: every resource definition as a JSON document in one SQLite file.

SQLite gives atomic, crash-safe writes (WAL, ``synchronous=FULL``) with no extra dependency. The
service keeps its working copy in memory and writes through here on every change; at start-up
it reads everything back.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

__all__ = ["MetaStore"]


class MetaStore:
    """Documents addressed by ``(kind, scope, name)``: ``("logstore", "proj", "ls")``."""

    def __init__(self, path: Optional[Path]) -> None:
        target = ":memory:" if path is None else str(path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL,"
                " body TEXT NOT NULL, PRIMARY KEY (kind, scope, name))"
            )

    def put(self, kind: str, scope: str, name: str, doc: Any) -> None:
        """Create or replace one document."""
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO docs (kind, scope, name, body) VALUES (?, ?, ?, ?)",
                (kind, scope, name, text),
            )

    def delete(self, kind: str, scope: str, name: str) -> None:
        """Delete one document (no error when absent)."""
        with self._lock:
            self._db.execute("DELETE FROM docs WHERE kind = ? AND scope = ? AND name = ?", (kind, scope, name))

    def delete_scope(self, scope_prefix: str) -> None:
        """Delete every document whose scope is ``scope_prefix`` or below it (``proj`` and ``proj/...``)."""
        with self._lock:
            self._db.execute(
                "DELETE FROM docs WHERE scope = ? OR scope LIKE ? ESCAPE '\\'",
                (scope_prefix, _like_prefix(scope_prefix) + "/%"),
            )

    def items(self, kind: str) -> Iterator[tuple[str, str, Any]]:
        """Every ``(scope, name, doc)`` of a kind."""
        with self._lock:
            rows = self._db.execute(
                "SELECT scope, name, body FROM docs WHERE kind = ? ORDER BY scope, name", (kind,)
            ).fetchall()
        for scope, name, body in rows:
            yield scope, name, json.loads(body)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
