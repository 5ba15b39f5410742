"""Reading an ETL script: its rules and functions, in the order of its lines."""

from __future__ import annotations

import ast
import functools
import logging
import re
import types
from typing import Any, Callable, Optional

from .exceptions import SettingError
from .settings import TransFnType, builtin_macros, check_fn_type_by_name

__all__ = ["ConfigParser"]

logger = logging.getLogger(__name__)

# words that start rule names: a name starting with one but matching no rule is a typo
_RULE_WORDS = re.compile(r"(KEEP|DROP|RENAME|ALIAS|DISPATCH|TRANSFORM|KV)_[A-Z]+_")
# rules whose value is a condition, which may itself be a callable
_CONDITION_RULES = ("KEEP_EVENT_", "DROP_EVENT_")


def _updating(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(fn)
    def update(event: Any) -> Any:
        changes = fn(event)
        if changes:
            event.update(changes)
        return event

    return update


class ConfigParser:
    """The steps of a script module ``md``.

    :meth:`parse` returns ``[[line, step], ...]`` sorted by line: one step per top-level
    variable named with a rule prefix (see :mod:`~aliyun.log.etl_core.settings`) and per
    top-level function named ``sls_en_*`` or ``sls_eu_*``.
    """

    def __init__(self, md: types.ModuleType) -> None:
        self.md = md
        self.name_list: list[list[Any]] = []
        self.fn_list: list[list[Any]] = []

    @staticmethod
    def get_fn(fn: Callable[[Any], Any], name: str) -> Optional[Callable[[Any], Any]]:
        """The step a script function ``name`` stands for (``None``: not a step)."""
        kind = check_fn_type_by_name(name)
        if kind is TransFnType.EVENT_NEW:
            return fn
        if kind is TransFnType.EVENT_UPDATE:
            return _updating(fn)
        return None

    @staticmethod
    def macro_check(name: str) -> Optional[Callable[[Any], Any]]:
        """The rule class of a variable name (``None``: not a rule name)."""
        for pattern, rule in builtin_macros.items():
            if re.fullmatch(pattern, name):
                return rule
        return None

    def _source(self) -> str:
        path = getattr(self.md, "__file__", None)
        if not path:
            raise SettingError(msg="an ETL script module must come from a file", settings=self.md)
        with open(path, encoding="utf-8") as handle:
            return handle.read()

    def _rule(self, name: str, line: int) -> Callable[[Any], Any]:
        rule = self.macro_check(name)
        value = getattr(self.md, name)
        if rule is None:
            raise SettingError(msg=f"line {line}: unknown rule name {name!r} (see aliyun.log.etl_core.settings)")
        if callable(value) and not name.startswith(_CONDITION_RULES):
            return value  # type: ignore[no-any-return]  # already a transformation
        try:
            return rule(value)  # type: ignore[no-any-return]
        except SettingError as exc:
            raise SettingError(msg=f"line {line}: {name}: {exc.get_error_message()}") from exc
        except Exception as exc:  # a value of a shape the rule cannot take
            raise SettingError(exc, msg=f"line {line}: {name} is not a valid {rule.__name__} setting") from exc

    def parse(self) -> list[list[Any]]:
        """``[[line, step], ...]`` in line order."""
        tree = ast.parse(self._source())
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and (self.macro_check(target.id) or _RULE_WORDS.match(target.id)):
                        self.name_list.append([node.lineno, self._rule(target.id, node.lineno)])
            elif isinstance(node, ast.FunctionDef):
                fn = getattr(self.md, node.name, None)
                step = self.get_fn(fn, node.name) if callable(fn) else None
                if step is not None:
                    self.fn_list.append([node.lineno, step])
        steps = sorted(self.name_list + self.fn_list, key=lambda item: item[0])
        logger.debug("ETL script %s: %d steps", getattr(self.md, "__name__", "?"), len(steps))
        return steps
