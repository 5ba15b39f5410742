"""``LogstoreIndex``: the query engine behind GetLogs, GetHistograms and ListTopics."""

from __future__ import annotations

import contextlib
import datetime
import logging
import pathlib
import time
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import duckdb

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query import codec
from aliyun.log.emulator.query.columns import MatColumn
from aliyun.log.emulator.query.config import IndexSpec, parse_index_config
from aliyun.log.emulator.query.context import context_meta, context_rows, pack_metas, strip_with_pack_meta
from aliyun.log.emulator.query.errors_map import map_duckdb_error
from aliyun.log.emulator.query.external_tables import ExternalTable, TableResolver, drop_tables, load_table
from aliyun.log.emulator.query.limits import DEFAULT_LIMITS, QueryLimits, check_query_size
from aliyun.log.emulator.query.phrase import phrase_page
from aliyun.log.emulator.query.records import LogRecord, QueryResult
from aliyun.log.emulator.query.render import presto_type, render_value
from aliyun.log.emulator.query.request import check_page, check_range, range_sql, split_query
from aliyun.log.emulator.query.search_ast import has_phrase
from aliyun.log.emulator.query.search_compile import SearchCompiler
from aliyun.log.emulator.query.search_parser import parse_search
from aliyun.log.emulator.query.sql_translate import SqlColumn, Translated, translate
from aliyun.log.emulator.query.store import VISIBLE, Store
from aliyun.log.emulator.query.textmatch import sql_str, whole_value_sql
from aliyun.log.emulator.query.timebuckets import histogram_layout, histogram_width, pad_series
from aliyun.log.emulator.query.wire import StoredGroup

log = logging.getLogger(__name__)

MAX_LINE = 100
#: most rows one DeleteLogs/UpdateLogs call may change (beyond it nothing changes: ParameterInvalid)
MAX_CHANGED_ROWS = 100_000
#: what an updated row is rebuilt from (:meth:`LogstoreIndex.update_rows`)
_CHANGE_COLUMNS = "seq, ver, t, ns, topic, source, tags, tid, vals, esc, shard, recv"
#: what a log row is built from (:meth:`LogstoreIndex._log_row` reads the first seven)
_ROW_COLUMNS = "t, topic, source, tags, tid, vals, esc, seq, shard"
_SQL_TYPES = {"long": "bigint", "double": "double", "text": "varchar", "json": "varchar"}


@dataclass(frozen=True)
class _SqlPlan:
    """An analytic statement ready to run: the DuckDB SQL and what rendering its answer needs."""

    statement: str
    where: str
    translated: Translated
    tz_offset: int
    from_time: int
    to_time: int
    search: str
    sql: str
    #: external stores the statement reads, by the TEMP table name they are loaded as
    externals: tuple[tuple[str, ExternalTable], ...] = ()


def no_index_error() -> SLSError:
    """The answer to any query on a logstore that has no index (for the service layer)."""
    return SLSError("IndexConfigNotExist", "logstore without index config")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class LogstoreIndex:
    """Searchable index of ONE logstore.

    Only data ingested while an index config exists is searchable (SLS rule); the service calls
    :meth:`ingest` on every PutLogs while the logstore has an index.

    :param config: index config JSON (docs/query.md "Indexes").
    :param storage_dir: None keeps everything in memory; otherwise the data survives a restart
        (reopen with the same directory).
    :param timezone: zone of SQL date functions (SLS runs them in UTC+8).
    :param limits: time, memory and size bounds of every query (:class:`.limits.QueryLimits`).
    """

    def __init__(
        self,
        config: dict[str, Any],
        storage_dir: Optional[pathlib.Path] = None,
        *,
        timezone: str = "Asia/Shanghai",
        limits: QueryLimits = DEFAULT_LIMITS,
    ) -> None:
        parse_index_config(config)
        self._zone = zoneinfo.ZoneInfo(timezone)
        self._limits = limits
        self._store = Store(storage_dir, timezone=timezone, limits=limits)
        self._ver = self._store.add_version(config)
        self._spec: IndexSpec = self._store.versions[self._ver]
        self._closed = False

    # -- configuration and ingestion -------------------------------------------------------
    @property
    def config(self) -> dict[str, Any]:
        """The current index config."""
        return self._store.configs[self._ver]

    def update_config(self, config: dict[str, Any]) -> None:
        """UpdateIndex: the new config applies to data ingested from now on.

        Stored logs keep the typed columns of the config they were ingested under (a key added
        now is NULL for them, as on SLS). Tokenisation settings are applied at query time, so a
        changed delimiter list or case rule does affect old logs.
        """
        parse_index_config(config)
        with self._store.lock:
            self._ver = self._store.add_version(config)
            self._spec = self._store.versions[self._ver]

    def ingest(self, records: Sequence[LogRecord]) -> None:
        """Append logs (cheap: staged to a journal, bulk-loaded in batches)."""
        if records:
            self._store.append(records, self._ver)

    def ingest_groups(self, groups: Sequence[StoredGroup]) -> int:
        """Append the logs of stored log groups (read from the wire bytes); returns the log count."""
        return self._store.append_groups(groups, self._ver) if groups else 0

    def indexed_groups(self) -> dict[int, tuple[int, int]]:
        """Per shard: the last group ingested with :meth:`ingest_groups` and how many of its logs are held."""
        return self._store.group_marks()

    def drop_group(self, shard_id: int, gseq: int) -> None:
        """Forget the logs of one ingested group (to ingest it again, whole)."""
        self._store.drop_group(shard_id, gseq)

    def flush(self) -> None:
        """Load staged logs now (queries do this themselves)."""
        self._store.flush()

    def stop_queries(self) -> None:
        """Interrupt running queries and refuse new ones (before :meth:`close`, at shutdown)."""
        self._store.sessions.close()

    def close(self) -> None:
        """Flush and release the database."""
        if not self._closed:
            self._closed = True
            self._store.close()

    # -- shared query plumbing -------------------------------------------------------------
    def _where(
        self,
        search: str,
        from_time: int,
        to_time: int,
        from_ns: int,
        to_ns: int,
        topic: Optional[str],
        *,
        histogram: bool = False,
    ) -> tuple[str, SearchCompiler, bool]:
        node = parse_search(search, self._limits)
        compiler = SearchCompiler(self._store, self._spec, histogram=histogram)
        # VISIBLE first: every query path builds its predicate here, so none sees a deleted row.
        parts = [VISIBLE, range_sql(from_time, to_time, from_ns, to_ns)]
        if topic:
            parts.append(whole_value_sql("topic", topic, False))
        pred = compiler.compile(node)
        if pred != "TRUE":
            parts.append(pred)
        return " AND ".join(parts), compiler, has_phrase(node)

    @staticmethod
    def _count(con: duckdb.DuckDBPyConnection, where: str) -> int:
        row = con.execute(f"SELECT count(*) FROM logs WHERE {where}").fetchone()
        return int(row[0]) if row else 0

    def _tz_offset(self, at: int) -> int:
        moment = datetime.datetime.fromtimestamp(at, self._zone)
        offset = moment.utcoffset()
        return int(offset.total_seconds()) if offset else 0

    # -- GetLogs ---------------------------------------------------------------------------
    def get_logs(
        self,
        query: str,
        from_time: int,
        to_time: int,
        *,
        line: int = 100,
        offset: int = 0,
        reverse: bool = False,
        topic: Optional[str] = None,
        from_ns: int = 0,
        to_ns: int = 0,
        row_ids: bool = False,
        tables: Optional[TableResolver] = None,
    ) -> QueryResult:
        """GetLogs over ``[from, to)``.

        Without SQL: logs ordered by time (``reverse`` = newest first), paged by ``line``
        (clamped to 100) and ``offset``. With SQL: the statement's rows; ``line``/``offset``/
        ``reverse`` are ignored as on SLS. ``row_ids`` adds each log's ``__rowid__`` (the id
        :meth:`delete_rows` and :meth:`update_rows` take), as SLS does for a logstore that
        allows modification. ``tables`` resolves the other table names of a SQL statement
        (external stores of the project, :mod:`.external_tables`).
        """
        started = time.perf_counter()
        check_range(from_time, to_time, from_ns, to_ns)
        check_page(line, offset)
        query, with_pack_meta = strip_with_pack_meta(query or "")
        check_query_size(query, self._limits)
        search, sql = split_query(query)
        # Under the store lock only what reads the store's own state: loading staged logs and
        # writing the SQL. The statement itself runs on a session, so a slow query never holds
        # up the other queries of the logstore, nor its ingestion.
        with self._store.lock:
            self._store.flush()
            if sql is None:
                where, compiler, phrase = self._where(search, from_time, to_time, from_ns, to_ns, topic)
                candidates = (
                    self._where(search, from_time, to_time, from_ns, to_ns, topic, histogram=True)[0] if phrase else ""
                )
            else:
                plan = self._sql_plan(search, sql, from_time, to_time, from_ns, to_ns, topic, tables)
        if sql is not None:
            return self._run_sql(plan, started)
        page = None
        with self._store.sessions.session() as con:
            try:
                total = self._count(con, where)
                order = "DESC" if reverse else "ASC"
                if phrase:  # offsets count candidates of the non-phrase form (phrase.py)
                    page = phrase_page(
                        con, _ROW_COLUMNS, candidates, where,
                        descending=reverse, line=min(line, MAX_LINE), offset=offset,
                    )  # fmt: skip
                    fetched = page.rows
                else:
                    fetched = con.execute(
                        f"SELECT {_ROW_COLUMNS} FROM logs "
                        f"WHERE {where} ORDER BY t {order}, ns {order}, seq {order} "
                        f"LIMIT {min(line, MAX_LINE)} OFFSET {offset}"
                    ).fetchall()
                rows = [self._log_row(r) for r in fetched]
                if row_ids:
                    for r, row in zip(fetched, rows):
                        row["__rowid__"] = str(r[7])
                if with_pack_meta:
                    keys = [(int(r[7]), int(r[8]), row.get("__tag__:__pack_id__", "")) for r, row in zip(fetched, rows)]
                    for row, pack_meta in zip(rows, pack_metas(con, keys)):
                        if pack_meta is not None:
                            row["__pack_meta__"] = pack_meta
            except (duckdb.InterruptException, duckdb.OutOfMemoryException):
                raise  # a bound: the session answers it
            except duckdb.Error as exc:  # a broken generated predicate is a bug, not user error
                log.exception("search query failed: %r", query)
                raise SLSError("InternalServerError", str(exc), 500) from exc
        return QueryResult(
            rows,
            processed_rows=total,
            elapsed=time.perf_counter() - started,
            where_query=search.strip(),
            terms=compiler.terms,
            phrase=None if page is None else page.scan(to_time),
        )

    def matching_records(
        self,
        search: str,
        from_time: int,
        to_time: int,
        *,
        from_ns: int = 0,
        to_ns: int = 0,
        limit: int,
    ) -> list[LogRecord]:
        """The visible logs of ``[from, to)`` a search statement matches, oldest first, as they
        were ingested (at most ``limit``; one more tells the caller there are more).

        What a store view query reads from each member (``service/view_query.py``).
        """
        check_range(from_time, to_time, from_ns, to_ns)
        check_query_size(search, self._limits)
        search, sql = split_query(search)
        if sql is not None:
            raise SLSError("ParameterInvalid", "a store view member's filter is a search statement (no '| SQL')")
        with self._store.lock:
            self._store.flush()
            where, _, _ = self._where(search, from_time, to_time, from_ns, to_ns, None)
        with self._store.sessions.session() as con:
            fetched = con.execute(
                "SELECT t, ns, topic, source, tags, tid, vals, esc, shard FROM logs "
                f"WHERE {where} ORDER BY t, ns, seq LIMIT {int(limit) + 1}"
            ).fetchall()
        return [
            LogRecord(
                time=int(t),
                time_ns=int(ns or 0),
                topic=topic or "",
                source=source or "",
                tags=tuple(codec.decode_tags(tags, bool(esc))),
                contents=tuple(self._contents(tid, vals, esc)),
                shard_id=int(shard or 0),
            )
            for t, ns, topic, source, tags, tid, vals, esc, shard in fetched
        ]

    def get_context_logs(self, pack_id: str, pack_meta: str, back_lines: int, forward_lines: int) -> dict[str, Any]:
        """GetContextLogs: the logs before and after one log of a producer context (context.py)."""
        with self._store.lock:
            self._store.flush()
        with self._store.sessions.session() as con:
            fetched, start = context_rows(con, _ROW_COLUMNS, pack_id, pack_meta, back_lines, forward_lines)
        logs = []
        for i, r in enumerate(fetched):
            row = self._log_row(r)
            row["__index_number__"] = str(i - start)
            row["__pack_meta__"] = context_meta(int(r[9]), int(r[10]), int(r[12]), int(r[13]))
            logs.append(row)
        return {
            "total_lines": len(logs),
            "back_lines": start,
            "forward_lines": len(logs) - start - 1,
            "progress": "Complete",
            "logs": logs,
        }

    def _log_row(self, r: tuple[Any, ...]) -> dict[str, str]:
        t, topic, source, tags, tid, vals, esc = r[:7]
        row: dict[str, str] = {"__time__": str(t), "__source__": source, "__topic__": topic}
        for key, value in codec.decode_tags(tags, bool(esc)):
            row["__tag__:" + key] = value
        row.update(self._contents(tid, vals, esc))
        return row

    def _sql_columns(self) -> dict[str, SqlColumn]:
        cols: dict[str, SqlColumn] = {}

        def add(name: str, expr: str, typ: str) -> None:
            # DuckDB (like Presto) resolves names case-insensitively: first one wins.
            cols.setdefault(name.lower(), SqlColumn(name, expr, typ))

        add("__time__", "t", "bigint")
        # SLS's timestamp view of __time__ (a point in time, shown in the project's zone)
        add("__date__", "to_timestamp(t)", "timestamp")
        add("__source__", "source", "varchar")
        add("__topic__", "topic", "varchar")
        for key in self._spec.keys:
            if key.is_tag:
                if key.doc_value:
                    col = MatColumn("tag", key.name[len("__tag__:") :], "text").name
                    add(key.name, col, "varchar")
                continue
            if key.name in ("__time__", "__source__", "__topic__"):
                continue
            col = MatColumn("key", key.name, key.type).name
            if key.doc_value:
                add(key.name, col, _SQL_TYPES[key.type])
                if key.alias:
                    add(key.alias, col, _SQL_TYPES[key.type])
            for sub in key.json_keys:
                if sub.doc_value:
                    sub_col = MatColumn("json", key.name, sub.type, sub.path).name
                    add(f"{key.name}.{sub.path}", sub_col, _SQL_TYPES[sub.type])
                    if sub.alias:
                        add(sub.alias, sub_col, _SQL_TYPES[sub.type])
        return cols

    def _sql_plan(
        self,
        search: str,
        sql: str,
        from_time: int,
        to_time: int,
        from_ns: int,
        to_ns: int,
        topic: Optional[str],
        tables: Optional[TableResolver] = None,
    ) -> _SqlPlan:
        """The DuckDB statement answering an analytic statement (called under the store lock)."""
        where, _, phrase = self._where(search, from_time, to_time, from_ns, to_ns, topic)
        if phrase:
            raise SLSError("ParameterInvalid", "phrase search can not be used with an analytic statement")
        columns = self._sql_columns()
        offset = self._tz_offset(from_time)
        externals: dict[str, tuple[str, ExternalTable]] = {}

        def table_name(name: str) -> Optional[str]:
            # one TEMP table per distinct store; a generated name, never the store's own
            if name.lower() in externals:
                return externals[name.lower()][0]
            found = tables(name) if tables is not None else None
            if found is None:
                return None
            externals[name.lower()] = (f"__sls_ext_{len(externals)}", found)
            return externals[name.lower()][0]

        translated = translate(sql, columns, tz_offset=offset, limits=self._limits, tables=table_name)
        select = ", ".join(f"{c.expr} AS {_quote_ident(c.name)}" for c in columns.values())

        def shifted(shift: int) -> str:
            # compare/ts_compare: the same search over the range ``shift`` seconds earlier
            moved, _, _ = self._where(search, from_time - shift, to_time - shift, from_ns, to_ns, topic)
            return f"SELECT {select} FROM logs WHERE {moved}"

        full = translated.render(f"SELECT {select} FROM logs WHERE {where}", shifted)
        loaded = tuple(externals.values())
        return _SqlPlan(full, where, translated, offset, from_time, to_time, search, sql, loaded)

    def _run_sql(self, plan: _SqlPlan, started: float) -> QueryResult:
        """Run a planned analytic statement on a session (not under the store lock)."""
        translated = plan.translated
        with self._store.sessions.session() as con:
            try:
                for temp_name, table in plan.externals:
                    load_table(con, temp_name, table)
                cursor = con.execute(plan.statement)
                description = cursor.description or []
                raw_rows = cursor.fetchall()
                total = self._count(con, plan.where)
            except (duckdb.InterruptException, duckdb.OutOfMemoryException):
                raise  # a bound: the session answers it
            except duckdb.Error as exc:
                raise map_duckdb_error(exc) from exc
            finally:
                if plan.externals:
                    # the cursor serves later queries: its TEMP tables go with this one
                    with contextlib.suppress(duckdb.Error):
                        drop_tables(con, [name for name, _ in plan.externals])
            names = [str(d[0]) for d in description]
            types = [presto_type(d[1]) for d in description]
            cells = [[render_value(v) for v in r] for r in raw_rows]
            if translated.time_series is not None:
                cells = pad_series(con, cells, translated.time_series, plan.from_time, plan.to_time, plan.tz_offset)
        if translated.post_limit is not None:
            skip, count = translated.post_limit
            cells = cells[skip:] if count is None else cells[skip : skip + count]
        rows = [dict(zip(names, r)) for r in cells]
        return QueryResult(
            rows,
            processed_rows=total,
            elapsed=time.perf_counter() - started,
            has_sql=True,
            where_query=plan.search.strip(),
            agg_query=plan.sql.strip(),
            keys=names,
            column_types=types,
        )

    # -- GetHistograms / ListTopics --------------------------------------------------------
    def get_histograms(
        self,
        query: str,
        from_time: int,
        to_time: int,
        *,
        topic: Optional[str] = None,
        from_ns: int = 0,
        to_ns: int = 0,
    ) -> list[dict[str, Any]]:
        """Hit counts of a search statement in at most 60 contiguous buckets of ``[from, to)``."""
        check_range(from_time, to_time, from_ns, to_ns)
        search, sql = split_query(query or "")
        if sql is not None:
            raise SLSError("ParameterInvalid", "GetHistograms accepts only a search statement (no '| SQL')")
        layout = histogram_layout(from_time, to_time)
        width = histogram_width(to_time - from_time)
        check_query_size(query or "", self._limits)
        with self._store.lock:
            self._store.flush()
            where, _, _ = self._where(search, from_time, to_time, from_ns, to_ns, topic, histogram=True)
        with self._store.sessions.session() as con:
            counts = dict(
                con.execute(
                    f"SELECT (t - {from_time}) // {width} AS b, count(*) FROM logs WHERE {where} GROUP BY b"
                ).fetchall()
            )
        return [
            {"from": lo, "to": hi, "count": int(counts.get(i, 0)), "progress": "Complete"}
            for i, (lo, hi) in enumerate(layout)
        ]

    def list_topics(self) -> list[str]:
        """Distinct topics of the indexed logs, sorted."""
        with self._store.lock:
            self._store.flush()
        with self._store.sessions.session() as con:
            rows = con.execute(f"SELECT DISTINCT topic FROM logs WHERE {VISIBLE} ORDER BY topic").fetchall()
        return [str(r[0]) for r in rows]

    # -- changing stored data (DeleteLogs, UpdateLogs, soft-delete tasks) -------------------
    def _rows_to_change(
        self,
        columns: str,
        query: str,
        from_time: Optional[int],
        to_time: Optional[int],
        topic: Optional[str],
        row_id: Optional[str],
    ) -> list[tuple[Any, ...]]:
        """The visible rows a change addresses: the row ``row_id`` (it wins over ``query``), or
        those the search statement matches, within ``[from, to)`` when a range is given.

        Called under the store lock, so the rows cannot change before the change is written.
        """
        search, sql = split_query(query or "")
        if sql is not None:
            raise SLSError("ParameterInvalid", "only a search statement selects logs to change (no '| SQL')")
        check_query_size(query or "", self._limits)
        self._store.flush()
        if from_time is None or to_time is None:
            if row_id is None:
                raise SLSError("ParameterInvalid", "from and to are required to select logs by a query")
            where = VISIBLE
        else:
            check_range(from_time, to_time)
            where, _, phrase = self._where(search if row_id is None else "", from_time, to_time, 0, 0, topic)
            if phrase:
                raise SLSError("ParameterInvalid", "a phrase search can not select logs to change")
        if row_id is not None:
            if not row_id.isascii() or not row_id.isdigit():
                return []  # not an id this index hands out: no row
            where += f" AND seq = {int(row_id)}"
        with self._store.sessions.session() as con:
            fetched = con.execute(
                f"SELECT {columns} FROM logs WHERE {where} ORDER BY seq LIMIT {MAX_CHANGED_ROWS + 1}"
            ).fetchall()
        if len(fetched) > MAX_CHANGED_ROWS:
            raise SLSError("ParameterInvalid", f"the change addresses more than {MAX_CHANGED_ROWS} logs; narrow it")
        return fetched

    def delete_rows(
        self,
        query: str,
        from_time: Optional[int],
        to_time: Optional[int],
        *,
        topic: Optional[str] = None,
        row_id: Optional[str] = None,
    ) -> int:
        """Hide the matching logs from every query (they stay in the shard logs); returns how many."""
        with self._store.lock:
            rows = self._rows_to_change("seq", query, from_time, to_time, topic, row_id)
            return self._store.mark_deleted([int(r[0]) for r in rows])

    def update_rows(
        self,
        query: str,
        from_time: Optional[int],
        to_time: Optional[int],
        data: Mapping[str, str],
        *,
        full: bool = False,
        row_id: Optional[str] = None,
    ) -> int:
        """Change the content fields of the matching logs; returns how many changed.

        ``full`` replaces a log's fields by ``data``; otherwise (partial) the fields of ``data``
        are set and the others kept. Time, topic, source and tags never change; the row id stays.
        """
        with self._store.lock:
            rows = self._rows_to_change(_CHANGE_COLUMNS, query, from_time, to_time, None, row_id)
            replacements = []
            for seq, ver, t, ns, topic, source, tags, tid, vals, esc, shard, recv in rows:
                fields = {} if full else dict(self._contents(tid, vals, esc))
                fields.update(data)
                record = LogRecord(
                    int(t), int(ns or 0), topic, source, tuple(codec.decode_tags(tags, bool(esc))),
                    tuple(fields.items()), int(shard or 0), int(recv or 0),
                )  # fmt: skip
                replacements.append((int(seq), int(ver), record))
            self._store.replace_rows(replacements)
            return len(replacements)

    def _contents(self, tid: int, vals: str, esc: bool) -> list[tuple[str, str]]:
        """A stored row's content fields, in the order they were written."""
        keys = self._store.templates[tid]
        if not keys:
            return []
        values = vals.split(codec.RS)
        if esc:
            values = [codec.unescape(v) for v in values]
        return list(zip(keys, values))

    def __repr__(self) -> str:
        return f"LogstoreIndex(rows={self._store.row_count}, dir={sql_str(str(self._store.dir))})"
