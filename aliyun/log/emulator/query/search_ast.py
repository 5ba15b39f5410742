"""Syntax tree of a search statement (the part before ``|``).

Values keep wildcards as the marker characters of :mod:`textmatch` (``STAR``/``QMARK``) so an
escaped ``\\*`` and a quoted ``"*"`` stay literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class MatchAll:
    """``*`` or an empty statement."""


@dataclass(frozen=True)
class FullText:
    """A bare keyword, quoted keyword or ``#"phrase"`` searched in every full-text field."""

    value: str
    quoted: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class FieldMatch:
    """``key:value`` (also ``key:"value"``, ``key:#"phrase"``, ``key:*`` and ``key:""``)."""

    key: str
    value: str
    quoted: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class Compare:
    """``key op number`` with op one of ``= > >= < <=`` (``:`` on a numeric key is ``=``)."""

    key: str
    op: str
    raw: str


@dataclass(frozen=True)
class Range:
    """``key in [low high]``; brackets closed, parentheses open."""

    key: str
    low: float
    high: float
    low_closed: bool
    high_closed: bool
    raw: str


@dataclass(frozen=True)
class And:
    """Conjunction (explicit ``and``, implicit whitespace, the left side of ``a not b``)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Disjunction."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Negation."""

    child: Node


Node = Union[MatchAll, FullText, FieldMatch, Compare, Range, And, Or, Not]


def walk(node: Node) -> list[Node]:
    """All nodes of the tree, parents before children."""
    out: list[Node] = [node]
    if isinstance(node, (And, Or)):
        for child in node.children:
            out.extend(walk(child))
    elif isinstance(node, Not):
        out.extend(walk(node.child))
    return out


def has_phrase(node: Node) -> bool:
    """True if the statement uses phrase search anywhere."""
    return any(isinstance(n, (FullText, FieldMatch)) and n.phrase for n in walk(node))
