"""``REGEX``: fields from a regular expression.

``REGEX(pattern)`` sets the named groups of the first match. ``fields_info`` names more:

- a string: that field gets the whole first match;
- a list: the groups of the first match in order, or (without groups) the successive whole
  matches;
- a dict ``{key_template: value_template}``: for every match, ``\\1``-style templates expanded.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Optional

from ..exceptions import SettingError
from .trans_base import trans_comp_check_mdoe_base

__all__ = ["trans_comp_regex"]

logger = logging.getLogger(__name__)


class trans_comp_regex(trans_comp_check_mdoe_base):
    """Extract fields from a regex (module docstring); ``mode`` is the set mode."""

    def __init__(self, pattern: str, fields_info: Any = None, mode: Optional[str] = None) -> None:
        super().__init__(mode=mode)
        self.config = self._u(pattern)
        try:
            self.ptn = re.compile(self.config)
        except re.error as exc:
            raise SettingError(exc, self.config, "REGEX cannot compile the pattern") from exc
        fields_info = self._u(fields_info)
        if fields_info is not None and not isinstance(fields_info, (str, list, dict)):
            raise SettingError(msg="REGEX fields_info is a name, a list of names or a dict", settings=fields_info)
        self.fields_info = fields_info or None

    def _apply(self, event: dict[str, Any], value: str) -> None:
        matches = self.ptn.finditer(value)
        first = next(matches, None)
        if first is None:
            logger.debug("REGEX %r: no match in %r", self.config, value)
            return
        self.sets(event, {k: v for k, v in first.groupdict().items() if v is not None})
        info = self.fields_info
        if isinstance(info, str):
            self.set(event, info, first.group())
        elif isinstance(info, dict):
            for m in (first, *matches):
                for key_tpl, value_tpl in info.items():
                    try:
                        self.set(event, m.expand(key_tpl), m.expand(value_tpl), check_kw_name=True)
                    except (re.error, IndexError) as exc:
                        logger.debug("REGEX %r: cannot expand %r: %s", self.config, key_tpl, exc)
        elif isinstance(info, list):
            values = list(first.groups()) if first.groups() else [m.group() for m in (first, *matches)]
            for name, found in zip(info, values):
                if found is not None:
                    self.set(event, name, found, check_kw_name=True)

    def __call__(self, event: dict[str, Any], inpt: Any) -> dict[str, Any]:
        inpt = self._u(inpt)
        for field in inpt if isinstance(inpt, list) else [inpt]:
            if field in event:
                self._apply(event, self._n(event[field]))
        return event
