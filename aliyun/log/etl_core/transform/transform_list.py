"""``transform``: one or several changes applied to an event in order.

A change is

- a callable taking the event and returning the new event (or ``None``, or a list);
- a dict ``{field: value}``: the value is a string, or a callable of the event such as
  ``V("other")`` whose result is set; a ``None`` result leaves the field as it was, and a
  value that is not text is skipped with a warning;
- a tuple ``(field_or_fields, extractor)`` where the extractor is a regex string (with named
  groups), ``(field, regex, fields_info)``, or a callable ``extractor(event, field)`` such as
  ``REGEX(...)``, ``CSV(...)``, ``KV``, ``JSON``, ``LOOKUP(...)``, ``SPLIT``.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from ..etl_util import bind_event_fn, process_event, u
from ..exceptions import SettingError
from ..trans_comp.trans_regex import trans_comp_regex
from .transform_base import transform_base

__all__ = ["transform"]

logger = logging.getLogger(__name__)


def _dict_change(spec: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(event: dict[str, Any]) -> dict[str, Any]:
        updates: dict[str, Any] = {}
        for key, value in spec.items():
            if callable(value):
                value = value(event)
            if isinstance(value, bytes):
                value = value.decode("utf-8", "ignore")
            if isinstance(value, str):
                updates[key] = value
            elif value is None:
                updates.pop(key, None)
            else:
                # as the official engine: only text is set
                logger.warning("transform: value %r for field %r is not text; skipped", value, key)
        event.update(updates)
        return event

    return change


def _tuple_change(spec: tuple[Any, ...]) -> Callable[[dict[str, Any]], Any]:
    if len(spec) not in (2, 3):
        raise SettingError(msg="a transform tuple is (field, extractor) or (field, regex, fields_info)", settings=spec)
    field, extractor = spec[0], spec[1]
    if isinstance(extractor, str):
        return bind_event_fn(trans_comp_regex(*spec[1:]), field)
    if callable(extractor):
        return bind_event_fn(extractor, field)
    raise SettingError(msg="the extractor of a transform tuple is a regex or a callable", settings=spec)


class transform(transform_base):
    """Apply the changes in ``trans`` (one or a list, see the module docstring) in order."""

    def __init__(self, trans: Any) -> None:
        trans = u(trans)
        self.trans = trans if isinstance(trans, list) else [trans]
        self.transform_list: list[Callable[[Any], Any]] = []
        for spec in self.trans:
            if callable(spec):
                self.transform_list.append(spec)
            elif isinstance(spec, dict):
                self.transform_list.append(_dict_change(spec))
            elif isinstance(spec, tuple):
                self.transform_list.append(_tuple_change(spec))
            else:
                raise SettingError(msg="a transform is a callable, a dict or a tuple", settings=spec)

    def __call__(self, event: Any) -> Any:
        return process_event(event, self.transform_list)
