"""``V`` (the value of another field) and ``ZIP`` (pair up two lists into one)."""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any, Optional

from ..exceptions import SettingError
from .trans_base import trans_comp_base

__all__ = ["V", "trans_set_field_zip"]

logger = logging.getLogger(__name__)


class V(trans_comp_base):
    """The value of the first of ``fields`` present in the event.

    In a dict transform ``{"new": V("a", "b")}`` it gives the value (``None`` when none is
    present, and then ``new`` is left alone); as an extractor ``("new", V("a"))`` it sets the
    field, or removes it when none is present.
    """

    def __init__(self, *config: Any) -> None:
        if not config:
            raise SettingError(msg="V needs at least one field name", settings=config)
        self.field = self._u(config)

    def _get_value(self, e: dict[str, Any]) -> Any:
        for name in self.field:
            if name in e:
                return e[name]
        return None

    def __call__(self, event: dict[str, Any], inpt: Any = None) -> Any:
        if inpt is None:
            return self._get_value(event)
        inpt = self._u(inpt)
        value = self._get_value(event)
        if value is None:
            event.pop(inpt, None)
        else:
            event[inpt] = value
        return event


class trans_set_field_zip(trans_comp_base):
    """``ZIP(f1, f2)``: ``"a#1,b#2"`` from ``f1 = "a,b"`` and ``f2 = "1,2"`` (JSON arrays too).

    :param combine_sep: joins the two items of a pair (default ``#``).
    :param sep: delimiter of the result. :param quote: quote character of the result.
    :param lparse: ``(delimiter, quote)`` to read ``f1``. :param rparse: the same for ``f2``.
    """

    DEFAULT_COMBINE_SEP = "#"
    DEFAULT_SEP = ","
    DEFAULT_QUOTE = '"'
    DEFAULT_PARSE = (",", '"')

    def __init__(
        self,
        field1: str,
        field2: str,
        combine_sep: Optional[str] = None,
        sep: Optional[str] = None,
        quote: Optional[str] = None,
        lparse: Optional[tuple[str, str]] = None,
        rparse: Optional[tuple[str, str]] = None,
    ) -> None:
        self.field1 = self._u(field1)
        self.field2 = self._u(field2)
        self.combine_sep = self._u(combine_sep or self.DEFAULT_COMBINE_SEP)
        self.sep = sep or self.DEFAULT_SEP
        self.quote = quote or self.DEFAULT_QUOTE
        self.lsep, self.lquote = lparse or self.DEFAULT_PARSE
        self.rsep, self.rquote = rparse or self.DEFAULT_PARSE

    @staticmethod
    def _parse_list(v: Any, sep: str, quote: str) -> list[Any]:
        text = trans_comp_base._n(v)
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass
        return next(csv.reader([text], skipinitialspace=True, delimiter=sep, quotechar=quote), [])

    def __call__(self, event: dict[str, Any]) -> Optional[str]:
        if self.field1 not in event or self.field2 not in event:
            logger.debug("ZIP: %r or %r missing", self.field1, self.field2)
            return None
        left = self._parse_list(event[self.field1], self.lsep, self.lquote)
        right = self._parse_list(event[self.field2], self.rsep, self.rquote)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.sep, quotechar=self.quote, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([f"{self._n(a)}{self.combine_sep}{self._n(b)}" for a, b in zip(left, right)])
        return buffer.getvalue().strip()
