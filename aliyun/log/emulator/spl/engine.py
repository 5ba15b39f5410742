"""Run an SPL statement over pulled log groups: the filter of PullLogs and of consumers.

Every log of a batch becomes a row whose columns are its fields (contents, ``__time__``,
``__topic__``, ``__source__`` and one ``__tag__:<key>`` per group tag, all ``varchar``; a field a
log lacks is NULL). Consecutive ``where``/``extend``/``project*`` stages become one SQL statement
over that table, translated by the query engine (so SPL conditions accept exactly SLS's SQL
functions, typed as strictly) and run in the same sandboxed, time-bounded DuckDB
(:mod:`aliyun.log.emulator.query.sandbox`). ``parse-json`` and ``parse-regexp`` create fields
that depend on each value, so they run in Python between those statements.

What comes back is each kept log with its time and its group's topic, source and tags; its
contents are its fields other than those reserved ones, in order, NULLs left out. A group that
keeps no log is left out of the answer (its cursor is still passed).
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import duckdb

from aliyun.log._codec import decode_log_group, encode_log_group
from aliyun.log.emulator.query.errors_map import map_duckdb_error
from aliyun.log.emulator.query.limits import QueryLimits, check_query_size
from aliyun.log.emulator.query.render import render_value
from aliyun.log.emulator.query.sandbox import Sessions, open_database
from aliyun.log.emulator.query.sql_functions import install_macros
from aliyun.log.emulator.query.sql_translate import SqlColumn, Translated, translate
from aliyun.log.emulator.query.wire import text_of
from aliyun.log.emulator.spl.parser import (
    Extend,
    Instruction,
    ParseJson,
    ParseRegexp,
    Project,
    ProjectAway,
    ProjectRename,
    Where,
    parse_spl,
)

__all__ = ["SplEngine", "SplProgram"]

_ROW = "__sls_row__"
_RESERVED = ("__time__", "__topic__", "__source__")
_TAG = "__tag__:"
_CACHE = 64


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class SplProgram:
    """A parsed SPL statement, checked once (syntax, functions) before any data meets it."""

    text: str
    instructions: tuple[Instruction, ...]


@dataclass
class _Rows:
    columns: list[str]
    rows: list[list[Any]]  # the fields' values (str or None), then the row's position in the batch


class SplEngine:
    """The SPL runner of one emulator: its own sandboxed in-memory DuckDB, opened on first use."""

    def __init__(self, limits: QueryLimits, *, timezone: str = "Asia/Shanghai") -> None:
        self._limits = limits
        self._timezone = timezone
        self._lock = threading.Lock()
        self._sessions: Optional[Sessions] = None
        self._con: Optional[duckdb.DuckDBPyConnection] = None
        self._tmpdir: Optional[tempfile.TemporaryDirectory[str]] = None
        self._programs: dict[str, SplProgram] = {}

    # -- compiling -------------------------------------------------------------------------
    def compile(self, text: str) -> SplProgram:
        """Parse and check ``text`` (cached: a consumer sends the same statement on every pull).

        :raises SLSError: ``ParameterInvalid`` for anything outside the supported subset.
        """
        program = self._programs.get(text)
        if program is not None:
            return program
        check_query_size(text, self._limits)
        instructions = parse_spl(text)
        for instruction in instructions:  # syntax and function checks, with no data yet
            if isinstance(instruction, Where):
                self._translate(f"SELECT 1 FROM log WHERE {instruction.condition}", ())
            elif isinstance(instruction, Extend):
                for _, expr in instruction.assignments:
                    self._translate(f"SELECT {expr} FROM log", ())
        program = SplProgram(text, instructions)
        with self._lock:
            if len(self._programs) >= _CACHE:
                self._programs.clear()
            self._programs[text] = program
        return program

    def _translate(self, sql: str, columns: Sequence[str]) -> Translated:
        typed = {name.lower(): SqlColumn(name, _quote(name), "varchar") for name in columns}
        return translate(sql + " LIMIT ALL", typed, tz_offset=0, limits=self._limits)

    # -- running ---------------------------------------------------------------------------
    def run(self, program: SplProgram, payloads: Sequence[bytes]) -> list[bytes]:
        """The log groups ``payloads`` after ``program``, re-encoded; groups left empty are dropped."""
        groups = [decode_log_group(payload) for payload in payloads]
        batch, owners = _table(groups)
        stage: list[Instruction] = []
        for instruction in program.instructions:
            if isinstance(instruction, (ParseJson, ParseRegexp)):
                batch = self._sql(batch, stage)
                stage = []
                batch = (
                    _parse_json(batch, instruction)
                    if isinstance(instruction, ParseJson)
                    else _regexp(batch, instruction)
                )
            else:
                stage.append(instruction)
        batch = self._sql(batch, stage)
        return _encode(groups, owners, batch)

    def _sql(self, batch: _Rows, stage: list[Instruction]) -> _Rows:
        if not stage or not batch.rows:
            return batch
        columns = list(batch.columns)
        sql = "SELECT * FROM log"
        for instruction in stage:
            sql, columns = _compose(sql, columns, instruction)
        select = ", ".join(_quote(c) for c in [*columns, _ROW])
        translated = self._translate(f"SELECT {select} FROM ({sql})", batch.columns)
        # The batch reaches DuckDB as one list parameter per column, unnested side by side.
        base = ", ".join(
            f"unnest(${i + 1}::{'BIGINT' if name == _ROW else 'VARCHAR'}[]) AS {_quote(name)}"
            for i, name in enumerate([*batch.columns, _ROW])
        )
        params = [[row[i] for row in batch.rows] for i in range(len(batch.columns) + 1)]
        statement = translated.render(f"SELECT {base}")
        with self._session() as con:
            try:
                fetched = con.execute(statement, params).fetchall()
            except (duckdb.InterruptException, duckdb.OutOfMemoryException):
                raise  # a bound: the session answers it
            except duckdb.Error as exc:
                raise map_duckdb_error(exc) from exc
        rows = [[None if v is None else render_value(v) for v in r[:-1]] + [r[-1]] for r in fetched]
        return _Rows(columns, rows)

    def _session(self) -> Any:
        with self._lock:
            if self._sessions is None:
                self._tmpdir = tempfile.TemporaryDirectory(prefix="sls-spl-")
                directory = Path(self._tmpdir.name)
                self._con = open_database(
                    ":memory:", directory, timezone=self._timezone, limits=self._limits, setup=lambda con: None
                )
                self._sessions = Sessions(self._con, self._limits, install_macros)
            sessions = self._sessions
        return sessions.session()

    def close(self) -> None:
        """Interrupt running statements and release the database."""
        with self._lock:
            sessions, con, tmpdir = self._sessions, self._con, self._tmpdir
            self._sessions = self._con = self._tmpdir = None
        if sessions is not None:
            sessions.close()
        if con is not None:
            con.close()
        if tmpdir is not None:
            tmpdir.cleanup()


def _compose(sql: str, columns: list[str], instruction: Instruction) -> tuple[str, list[str]]:
    """Wrap ``sql`` (Presto text) in one more SELECT for ``instruction``; the new column list."""
    if isinstance(instruction, Where):
        keep = ", ".join(_quote(c) for c in [*columns, _ROW])
        return f"SELECT {keep} FROM ({sql}) WHERE {instruction.condition}", columns
    if isinstance(instruction, Extend):
        for name, expr in instruction.assignments:
            rest = [c for c in columns if c.lower() != name.lower()]
            keep = ", ".join(_quote(c) for c in [*rest, _ROW])
            # Fields are text in SPL: a computed value becomes text the way SQL answers render it.
            sql = f"SELECT {keep}, {expr} AS {_quote(name)} FROM ({sql})"
            columns = [*rest, name]
        return sql, columns
    if isinstance(instruction, Project):
        known = {c.lower(): c for c in columns}
        kept = [known[f.lower()] for f in dict.fromkeys(instruction.fields) if f.lower() in known]
        return f"SELECT {', '.join(_quote(c) for c in [*kept, _ROW])} FROM ({sql})", kept
    if isinstance(instruction, ProjectAway):
        away = {f.lower() for f in instruction.fields}
        kept = [c for c in columns if c.lower() not in away]
        return f"SELECT {', '.join(_quote(c) for c in [*kept, _ROW])} FROM ({sql})", kept
    assert isinstance(instruction, ProjectRename)
    renames = {old.lower(): new for new, old in instruction.renames}
    items = [f"{_quote(c)} AS {_quote(renames.get(c.lower(), c))}" for c in columns]
    return f"SELECT {', '.join([*items, _quote(_ROW)])} FROM ({sql})", [renames.get(c.lower(), c) for c in columns]


def _table(groups: Sequence[Any]) -> tuple[_Rows, list[tuple[int, int]]]:
    """Rows of every log of ``groups`` over the union of their fields; each row's (group, log)."""
    columns: dict[str, str] = {}  # lower-cased -> first spelling: SQL names ignore case
    records: list[dict[str, str]] = []
    owners: list[tuple[int, int]] = []
    for g, group in enumerate(groups):
        base = {"__topic__": text_of(group.Topic), "__source__": text_of(group.Source)}
        for tag in group.LogTags:
            base[_TAG + text_of(tag.Key)] = text_of(tag.Value)
        for n, log in enumerate(group.Logs):
            record = {"__time__": str(log.Time), **base}
            for content in log.Contents:
                record[text_of(content.Key)] = text_of(content.Value)
            for name in record:
                columns.setdefault(name.lower(), name)
            records.append(record)
            owners.append((g, n))
    names = list(columns.values())
    rows = []
    for index, record in enumerate(records):
        lowered = {k.lower(): v for k, v in record.items()}
        rows.append([*(lowered.get(name.lower()) for name in names), index])
    return _Rows(names, rows), owners


def _set(batch: _Rows, values: list[dict[str, str]], overwrite: bool) -> _Rows:
    """``batch`` with each row's new field values (``values[i]`` for row ``i``)."""
    positions = {c.lower(): i for i, c in enumerate(batch.columns)}
    columns = list(batch.columns)
    for new in values:
        for name in new:
            if name.lower() not in positions:
                positions[name.lower()] = len(columns)
                columns.append(name)
    rows = []
    for row, new in zip(batch.rows, values):
        out = row[:-1] + [None] * (len(columns) - len(row) + 1)
        for name, value in new.items():
            at = positions[name.lower()]
            if overwrite or out[at] is None:
                out[at] = value
        rows.append([*out, row[-1]])
    return _Rows(columns, rows)


def _column(batch: _Rows, name: str) -> Optional[int]:
    for i, column in enumerate(batch.columns):
        if column.lower() == name.lower():
            return i
    return None


def _parse_json(batch: _Rows, instruction: ParseJson) -> _Rows:
    at = _column(batch, instruction.field)
    values: list[dict[str, str]] = []
    for row in batch.rows:
        found: dict[str, str] = {}
        text = row[at] if at is not None else None
        try:
            doc = json.loads(text) if text else None
        except ValueError:
            doc = None
        for step in instruction.path.split(".")[1:] if instruction.path else ():
            doc = doc.get(step) if isinstance(doc, dict) else None
        if isinstance(doc, dict):
            for key, value in doc.items():
                rendered = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found[instruction.prefix + key] = rendered
        values.append(found)
    return _set(batch, values, instruction.mode == "overwrite")


def _regexp(batch: _Rows, instruction: ParseRegexp) -> _Rows:
    at = _column(batch, instruction.field)
    values: list[dict[str, str]] = []
    for row in batch.rows:
        text = row[at] if at is not None else None
        match = instruction.pattern.search(text) if text is not None else None
        found = {}
        if match is not None:
            found = {name: value for name, value in zip(instruction.outputs, match.groups()) if value is not None}
        values.append(found)
    return _set(batch, values, True)


def _encode(groups: Sequence[Any], owners: list[tuple[int, int]], batch: _Rows) -> list[bytes]:
    content_columns = [
        (i, name) for i, name in enumerate(batch.columns) if name not in _RESERVED and not name.startswith(_TAG)
    ]
    kept: dict[int, list[tuple[int, Optional[int], list[tuple[str, Any]]]]] = {}
    for row in sorted(batch.rows, key=lambda r: int(r[-1] or 0)):
        g, n = owners[int(row[-1] or 0)]
        log = groups[g].Logs[n]
        contents = [(name, row[i]) for i, name in content_columns if row[i] is not None]
        kept.setdefault(g, []).append((log.Time, log.Time_ns if log.HasField("Time_ns") else None, contents))
    out = []
    for g in sorted(kept):
        group = groups[g]
        tags = [(text_of(t.Key), text_of(t.Value)) for t in group.LogTags]
        out.append(
            encode_log_group(
                kept[g],
                text_of(group.Topic),
                text_of(group.Source) if group.HasField("Source") else None,
                tags,
                text_of(group.MachineUUID) if group.HasField("MachineUUID") else None,
            )
        )
    return out
