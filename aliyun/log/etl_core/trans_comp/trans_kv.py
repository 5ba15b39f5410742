"""``KV``: ``key=value`` pairs found anywhere in a field's text.

A key is letters, CJK characters, digits, ``.``, ``_`` or ``-`` and starts with a letter or CJK
character; a value is such a word or a quoted string (spaces inside the quotes are trimmed).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, Optional

from .trans_base import trans_comp_check_mdoe_base

__all__ = ["kv_transformer", "trans_comp_kv"]

logger = logging.getLogger(__name__)
_WORD = "[\u4e00-\u9fa5\u0800-\u4e00\\w.\\-]+"


@functools.lru_cache(maxsize=256)
def _pair_pattern(sep: str, quote: str, escape: bool) -> re.Pattern[str]:
    q = re.escape(quote)
    # an escaped quote (\") may sit inside a quoted value only in escape mode
    body = rf"(?:\\{q}|[^{q}])*?" if escape else rf"[^{q}]*?"
    return re.compile(rf"(?P<key>{_WORD})\s*(?:{sep})\s*(?:{q}\s*(?P<quoted>{body})\s*(?<!\\){q}|(?P<bare>{_WORD}))")


class kv_transformer(trans_comp_check_mdoe_base):
    """Extract pairs (module docstring).

    :param prefix: put before every extracted key.
    :param suffix: put after every extracted key.
    :param sep: the separator, a regex (default ``=``; ``(?::|=)`` takes both).
    :param quote: the quote character (default ``"``).
    :param escape: let ``\\"`` stand for a quote inside a quoted value (default False).
    :param mode: the set mode.
    """

    DEFAULT_SEP = "="
    DEFAULT_QUOTE = '"'

    def __init__(
        self,
        prefix: Optional[str] = None,
        suffix: Optional[str] = None,
        sep: Optional[str] = None,
        quote: Optional[str] = None,
        escape: Optional[bool] = None,
        mode: Optional[str] = None,
    ) -> None:
        super().__init__(mode=mode)
        self.prefix = self._u(prefix or "")
        self.suffix = self._u(suffix or "")
        self.sep = self._u(self.DEFAULT_SEP if sep is None else sep)
        self.quote = self._u(self.DEFAULT_QUOTE if quote is None else quote)
        self.escape = bool(escape)
        self.ptn = _pair_pattern(self.sep, self.quote, self.escape)

    def _extract(self, event: dict[str, Any], text: str) -> None:
        # named groups: a separator regex with groups of its own does not shift them
        for match in self.ptn.finditer(text):
            key, value = match.group("key"), match.group("bare") or match.group("quoted") or ""
            if self.escape:
                value = value.strip().replace("\\" + self.quote, self.quote)
            if self.kw_ptn(key):
                self.set(event, f"{self.prefix}{key}{self.suffix}", value)

    def __call__(self, event: dict[str, Any], inpt: Any) -> dict[str, Any]:
        inpt = self._u(inpt)
        for field in [inpt] if isinstance(inpt, str) else list(inpt):
            if isinstance(field, str) and field in event:
                self._extract(event, self._n(event[field]))
        return event


def trans_comp_kv(*args: Any, **kwargs: Any) -> Any:
    """``KV(event, field)`` extracts with the defaults; ``KV(sep=..., ...)`` makes an extractor."""
    if (args and isinstance(args[0], dict)) or isinstance(kwargs.get("event"), dict):
        return kv_transformer()(*args, **kwargs)
    return kv_transformer(*args, **kwargs)
