"""Map DuckDB errors raised by a translated analytic statement onto SLS error messages."""

from __future__ import annotations

import re

import duckdb

from aliyun.log.emulator.errors import SLSError

_COLUMN = re.compile(r'Referenced column "?([^"!]+?)"? not found')
_TABLE_COLUMN = re.compile(r'does not have a column named "([^"]+)"')
_FUNCTION = re.compile(r'Function with name "?([\w.$]+)"? does not exist')
_CAST = re.compile(r"Could not convert string '(.*?)' to ([A-Z0-9]+)")
_PREFIX = re.compile(r"^[A-Za-z ]+ Error: ")
_DUCK_TO_PRESTO = {"INT64": "BIGINT", "INT32": "INTEGER", "DOUBLE": "DOUBLE", "BOOL": "BOOLEAN"}


def column_error(name: str) -> SLSError:
    """Reference to a key that is not an analytic (``doc_value``) column."""
    return SLSError(
        "ParameterInvalid",
        f"Column '{name}' no longer exists or type mismatch;please add the column in the index attribute",
    )


def map_duckdb_error(exc: duckdb.Error) -> SLSError:
    """Translate a DuckDB exception into the closest SLS ParameterInvalid answer."""
    text = str(exc)
    match = _COLUMN.search(text) or _TABLE_COLUMN.search(text)
    if match:
        return column_error(match.group(1))
    match = _FUNCTION.search(text)
    if match:
        return SLSError("ParameterInvalid", f"Function {match.group(1)} not registered")
    match = _CAST.search(text)
    if match:
        target = _DUCK_TO_PRESTO.get(match.group(2), match.group(2))
        return SLSError("ParameterInvalid", f"Can not cast '{match.group(1)}' to {target}")
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return SLSError("ParameterInvalid", _PREFIX.sub("", first))
