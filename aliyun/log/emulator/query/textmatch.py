"""Token matching rules (SEMANTICS §1.3) expressed as DuckDB SQL over stored raw values.

Nothing is tokenised at ingest time: a query token becomes an RE2 pattern anchored on the
field's delimiter characters, evaluated by DuckDB over the raw value. A cheap substring
pre-filter runs first so the regex only sees candidate rows. This keeps ingestion as cheap as a
bulk append, at the cost of work per query, which DuckDB does vectorised.

Query values carry wildcards as marker characters so escaping survives parsing:
:data:`STAR` stands for an unquoted ``*`` and :data:`QMARK` for an unquoted ``?``.
"""

from __future__ import annotations

from collections.abc import Iterable

from aliyun.log.emulator.query.config import TextSpec

STAR = "\x00"
QMARK = "\x01"
WILDCARDS = frozenset((STAR, QMARK))
#: Separator between the values of the stored full-text column (one segment per field).
FIELD_SEP = "\x1e"


def sql_str(value: str) -> str:
    """A SQL string literal for ``value``."""
    return "'" + value.replace("'", "''") + "'"


def re_char(ch: str) -> str:
    """``ch`` as an RE2 literal (hex escape for anything that is not a plain letter/digit)."""
    if ch.isalnum() or ch == "_":
        return ch
    return f"\\x{{{ord(ch):x}}}"


def char_class(chars: Iterable[str], negate: bool = False) -> str:
    """An RE2 character class of ``chars``."""
    body = "".join(f"\\x{{{ord(c):x}}}" for c in sorted(set(chars)))
    return f"[{'^' if negate else ''}{body}]"


def split_tokens(value: str, delims: frozenset[str]) -> list[str]:
    """Split a query value with the field's delimiters (wildcard markers never split)."""
    tokens: list[str] = []
    current: list[str] = []
    for ch in value:
        if ch in delims:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


def has_wildcard(value: str) -> bool:
    """True if the (marker-encoded) value contains a wildcard."""
    return STAR in value or QMARK in value


def plain(value: str) -> str:
    """The value with wildcard markers turned back into ``*``/``?`` (for messages, terms)."""
    return value.replace(STAR, "*").replace(QMARK, "?")


def token_regex(token: str, delims: frozenset[str]) -> str:
    """RE2 body matching one stored token equal to the (possibly wildcarded) query token."""
    not_delim = char_class(delims, negate=True)
    out = []
    for ch in token:
        if ch == STAR:
            out.append(f"{not_delim}*")
        elif ch == QMARK:
            out.append(not_delim)
        else:
            out.append(re_char(ch))
    return "".join(out)


def _bounded(body: str, bounds: frozenset[str]) -> str:
    cls = char_class(bounds)
    return f"(?:^|{cls}){body}(?:{cls}|$)"


def _literal_run(token: str) -> str:
    """Longest run of literal characters in a token, used as a substring pre-filter."""
    best = ""
    run: list[str] = []
    for ch in token + STAR:
        if ch in WILDCARDS:
            if len(run) > len(best):
                best = "".join(run)
            run = []
        else:
            run.append(ch)
    return best


def like_escape(value: str) -> str:
    """Escape LIKE metacharacters (used with ``ESCAPE '\\'``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_sql(expr: str, literal: str, case_sensitive: bool) -> str:
    """Substring test used as a pre-filter before a regex.

    A plain ``ILIKE '%lit%'`` is what DuckDB evaluates fastest (pushed into the scan, on
    dictionary-compressed data once per distinct value); the ``ESCAPE`` form is not optimised
    that way, so literals holding LIKE metacharacters use ``contains(lower(...))`` instead.
    """
    if case_sensitive:
        return f"contains({expr}, {sql_str(literal)})"
    if any(c in literal for c in "%_\\"):
        return f"contains(lower({expr}), {sql_str(literal.lower())})"
    return f"({expr} ILIKE {sql_str('%' + literal + '%')})"


def regex_sql(expr: str, pattern: str, case_sensitive: bool) -> str:
    """``regexp_matches`` call with the case option of the field."""
    opt = "" if case_sensitive else ", 'i'"
    return f"regexp_matches({expr}, {sql_str(pattern)}{opt})"


def whole_value_sql(expr: str, value: str, case_sensitive: bool) -> str:
    """Match a field whose token list is empty: the whole value is the only token."""
    if has_wildcard(value):
        literal = value.replace(STAR, "").replace(QMARK, "")
        needs_escape = any(c in literal for c in "%_\\")
        pattern = "".join(
            "%" if ch == STAR else "_" if ch == QMARK else (like_escape(ch) if needs_escape else ch) for ch in value
        )
        op = "LIKE" if case_sensitive else "ILIKE"
        escape = " ESCAPE '\\'" if needs_escape else ""
        return f"({expr} {op} {sql_str(pattern)}{escape})"
    if case_sensitive:
        return f"({expr} = {sql_str(value)})"
    return f"(lower({expr}) = {sql_str(value.lower())})"


def text_match_sql(
    expr: str,
    spec: TextSpec,
    value: str,
    *,
    phrase: bool = False,
    segmented: bool = False,
    prefilter: bool = True,
) -> str:
    """SQL predicate: the stored text ``expr`` matches query ``value`` under ``spec``.

    :param phrase: tokens must appear consecutively and in order (``#"..."``).
    :param segmented: ``expr`` is the full-text column, values of several fields joined with
        :data:`FIELD_SEP`; all tokens of one term must then come from the same field.
    :param prefilter: add substring pre-filters on ``expr``; the full-text caller turns them
        off and filters once on all values of the log instead.
    """
    delims = spec.delims
    cs = spec.case_sensitive
    if not delims:
        return whole_value_sql(expr, value, cs)
    tokens = split_tokens(value, delims)
    if not tokens:
        # Only delimiters in the value: there is no token to look for.
        return "FALSE"
    bounds = delims | {FIELD_SEP} if segmented else delims
    parts: list[str] = []
    for tok in tokens if prefilter else ():
        lit = _literal_run(tok)
        if lit:
            parts.append(contains_sql(expr, lit, cs))
    if phrase:
        sep = char_class(delims) + "+"
        body = sep.join(token_regex(t, delims) for t in tokens)
        parts.append(regex_sql(expr, _bounded(body, bounds), cs))
        return "(" + " AND ".join(parts) + ")"
    for tok in tokens:
        parts.append(regex_sql(expr, _bounded(token_regex(tok, delims), bounds), cs))
    if segmented and len(tokens) > 1:
        # Each token was found somewhere; now require one field holding all of them.
        inner = " AND ".join(regex_sql("x", _bounded(token_regex(t, delims), delims), cs) for t in tokens)
        parts.append(f"list_bool_or(list_transform(string_split({expr}, chr(30)), lambda x: {inner}))")
    return "(" + " AND ".join(parts) + ")"
