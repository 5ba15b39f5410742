"""Compile a search tree into a DuckDB predicate over the ``logs`` table
(docs/architecture-query.md "Search evaluation").

NULL discipline: a positive leaf may evaluate to NULL (key absent) and that reads as "no match"
in a WHERE clause, which AND/OR preserve. Negation is pushed down to the leaves (De Morgan) and a
negated leaf is written ``(leaf) IS NOT TRUE`` so a log lacking the key satisfies
``not key:value`` as SLS requires.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.columns import MatColumn, json_path_literal
from aliyun.log.emulator.query.config import TAG_PREFIX, IndexSpec, KeySpec, TextSpec
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
from aliyun.log.emulator.query.search_parser import compare_number
from aliyun.log.emulator.query.store import Store, tag_pattern
from aliyun.log.emulator.query.textmatch import (
    QMARK,
    STAR,
    has_wildcard,
    plain,
    re_char,
    sql_str,
    text_match_sql,
    whole_value_sql,
)

_WHOLE = TextSpec(frozenset(), False)
_SQL_OPS = {"=": "=", ">": ">", ">=": ">=", "<": "<", "<=": "<="}


def unindexed_key_error(key: str) -> SLSError:
    """SLS's answer to ``key:value`` on a key without a field index."""
    return SLSError(
        "ParameterInvalid",
        f'key ({key}) is not config as key value config,if symbol : is in your log,please wrap : with quotation mark "',
    )


@dataclass(frozen=True)
class _Field:
    kind: str  # text | whole | num | tag
    key: str
    expr: str = ""
    text: Optional[TextSpec] = None
    presence: str = ""  # numeric keys: SQL telling the key is present (any value)
    raw: str = ""  # numeric keys: SQL of the raw string value


class SearchCompiler:
    """Turns search trees into SQL for one index config over one store.

    :param histogram: GetHistograms mode: phrases count like their non-phrase form (SLS doc).
    """

    def __init__(self, store: Store, spec: IndexSpec, *, histogram: bool = False) -> None:
        self.store = store
        self.spec = spec
        self.histogram = histogram
        self.terms: list[dict[str, str]] = []

    def compile(self, node: Node) -> str:
        """SQL predicate for ``node`` (``TRUE`` for match-all)."""
        return self._node(node, False)

    # -- structure -------------------------------------------------------------------------
    def _node(self, node: Node, neg: bool) -> str:
        if isinstance(node, MatchAll):
            return "FALSE" if neg else "TRUE"
        if isinstance(node, Not):
            return self._node(node.child, not neg)
        if isinstance(node, (And, Or)):
            parts = [self._node(c, neg) for c in node.children]
            conj = isinstance(node, And) != neg
            return "(" + (" AND " if conj else " OR ").join(parts) + ")"
        leaf = self._leaf(node, neg)
        return f"(({leaf}) IS NOT TRUE)" if neg else leaf

    def _leaf(self, node: Node, neg: bool) -> str:
        if isinstance(node, FullText):
            self._check_phrase(node.phrase, neg)
            self.terms.append({"key": "", "term": plain(node.value)})
            return self._fulltext(node.value, node.phrase and not self.histogram)
        if isinstance(node, FieldMatch):
            self._check_phrase(node.phrase, neg)
            self.terms.append({"key": node.key, "term": plain(node.value)})
            return self._field_match(node)
        if isinstance(node, Compare):
            return self._compare(node)
        if isinstance(node, Range):
            return self._range(node)
        raise AssertionError(f"unknown node {node!r}")

    @staticmethod
    def _check_phrase(phrase: bool, neg: bool) -> None:
        if phrase and neg:
            raise SLSError("ParameterInvalid", "phrase search does not support not operator")

    # -- field resolution ------------------------------------------------------------------
    def _resolve(self, key: str) -> Optional[_Field]:
        if key == "__topic__":
            return _Field("whole", key, "topic", _WHOLE)
        if key in ("__source__", "source"):
            return _Field("whole", key, "source", _WHOLE)
        if key.startswith(TAG_PREFIX):
            return _Field("tag", key[len(TAG_PREFIX) :])
        spec = self.spec.key(key)
        if spec is not None:
            return self._key_field(spec)
        # json sub-key: longest configured json key that prefixes the dotted name
        parts = key.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            parent = self.spec.key(".".join(parts[:cut]))
            if parent is None or parent.type != "json":
                continue
            sub = ".".join(parts[cut:])
            return self._json_field(key, parent, sub)
        return None

    def _key_field(self, spec: KeySpec) -> _Field:
        col = MatColumn("key", spec.name, spec.type).name
        if spec.is_numeric:
            vers = [str(i) for i, v in enumerate(self.store.versions) if any(k.name == spec.name for k in v.keys)]
            tids = [str(t) for t in self.store.templates_with(spec.name)]
            presence = f"(ver IN ({', '.join(vers)}) AND tid IN ({', '.join(tids)}))" if vers and tids else "FALSE"
            raw = f"(CASE WHEN ver IN ({', '.join(vers) or '-1'}) THEN {self.store.raw_value_sql(spec.name)} END)"
            return _Field("num", spec.name, col, None, presence, raw)
        return _Field("text", spec.name, col, spec.text)

    def _json_field(self, key: str, parent: KeySpec, sub: str) -> Optional[_Field]:
        parent_col = MatColumn("key", parent.name, "json").name
        extract = (
            f"(CASE WHEN json_valid({parent_col}) THEN "
            f"json_extract_string({parent_col}, {sql_str(json_path_literal(sub))}) END)"
        )
        for jk in parent.json_keys:
            if jk.path == sub:
                col = MatColumn("json", parent.name, jk.type, jk.path).name
                if jk.type in ("long", "double"):
                    return _Field("num", key, col, None, f"({extract} IS NOT NULL)", extract)
                return _Field("text", key, col, parent.text)
        if parent.index_all:
            return _Field("text", key, extract, parent.text)
        return None

    # -- leaves ----------------------------------------------------------------------------
    def _fulltext(self, value: str, phrase: bool) -> str:
        fields: list[tuple[str, TextSpec, bool]] = []
        if self.spec.line is not None:
            fields.append(("ft", self.spec.line, True))
        for key in self.spec.keys:
            if key.type in ("text", "json") and not key.is_tag and key.text is not None:
                fields.append((MatColumn("key", key.name, key.type).name, key.text, False))
        if not fields:
            return "FALSE"
        # Each branch carries its own substring pre-filter: DuckDB evaluates ILIKE cheaply
        # (often on dictionary-compressed data) and the regex then only sees candidate rows.
        branches = [text_match_sql(expr, spec, value, phrase=phrase, segmented=seg) for expr, spec, seg in fields]
        return "(" + " OR ".join(branches) + ")"

    def _field_match(self, node: FieldMatch) -> str:
        field = self._resolve(node.key)
        if field is None:
            raise unindexed_key_error(node.key)
        value = node.value
        star = not node.quoted and value == STAR
        empty = node.quoted and value == ""
        phrase = node.phrase and not self.histogram
        if field.kind == "tag":
            return self._tag_match(field.key, value, star)
        if field.kind == "num":
            if star:
                return field.presence
            if empty:
                return f"({field.raw} = '')"
            if has_wildcard(value):
                raise SLSError(
                    "ParameterInvalid",
                    f"key ({node.key}) is a numeric column, wildcard is not supported; use a range query",
                )
            try:
                number = float(value)
            except ValueError:
                return "FALSE"
            return f"({field.expr} = {_num(number)})"
        if star:
            return f"({field.expr} IS NOT NULL)"
        if empty:
            return f"({field.expr} = '')"
        assert field.text is not None
        if field.kind == "whole" or not field.text.delims:
            return whole_value_sql(field.expr, value, field.text.case_sensitive)
        return text_match_sql(field.expr, field.text, value, phrase=phrase)

    def _tag_match(self, name: str, value: str, star: bool) -> str:
        if star:
            body = "[^\x1e]*"
        else:
            body = "".join("[^\x1e]*" if c == STAR else "[^\x1e]" if c == QMARK else re_char(c) for c in value)
        return f"regexp_matches(tags, {sql_str(tag_pattern(name, body))}, 'i')"

    def _compare(self, node: Compare) -> str:
        field = self._resolve(node.key)
        if field is None or field.kind != "num":
            # Documented fallback: a range on a non-numeric field degrades to a full-text
            # search for its pieces (the operator itself is a delimiter).
            return self._node(And((FullText(node.key, True), FullText(node.raw, True))), False)
        number = compare_number(node)
        return f"({field.expr} {_SQL_OPS[node.op]} {_num(number)})"

    def _range(self, node: Range) -> str:
        field = self._resolve(node.key)
        if field is None or field.kind != "num":
            raise SLSError("ParameterInvalid", f"key ({node.key}) is not config as numberic column")
        parts = []
        if not math.isinf(node.low):
            parts.append(f"{field.expr} {'>=' if node.low_closed else '>'} {_num(node.low)}")
        if not math.isinf(node.high):
            parts.append(f"{field.expr} {'<=' if node.high_closed else '<'} {_num(node.high)}")
        if not parts:
            return f"({field.expr} IS NOT NULL)"
        return "(" + " AND ".join(parts) + ")"


def _num(value: float) -> str:
    if value.is_integer() and abs(value) < 2**63:
        return str(int(value))
    return repr(value)
