"""``SPLIT``: one event per item of a list held in a field (a JSON array or a delimited line)."""

from __future__ import annotations

import copy
import csv
import json
import logging
from typing import Any, Optional

from ._jmes import compile_jmes
from .trans_base import trans_comp_base

__all__ = ["split_event_transformer", "trans_comp_split_event"]

logger = logging.getLogger(__name__)


class split_event_transformer(trans_comp_base):
    """Split an event on a field's list.

    :param sep: delimiter when the value is not a JSON array (default ``,``).
    :param quote: quote character of the delimited form (default ``"``).
    :param lstrip: drop spaces after a delimiter (default True).
    :param output: the field each new event gets its item in (default: the input field).
    :param jmes: a JMESPath filter selecting the list inside a JSON value.
    """

    DEFAULT_SEP = ","
    DEFAULT_QUOTE = '"'

    def __init__(
        self,
        sep: Optional[str] = None,
        quote: Optional[str] = None,
        lstrip: Optional[bool] = None,
        output: Optional[str] = None,
        jmes: Optional[str] = None,
    ) -> None:
        self.sep = sep or self.DEFAULT_SEP
        self.quote = quote or self.DEFAULT_QUOTE
        self.lstrip = True if lstrip is None else lstrip
        self.output_field = self._u(output)
        self.jmes = self._u(jmes or "")
        self.jmes_filter = compile_jmes(self.jmes) if self.jmes else None

    def _delimited(self, text: str) -> list[str]:
        reader = csv.reader([text], skipinitialspace=self.lstrip, delimiter=self.sep, quotechar=self.quote)
        return next(reader, [])

    def _items(self, value: Any, use_filter: bool = True) -> Optional[list[Any]]:
        text = self._n(value)
        flt = self.jmes_filter if use_filter else None
        try:
            parsed = json.loads(text)
        except ValueError:
            if flt is not None:
                logger.debug("SPLIT: %r is not JSON, the jmes filter cannot apply", text)
                return None
            return self._delimited(text)
        if flt is None:
            return parsed if isinstance(parsed, list) else self._delimited(text)
        selected = flt.search(parsed)
        if isinstance(selected, list):
            return selected
        if isinstance(selected, str):
            return self._items(selected, use_filter=False)
        return None

    def __call__(self, event: dict[str, Any], inpt: Any) -> Any:
        inpt = self._u(inpt)
        if inpt not in event:
            return event
        target = self.output_field or inpt
        items = self._items(event[inpt])
        if not items:
            return event
        if len(items) == 1:
            event[target] = self._n(items[0])
            return event
        result = []
        for item in items:
            each = copy.copy(event)
            each[target] = self._n(item)
            result.append(each)
        return result


def trans_comp_split_event(*args: Any, **kwargs: Any) -> Any:
    """``SPLIT(event, field)`` splits with the defaults; ``SPLIT(sep=..., ...)`` makes a splitter."""
    if (args and isinstance(args[0], dict)) or isinstance(kwargs.get("event"), dict):
        return split_event_transformer()(*args, **kwargs)
    return split_event_transformer(*args, **kwargs)
