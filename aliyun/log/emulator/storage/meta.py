"""Durable metadata: every resource definition as a JSON document in one SQLite file.

SQLite gives atomic, crash-safe writes (WAL, ``synchronous=FULL``) with no extra dependency. The
service keeps its working copy in memory; a change is written here first and applied to memory
only once the write succeeded, so a failed write (a full disk) changes nothing. At start-up it
reads everything back; a document that cannot be decoded is reported and skipped, never fatal.

SQLite's own errors for a full disk, an I/O error or a file it cannot open are raised as
``OSError`` with the matching ``errno``, the same as every other storage failure.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Optional

__all__ = ["BadDocument", "MetaStore", "Op"]

#: one change of :meth:`MetaStore.write`: ``("put", kind, scope, name, doc)``,
#: ``("delete", kind, scope, name)`` or ``("delete_scope", scope_prefix)``
Op = tuple[Any, ...]
#: told about a document that cannot be decoded: ``hook(kind, scope, name, reason)``
BadDocument = Callable[[str, str, str, str], None]

_SQLITE_ERRNO = (
    ("full", errno.ENOSPC),
    ("disk i/o", errno.EIO),
    ("unable to open", errno.EMFILE),
    ("readonly", errno.EROFS),
)


class MetaStore:
    """Documents addressed by ``(kind, scope, name)``: ``("logstore", "proj", "ls")``."""

    def __init__(self, path: Optional[Path]) -> None:
        target = ":memory:" if path is None else str(path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock, _as_os_error():
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL,"
                " body TEXT NOT NULL, PRIMARY KEY (kind, scope, name))"
            )

    def put(self, kind: str, scope: str, name: str, doc: Any) -> None:
        """Create or replace one document."""
        self.write([("put", kind, scope, name, doc)])

    def delete(self, kind: str, scope: str, name: str) -> None:
        """Delete one document (no error when absent)."""
        self.write([("delete", kind, scope, name)])

    def delete_scope(self, scope_prefix: str) -> None:
        """Delete every document whose scope is ``scope_prefix`` or below it (``proj`` and ``proj/...``)."""
        self.write([("delete_scope", scope_prefix)])

    def write(self, ops: Sequence[Op]) -> None:
        """Apply several changes in one transaction: all of them or (raising ``OSError``) none."""
        statements = [_statement(op) for op in ops]  # encode first: a bad document changes nothing
        with self._lock, _as_os_error():
            if len(statements) == 1:
                self._db.execute(*statements[0])
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in statements:
                    self._db.execute(*statement)
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def get(self, kind: str, scope: str, name: str) -> Optional[Any]:
        """One document by its key (a primary-key lookup), or ``None`` when absent or undecodable."""
        with self._lock, _as_os_error():
            row = self._db.execute(
                "SELECT body FROM docs WHERE kind = ? AND scope = ? AND name = ?", (kind, scope, name)
            ).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except (TypeError, ValueError):
            return None

    def items(
        self, kind: str, on_bad: Optional[BadDocument] = None, *, scope: Optional[str] = None
    ) -> Iterator[tuple[str, str, Any]]:
        """Every ``(scope, name, doc)`` of a kind (of one ``scope`` only, when given); undecodable
        documents go to ``on_bad`` instead."""
        query = "SELECT scope, name, body FROM docs WHERE kind = ?"
        args: tuple[str, ...] = (kind,)
        if scope is not None:
            query += " AND scope = ?"
            args = (kind, scope)
        with self._lock, _as_os_error():
            rows = self._db.execute(query + " ORDER BY scope, name", args).fetchall()
        for scope, name, body in rows:
            try:
                doc = json.loads(body)
            except (TypeError, ValueError) as exc:
                if on_bad is not None:
                    on_bad(kind, scope, name, f"not JSON: {exc}")
                continue
            yield scope, name, doc

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _statement(op: Op) -> tuple[str, tuple[Any, ...]]:
    action = op[0]
    if action == "put":
        _, kind, scope, name, doc = op
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        return "INSERT OR REPLACE INTO docs (kind, scope, name, body) VALUES (?, ?, ?, ?)", (kind, scope, name, text)
    if action == "delete":
        _, kind, scope, name = op
        return "DELETE FROM docs WHERE kind = ? AND scope = ? AND name = ?", (kind, scope, name)
    if action == "delete_scope":
        prefix = op[1]
        return "DELETE FROM docs WHERE scope = ? OR scope LIKE ? ESCAPE '\\'", (prefix, _like_prefix(prefix) + "/%")
    raise ValueError(f"unknown metadata operation {action!r}")


@contextmanager
def _as_os_error() -> Iterator[None]:
    """Re-raise SQLite's storage errors as ``OSError`` (``errno`` from the message SQLite gives)."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        for marker, code in _SQLITE_ERRNO:
            if marker in text:
                raise OSError(code, f"metadata database: {exc}") from exc
        raise


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
