"""Render DuckDB result values as the strings SLS puts in GetLogs rows
(docs/architecture-query.md "SQL translation", cells)."""

from __future__ import annotations

import datetime
import decimal
import json
import math
import uuid
from typing import Any

NULL = "null"


def java_double(value: float) -> str:
    """Format like Java's ``Double.toString`` (``60.0``, ``0.5``, ``1.0E7``, ``1.0E-4``)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    mag = abs(value)
    digits_exp = decimal.Decimal(repr(mag)).as_tuple()
    digits = "".join(map(str, digits_exp.digits)).rstrip("0") or "0"
    assert isinstance(digits_exp.exponent, int)
    # position of the decimal point relative to the first digit
    point = len(digits_exp.digits) + digits_exp.exponent
    if 1e-3 <= mag < 1e7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{sign}{digits}{'0' * (point - len(digits))}.0"
        return f"{sign}{digits[:point]}.{digits[point:]}"
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{sign}{mantissa}E{point - 1}"


def _json_value(value: Any) -> Any:
    """Value as it appears inside a rendered map/array/struct."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else java_double(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(_scalar(k)): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return _interval(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def _interval(value: datetime.timedelta) -> str:
    # Presto day-to-second interval text: "1 02:03:04.000"
    total_ms = int(value.total_seconds() * 1000)
    sign = "-" if total_ms < 0 else ""
    total_ms = abs(total_ms)
    days, rem = divmod(total_ms, 86_400_000)
    hours, rem = divmod(rem, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    seconds, ms = divmod(rem, 1000)
    return f"{sign}{days} {hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def render_value(value: Any) -> str:
    """One SQL result cell as an SLS string (NULL -> ``"null"``)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, decimal.Decimal):
        return java_double(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(_json_value(value), ensure_ascii=False, separators=(",", ":"))
    return _scalar(value)


_TYPE_NAMES = {
    "BIGINT": "bigint", "HUGEINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint",
    "TINYINT": "tinyint", "UBIGINT": "bigint", "UINTEGER": "bigint", "USMALLINT": "integer",
    "UTINYINT": "integer", "UHUGEINT": "bigint", "DOUBLE": "double", "FLOAT": "real",
    "VARCHAR": "varchar", "BOOLEAN": "boolean", "DATE": "date", "TIME": "time",
    "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamp", "INTERVAL": "interval",
    "JSON": "json", "UUID": "uuid", "BLOB": "varbinary", "NULL": "unknown",
    '"NULL"': "unknown",
}  # fmt: skip


def presto_type(duck_type: Any) -> str:
    """Presto spelling of a DuckDB result type, for ``meta.columnTypes``."""
    text = str(duck_type)
    if text in _TYPE_NAMES:
        return _TYPE_NAMES[text]
    if text.startswith("DECIMAL"):
        return "double"
    if text.startswith("MAP("):
        inner = text[4:-1]
        key, _, val = inner.partition(", ")
        return f"map({presto_type(key)},{presto_type(val)})"
    if text.endswith("[]"):
        return f"array({presto_type(text[:-2])})"
    if text.startswith("STRUCT"):
        return "row"
    return text.lower()
