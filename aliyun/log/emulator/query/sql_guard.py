"""What an analytic statement may name: the logstore as its table, and SLS's functions.

The first of the two layers that keep a query inside the emulator's data (the second is the
locked-down database of :mod:`.sandbox`; docs/query.md, "What a query can reach"). It runs on the
parsed statement, before any rewrite:

* every table is a plain name: the logstore (``log`` or any other name, as SLS accepts) or a
  ``WITH`` query. A table function (``read_text(...)``, ``glob(...)``, ``duckdb_settings()``) is
  refused, whatever its name;
* a function sqlglot does not know as a standard one reaches DuckDB under the name the user
  wrote, so it must be in :data:`SLS_FUNCTIONS`, the functions SLS documents. Anything else
  answers ``Function X not registered``, as SLS does;
* the standard functions that read files, tables or facts about the session or the host are
  refused too (:data:`_REFUSED`).
"""

from __future__ import annotations

import re

from sqlglot import exp

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.compare import COMPARE_MACROS
from aliyun.log.emulator.query.compare import FUNCTIONS as COMPARE_FUNCTIONS
from aliyun.log.emulator.query.ip_functions import IP_MACROS
from aliyun.log.emulator.query.sql_functions import MACROS

__all__ = ["SLS_FUNCTIONS", "check_statement"]

_CATALOGUE = """
    arbitrary avg bitwise_and_agg bitwise_or_agg bool_and bool_or checksum count count_if every
    geometric_mean max max_by min min_by sum array_agg map_agg multimap_agg histogram histogram_u
    numeric_histogram approx_distinct approx_percentile approx_set corr covar_pop covar_samp
    regr_intercept regr_slope kurtosis skewness stddev stddev_pop stddev_samp variance var_pop
    var_samp string_agg listagg
    chr codepoint concat concat_ws from_utf8 to_utf8 length levenshtein_distance hamming_distance
    lower upper lpad rpad ltrim rtrim trim normalize position replace reverse split split_part
    split_to_map strpos substr substring starts_with ends_with format word_stem translate
    current_date current_time current_timestamp current_timezone localtime localtimestamp now
    from_iso8601_date from_iso8601_timestamp from_unixtime to_unixtime to_iso8601 date_trunc
    date_add date_diff extract year quarter month week week_of_year day day_of_month day_of_week
    dow day_of_year doy year_of_week yow hour minute second millisecond timezone_hour
    timezone_minute date_format date_parse format_datetime parse_datetime last_day_of_month
    at_timezone with_timezone to_date to_timestamp date time_series human_readable_seconds
    abs cbrt ceil ceiling degrees e exp floor ln log log2 log10 mod pi pow power radians rand
    random round sign sqrt truncate width_bucket acos asin atan atan2 cos cosh sin sinh tan tanh
    infinity is_finite is_infinite is_nan nan from_base to_base bit_count bitwise_and
    bitwise_not bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift cosine_similarity
    inverse_normal_cdf normal_cdf beta_cdf inverse_beta_cdf
    coalesce if nullif try greatest least
    cast try_cast typeof
    json_array_contains json_array_get json_array_length json_extract json_extract_scalar
    json_format json_parse json_size is_json_scalar json_extract_bool json_extract_long
    json_extract_double json_object json_array
    regexp_extract regexp_extract_all regexp_like regexp_replace regexp_split
    url_encode url_decode url_extract_fragment url_extract_host url_extract_parameter
    url_extract_path url_extract_port url_extract_protocol url_extract_query
    array array_distinct array_except array_intersect array_join array_max array_min
    array_position array_remove array_sort array_union arrays_overlap cardinality contains
    element_at filter flatten reduce repeat sequence shuffle slice transform zip zip_with
    all_match any_match none_match array_sum array_average
    map map_concat map_filter map_keys map_values map_from_entries map_entries transform_keys
    transform_values
    row_number rank dense_rank percent_rank cume_dist ntile first_value last_value nth_value lag
    lead
    to_hex from_hex md5 sha1 sha256 sha512 xxhash64 crc32 to_base64 from_base64 to_base64url
    from_base64url hmac_md5 hmac_sha1 hmac_sha256 hmac_sha512 to_big_endian_64
    from_big_endian_64 uuid
    compare ts_compare
    mobile_carrier mobile_city mobile_province geohash
"""


def _macro_names(bodies: tuple[str, ...]) -> set[str]:
    names = {re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", body) for body in bodies}
    return {m.group(1).lower() for m in names if m is not None and not m.group(1).startswith("__")}


#: Every function name an analytic statement may call (SLS's catalogue, as the emulator knows it).
SLS_FUNCTIONS: frozenset[str] = frozenset(
    set(_CATALOGUE.split()) | _macro_names(MACROS) | _macro_names(IP_MACROS) | _macro_names(COMPARE_MACROS)
    | set(COMPARE_FUNCTIONS)
)  # fmt: skip

#: Standard functions sqlglot knows that must not reach DuckDB from a user's statement.
_REFUSED: tuple[type[exp.Expr], ...] = tuple(
    getattr(exp, name)
    for name in (
        "ReadCSV", "ReadParquet", "ToFile", "Secret", "GenerateTable", "JSONTable", "XMLTable",
        "SplitToTable", "StrtokSplitToTable", "CurrentCatalog", "CurrentDatabase", "CurrentSchema",
        "CurrentSchemas", "CurrentUser", "CurrentUserId", "SessionUser", "CurrentVersion",
        "CurrentSession", "CurrentStatement", "CurrentTransaction", "CurrentAccount",
        "CurrentAccountName", "CurrentRole", "CurrentRoleType", "CurrentAvailableRoles",
        "CurrentSecondaryRoles", "CurrentClient", "CurrentIpAddress", "CurrentOrganizationName",
        "CurrentOrganizationUser", "CurrentRegion", "CurrentWarehouse",
    )
    if hasattr(exp, name)
)  # fmt: skip


def _not_registered(name: str) -> SLSError:
    return SLSError("ParameterInvalid", f"Function {name} not registered")


def check_statement(tree: exp.Expr) -> None:
    """Refuse a parsed statement that names a table function or a function SLS does not have.

    :raises SLSError: ``ParameterInvalid``.
    """
    for node in tree.walk():
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                inner = node.this
                name = str(inner.this) if isinstance(inner, exp.Anonymous) else type(inner).__name__
                raise SLSError(
                    "ParameterInvalid",
                    f"table function {name} is not supported: an analytic statement reads its logstore (FROM log)",
                )
        elif isinstance(node, exp.Anonymous):
            name = str(node.this)
            if name.lower() not in SLS_FUNCTIONS:
                raise _not_registered(name)
        elif isinstance(node, _REFUSED):
            assert isinstance(node, exp.Func)
            raise _not_registered(node.sql_name().lower())
