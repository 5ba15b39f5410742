"""SLS IP functions as DuckDB SQL macros (docs/query.md "Period-over-period and IP functions").

Address classification (``ip_to_domain``, ``ipv6_to_domain``) and the IPv4 subnet functions
(``ip_prefix``, ``is_subnet_of``, ``is_prefix_subnet_of``, ``ip_subnet_min/max/range``) are
computed exactly. Geolocation (country, province, city, provider, coordinates) needs an IP
database the emulator does not ship and must not download: every such function exists, so
statements using them run, and answers NULL for every address. That is the documented
non-faithful part; filter with ``ip_to_domain`` when intranet traffic matters.

IPv4 addresses are handled as BIGINT (``a*2^24 + b*2^16 + c*2^8 + d``); a network is the address
rounded down to a multiple of its size (``2^(32 - bits)``), which avoids bitwise operators.
"""

from __future__ import annotations

#: Private, loopback, link-local and carrier-grade NAT ranges (IPv4), loopback/ULA/link-local (IPv6).
_PRIVATE_IP4 = (
    r"^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|"
    r"100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)"
)
_PRIVATE_IP6 = r"^(::1$|[fF][cdCD][0-9a-fA-F]{0,2}:|[fF][eE][89abAB][0-9a-fA-F]?:)"
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IP4 = rf"({_OCTET}\.){{3}}{_OCTET}"

#: Geolocation functions: (name, accepts the optional ``'en'`` language argument).
GEO_FUNCTIONS: tuple[tuple[str, bool], ...] = (
    ("ip_to_country", True),
    ("ip_to_country_code", False),
    ("ip_to_country_geo", False),
    ("ip_to_province", True),
    ("ip_to_province_code", False),
    ("ip_to_province_geo", False),
    ("ip_to_city", True),
    ("ip_to_city_code", False),
    ("ip_to_city_geo", False),
    ("ip_to_provider", False),
    ("ip_to_geo", False),
    ("ipv6_to_country", True),
    ("ipv6_to_country_code", False),
    ("ipv6_to_province", True),
    ("ipv6_to_province_code", False),
    ("ipv6_to_city", True),
    ("ipv6_to_city_code", False),
    ("ipv6_to_city_geo", False),
    ("ipv6_to_provider", False),
    ("ipv6_to_geo", False),
)


def _geo_macro(name: str, with_lang: bool) -> str:
    # The argument is referenced so the macro binds like a function of it (type errors surface).
    body = "CASE WHEN CAST(ip AS VARCHAR) IS NULL THEN NULL ELSE CAST(NULL AS VARCHAR) END"
    overloads = f"{name}(ip) AS {body}"
    if with_lang:
        overloads += f", (ip, lang) AS {body}"
    return overloads


IP_MACROS: tuple[str, ...] = (
    # -- helpers ---------------------------------------------------------------------------
    f"__sls_ip4(ip) AS CASE WHEN regexp_full_match(trim(CAST(ip AS VARCHAR)), '{_IP4}') THEN "
    "TRY_CAST(split_part(trim(ip), '.', 1) AS BIGINT) * 16777216 "
    "+ TRY_CAST(split_part(trim(ip), '.', 2) AS BIGINT) * 65536 "
    "+ TRY_CAST(split_part(trim(ip), '.', 3) AS BIGINT) * 256 "
    "+ TRY_CAST(split_part(trim(ip), '.', 4) AS BIGINT) END",
    "__sls_ip4_text(n) AS CAST(n // 16777216 AS VARCHAR) || '.' || CAST((n // 65536) % 256 AS VARCHAR) "
    "|| '.' || CAST((n // 256) % 256 AS VARCHAR) || '.' || CAST(n % 256 AS VARCHAR)",
    # prefix length of 'a.b.c.d/bits' (a bare address is a /32); NULL when out of range
    "__sls_cidr_bits(c) AS CASE WHEN strpos(CAST(c AS VARCHAR), '/') = 0 THEN 32 "
    "WHEN TRY_CAST(split_part(c, '/', 2) AS INTEGER) BETWEEN 0 AND 32 "
    "THEN TRY_CAST(split_part(c, '/', 2) AS INTEGER) END",
    "__sls_cidr_ip(c) AS __sls_ip4(split_part(CAST(c AS VARCHAR), '/', 1))",
    "__sls_net(n, bits) AS n - n % (CAST(1 AS BIGINT) << (32 - bits))",
    "__sls_net_size(bits) AS CAST(1 AS BIGINT) << (32 - bits)",
    # -- classification --------------------------------------------------------------------
    f"ip_to_domain(ip) AS CASE WHEN ip IS NULL THEN NULL "
    f"WHEN regexp_matches(ip, '{_PRIVATE_IP4}') OR regexp_matches(ip, '{_PRIVATE_IP6}') "
    "THEN 'intranet' ELSE 'internet' END",
    f"ipv6_to_domain(ip) AS CASE WHEN ip IS NULL THEN NULL WHEN regexp_matches(ip, '{_PRIVATE_IP6}') "
    "THEN 'intranet' ELSE 'internet' END",
    # -- IPv4 subnets ----------------------------------------------------------------------
    "ip_prefix(ip, bits) AS CASE WHEN __sls_ip4(ip) IS NOT NULL AND bits BETWEEN 0 AND 32 "
    "THEN __sls_ip4_text(__sls_net(__sls_ip4(ip), bits)) || '/' || CAST(bits AS VARCHAR) END",
    "ip_subnet_min(c) AS CASE WHEN __sls_cidr_ip(c) IS NOT NULL AND __sls_cidr_bits(c) IS NOT NULL "
    "THEN __sls_ip4_text(__sls_net(__sls_cidr_ip(c), __sls_cidr_bits(c))) END",
    "ip_subnet_max(c) AS CASE WHEN __sls_cidr_ip(c) IS NOT NULL AND __sls_cidr_bits(c) IS NOT NULL "
    "THEN __sls_ip4_text(__sls_net(__sls_cidr_ip(c), __sls_cidr_bits(c)) + __sls_net_size(__sls_cidr_bits(c)) - 1) "
    "END",
    "ip_subnet_range(c) AS CASE WHEN ip_subnet_min(c) IS NOT NULL THEN [ip_subnet_min(c), ip_subnet_max(c)] END",
    # is_subnet_of(cidr, ip): the address lies in the block
    "is_subnet_of(c, ip) AS CASE WHEN __sls_cidr_ip(c) IS NULL OR __sls_cidr_bits(c) IS NULL "
    "OR __sls_ip4(ip) IS NULL THEN NULL ELSE __sls_net(__sls_ip4(ip), __sls_cidr_bits(c)) "
    "= __sls_net(__sls_cidr_ip(c), __sls_cidr_bits(c)) END",
    # is_prefix_subnet_of(outer, inner): the block ``inner`` lies inside the block ``outer``
    "is_prefix_subnet_of(o, i) AS CASE WHEN __sls_cidr_ip(o) IS NULL OR __sls_cidr_bits(o) IS NULL "
    "OR __sls_cidr_ip(i) IS NULL OR __sls_cidr_bits(i) IS NULL THEN NULL "
    "ELSE __sls_cidr_bits(i) >= __sls_cidr_bits(o) AND __sls_net(__sls_cidr_ip(i), __sls_cidr_bits(o)) "
    "= __sls_net(__sls_cidr_ip(o), __sls_cidr_bits(o)) END",
    # -- geolocation: no database (NULL) ----------------------------------------------------
    *(_geo_macro(name, lang) for name, lang in GEO_FUNCTIONS),
)

__all__ = ["GEO_FUNCTIONS", "IP_MACROS"]
