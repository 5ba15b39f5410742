"""``JSON``: fields from a JSON value, expanded level by level and/or selected by JMESPath."""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Callable, Optional, Union

from ..etl_util import get_re_full_match
from ..exceptions import SettingError
from ._jmes import compile_jmes
from .trans_base import trans_comp_check_mdoe_base

__all__ = ["json_transformer", "trans_comp_json"]

logger = logging.getLogger(__name__)

# key formats during expansion; each gets the same placeholders as a custom format string
_FORMATS = {
    "simple": "{prefix}{current}{suffix}",
    "full": "{parent_path}{sep}{prefix}{current}{suffix}",
    "parent": "{parent}{sep}{prefix}{current}{suffix}",
    "root": "{root}{sep}{prefix}{current}{suffix}",
}


class json_transformer(trans_comp_check_mdoe_base):
    """Extract from a JSON field.

    :param jmes: a JMESPath filter applied first.
    :param jmes_ignore_none: when the filter gives null, extract nothing (default True; else
        ``output`` gets an empty string).
    :param output: the field the filter's result is written to.
    :param expand: expand the (filtered) value into fields. Default: True unless both ``jmes``
        and ``output`` are given.
    :param depth: levels to expand (default and at most 100); deeper values stay JSON text.
    :param include_node: regex a key must match whole to be written (default: a keyword).
    :param exclude_node: regex of keys not written.
    :param include_path: regex the dotted path (``data.k1.k2``) must start with.
    :param exclude_path: regex of dotted paths not written.
    :param fmt: key names: ``simple`` (the key), ``full`` (the whole path joined by ``sep``),
        ``parent`` (parent and key), ``root`` (root and key), a format string with the
        placeholders ``parent_list``, ``parent_rlist``, ``current``, ``sep``, ``prefix``,
        ``suffix``, or a function ``(parent_list, key, value) -> (name, value)``.
    :param sep: separator of the formats (default ``.``).
    :param prefix: put before each key name.
    :param suffix: put after each key name.
    :param expand_array: expand arrays too (default True), items named by ``fmt_array``.
    :param fmt_array: the item key, default ``"{parent_rlist[0]}_{index}"``.
    :param mode: the set mode.
    """

    DEFAULT_SEP = "."
    DEFAULT_FMT = "simple"
    DEFAULT_DEPTH = 100
    DEFAULT_INCLUDE_NODE = trans_comp_check_mdoe_base.DEFAULT_KEYWORD_PTN
    DEFAULT_EXCLUDE_NODE = ""
    DEFAULT_INCLUDE_PATH = ""
    DEFAULT_EXCLUDE_PATH = ""
    DEFAULT_FMT_ARRAY = "{parent_rlist[0]}_{index}"

    def __init__(
        self,
        jmes: Optional[str] = None,
        jmes_ignore_none: Optional[bool] = None,
        output: Optional[str] = None,
        expand: Optional[bool] = None,
        depth: Optional[int] = None,
        include_node: Optional[str] = None,
        exclude_node: Optional[str] = None,
        include_path: Optional[str] = None,
        exclude_path: Optional[str] = None,
        fmt: Union[str, Callable[..., Any], None] = None,
        sep: Optional[str] = None,
        prefix: Optional[str] = None,
        suffix: Optional[str] = None,
        expand_array: Optional[bool] = None,
        fmt_array: Optional[str] = None,
        mode: Optional[str] = None,
    ) -> None:
        super().__init__(mode=mode)
        self.jmes = self._u(jmes or "")
        self.output = self._u(output or "")
        self.expand = (not self.jmes or not self.output) if expand is None else expand
        self.jmes_ignore_none = True if jmes_ignore_none is None else jmes_ignore_none
        self.jmes_filter = compile_jmes(self.jmes) if self.jmes else None
        self.depth = min(depth or self.DEFAULT_DEPTH, self.DEFAULT_DEPTH)
        self.prefix = self._u(prefix or "")
        self.suffix = self._u(suffix or "")
        self.sep = self._u(self.DEFAULT_SEP if sep is None else sep)
        self.fmt = self._u(fmt or self.DEFAULT_FMT)
        self.expand_array = True if expand_array is None else expand_array
        self.format_array = self._u(fmt_array or self.DEFAULT_FMT_ARRAY)
        self.include_node = self._u(include_node or self.DEFAULT_INCLUDE_NODE)
        self.exclude_node = self._u(exclude_node or "")
        self.include_path = self._u(include_path or "")
        self.exclude_path = self._u(exclude_path or "")
        try:
            self._include_node = get_re_full_match(self.include_node)
            self._exclude_node = get_re_full_match(self.exclude_node) if self.exclude_node else None
            self._include_path = re.compile(self.include_path).match if self.include_path else None
            self._exclude_path = re.compile(self.exclude_path).match if self.exclude_path else None
        except re.error as exc:
            raise SettingError(exc, msg="JSON has an invalid include/exclude regex") from exc

    def _skipped(self, key: str, parents: tuple[str, ...]) -> bool:
        if not self._include_node(key) or (self._exclude_node and self._exclude_node(key)):
            return True
        if self._include_path or self._exclude_path:
            path = ".".join((*parents, key))
            if self._include_path and not self._include_path(path):
                return True
            if self._exclude_path and self._exclude_path(path):
                return True
        return False

    def _name(self, key: str, value: Any, parents: tuple[str, ...], rparents: tuple[str, ...]) -> Any:
        fmt = self.fmt
        if callable(fmt):
            return fmt(parents, key, value)
        template = _FORMATS.get(fmt.strip().lower(), fmt)
        name = template.format(
            parent_list=parents,
            parent_rlist=rparents,
            parent_path=self.sep.join(parents),
            parent=parents[-1],
            root=parents[0],
            current=key,
            sep=self.sep,
            prefix=self.prefix,
            suffix=self.suffix,
        )
        return name, value

    def _add(
        self, out: dict[str, str], key: Any, value: Any, parents: tuple[str, ...], rparents: tuple[str, ...]
    ) -> None:
        key = self._n(key)
        if self._skipped(key, parents):
            return
        try:
            named = self._name(key, self._n(value), parents, rparents)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            logger.debug("JSON: cannot format key %r with %r: %s", key, self.fmt, exc)
            return
        if named and len(named) == 2:
            out[self._n(named[0])] = self._n(named[1])

    def _expand(
        self, out: dict[str, str], key: str, value: Any, parents: tuple[str, ...], rparents: tuple[str, ...]
    ) -> None:
        is_list = isinstance(value, (list, tuple))
        if (
            len(parents) > self.depth
            or not isinstance(value, (dict, list, tuple))
            or (is_list and not self.expand_array)
        ):
            self._add(out, key, value, parents, rparents)
            return
        if is_list:
            value = {
                self.format_array.format(parent_list=parents, parent_rlist=rparents, index=i): item
                for i, item in enumerate(value)
            }
        for k, v in value.items():
            if isinstance(v, (dict, list, tuple)):
                self._expand(out, k, v, (*parents, k), (k, *rparents))
            else:
                self._add(out, k, v, parents, rparents)

    def _extract(self, field: str, value: Any) -> Optional[dict[str, str]]:
        if isinstance(value, (str, bytes)):
            try:
                value = json.loads(value)
            except ValueError:
                logger.debug("JSON: field %r is not JSON", field)
                return None
        out: dict[str, str] = {}
        if self.jmes_filter is not None:
            try:
                value = self.jmes_filter.search(value)
            except Exception as exc:  # a filter function failing on this value's types
                logger.debug("JSON: jmes filter %r failed: %s", self.jmes, exc)
                return None
            if value is None and self.jmes_ignore_none:
                return None
            if self.output:
                out[self.output] = self._n(value)
        if self.expand:
            self._expand(out, field, value, (field,), (field,))
        return out

    def __call__(self, event: dict[str, Any], inpt: Any) -> dict[str, Any]:
        inpt = self._u(inpt)
        for field in [inpt] if isinstance(inpt, str) else list(inpt):
            if isinstance(field, str) and field in event:
                found = self._extract(field, event[field])
                if found:
                    self.sets(event, found)
        return event


def trans_comp_json(*args: Any, **kwargs: Any) -> Any:
    """``JSON(event, field)`` extracts with the defaults; ``JSON(jmes=..., ...)`` makes an extractor."""
    if (args and isinstance(args[0], dict)) or isinstance(kwargs.get("event"), dict):
        return json_transformer()(*args, **kwargs)
    return json_transformer(*args, **kwargs)
