"""``condition``: when a rule applies to an event.

A condition is a list of alternatives (any may hold); a single value counts as a one-item list.
An alternative is

- ``True``/``False``;
- a callable taking the event;
- a dict of field rules, all of which must hold: a pattern string (matching the whole value;
  :class:`~aliyun.log.etl_core.etl_util.NOT` negates it), a callable taking the value, ``True``
  (the field exists) or ``None`` (the field is missing).

Used as a decorator, ``@condition(...)`` runs the decorated function only on events the
condition holds for, and passes the others through unchanged (also when the function raises:
the error is logged and the event kept, as in the official engine).
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Optional

from ..etl_util import re_full_match, u
from ..exceptions import SettingError

__all__ = ["condition"]

logger = logging.getLogger(__name__)
_META = frozenset({"__time__", "__topic__", "__source__"})


def _field_rule_holds(rule: Any, event: dict[str, Any], key: str) -> bool:
    if key not in event:
        return rule is None
    value = event[key]
    if isinstance(rule, bool):
        return rule
    if isinstance(rule, (str, bytes)):
        return bool(re_full_match(u(rule), value))
    if callable(rule):
        return bool(rule(value))
    return False


def _check_of(alternative: Any) -> Optional[Callable[[dict[str, Any]], bool]]:
    if isinstance(alternative, bool):
        return lambda event: alternative
    if callable(alternative):
        return alternative  # type: ignore[no-any-return]
    if isinstance(alternative, dict):
        rules = dict(alternative)
        return lambda event: all(_field_rule_holds(rule, event, key) for key, rule in rules.items())
    return None


def _is_meta(key: str) -> bool:
    return key in _META or key.startswith("__tag__:")


class condition:
    """A predicate over events, also usable as a decorator (see the module docstring).

    :param cond: the alternatives.
    :param pass_meta: hand meta fields (``__time__``, ``__topic__``, ``__source__``,
        ``__tag__:*``) to the decorated function (default True).
    :param restore_meta: put the meta fields back on its result (default: when they were not passed).
    """

    def __init__(self, cond: Any, pass_meta: Optional[bool] = None, restore_meta: Optional[bool] = None) -> None:
        cond = u(cond)
        self.cond = cond if isinstance(cond, list) else [cond]
        self.pass_meta = True if pass_meta is None else pass_meta
        self.restore_meta = (not self.pass_meta) if restore_meta is None else restore_meta
        self.check_list = []
        for alternative in self.cond:
            check = _check_of(alternative)
            if check is None:
                raise SettingError(
                    msg="a condition is a bool, a callable or a dict of field rules", settings=alternative
                )
            self.check_list.append(check)

    def holds(self, event: dict[str, Any]) -> bool:
        """Does any alternative hold for ``event``?"""
        return any(check(event) for check in self.check_list)

    def call_processor(self, fn: Callable[..., Any], evt: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn`` on ``evt`` honouring ``pass_meta`` and ``restore_meta``."""
        event = evt if self.pass_meta else {k: v for k, v in evt.items() if not _is_meta(k)}
        result = fn(event, *args, **kwargs)
        if self.restore_meta and isinstance(result, dict):
            result.update({k: v for k, v in evt.items() if _is_meta(k)})
        return result

    def __call__(self, entity: Any) -> Any:
        if isinstance(entity, dict):
            return self.holds(entity)
        if callable(entity):
            fn = entity

            @functools.wraps(fn)
            def guarded(event: Any, *args: Any, **kwargs: Any) -> Any:
                # as the official engine: a failing rule leaves the event as it was
                try:
                    if self.holds(event):
                        return self.call_processor(fn, event, *args, **kwargs)
                except Exception:
                    logger.exception("condition: %r failed on an event; the event is kept unchanged", fn)
                return event

            return guarded
        raise SettingError(msg="condition applies to an event (dict) or decorates a function", settings=entity)
