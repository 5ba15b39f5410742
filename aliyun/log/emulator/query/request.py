"""Request-level checks shared by GetLogs and GetHistograms: query splitting, time range."""

from __future__ import annotations

from typing import Optional

from aliyun.log.emulator.errors import SLSError

_SQL_STARTS = ("select", "with", "set ", "(")


def split_query(query: str) -> tuple[str, Optional[str]]:
    """Split ``search | sql`` at the first ``|`` outside double quotes.

    :returns: ``(search, sql)``; ``sql`` is None when there is no ``|``.
    :raises SLSError: ``ParameterInvalid`` for SPL/scan syntax after the ``|`` (not emulated) or
        an empty analytic part.
    """
    in_quote = False
    i = 0
    while i < len(query):
        ch = query[i]
        if in_quote:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_quote = False
        elif ch == '"':
            in_quote = True
        elif ch == "|":
            search, sql = query[:i], query[i + 1 :]
            head = sql.strip().lower()
            if not head:
                raise SLSError("ParameterInvalid", "the analytic statement after '|' is empty")
            if not head.startswith(_SQL_STARTS):
                raise SLSError(
                    "ParameterInvalid",
                    "only '<search> | <SQL>' is supported; SPL/scan statements after '|' "
                    "are not available in the emulator",
                )
            return search, sql
        i += 1
    return query, None


def check_range(from_time: int, to_time: int, from_ns: int = 0, to_ns: int = 0) -> None:
    """Validate ``[from, to)``: the one time-range rule of GetLogs and GetHistograms.

    :raises SLSError: ``InvalidTimeRange`` for a negative bound or ``from`` after ``to``;
        ``ParameterInvalid`` for ``from == to`` (an empty range: what SLS answers for it).
    """
    if from_time < 0 or to_time < 0 or from_ns < 0 or to_ns < 0:
        raise SLSError("InvalidTimeRange", "from and to must be non-negative unix times")
    if (from_time, from_ns) > (to_time, to_ns):
        raise SLSError("InvalidTimeRange", f"from ({from_time}) is after to ({to_time})")
    if (from_time, from_ns) == (to_time, to_ns):
        raise SLSError("ParameterInvalid", f"invalid time range: from ({from_time}) must be less than to ({to_time})")


def check_page(line: int, offset: int) -> None:
    """Validate the paging of a GetLogs search (``line`` above 100 is clamped by the caller).

    :raises SLSError: ``InvalidLine`` / ``InvalidOffset`` for negative values.
    """
    if line < 0:
        raise SLSError("InvalidLine", f"line must be in [0, 100], got {line}")
    if offset < 0:
        raise SLSError("InvalidOffset", f"offset must not be negative, got {offset}")


def range_sql(from_time: int, to_time: int, from_ns: int = 0, to_ns: int = 0) -> str:
    """SQL for ``[(from, from_ns), (to, to_ns))`` on the stored ``t``/``ns`` columns."""
    # The plain bounds on t come first so DuckDB can prune row groups with zone maps.
    parts = [f"t >= {int(from_time)}", f"t <= {int(to_time)}"]
    if from_ns:
        parts.append(f"(t > {int(from_time)} OR ns >= {int(from_ns)})")
    if to_ns:
        parts.append(f"(t < {int(to_time)} OR ns < {int(to_ns)})")
    else:
        parts.append(f"t < {int(to_time)}")
    return " AND ".join(parts)
