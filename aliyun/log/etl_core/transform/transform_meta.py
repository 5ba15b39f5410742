"""Whole-event and field-set operations: keep/drop events and fields, rename fields, extract
key-value pairs from the fields whose names match."""

from __future__ import annotations

from typing import Any, Callable

from ..etl_util import get_re_full_match, support_event_list_simple, u
from ..exceptions import SettingError
from .transform_base import transform_base

__all__ = [
    "ALIAS",
    "DROP",
    "DROP_F",
    "KEEP",
    "KEEP_F",
    "KV_F",
    "RENAME",
    "drop_fields",
    "extract_kv_fields",
    "keep_fields",
    "rename_fields",
    "simple_drop",
    "simple_keep",
]


def _name_matcher(config: Any, what: str) -> Callable[[str], bool]:
    config = u(config)
    if isinstance(config, str):
        match = get_re_full_match(config)
        return lambda name: match(name) is not None
    if isinstance(config, list) and all(isinstance(c, str) for c in config):
        matches = [get_re_full_match(c) for c in config]
        return lambda name: any(m(name) is not None for m in matches)
    raise SettingError(msg=f"{what} takes a field-name pattern or a list of them", settings=config)


class simple_drop(transform_base):
    """Drop every event."""

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        return None


class simple_keep(transform_base):
    """Keep every event unchanged."""

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        return event


class drop_fields(transform_base):
    """Remove the fields whose whole name matches the pattern(s)."""

    def __init__(self, config: Any) -> None:
        self.check = _name_matcher(config, "drop_fields")

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        return {k: v for k, v in event.items() if not self.check(k)}


class keep_fields(transform_base):
    """Keep only the fields whose whole name matches the pattern(s)."""

    def __init__(self, config: Any) -> None:
        self.check = _name_matcher(config, "keep_fields")

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        return {k: v for k, v in event.items() if self.check(k)}


class rename_fields(transform_base):
    """Rename fields: ``{pattern: new_name}``, the first pattern matching the whole name wins."""

    def __init__(self, config: Any) -> None:
        config = u(config)
        if config is None or config == "":
            self.rules: list[tuple[Callable[..., Any], str]] = []
        elif isinstance(config, dict):
            try:
                self.rules = [(get_re_full_match(k), v) for k, v in config.items()]
            except Exception as exc:  # re.error and friends: the pattern is the user's
                raise SettingError(exc, config, "rename_fields has an invalid pattern") from exc
        else:
            raise SettingError(msg="rename_fields takes a dict {pattern: new name}", settings=config)

    def new_name(self, name: str) -> str:
        """The name ``name`` is renamed to (itself when no rule matches)."""
        for match, new in self.rules:
            if match(name):
                return new
        return name

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        return {self.new_name(k): v for k, v in event.items()}


class extract_kv_fields(transform_base):
    """Extract ``key=value`` pairs (as ``KV`` does) from every field whose name matches."""

    def __init__(self, config: Any) -> None:
        self.check = _name_matcher(config, "extract_kv_fields")

    @support_event_list_simple
    def __call__(self, event: Any) -> Any:
        from ..trans_comp import KV

        return KV(event, [k for k in event if self.check(k)])


DROP = simple_drop()
KEEP = simple_keep()
ALIAS = RENAME = rename_fields
DROP_F = drop_fields
KEEP_F = keep_fields
KV_F = extract_kv_fields
