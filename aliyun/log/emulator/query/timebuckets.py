"""Time bucketing: GetHistograms layout (docs/query.md "Histograms and topics") and
``time_series`` gap filling (docs/architecture-query.md "SQL translation")."""

from __future__ import annotations

import math
from typing import Optional

import duckdb

from aliyun.log.emulator.query.render import NULL, java_double
from aliyun.log.emulator.query.sql_translate import TimeSeries
from aliyun.log.emulator.query.textmatch import sql_str

MAX_BUCKETS = 60
_WIDTHS = (
    1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600,
    43200, 86400,
)  # fmt: skip
#: Gap filling is skipped beyond this many windows (a 1 s series over a month would not fit).
MAX_SERIES_POINTS = 100_000


def histogram_width(span: int) -> int:
    """Smallest bucket width giving at most 60 buckets for ``span`` seconds (emulator rule)."""
    for width in _WIDTHS:
        if math.ceil(span / width) <= MAX_BUCKETS:
            return width
    days = math.ceil(span / (86400 * MAX_BUCKETS))
    while math.ceil(span / (86400 * days)) > MAX_BUCKETS:
        days += 1
    return 86400 * days


def histogram_layout(from_time: int, to_time: int) -> list[tuple[int, int]]:
    """Contiguous ``[from, to)`` buckets cut at multiples of the width counted from ``from``."""
    width = histogram_width(to_time - from_time)
    out = []
    start = from_time
    while start < to_time:
        out.append((start, min(start + width, to_time)))
        start += width
    return out


def _numeric(cell: str) -> Optional[float]:
    try:
        return float(cell)
    except ValueError:
        return None


def pad_series(
    con: duckdb.DuckDBPyConnection,
    rows: list[list[str]],
    spec: TimeSeries,
    from_time: int,
    to_time: int,
    tz_offset: int,
) -> list[list[str]]:
    """Insert rows for empty windows of ``[from, to)`` and order rows by window.

    Padding values: ``0``/``null`` literally, ``last``/``next`` copy the neighbour's cells,
    ``avg`` averages numeric neighbours (``null`` when one is missing).
    """
    start = from_time - ((from_time + tz_offset) % spec.window)
    if (to_time - start) // spec.window > MAX_SERIES_POINTS:
        return rows
    labels = [
        str(r[0])
        for r in con.execute(
            f"SELECT __sls_time_series(x, {spec.window}, {tz_offset}, {sql_str(spec.fmt)}) "
            f"FROM range({start}, {to_time}, {spec.window}) t(x) ORDER BY x"
        ).fetchall()
    ]
    by_label: dict[str, list[list[str]]] = {}
    for row in rows:
        by_label.setdefault(row[spec.index], []).append(row)
    width = len(rows[0]) if rows else 0
    slots: list[Optional[list[list[str]]]] = []
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            continue
        seen.add(label)
        slots.append(by_label.get(label))
    out: list[list[str]] = []
    pad = spec.padding
    for i, slot in enumerate(slots):
        if slot is not None:
            out.extend(slot)
            continue
        label = labels[i] if i < len(labels) else ""
        if not width:
            continue
        prev = out[-1] if out else None
        nxt = next((s[0] for s in slots[i + 1 :] if s is not None), None)
        row = []
        for col in range(width):
            if col == spec.index:
                row.append(label)
            elif pad == "last":
                row.append(prev[col] if prev else NULL)
            elif pad == "next":
                row.append(nxt[col] if nxt else NULL)
            elif pad == "avg":
                a = _numeric(prev[col]) if prev else None
                b = _numeric(nxt[col]) if nxt else None
                row.append(java_double((a + b) / 2) if a is not None and b is not None else NULL)
            elif pad == "null":
                row.append(NULL)
            else:
                row.append(pad)
        out.append(row)
    # rows whose label is outside the generated windows keep their order at the end
    out.extend(r for r in rows if r[spec.index] not in seen)
    return out
