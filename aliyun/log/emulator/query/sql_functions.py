"""SLS/Presto functions DuckDB lacks, provided as SQL macros, plus format-string conversion.

Macros need nothing beyond DuckDB itself (Python UDFs would need numpy) and run vectorised.
The IP functions live in :mod:`.ip_functions`, the helpers of ``compare``/``ts_compare`` in
:mod:`.compare`; :func:`install_macros` installs all of them.
"""

from __future__ import annotations

import duckdb

from aliyun.log.emulator.query.compare import COMPARE_MACROS
from aliyun.log.emulator.query.ip_functions import IP_MACROS

_URL = r"^([A-Za-z][A-Za-z0-9+.\-]*)://(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(?::([0-9]+))?([^?#]*)"

MACROS: tuple[str, ...] = (
    f"url_extract_protocol(u) AS nullif(regexp_extract(u, '{_URL}', 1), '')",
    f"url_extract_host(u) AS nullif(regexp_extract(u, '{_URL}', 2), '')",
    f"url_extract_port(u) AS TRY_CAST(nullif(regexp_extract(u, '{_URL}', 3), '') AS BIGINT)",
    "url_extract_path(u) AS CASE WHEN regexp_matches(u, '^[A-Za-z][A-Za-z0-9+.\\-]*://') "
    f"THEN regexp_extract(u, '{_URL}', 4) ELSE regexp_extract(u, '^([^?#]*)', 1) END",
    "url_extract_query(u) AS CASE WHEN strpos(u, '?') > 0 THEN regexp_extract(u, '\\?([^#]*)', 1) END",
    "url_extract_fragment(u) AS CASE WHEN strpos(u, '#') > 0 THEN regexp_extract(u, '#(.*)$', 1) END",
    "url_extract_parameter(u, name) AS CASE WHEN regexp_matches(u, '[?&]' || "
    "regexp_escape(name) || '(=|&|#|$)') THEN regexp_extract(u, '[?&]' || regexp_escape(name) "
    "|| '=?([^&#]*)', 1) END",
    "map_agg(k, v) AS map_from_entries(list({'k': k, 'v': v}))",
    "from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
    # time_series label: start of the window holding x (aligned in the SLS zone), formatted.
    "__sls_time_series(x, w, off, fmt) AS strftime(to_timestamp(x - ((x + off) % w)), fmt)",
)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the SLS function macros on a connection (TEMP: never stored in the database file)."""
    for body in (*MACROS, *IP_MACROS, *COMPARE_MACROS):
        con.execute(f"CREATE OR REPLACE TEMP MACRO {body}")


# MySQL/Presto date_format specifiers -> strftime.
_MYSQL_TO_STRFTIME = {
    "a": "%a", "b": "%b", "c": "%-m", "d": "%d", "e": "%-d", "f": "%f", "H": "%H",
    "h": "%I", "I": "%I", "i": "%M", "j": "%j", "k": "%-H", "l": "%-I", "M": "%B",
    "m": "%m", "p": "%p", "r": "%I:%M:%S %p", "S": "%S", "s": "%S", "T": "%H:%M:%S",
    "W": "%A", "w": "%w", "Y": "%Y", "y": "%y", "%": "%%", "D": "%-d", "v": "%V", "x": "%G",
}  # fmt: skip


def mysql_to_strftime(fmt: str) -> str:
    """Convert a Presto ``date_format`` pattern into a DuckDB ``strftime`` pattern."""
    out = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            spec = fmt[i + 1]
            out.append(_MYSQL_TO_STRFTIME.get(spec, spec))
            i += 2
            continue
        out.append("%%" if ch == "%" else ch)
        i += 1
    return "".join(out)
