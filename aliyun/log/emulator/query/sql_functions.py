"""SLS/Presto functions DuckDB lacks, provided as SQL macros, plus format-string conversion.

Macros need nothing beyond DuckDB itself (Python UDFs would need numpy) and run vectorised.
Geo-IP functions other than ``ip_to_domain`` need an IP database the emulator does not ship;
they exist (so queries using them run) but return NULL.
"""

from __future__ import annotations

import duckdb

_PRIVATE_IP = (
    r"^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|"
    r"100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.|::1$|[fF][cdCD][0-9a-fA-F]{2}:)"
)
_URL = r"^([A-Za-z][A-Za-z0-9+.\-]*)://(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(?::([0-9]+))?([^?#]*)"

MACROS: tuple[str, ...] = (
    f"ip_to_domain(ip) AS CASE WHEN ip IS NULL THEN NULL "
    f"WHEN regexp_matches(ip, '{_PRIVATE_IP}') THEN 'intranet' ELSE 'internet' END",
    "ip_to_country(ip) AS CAST(NULL AS VARCHAR)",
    "ip_to_province(ip) AS CAST(NULL AS VARCHAR)",
    "ip_to_city(ip) AS CAST(NULL AS VARCHAR)",
    "ip_to_provider(ip) AS CAST(NULL AS VARCHAR)",
    "ip_to_geo(ip) AS CAST(NULL AS VARCHAR)",
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
    for body in MACROS:
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
