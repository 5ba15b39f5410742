"""Recursive-descent parser for SLS search statements (grammar of SEMANTICS §1.4).

Lexing is done on demand by the parser because the same characters mean different things by
position: ``=`` and ``>`` are operators after a key but plain characters inside a value
(``request_uri:/a?id=42``), and ``:`` ends a key but a value may contain it.

::

    query    := ws | "*" | orExpr
    orExpr   := andExpr ( "or" andExpr )*
    andExpr  := unary ( ( "and" | "not" | <implicit> ) unary )*     # "x not y" = x AND NOT y
    unary    := "not" unary | "(" orExpr ")" | term
    term     := key ( ":" | "=" | ">" | ">=" | "<" | "<=" ) value
              | key "in" ( "[" | "(" ) num num ( "]" | ")" )
              | key ":" "#" QUOTED | "#" QUOTED | value
"""

from __future__ import annotations

import math
from typing import Optional

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.search_ast import (
    And,
    Compare,
    FieldMatch,
    FullText,
    MatchAll,
    Node,
    Not,
    Or,
    Range,
)
from aliyun.log.emulator.query.textmatch import QMARK, STAR

#: Words that must be double-quoted to be searched (SEMANTICS §1.4).
RESERVED_WORDS = frozenset(("sort", "asc", "desc", "group", "by", "avg", "sum", "min", "max", "limit"))
_KEY_STOP = frozenset(' \t\r\n()":=<>')
_VALUE_STOP = frozenset(" \t\r\n()")
_WS = frozenset(" \t\r\n")
_TAG = "__tag__"
#: deepest nesting of parentheses and ``not`` accepted; deeper statements are refused with a
#: syntax error instead of exhausting the (recursive) parser's stack
MAX_SEARCH_DEPTH = 100


def syntax_error(message: str) -> SLSError:
    """The error SLS answers for a malformed search statement."""
    return SLSError("ParameterInvalid", message)


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise syntax_error(f"invalid number {raw!r} in search statement") from None
    if math.isnan(value):
        raise syntax_error(f"invalid number {raw!r} in search statement")
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0  # _unary calls in progress: the nesting of "(" and "not"

    # -- low level -------------------------------------------------------------------------
    def _skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WS:
            self.pos += 1

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _at_end(self) -> bool:
        self._skip_ws()
        return self.pos >= len(self.text)

    def _quoted(self) -> str:
        """Read ``"..."`` at the cursor; ``\\`` escapes the next character."""
        assert self._peek() == '"'
        start = self.pos
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if ch == '"':
                self.pos += 1
                return "".join(out)
            out.append(ch)
            self.pos += 1
        raise syntax_error(f"unterminated quote starting at position {start}")

    def _word(self, stop: frozenset[str], wild: bool) -> str:
        """Read an unquoted word; ``*``/``?`` become wildcard markers unless escaped."""
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if ch in stop or ch == '"':
                break
            if wild and ch == "*":
                out.append(STAR)
            elif wild and ch == "?":
                out.append(QMARK)
            else:
                out.append(ch)
            self.pos += 1
        return "".join(out)

    def _keyword(self) -> Optional[str]:
        """The operator word (and/or/not, any case) at the cursor, without consuming it."""
        self._skip_ws()
        for word in ("and", "or", "not"):
            end = self.pos + len(word)
            if self.text[self.pos : end].lower() == word and (
                end >= len(self.text) or self.text[end] in _WS or self.text[end] in '()"'
            ):
                return word
        return None

    def _consume(self, word: str) -> None:
        self._skip_ws()
        self.pos += len(word)

    # -- grammar ---------------------------------------------------------------------------
    def parse(self) -> Node:
        if self._at_end():
            return MatchAll()
        node = self._or()
        if not self._at_end():
            raise syntax_error(f"unexpected {self._peek()!r} at position {self.pos}")
        return node

    def _or(self) -> Node:
        children = [self._and()]
        while self._keyword() == "or":
            self._consume("or")
            children.append(self._and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def _and(self) -> Node:
        children = [self._unary()]
        while True:
            if self._at_end() or self._peek() == ")":
                break
            word = self._keyword()
            if word == "or":
                break
            if word == "and":
                self._consume("and")
                children.append(self._unary())
            elif word == "not":
                self._consume("not")
                children.append(Not(self._unary()))
            else:
                children.append(self._unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def _unary(self) -> Node:
        # The grammar recurses only through here ("not" and parentheses), so this is the limit.
        self.depth += 1
        try:
            if self.depth > MAX_SEARCH_DEPTH + 1:
                raise syntax_error(f"search statement nested deeper than {MAX_SEARCH_DEPTH} levels")
            return self._unary_at_depth()
        finally:
            self.depth -= 1

    def _unary_at_depth(self) -> Node:
        if self._at_end():
            raise syntax_error("search statement ends where a condition is expected")
        word = self._keyword()
        if word == "not":
            self._consume("not")
            return Not(self._unary())
        if word in ("and", "or"):
            raise syntax_error(f"unexpected operator {word!r} at position {self.pos}")
        if self._peek() == "(":
            self.pos += 1
            node = self._or()
            self._skip_ws()
            if self._peek() != ")":
                raise syntax_error("missing ')' in search statement")
            self.pos += 1
            return node
        if self._peek() == ")":
            raise syntax_error(f"unexpected ')' at position {self.pos}")
        return self._term()

    def _phrase(self) -> str:
        self.pos += 1  # '#'
        if self._peek() != '"':
            raise syntax_error("phrase search needs a quoted phrase after '#'")
        return self._quoted()

    def _term(self) -> Node:
        start = self.pos
        if self.text.startswith('#"', self.pos):
            return FullText(self._phrase(), quoted=True, phrase=True)
        if self._peek() == '"':
            key = self._quoted()
            quoted_key = True
        else:
            key = self._word(_KEY_STOP, wild=False)
            quoted_key = False
            if key == _TAG and self._peek() == ":":
                # "__tag__:NAME:value": the tag key keeps its colon.
                self.pos += 1
                key = f"{_TAG}:{self._word(_KEY_STOP, wild=False)}"
        after_key = self.pos
        self._skip_ws()
        ch = self._peek()
        if ch == ":" and key:
            self.pos += 1
            return self._field_value(key)
        if ch in ("=", "<", ">") and key:
            return self._compare(key)
        if (
            key
            and self.text.startswith("in", self.pos)
            and self.text[self.pos + 2 : self.pos + 3] in ("[", "(", " ", "\t")
        ):
            save = self.pos
            self.pos += 2
            self._skip_ws()
            if self._peek() in ("[", "("):
                return self._range(key)
            self.pos = save
        # A bare keyword: re-read it as a value (values may contain ':' '=' '<' '>').
        if quoted_key:
            self.pos = after_key
            return FullText(key, quoted=True)
        self.pos = start
        value = self._word(_VALUE_STOP, wild=True)
        if not value:
            raise syntax_error(f"unexpected {self._peek()!r} at position {self.pos}")
        if value == STAR:
            return MatchAll()
        if value.lower() in RESERVED_WORDS:
            raise syntax_error(f"{value} is a reserved word of the search syntax; wrap it with double quotes")
        return FullText(value)

    def _field_value(self, key: str) -> Node:
        self._skip_ws()
        if self.text.startswith('#"', self.pos):
            return FieldMatch(key, self._phrase(), quoted=True, phrase=True)
        if self._peek() == '"':
            return FieldMatch(key, self._quoted(), quoted=True)
        value = self._word(_VALUE_STOP, wild=True)
        if not value:
            raise syntax_error(f"missing value after '{key}:'")
        return FieldMatch(key, value)

    def _compare(self, key: str) -> Node:
        op = self.text[self.pos]
        self.pos += 1
        if op in "<>" and self._peek() == "=":
            op += "="
            self.pos += 1
        self._skip_ws()
        if self._peek() == '"':
            raw = self._quoted()
        else:
            raw = self._word(_VALUE_STOP, wild=False)
        if not raw:
            raise syntax_error(f"missing value after '{key} {op}'")
        return Compare(key, op, raw)

    def _range(self, key: str) -> Node:
        open_ch = self.text[self.pos]
        self.pos += 1
        bounds: list[str] = []
        while len(bounds) < 2:
            self._skip_ws()
            word = self._word(frozenset(" \t\r\n,()[]"), wild=False)
            if not word:
                raise syntax_error(f"range of key {key} needs two numbers")
            bounds.append(word)
            self._skip_ws()
            if self._peek() == ",":
                self.pos += 1
        self._skip_ws()
        close_ch = self._peek()
        if close_ch not in ("]", ")"):
            raise syntax_error(f"range of key {key} must end with ']' or ')'")
        self.pos += 1
        raw = f"{open_ch}{bounds[0]} {bounds[1]}{close_ch}"
        return Range(
            key,
            _bound(bounds[0], -math.inf),
            _bound(bounds[1], math.inf),
            open_ch == "[",
            close_ch == "]",
            raw,
        )


def _bound(raw: str, star: float) -> float:
    return star if raw == "*" else _number(raw)


def parse_search(text: str) -> Node:
    """Parse a search statement into a tree.

    :raises SLSError: ``ParameterInvalid`` for a syntax error.
    """
    return _Parser(text).parse()


def compare_number(node: Compare) -> float:
    """The numeric operand of a comparison (validated lazily: text keys do not need one)."""
    return _number(node.raw)
