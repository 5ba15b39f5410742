"""``CSV``, ``TSV``, ``PSV``: fields from one delimited line."""

from __future__ import annotations

import csv
import logging
import re
from typing import Any, Optional

from ..exceptions import SettingError
from .trans_base import trans_comp_check_mdoe_base

__all__ = ["trans_comp_csv", "trans_comp_psv", "trans_comp_tsv"]

logger = logging.getLogger(__name__)
_NAMES_SEP = re.compile(r"\s*,\s*")


class trans_comp_csv(trans_comp_check_mdoe_base):
    """Split a field's first line into the named fields.

    :param config: the names, ``"a, b, c"`` or a list.
    :param sep: the delimiter (one character; ``,`` for CSV, tab for TSV, ``|`` for PSV).
    :param quote: the quote character (default ``"``; doubled inside a quoted value).
    :param lstrip: drop spaces after a delimiter (default True).
    :param restrict: only when the line has exactly as many values as names (default False:
        extra values are ignored, missing names stay unset).
    :param mode: the set mode.
    """

    DEFAULT_SEP = ","
    DEFAULT_QUOTE = '"'

    def __init__(
        self,
        config: Any,
        sep: Optional[str] = None,
        quote: Optional[str] = None,
        lstrip: Optional[bool] = None,
        restrict: Optional[bool] = None,
        mode: Optional[str] = None,
    ) -> None:
        super().__init__(mode=mode)
        config = self._u(config)
        if isinstance(config, str):
            self.keys = _NAMES_SEP.split(config.strip())
        elif isinstance(config, (list, tuple)):
            self.keys = [str(k) for k in config]
        else:
            raise SettingError(msg="CSV takes the field names as 'a, b, c' or a list", settings=config)
        self.sep = sep or self.DEFAULT_SEP
        self.quote = quote or self.DEFAULT_QUOTE
        self.lstrip = True if lstrip is None else lstrip
        self.restrict = bool(restrict)

    def __call__(self, event: dict[str, Any], inpt: Any) -> dict[str, Any]:
        inpt = self._u(inpt)
        if inpt not in event:
            logger.debug("CSV: no field %r", inpt)
            return event
        line = self._n(event[inpt]).split("\n", 1)[0]
        reader = csv.reader([line], skipinitialspace=self.lstrip, delimiter=self.sep, quotechar=self.quote)
        values = next(reader, [])
        if self.restrict and len(values) != len(self.keys):
            logger.debug("CSV: %d values for %d names in %r, skipped", len(values), len(self.keys), inpt)
            return event
        self.sets(event, dict(zip(self.keys, values)))
        return event


class trans_comp_tsv(trans_comp_csv):
    """:class:`trans_comp_csv` with a tab delimiter."""

    DEFAULT_SEP = "\t"


class trans_comp_psv(trans_comp_csv):
    """:class:`trans_comp_csv` with a ``|`` delimiter."""

    DEFAULT_SEP = "|"
