"""A check that a script is declarative only: rule variables built from the engine's own names.

Services that run scripts they did not write (the CLI's restricted mode) accept only literal
values, calls of the extractors, and the engine's constants; anything else (imports other
than the engine, attribute access, lambdas, function definitions) is refused, naming the line.
"""

from __future__ import annotations

import ast
import logging
from typing import Any

__all__ = ["InvalidETLConfig", "RestrictConfigParser"]

logger = logging.getLogger(__name__)

TRUST_AST_TYPES = (
    ast.Call, ast.Module, ast.List, ast.Tuple, ast.Dict, ast.Name, ast.Constant, ast.Assign, ast.Load, ast.Store,
    ast.Expr, ast.ImportFrom, ast.alias, ast.keyword,
)  # fmt: skip
builtin_macros = [
    "KEEP_EVENT_", "DROP_EVENT_", "KEEP_FIELDS_", "DROP_FIELDS_", "RENAME_FIELDS_", "ALIAS_", "DISPATCH_EVENT_",
    "TRANSFORM_EVENT_", "KV_FIELDS_",
]  # fmt: skip
built_in_fns = [
    "V",
    "JSON",
    "CSV",
    "REGEX",
    "EMPTY",
    "NO_EMPTY",
    "DROP_F",
    "KV",
    "TSV",
    "PSV",
    "LOOKUP",
    "SPLIT",
    "ZIP",
]
built_in_ids = ["KV", "ANY", "ALL", "F_TIME", "F_META", "F_TAGS", "SPLIT", "JSON", "True", "False", "None"]


class InvalidETLConfig(Exception):
    """A script uses something the restricted mode does not allow (the message names the line)."""


class RestrictConfigParser(ast.NodeVisitor):
    """``RestrictConfigParser().parse(code)`` raises :class:`InvalidETLConfig` or returns None."""

    @staticmethod
    def _refuse(node: Any, what: str) -> InvalidETLConfig:
        return InvalidETLConfig(f"line {getattr(node, 'lineno', '?')}: {what}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module != "aliyun.log.etl_core" or [a.name for a in node.names] != ["*"]:
            raise self._refuse(node, f"only 'from aliyun.log.etl_core import *' may be imported, not {node.module}")

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name) or node.func.id not in built_in_fns:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)
            raise self._refuse(node, f"unknown function {name}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            if not node.id.startswith(tuple(builtin_macros)):
                raise self._refuse(node, f"{node.id} is not a rule name ({', '.join(builtin_macros)}...)")
        elif node.id not in built_in_ids and node.id not in built_in_fns:
            raise self._refuse(node, f"unknown name {node.id}")

    def generic_visit(self, node: ast.AST) -> None:
        if not isinstance(node, TRUST_AST_TYPES):
            raise self._refuse(node, f"{type(node).__name__} is not allowed in a restricted script")
        super().generic_visit(node)

    def parse(self, code: str) -> None:
        """Check ``code``; a syntax error is reported as :class:`InvalidETLConfig` too."""
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            raise InvalidETLConfig(f"line {exc.lineno}: invalid script: {exc.msg}") from exc
        self.visit(tree)
