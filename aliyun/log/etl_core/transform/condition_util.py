"""Field predicates and field-name patterns used in conditions."""

from __future__ import annotations

from typing import Any

from ..etl_util import u

__all__ = ["ALL", "ANY", "EMPTY", "EXIST", "F_META", "F_TAGS", "F_TIME", "NONE", "NO_EMPTY"]

#: a condition that always holds (``DROP_EVENT_x = ANY`` ...)
ALL = ANY = True

#: field-name patterns: tags, meta fields, the time field
F_TAGS = "__tag__:.+"
F_META = "__tag__:.+|__topic__|__source__"
F_TIME = "__time__"


class _FieldPredicate:
    def __init__(self, field: Any) -> None:
        self.field = u(field)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.field!r})"


class EMPTY(_FieldPredicate):
    """The field is missing or empty."""

    def __call__(self, event: dict[str, Any]) -> bool:
        return not event.get(self.field)


class NONE(_FieldPredicate):
    """The field is missing."""

    def __call__(self, event: dict[str, Any]) -> bool:
        return self.field not in event


class EXIST(_FieldPredicate):
    """The field is present (even empty)."""

    def __call__(self, event: dict[str, Any]) -> bool:
        return self.field in event


class NO_EMPTY(_FieldPredicate):
    """The field is present and not empty."""

    def __call__(self, event: dict[str, Any]) -> bool:
        return bool(event.get(self.field))
