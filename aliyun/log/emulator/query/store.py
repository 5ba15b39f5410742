"""DuckDB-backed storage of one logstore's indexed logs.

Write path: :meth:`Store.append` turns each log into one staged text line (see :mod:`codec`)
and appends the batch to a journal file. Every :data:`FLUSH_ROWS` logs the journal is rotated
into a segment that a background thread bulk-loads into the ``logs`` table with DuckDB's CSV
reader (DuckDB releases the GIL, so this overlaps with the ingesting thread on a second core);
the typed columns of the indexed keys are filled by the same statement. Before any query the
remaining journal is loaded synchronously. No per-row INSERT ever runs.

Durability (``storage_dir`` given): the DuckDB file holds everything flushed, the journal holds
the rest (written and flushed to the OS on every append), ``templates.jsonl`` the key tuples
and ``versions.json`` the index config history. Reopening replays the journal rows whose
sequence number is above the table's maximum, so a crash between load and truncation does not
duplicate rows.

Changed data (DeleteLogs, UpdateLogs, soft-delete tasks): a row is never rewritten in place. A
deleted row keeps its place with ``dl`` set, and :data:`VISIBLE` is the one predicate every
query path applies (``LogstoreIndex._where``), so no path can see it. An updated row is a
deleted original plus a replacement row with the same ``seq`` (the row id stays stable), both
written in one transaction (:meth:`Store.replace_rows`).
"""

from __future__ import annotations

import json
import logging
import os
import pathlib
import shutil
import tempfile
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Optional

import duckdb

from aliyun.log.emulator.query import codec
from aliyun.log.emulator.query.columns import MatColumn, columns_for, json_path_literal
from aliyun.log.emulator.query.config import IndexSpec, parse_index_config
from aliyun.log.emulator.query.limits import DEFAULT_LIMITS, QueryLimits
from aliyun.log.emulator.query.records import LogRecord
from aliyun.log.emulator.query.sandbox import Sessions, open_database
from aliyun.log.emulator.query.sql_functions import install_macros
from aliyun.log.emulator.query.textmatch import re_char, sql_str
from aliyun.log.emulator.query.wire import StoredGroup, WireFallback, WireStager, records_of

log = logging.getLogger(__name__)

#: Staged logs loaded into DuckDB in one go; larger batches amortise the per-load overhead.
FLUSH_ROWS = 200_000
_ROW_GROUP = 122_880  # DuckDB's row group size: the unit compression works on

_BASE_DDL = (
    "CREATE TABLE IF NOT EXISTS logs (seq BIGINT, t BIGINT, ns INTEGER, topic VARCHAR, "
    "source VARCHAR, tags VARCHAR, tid INTEGER, vals VARCHAR, esc BOOLEAN, ver INTEGER, "
    "shard INTEGER, recv BIGINT, ft VARCHAR, gseq BIGINT, dl BOOLEAN)"
)
#: the rows a query may see: those not deleted (the ``dl`` mark, see the module docstring)
VISIBLE = "dl IS NULL"
_CSV_COLUMNS = (
    "{'seq': 'BIGINT', 't': 'BIGINT', 'ns': 'INTEGER', 'topic': 'VARCHAR', "
    "'source': 'VARCHAR', 'tags': 'VARCHAR', 'tid': 'INTEGER', 'vals': 'VARCHAR', "
    "'esc': 'INTEGER', 'ver': 'INTEGER', 'shard': 'INTEGER', 'recv': 'BIGINT', 'gseq': 'BIGINT'}"
)


class Store:
    """Column store of one logstore (one DuckDB database)."""

    def __init__(
        self,
        storage_dir: Optional[pathlib.Path],
        *,
        timezone: str = "Asia/Shanghai",
        limits: QueryLimits = DEFAULT_LIMITS,
    ) -> None:
        self.lock = threading.RLock()
        self._tmpdir: Optional[str] = None
        if storage_dir is None:
            # The journal doubles as the bulk-load file, so even an in-memory index stages
            # through a private temporary directory.
            self._tmpdir = tempfile.mkdtemp(prefix="sls-query-")
            weakref.finalize(self, shutil.rmtree, self._tmpdir, True)
            self.dir = pathlib.Path(self._tmpdir)
            db_path = ":memory:"
        else:
            self.dir = pathlib.Path(storage_dir)
            self.dir.mkdir(parents=True, exist_ok=True)
            db_path = str(self.dir / "index.duckdb")
        self.persistent = storage_dir is not None
        self.limits = limits
        self.con = open_database(db_path, self.dir, timezone=timezone, limits=limits, setup=self._setup)
        self.con.execute(_BASE_DDL)
        install_macros(self.con)
        self.con.execute(codec.UNESCAPE_MACRO)
        #: cursors the queries run on (sandbox.py): bounded in time, never under :attr:`lock`
        self.sessions = Sessions(self.con, limits, self._prepare_session)
        self._columns = {
            str(r[0])
            for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'logs'"
            ).fetchall()
        }
        if "gseq" not in self._columns:  # a database written before the column existed
            self.con.execute("ALTER TABLE logs ADD COLUMN gseq BIGINT")
            self._columns.add("gseq")
        if "dl" not in self._columns:  # a database written before rows could be deleted
            self.con.execute("ALTER TABLE logs ADD COLUMN dl BOOLEAN")
            self._columns.add("dl")
        self.templates: list[tuple[str, ...]] = []
        self._tmap: dict[tuple[str, ...], int] = {}
        self.configs: list[dict[str, Any]] = []
        self.versions: list[IndexSpec] = []
        self._journal_path = self.dir / "journal.csv"
        self._templates_path = self.dir / "templates.jsonl"
        self._versions_path = self.dir / "versions.json"
        self._pending = 0
        self._combos: set[tuple[int, int]] = set()
        self._segment_no = 0
        self._futures: list[Future[None]] = []
        self._executor: Optional[ThreadPoolExecutor] = None
        self._bg_con: Optional[duckdb.DuckDBPyConnection] = None
        self._uncompressed = 0
        self._failed: list[tuple[pathlib.Path, set[tuple[int, int]], int]] = []
        self.row_count = 0
        self._stager = WireStager(self._template_for)
        try:
            if self.persistent:
                self._load_metadata()
            self._templates_file = open(self._templates_path, "a", encoding="utf-8")
            try:
                self._recover()
            except BaseException:
                self._templates_file.close()
                raise
        except BaseException:
            # Unreadable index files: release the database, or DuckDB would hand its cached
            # instance to whoever opens this path next (a rebuild would then see the old rows).
            self.con.close()
            raise
        self._journal = open(self._journal_path, "w", encoding="utf-8", errors="replace")
        row = self.con.execute("SELECT max(seq), count(*) FROM logs").fetchone()
        self._next_seq = (int(row[0]) + 1) if row and row[0] is not None else 0
        self.row_count = int(row[1]) if row else 0

    def _setup(self, con: duckdb.DuckDBPyConnection) -> None:
        if not self.persistent:
            # A plain in-memory database never compresses; this one does at checkpoints, which
            # makes scans (and ILIKE on dictionary-encoded strings) several times faster.
            con.execute("ATTACH ':memory:' AS sls (COMPRESS)")
            con.execute("USE sls")

    def _prepare_session(self, cursor: duckdb.DuckDBPyConnection) -> None:
        if not self.persistent:
            cursor.execute("USE sls")
        install_macros(cursor)

    # -- metadata --------------------------------------------------------------------------
    def _load_metadata(self) -> None:
        if self._versions_path.exists():
            self.configs = json.loads(self._versions_path.read_text(encoding="utf-8"))
            self.versions = [parse_index_config(c) for c in self.configs]
            for spec in self.versions:  # a database recreated (deleted) under surviving metadata
                for col in columns_for(spec):
                    if col.name not in self._columns:
                        self.con.execute(f"ALTER TABLE logs ADD COLUMN {col.name} {col.sql_type}")
                        self._columns.add(col.name)
        if self._templates_path.exists():
            for line in self._templates_path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                try:
                    tid, keys = json.loads(line)
                except ValueError:
                    break  # torn last line after a crash: the journal rows using it are lost too
                if tid == len(self.templates):
                    self.templates.append(tuple(keys))
                    self._tmap[tuple(keys)] = tid

    def add_version(self, config: dict[str, Any]) -> int:
        """Register a config version (validated by the caller); returns its number."""
        with self.lock:
            spec = parse_index_config(config)
            if self.configs and self.configs[-1] == config:
                return len(self.configs) - 1
            self._drain()  # no ALTER TABLE while a background load inserts
            self.configs.append(config)
            self.versions.append(spec)
            for col in columns_for(spec):
                if col.name not in self._columns:
                    self.con.execute(f"ALTER TABLE logs ADD COLUMN {col.name} {col.sql_type}")
                    self._columns.add(col.name)
            if self.persistent:
                tmp = self._versions_path.with_suffix(".tmp")
                tmp.write_text(json.dumps(self.configs), encoding="utf-8")
                os.replace(tmp, self._versions_path)
            return len(self.configs) - 1

    def _template_for(self, keys: tuple[str, ...]) -> int:
        tid = self._tmap.get(keys)
        return self._new_template(keys) if tid is None else tid

    def _new_template(self, keys: tuple[str, ...]) -> int:
        tid = len(self.templates)
        self.templates.append(keys)
        self._tmap[keys] = tid
        self._templates_file.write(json.dumps([tid, list(keys)]) + "\n")
        self._templates_file.flush()
        return tid

    # -- write path ------------------------------------------------------------------------
    def append(self, records: Sequence[LogRecord], ver: int) -> None:
        """Stage ``records`` (ingested under config version ``ver``)."""
        with self.lock:
            tids: set[int] = set()
            lines, seq = codec.record_lines(records, ver, self._next_seq, tids, "", self._tmap, self._new_template)
            if lines:
                lines.append("")
                self._commit(["\n".join(lines)], seq, tids, ver)

    def append_groups(self, groups: Sequence[StoredGroup], ver: int) -> int:
        """Stage every log of ``groups`` (stored log groups, see :mod:`wire`); returns the log count.

        Each log carries its group's shard and shard sequence number (``gseq``), so the index
        itself records how far each shard is indexed (:meth:`group_marks`). One journal write
        covers the whole batch.
        """
        with self.lock:
            pieces: list[str] = []
            staged: list[bytes] = []
            tids: set[int] = set()
            seq = first = self._next_seq
            for group in groups:
                mark = len(staged)
                try:
                    seq = self._stager.stage(group, seq, ver, staged, tids)
                    continue
                except WireFallback:  # seq is still the group's first
                    del staged[mark:]
                except Exception:  # a bug in the scanner must not stop indexing
                    log.exception("staging group %d of shard %d failed; decoding it", group.gseq, group.shard_id)
                    del staged[mark:]
                try:
                    records = records_of(group)
                except Exception:  # a group the service accepted; the shard log keeps it
                    log.exception("cannot index group %d of shard %d", group.gseq, group.shard_id)
                    continue
                if staged:
                    staged.append(b"")
                    pieces.append(b"\n".join(staged).decode("utf-8", "replace"))
                    staged = []
                lines, seq = codec.record_lines(
                    records, ver, seq, tids, str(group.gseq), self._tmap, self._new_template
                )
                if lines:
                    lines.append("")
                    pieces.append("\n".join(lines))
            if staged:
                staged.append(b"")
                pieces.append(b"\n".join(staged).decode("utf-8", "replace"))
            if pieces:
                self._commit(pieces, seq, tids, ver)
            return seq - first

    def _commit(self, pieces: list[str], next_seq: int, tids: set[int], ver: int) -> None:
        """Append staged text (whole lines) to the journal; rotate it once it is big enough."""
        for piece in pieces:
            self._journal.write(piece)
        self._journal.flush()
        self._pending += next_seq - self._next_seq
        self._next_seq = next_seq
        self._combos.update((tid, ver) for tid in tids)
        if self._pending >= FLUSH_ROWS:
            self._rotate()

    def _rotate(self) -> None:
        """Hand the journal to the background loader and start a new one."""
        self._journal.close()
        segment = self.dir / f"journal.{self._segment_no:08d}.csv"
        self._segment_no += 1
        os.replace(self._journal_path, segment)
        self._journal = open(self._journal_path, "w", encoding="utf-8", errors="replace")
        combos, count = self._combos, self._pending
        self._combos, self._pending = set(), 0
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="sls-query-load")
        self._futures.append(self._executor.submit(self._load_segment, segment, combos, count))

    def _load_segment(self, segment: pathlib.Path, combos: set[tuple[int, int]], count: int) -> None:
        if self._bg_con is None:
            # A cursor is a separate DuckDB connection: its own temp objects, safe in a thread.
            self._bg_con = self.con.cursor()
            if not self.persistent:
                self._bg_con.execute("USE sls")
            self._bg_con.execute(codec.UNESCAPE_MACRO)
        try:
            self._load(self._bg_con, segment, combos, after_seq=None)
        except Exception:
            log.exception("background load of %s failed; retrying before the next query", segment)
            self._failed.append((segment, combos, count))
            return
        segment.unlink()
        self.row_count += count

    def _drain(self) -> None:
        """Wait for background loads; retry failed ones here (raising if they fail again)."""
        futures, self._futures = self._futures, []
        for future in futures:
            future.result()
        while self._failed:
            segment, combos, count = self._failed[0]
            self._load(self.con, segment, combos, after_seq=None)
            segment.unlink()
            self.row_count += count
            self._failed.pop(0)

    def flush(self) -> None:
        """Load every staged log into the ``logs`` table."""
        with self.lock:
            self._drain()
            if not self._pending:
                return
            self._journal.close()
            try:
                self._load(self.con, self._journal_path, self._combos, after_seq=None)
            except BaseException:
                # keep the staged logs (and a usable journal) for the next attempt
                self._journal = open(self._journal_path, "a", encoding="utf-8", errors="replace")
                raise
            self._journal = open(self._journal_path, "w", encoding="utf-8", errors="replace")
            self.row_count += self._pending
            self._pending = 0
            self._combos = set()

    def _recover(self) -> None:
        """Replay journal files left by a previous process (segments first, in order)."""
        if not self.persistent:
            return
        files = sorted(self.dir.glob("journal.*.csv"))
        if self._journal_path.exists():
            files.append(self._journal_path)
        for path in files:
            if path.stat().st_size:
                self._replay(path)
            if path != self._journal_path:
                path.unlink()
        if files:
            log.info("replayed query journal in %s", self.dir)

    def _replay(self, path: pathlib.Path) -> None:
        # Drop a torn last line (no newline): it was never acknowledged as fully written.
        data = path.read_bytes()
        if not data.endswith(b"\n"):
            path.write_bytes(data[: data.rfind(b"\n") + 1])
        row = self.con.execute("SELECT max(seq) FROM logs").fetchone()
        after = int(row[0]) if row and row[0] is not None else -1
        first = self.con.execute(f"SELECT min(seq) FROM {_reader(path)}").fetchone() if after < 0 else None
        if first and first[0] is not None and int(first[0]) > 0:
            # An empty database under a journal that continues earlier rows: the database was
            # deleted. Replaying the journal alone would hide that the rows before it are gone.
            raise RuntimeError(f"index database is empty but the journal {path.name} starts at row {first[0]}")
        combos = {
            (int(t), int(v)) for t, v in self.con.execute(f"SELECT DISTINCT tid, ver FROM {_reader(path)}").fetchall()
        }
        combos = {(t, v) for t, v in combos if t < len(self.templates) and v < len(self.versions)}
        if combos:
            self._load(self.con, path, combos, after_seq=after)

    def _load(
        self,
        con: duckdb.DuckDBPyConnection,
        path: pathlib.Path,
        combos: set[tuple[int, int]],
        after_seq: Optional[int],
        *,
        compact: bool = True,
    ) -> None:
        cols: dict[str, MatColumn] = {}
        for _, ver in combos:
            for col in columns_for(self.versions[ver]):
                cols.setdefault(col.name, col)
        ordered = [c for c in cols.values() if c.kind != "tag"]
        tp_rows = []
        for tid, ver in combos:
            keys = self.templates[tid]
            spec = self.versions[ver]
            last_pos = {k: i + 1 for i, k in enumerate(keys)}
            wanted = {c.name for c in columns_for(spec)}
            pos = [last_pos.get(c.source) if c.name in wanted else None for c in ordered]
            if spec.line is not None:
                indexed = spec.content_keys
                ft: Optional[list[int]] = [i + 1 for i, k in enumerate(keys) if k not in indexed]
            else:
                ft = None
            tp_rows.append((tid, ver, pos, ft))
        con.execute("CREATE OR REPLACE TEMP TABLE __tp (tid INTEGER, ver INTEGER, pos INTEGER[], ftpos INTEGER[])")
        con.execute(
            "INSERT INTO __tp SELECT unnest($1), unnest($2), unnest($3), unnest($4)",
            [[r[0] for r in tp_rows], [r[1] for r in tp_rows], [r[2] for r in tp_rows],
             [r[3] for r in tp_rows]],
        )  # fmt: skip
        exprs = [
            "s.seq", "s.t", "s.ns",
            "CASE WHEN s.esc = 1 THEN __sls_unesc(coalesce(s.topic, '')) "
            "ELSE coalesce(s.topic, '') END AS topic",
            "CASE WHEN s.esc = 1 THEN __sls_unesc(coalesce(s.source, '')) "
            "ELSE coalesce(s.source, '') END AS source",
            "coalesce(s.tags, '') AS tags", "s.tid", "coalesce(s.vals, '') AS vals",
            "s.esc = 1 AS esc", "s.ver", "s.shard", "s.recv", "s.gseq",
            "CASE WHEN p.ftpos IS NULL THEN NULL "
            "ELSE array_to_string(list_select(s.vl, p.ftpos), chr(30)) END AS ft",
        ]  # fmt: skip
        for i, col in enumerate(ordered):
            exprs.append(f"{_value_expr(col, f's.vl[p.pos[{i + 1}]]')} AS {col.name}")
        for col in cols.values():
            if col.kind == "tag":
                vers = [v for v in range(len(self.versions)) if col in columns_for(self.versions[v])]
                pat = sql_str(tag_pattern(col.source, "([^\x1e]*)"))
                exprs.append(
                    f"CASE WHEN s.ver IN ({', '.join(map(str, vers))}) "
                    f"AND regexp_matches(s.tags, {pat}, 'i') "
                    f"THEN regexp_extract(s.tags, {pat}, 1, 'i') END AS {col.name}"
                )
        where = f"WHERE s.seq > {after_seq}" if after_seq is not None else ""
        vl = (
            "CASE WHEN esc = 1 THEN list_transform(string_split(coalesce(vals, ''), chr(30)), "
            "lambda x: __sls_unesc(x)) ELSE string_split(coalesce(vals, ''), chr(30)) END"
        )
        sql = (
            f"INSERT INTO logs BY NAME SELECT {', '.join(exprs)} FROM "
            f"(SELECT *, {vl} AS vl FROM {_reader(path)}) s "
            f"JOIN __tp p ON p.tid = s.tid AND p.ver = s.ver {where}"
        )
        row = con.execute(sql).fetchone()
        if not self.persistent and compact:
            # Compress loaded data (see __init__) once a DuckDB row group's worth has piled up;
            # checkpointing after every small load would only cost time.
            self._uncompressed += int(row[0]) if row else 0
            if self._uncompressed >= _ROW_GROUP:
                con.execute("CHECKPOINT")
                self._uncompressed = 0

    # -- what is indexed -------------------------------------------------------------------
    def group_marks(self) -> dict[int, tuple[int, int]]:
        """Per shard: the highest group sequence number (``gseq``) held and how many logs of it."""
        with self.lock:
            self.flush()
            # Deleted rows count: they were indexed (updates' replacement rows have no gseq).
            rows = self.con.execute(
                "SELECT l.shard, l.gseq, count(*) FROM logs l JOIN "
                "(SELECT shard, max(gseq) AS g FROM logs WHERE gseq IS NOT NULL GROUP BY shard) m "
                "ON l.shard = m.shard AND l.gseq = m.g GROUP BY l.shard, l.gseq"
            ).fetchall()
        return {int(shard): (int(gseq), int(count)) for shard, gseq, count in rows}

    def drop_group(self, shard: int, gseq: int) -> None:
        """Delete the logs of one group (a partly staged one, to stage it again whole)."""
        with self.lock:
            self.flush()
            row = self.con.execute("DELETE FROM logs WHERE shard = $1 AND gseq = $2", [shard, gseq]).fetchone()
            self.row_count -= int(row[0]) if row else 0

    # -- changing stored rows --------------------------------------------------------------
    def mark_deleted(self, seqs: Sequence[int]) -> int:
        """Hide the visible rows ``seqs`` from every query; returns how many were visible."""
        if not seqs:
            return 0
        with self.lock:
            self.flush()
            row = self.con.execute(
                f"UPDATE logs SET dl = TRUE WHERE {VISIBLE} AND seq IN (SELECT unnest($1::BIGINT[]))", [list(seqs)]
            ).fetchone()
        return int(row[0]) if row else 0

    def replace_rows(self, replacements: Sequence[tuple[int, int, LogRecord]]) -> int:
        """Replace visible rows by new versions: ``(seq, ver, record)`` each, in one transaction.

        The new row takes the ``seq`` of the one it replaces (so its row id does not change) and
        is indexed under config version ``ver`` (the original's, so its typed columns are what
        the original's were). A crash leaves either every old row or every new one.
        """
        if not replacements:
            return 0
        with self.lock:
            self.flush()
            lines: list[str] = []
            combos: set[tuple[int, int]] = set()
            for seq, ver, record in replacements:
                tids: set[int] = set()
                staged, _ = codec.record_lines([record], ver, seq, tids, "", self._tmap, self._new_template)
                lines.extend(staged)
                combos.update((tid, ver) for tid in tids)
            staging = self.dir / "replace.csv"
            staging.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="replace")
            seqs = [seq for seq, _, _ in replacements]
            try:
                self.con.begin()
                try:
                    row = self.con.execute(
                        f"UPDATE logs SET dl = TRUE WHERE {VISIBLE} AND seq IN (SELECT unnest($1::BIGINT[]))", [seqs]
                    ).fetchone()
                    self._load(self.con, staging, combos, after_seq=None, compact=False)
                    self.con.commit()
                except BaseException:
                    self.con.rollback()
                    raise
            finally:
                staging.unlink(missing_ok=True)
            self.row_count += len(replacements)
        return int(row[0]) if row else 0

    # -- read helpers ----------------------------------------------------------------------
    def templates_with(self, key: str) -> list[int]:
        """Template ids whose logs carry ``key``."""
        return [i for i, keys in enumerate(self.templates) if key in keys]

    def raw_value_sql(self, key: str) -> str:
        """SQL for the raw string value of content ``key`` (NULL when absent)."""
        branches = []
        for tid, keys in enumerate(self.templates):
            if key in keys:
                pos = len(keys) - keys[::-1].index(key)
                branches.append(f"WHEN {tid} THEN split_part(vals, chr(30), {pos})")
        if not branches:
            return "CAST(NULL AS VARCHAR)"
        return f"(CASE tid {' '.join(branches)} END)"

    def close(self) -> None:
        """Flush, checkpoint and release files."""
        self.sessions.close()  # first, and without the lock: a running query may hold none of it
        with self.lock:
            try:
                self.flush()
                if self.persistent:
                    self.con.execute("CHECKPOINT")
            finally:
                if self._executor is not None:
                    self._executor.shutdown(wait=True)
                if self._bg_con is not None:
                    self._bg_con.close()
                self._journal.close()
                self._templates_file.close()
                self.con.close()
                if self._tmpdir:
                    shutil.rmtree(self._tmpdir, ignore_errors=True)


#: Longest staged line (one log): a PutLogs body is at most 10 MiB raw, and escaping at most
#: doubles a value. Kept this small because DuckDB 1.x reserves 16 times it as a read buffer,
#: which must fit in the logstore's memory limit (QueryLimits.memory_limit).
_MAX_LINE = 32 * 1024 * 1024


def _reader(path: pathlib.Path) -> str:
    """DuckDB table function reading one staged journal file."""
    return (
        f"read_csv({sql_str(str(path))}, delim = chr(31), quote = '', escape = '', "
        f"header = false, auto_detect = false, columns = {_CSV_COLUMNS}, "
        f"max_line_size = {_MAX_LINE}, null_padding = false)"
    )


def tag_pattern(name: str, value_regex: str) -> str:
    """RE2 pattern matching one tag entry ``name`` with a value matching ``value_regex``."""
    key = "".join(re_char(c) for c in name)
    return f"(?:^|\x1e){key}\x1d{value_regex}(?:\x1e|$)"


def _value_expr(col: MatColumn, raw: str) -> str:
    if col.kind == "json":
        path = sql_str(json_path_literal(col.json_path))
        raw = f"(CASE WHEN json_valid({raw}) THEN json_extract_string({raw}, {path}) END)"
    if col.type == "long":
        return f"TRY_CAST({raw} AS BIGINT)"
    if col.type == "double":
        return f"TRY_CAST({raw} AS DOUBLE)"
    return raw
