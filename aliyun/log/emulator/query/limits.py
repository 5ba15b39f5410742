"""How big and how deep a query may be, and the checks that answer the excess with an SLS error.

A query is user input that the emulator turns into work, so each dimension that can make that
work explode is bounded before the work starts: the length of the whole query, the words of the
search statement (each one becomes a predicate), the length of one term, and nesting (the
parsers are recursive). Time and memory are bounded while the statement runs
(:mod:`.sandbox`). The defaults are generous for real queries and documented in
docs/emulator.md; all are server options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import Token, TokenType

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.search_ast import Compare, FieldMatch, FullText, Node, Range, walk

__all__ = ["DEFAULT_LIMITS", "QueryLimits", "check_query_size", "check_search_size", "check_sql_nesting", "too_deep"]


@dataclass(frozen=True)
class QueryLimits:
    """Bounds every query of the emulator runs within (server options, see docs/emulator.md).

    :param timeout: seconds one statement may run before it is interrupted.
    :param memory_limit: DuckDB memory limit of one logstore's database (``"2GB"``); work beyond
        it spills to the index directory where it can, and fails otherwise.
    :param threads: DuckDB worker threads of one logstore's database.
    :param max_query_chars: length of a whole query (search statement plus SQL).
    :param max_terms: words a search statement may hold, counted over all its terms and phrases.
    :param max_term_chars: length of one search term or phrase.
    :param max_depth: nesting of parentheses and ``not`` in a search statement.
    :param max_sql_depth: nesting of parentheses and brackets in an analytic statement (its
        parser spends far more stack per level than the search parser).
    """

    timeout: float = 60.0
    memory_limit: str = "2GB"
    threads: int = 2
    max_query_chars: int = 65_536
    max_terms: int = 1_000
    max_term_chars: int = 4_096
    max_depth: int = 100
    max_sql_depth: int = 32


# What a term costs is one predicate per word it splits into; runs of word characters are a
# tokenizer-independent stand-in for those words (delimiters are punctuation and spaces).
_WORD = re.compile(r"\w+")


#: The bounds of a server started without options.
DEFAULT_LIMITS = QueryLimits()


def _invalid(message: str) -> SLSError:
    return SLSError("ParameterInvalid", message)


def check_query_size(query: str, limits: QueryLimits) -> None:
    """Refuse a query longer than :attr:`QueryLimits.max_query_chars`."""
    if len(query) > limits.max_query_chars:
        raise _invalid(f"the query is {len(query)} characters long; the emulator's limit is {limits.max_query_chars}")


def too_deep(limit: int) -> SLSError:
    """The answer to a statement nested deeper than the parsers accept."""
    return _invalid(f"the statement is nested too deeply: at most {limit} levels of parentheses are accepted")


def check_search_size(node: Node, limits: QueryLimits) -> None:
    """Refuse a parsed search statement with too many words or too long a term."""
    words = 0
    for leaf in walk(node):
        if isinstance(leaf, (FullText, FieldMatch)):
            value = leaf.value
        elif isinstance(leaf, (Compare, Range)):
            value = leaf.raw
        else:
            continue
        if len(value) > limits.max_term_chars:
            raise _invalid(
                f"a search term is {len(value)} characters long; the emulator accepts at most {limits.max_term_chars}"
            )
        words += max(1, len(_WORD.findall(value)))
        if words > limits.max_terms:
            raise _invalid(f"the search statement holds more than {limits.max_terms} words")


_OPEN = frozenset((TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE))
_CLOSE = frozenset((TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE))


def check_sql_nesting(tokens: list[Token], limit: int) -> None:
    """Refuse an analytic statement whose brackets nest deeper than ``limit`` (before parsing it)."""
    depth = 0
    for token in tokens:
        if token.token_type in _OPEN:
            depth += 1
            if depth > limit:
                raise too_deep(limit)
        elif token.token_type in _CLOSE:
            depth -= 1
