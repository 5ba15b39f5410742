"""Rules over whole events: dispatch (first matching rule), transform (every matching rule),
keep and drop."""

from __future__ import annotations

import logging
from typing import Any, Callable

from ..etl_util import process_event, support_event_list_simple
from .condition_list import condition
from .transform_base import transform_base
from .transform_list import transform

__all__ = ["dispatch_event", "drop_event", "keep_event", "transform_event"]

logger = logging.getLogger(__name__)


def _pairs(config: Any) -> list[tuple[Any, Any]]:
    rules = config if isinstance(config, list) else [config]
    return [(condition(cond), transform(change)) for cond, change in rules]


class dispatch_event(transform_base):
    """``[(condition, change), ...]``: apply the change of the first rule whose condition holds."""

    def __init__(self, config: Any) -> None:
        self.trans = _pairs(config)

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        for cond, change in self.trans:
            if cond(event):
                return change(event)
        return event


def _when(cond: condition, change: transform) -> Callable[[Any], Any]:
    return lambda event: change(event) if cond(event) else event


class transform_event(transform_base):
    """``[(condition, change), ...]``: apply, in order, the change of every rule whose condition
    holds (each condition sees the event as the previous rules left it)."""

    def __init__(self, config: Any) -> None:
        self.fn_list = [_when(cond, change) for cond, change in _pairs(config)]

    def __call__(self, event: Any) -> Any:
        return process_event(event, self.fn_list)


class drop_event(transform_base):
    """Drop the events the condition holds for."""

    def __init__(self, cond: Any) -> None:
        self.c = condition(cond)

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        if self.c(event):
            logger.debug("drop_event: dropped %s", event)
            return None
        return event


class keep_event(transform_base):
    """Keep only the events the condition holds for."""

    def __init__(self, cond: Any) -> None:
        self.c = condition(cond)

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        if self.c(event):
            return event
        logger.debug("keep_event: dropped %s", event)
        return None
