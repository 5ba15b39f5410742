"""External stores as SQL tables (docs/query.md "Joining external stores").

A CSV external store carries its file in its definition (``parameter.externalStoreCsv``: the
bytes deflated with zlib, then base64-encoded; ``parameter.columns``: ``[{name, type}]``). A
statement that names such a store in FROM/JOIN reads its rows: this module decodes and parses
the file in Python (bounded in size and rows) into typed values, and the engine loads them into
a TEMP table of the query's own cursor with bound parameters. DuckDB itself never reads a file
or a URL. RDS, PostgreSQL and OSS stores live outside the machine: naming one is a clear error.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional

import duckdb

from aliyun.log.emulator.errors import SLSError

__all__ = ["ExternalTable", "TableResolver", "csv_table", "load_table", "table_of_document"]

#: the largest CSV file SLS accepts (the SDK checks it too); the emulator decodes at most this
MAX_CSV_BYTES = 50 * 1000 * 1000
#: rows one external table may hold in the emulator (loading is row by row)
MAX_CSV_ROWS = 200_000
#: declared column types and the DuckDB type each is loaded as
_TYPES = {
    "varchar": "VARCHAR", "string": "VARCHAR", "text": "VARCHAR", "char": "VARCHAR",
    "bigint": "BIGINT", "int": "BIGINT", "integer": "BIGINT", "long": "BIGINT", "smallint": "BIGINT",
    "tinyint": "BIGINT", "double": "DOUBLE", "float": "DOUBLE", "real": "DOUBLE", "decimal": "DOUBLE",
    "boolean": "BOOLEAN", "bool": "BOOLEAN",
}  # fmt: skip
_TRUE = frozenset(("true", "1", "yes", "t"))
_FALSE = frozenset(("false", "0", "no", "f"))


def _invalid(message: str) -> SLSError:
    return SLSError("ParameterInvalid", message)


@dataclass(frozen=True)
class ExternalTable:
    """The rows of one external store: column names with their DuckDB types, and typed rows."""

    store: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[Any, ...], ...]


#: what the engine asks the service for a table name: the store's rows, ``None`` when the name
#: is no external store of the project (it then means the logstore, as before), or an SLSError
TableResolver = Callable[[str], Optional[ExternalTable]]


def _columns(store: str, declared: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(declared, list) or not declared:
        raise _invalid(f"external store {store} declares no columns")
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for column in declared:
        name = column.get("name") if isinstance(column, dict) else None
        kind = str(column.get("type", "")).strip().lower().split("(")[0] if isinstance(column, dict) else ""
        if not isinstance(name, str) or not name:
            raise _invalid(f"external store {store}: a column needs a name")
        if kind not in _TYPES:
            raise _invalid(
                f"external store {store}: column {name} has unsupported type {kind!r}; use one of {sorted(_TYPES)}"
            )
        if name.lower() in seen:
            raise _invalid(f"external store {store}: column {name} is declared twice")
        seen.add(name.lower())
        out.append((name, _TYPES[kind]))
    return tuple(out)


def _decode(store: str, encoded: Any) -> str:
    """The CSV text of ``parameter.externalStoreCsv``, never more than :data:`MAX_CSV_BYTES`."""
    if not isinstance(encoded, str) or not encoded:
        raise _invalid(f"csv external store {store} carries no CSV content")
    if "://" in encoded:
        # the emulator has no network and never reads a file for a query
        raise _invalid(
            f"csv external store {store}: its data is a URL the emulator cannot fetch; upload the CSV content"
        )
    try:
        deflated = base64.b64decode(encoded, validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(deflated, MAX_CSV_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise _invalid(f"csv external store {store}: externalStoreCsv is not deflated, base64-encoded CSV") from exc
    if len(data) > MAX_CSV_BYTES or inflater.unconsumed_tail:
        raise _invalid(f"csv external store {store}: the CSV is larger than {MAX_CSV_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid(f"csv external store {store}: the CSV is not UTF-8") from exc


def _value(store: str, column: str, kind: str, text: str, line: int) -> Any:
    if kind == "VARCHAR":
        return text
    cell = text.strip()
    if cell == "":
        return None
    try:
        if kind == "BIGINT":
            return int(cell)
        if kind == "DOUBLE":
            return float(cell)
    except ValueError as exc:
        raise _invalid(f"csv external store {store}, line {line}: {cell!r} is not a {kind.lower()} ({column})") from exc
    if cell.lower() in _TRUE:
        return True
    if cell.lower() in _FALSE:
        return False
    raise _invalid(f"csv external store {store}, line {line}: {cell!r} is not a boolean ({column})")


def csv_table(store: str, parameter: Mapping[str, Any]) -> ExternalTable:
    """The typed rows of a CSV external store's ``parameter``.

    A first line whose cells are the declared column names (in any case) is a header and skipped;
    every other line is a row with one cell per declared column.

    :raises SLSError: ``ParameterInvalid`` for content that is not deflated base64 CSV, too large,
        or whose cells do not fit the declared columns.
    """
    columns = _columns(store, parameter.get("columns"))
    reader = csv.reader(io.StringIO(_decode(store, parameter.get("externalStoreCsv")), newline=""))
    names = [name.lower() for name, _ in columns]
    rows: list[tuple[Any, ...]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not cells:
                continue
            if line == 1 and [c.strip().lower() for c in cells] == names:
                continue
            if len(cells) != len(columns):
                raise _invalid(
                    f"csv external store {store}, line {line}: {len(cells)} cells for {len(columns)} columns"
                )
            if len(rows) >= MAX_CSV_ROWS:
                raise _invalid(f"csv external store {store}: more than {MAX_CSV_ROWS} rows")
            rows.append(tuple(_value(store, n, k, c, line) for (n, k), c in zip(columns, cells)))
    except csv.Error as exc:
        raise _invalid(f"csv external store {store}: {exc}") from exc
    return ExternalTable(store, columns, tuple(rows))


def table_of_document(doc: Mapping[str, Any]) -> ExternalTable:
    """The rows of a stored external store document (kind ``externalstore``).

    :raises SLSError: ``ParameterInvalid`` naming the type for a store whose data is outside
        the machine (RDS, PostgreSQL, OSS), or what :func:`csv_table` raises.
    """
    store = str(doc.get("externalStoreName", ""))
    store_type = str(doc.get("storeType", ""))
    parameter = doc.get("parameter")
    if store_type != "csv":
        raise _invalid(
            f"external store {store} is of type {store_type}: the emulator stores it but cannot query it "
            "(only csv external stores can be read in SQL)"
        )
    if not isinstance(parameter, Mapping):
        raise _invalid(f"external store {store} has no parameter")
    return csv_table(store, parameter)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_table(con: duckdb.DuckDBPyConnection, temp_name: str, table: ExternalTable) -> None:
    """Create ``temp_name`` as a TEMP table of ``con`` holding ``table``'s rows.

    Names are quoted identifiers and values bound parameters, so nothing of the CSV becomes SQL.
    """
    columns = ", ".join(f"{_quote(name)} {kind}" for name, kind in table.columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_quote(temp_name)} ({columns})")
    if table.rows:
        marks = ", ".join("?" for _ in table.columns)
        con.executemany(f"INSERT INTO {_quote(temp_name)} VALUES ({marks})", list(table.rows))


def drop_tables(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> None:
    """Drop the TEMP tables of one query (the cursor is reused by later queries)."""
    for name in names:
        con.execute(f"DROP TABLE IF EXISTS temp.{_quote(name)}")
