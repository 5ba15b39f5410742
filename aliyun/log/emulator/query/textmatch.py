"""Token matching rules (docs/architecture-query.md "Search evaluation") expressed as DuckDB SQL over stored raw values.

Nothing is tokenised at ingest time: a query token becomes an RE2 pattern anchored on the
field's delimiter characters, evaluated by DuckDB over the raw value. A cheap substring
pre-filter runs first so the regex only sees candidate rows. This keeps ingestion as cheap as a
bulk append, at the cost of work per query, which DuckDB does vectorised.

Query values carry wildcards as marker characters so escaping survives parsing:
:data:`STAR` stands for an unquoted ``*`` and :data:`QMARK` for an unquoted ``?``.

Chinese text. SLS delimiters cannot be Chinese characters, so without "include Chinese"
(``chn: false``) a run of Chinese characters is part of whatever token it sits in: ``打开失败``
is one token and ``打开`` does not find it. With ``chn: true`` SLS segments Chinese text into
words. The emulator approximates that segmentation at the character level: every Chinese
(Han) character is a token of its own and a token boundary, Chinese punctuation
(:data:`CJK_PUNCTUATION`) becomes a delimiter, and the Chinese characters of a query term must
appear consecutively. A Chinese word therefore matches wherever it occurs in the text (a
superset of what a dictionary segmenter finds: ``开失`` also matches ``打开失败``, which SLS
would not), so a search never misses a log that SLS would return.
"""

from __future__ import annotations

from collections.abc import Iterable

from aliyun.log.emulator.query.config import TextSpec

STAR = "\x00"
QMARK = "\x01"
WILDCARDS = frozenset((STAR, QMARK))
#: Separator between the values of the stored full-text column (one segment per field).
FIELD_SEP = "\x1e"
#: Code point ranges treated as Chinese (Han) characters when ``chn`` is on: the CJK unified
#: ideographs with their extensions and the compatibility ideographs, plus U+3005 and U+3007.
HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3005),
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
#: Chinese and full-width punctuation: delimiters when ``chn`` is on (a segmenter drops them).
#: Ideographic space, comma, full stop and brackets; full-width ASCII punctuation; dashes,
#: curly quotes, ellipsis and the middle dot.
CJK_PUNCTUATION = frozenset(
    chr(code)
    for lo, hi in (
        (0x3000, 0x3004), (0x3008, 0x3011), (0x3014, 0x301F),
        (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),
        (0x2014, 0x2014), (0x2018, 0x2019), (0x201C, 0x201D), (0x2026, 0x2026), (0x00B7, 0x00B7),
    )
    for code in range(lo, hi + 1)
)  # fmt: skip
_HAN_CLASS_BODY = "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" if lo != hi else f"\\x{{{lo:x}}}" for lo, hi in HAN_RANGES)


def sql_str(value: str) -> str:
    """A SQL string literal for ``value``."""
    return "'" + value.replace("'", "''") + "'"


def re_char(ch: str) -> str:
    """``ch`` as an RE2 literal (hex escape for anything that is not a plain letter/digit)."""
    if ch.isalnum() or ch == "_":
        return ch
    return f"\\x{{{ord(ch):x}}}"


def char_class(chars: Iterable[str], negate: bool = False, han: bool = False) -> str:
    """An RE2 character class of ``chars`` (plus the Han characters when ``han``)."""
    body = "".join(f"\\x{{{ord(c):x}}}" for c in sorted(set(chars)))
    if han:
        body += _HAN_CLASS_BODY
    return f"[{'^' if negate else ''}{body}]"


def is_han(ch: str) -> bool:
    """True for a character that :data:`HAN_RANGES` counts as Chinese."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in HAN_RANGES)


def effective_delims(spec: TextSpec) -> frozenset[str]:
    """The delimiters a field really splits on (``chn`` adds Chinese punctuation)."""
    return spec.delims | CJK_PUNCTUATION if spec.chn and spec.delims else spec.delims


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


def token_regex(token: str, delims: frozenset[str], chn: bool = False) -> str:
    """RE2 body matching one stored token equal to the (possibly wildcarded) query token.

    With ``chn`` a wildcard never spans a Chinese character (each one is a token by itself).
    """
    not_delim = char_class(delims, negate=True, han=chn)
    out = []
    for ch in token:
        if ch == STAR:
            out.append(f"{not_delim}*")
        elif ch == QMARK:
            out.append(not_delim)
        else:
            out.append(re_char(ch))
    return "".join(out)


def _bounded(body: str, bounds: frozenset[str], chn: bool = False, first: str = "", last: str = "") -> str:
    """``body`` between token boundaries.

    With ``chn`` a Chinese character also bounds a token, and a side where the query term itself
    starts (``first``) or ends (``last``) with a Chinese character needs no boundary at all: that
    character is a whole token, so the term may sit anywhere inside a run of Chinese text.
    """
    cls = char_class(bounds, han=chn)
    left = "" if chn and first and is_han(first) else f"(?:^|{cls})"
    right = "" if chn and last and is_han(last) else f"(?:{cls}|$)"
    return f"{left}{body}{right}"


def _token_sql_regex(tokens: list[str], delims: frozenset[str], bounds: frozenset[str], chn: bool) -> str:
    """Bounded RE2 for one token, or for consecutive tokens (a phrase) separated by delimiters.

    With ``chn`` two phrase tokens meeting at a Chinese character need no delimiter between
    them (``#"登录 成功"`` finds ``登录成功``: both are words of that text).
    """
    delim = char_class(delims)
    body = token_regex(tokens[0], delims, chn)
    for before, tok in zip(tokens, tokens[1:]):
        glued = chn and (is_han(before[-1]) or is_han(tok[0]))
        body += delim + ("*" if glued else "+") + token_regex(tok, delims, chn)
    return _bounded(body, bounds, chn, tokens[0][0], tokens[-1][-1])


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
    if not spec.delims:
        if segmented:
            # The full-text column joins every field's value: one of them must be the token.
            each = whole_value_sql("x", value, spec.case_sensitive)
            return f"list_bool_or(list_transform(string_split({expr}, chr(30)), lambda x: {each}))"
        return whole_value_sql(expr, value, spec.case_sensitive)
    delims = effective_delims(spec)
    cs = spec.case_sensitive
    chn = spec.chn
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
        parts.append(regex_sql(expr, _token_sql_regex(tokens, delims, bounds, chn), cs))
        return "(" + " AND ".join(parts) + ")"
    for tok in tokens:
        parts.append(regex_sql(expr, _token_sql_regex([tok], delims, bounds, chn), cs))
    if segmented and len(tokens) > 1:
        # Each token was found somewhere; now require one field holding all of them.
        inner = " AND ".join(regex_sql("x", _token_sql_regex([t], delims, delims, chn), cs) for t in tokens)
        parts.append(f"list_bool_or(list_transform(string_split({expr}, chr(30)), lambda x: {inner}))")
    return "(" + " AND ".join(parts) + ")"
