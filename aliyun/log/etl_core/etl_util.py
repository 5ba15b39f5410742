"""Small helpers the transformations share: whole-string regex matching, the ``NOT`` marker,
applying a chain of functions to an event that may split into several, and set modes."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Sequence
from typing import Any, Callable, Optional, TypeVar

__all__ = [
    "NOT",
    "bind_event_fn",
    "cached",
    "get_re_full_match",
    "get_set_mode_if_skip_fn",
    "process_event",
    "re_full_match",
    "support_event_list_simple",
    "u",
]

F = TypeVar("F", bound=Callable[..., Any])
#: entries a cached function keeps before it starts over
DEFAULT_FN_CACHE_SIZE = 102400


def cached(fn: F) -> F:
    """Memoise ``fn`` on the text of its arguments (which may be unhashable); the memo is
    cleared when it grows past :data:`DEFAULT_FN_CACHE_SIZE` entries."""
    memo: dict[str, Any] = {}

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = repr(args) + repr(sorted(kwargs.items()))
        if key not in memo:
            if len(memo) >= DEFAULT_FN_CACHE_SIZE:
                memo.clear()
            memo[key] = fn(*args, **kwargs)
        return memo[key]

    return wrapper  # type: ignore[return-value]


class NOT(str):
    """A pattern whose match is negated: ``{"level": NOT("DEBUG|INFO")}`` holds for other levels."""

    __slots__ = ()

    def __new__(cls, value: Any) -> NOT:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "ignore")
        if not isinstance(value, str):
            raise ValueError("NOT takes a string pattern")
        return super().__new__(cls, value)


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def get_re_full_match(pattern: str, flags: int = 0) -> Callable[..., Optional[re.Match[str]]]:
    """The ``fullmatch`` of ``pattern`` compiled once (compilations are cached)."""
    return _compiled(str(pattern), flags).fullmatch


def re_full_match(pattern: str, string: Any, *args: Any, **kwargs: Any) -> Any:
    """Does ``pattern`` match the whole of ``string``? A :class:`NOT` pattern inverts the answer."""
    if isinstance(string, bytes):
        string = string.decode("utf-8", "ignore")
    flags = kwargs.pop("flags", args[0] if args else 0)
    found = _compiled(str(pattern), flags).fullmatch(str(string))
    return (found is None) if isinstance(pattern, NOT) else found


def bind_event_fn(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """``lambda event: fn(event, *args, **kwargs)`` with the arguments bound now, not late."""

    @functools.wraps(fn)
    def bound(event: Any) -> Any:
        return fn(event, *args, **kwargs)

    return bound


def _collect(result: Any, into: list[Any]) -> None:
    if result is None:
        return
    if isinstance(result, (list, tuple)):
        into.extend(item for item in result if item is not None)
    else:
        into.append(result)


def _single_or_list(events: list[Any]) -> Any:
    if not events:
        return None
    return events[0] if len(events) == 1 else events


def process_event(event: Any, fn_list: Sequence[Callable[[Any], Any]], cp: bool = True) -> Any:
    """Run ``event`` through ``fn_list`` in order.

    A function may return the event (changed or new), ``None`` (drop it) or a list of events
    (split it); each following function then sees every event separately. The result is
    ``None`` when nothing is left, the event when one is left, else the list.

    :param cp: work on a shallow copy, so the caller's dict is not changed.
    """
    if not fn_list:
        return event
    current = copy.copy(event) if cp else event
    events: list[Any] = []
    _collect(current, events)
    for fn in fn_list:
        following: list[Any] = []
        for item in events:
            _collect(fn(item), following)
        events = following
        if not events:
            return None
    return _single_or_list(events)


def support_event_list_simple(fn: F) -> F:
    """Let a ``__call__(self, event)`` also take a list of events (each handled alone)."""

    @functools.wraps(fn)
    def wrapper(self: Any, event: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(event, (list, tuple)):
            results: list[Any] = []
            for item in event:
                _collect(fn(self, item, *args, **kwargs), results)
            return _single_or_list(results)
        return fn(self, event, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def u(d: Any) -> Any:
    """Text as ``str``: bytes are decoded as UTF-8, recursively inside lists, tuples and dicts."""
    if isinstance(d, bytes):
        return d.decode("utf-8", "ignore")
    if isinstance(d, list):
        return [u(x) for x in d]
    if isinstance(d, tuple):
        return tuple(u(x) for x in d)
    if isinstance(d, dict):
        return {u(k): u(v) for k, v in d.items()}
    return d


def get_set_mode_if_skip_fn(
    skip_if_src_exist: bool, skip_if_src_not_empty: bool, skip_if_value_empty: bool
) -> Callable[[dict[str, Any], str, Any], bool]:
    """A predicate ``(event, key, value) -> skip?`` for one set mode (see ``trans_base``)."""

    def skip(event: dict[str, Any], key: str, value: Any) -> bool:
        if skip_if_src_exist and key in event:
            return True
        if skip_if_src_not_empty and event.get(key):
            return True
        return bool(skip_if_value_empty and not value)

    return skip
