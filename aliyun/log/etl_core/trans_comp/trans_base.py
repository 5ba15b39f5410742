"""Bases of the field extractors: value normalisation and the set modes.

Set modes decide whether an extracted ``key: value`` is written into the event:

==================  ===========================================================
``fill``            only when the field is missing or empty
``add``             only when the field is missing
``overwrite``       always
``*-auto``          the same, and never an empty value (``fill-auto`` is the default)
==================  ===========================================================
"""

from __future__ import annotations

import json
import logging
from typing import Any, Optional

from ..etl_util import get_re_full_match, get_set_mode_if_skip_fn, u

__all__ = ["trans_comp_base", "trans_comp_check_mdoe_base"]

logger = logging.getLogger(__name__)


class trans_comp_base:
    """Base of every extractor."""

    @property
    def __name__(self) -> str:
        return str(type(self))

    @staticmethod
    def _n(v: Any) -> str:
        """A value as event text: ``None`` is empty, containers are JSON, bytes are UTF-8."""
        if v is None:
            return ""
        if isinstance(v, (dict, list)):
            try:
                return json.dumps(v)
            except (TypeError, ValueError):
                return str(v)
        if isinstance(v, bytes):
            return v.decode("utf-8", "ignore")
        return str(v)

    @staticmethod
    def _u(d: Any) -> Any:
        return u(d)


class trans_comp_check_mdoe_base(trans_comp_base):
    """Base of the extractors that write fields under a set mode (module docstring)."""

    #: what an extracted key must look like when names are checked (letters, CJK, digits, ``._-``)
    DEFAULT_KEYWORD_PTN = "[\u4e00-\u9fa5\u0800-\u4e00a-zA-Z][\u4e00-\u9fa5\u0800-\u4e00\\w\\.\\-]*"
    SET_MODE = {
        "fill": get_set_mode_if_skip_fn(False, True, False),
        "add": get_set_mode_if_skip_fn(True, False, False),
        "overwrite": get_set_mode_if_skip_fn(False, False, False),
        "fill-auto": get_set_mode_if_skip_fn(False, True, True),
        "add-auto": get_set_mode_if_skip_fn(True, False, True),
        "overwrite-auto": get_set_mode_if_skip_fn(False, False, True),
    }
    DEFAULT_SET_MODE = "fill-auto"

    def __init__(self, mode: Optional[str] = None) -> None:
        super().__init__()
        self.kw_ptn = get_re_full_match(self.DEFAULT_KEYWORD_PTN)
        self.skip_if = self.SET_MODE.get(mode or self.DEFAULT_SET_MODE, self.SET_MODE[self.DEFAULT_SET_MODE])

    def set(self, e: dict[str, Any], k: str, v: Any, real_k: Optional[str] = None, check_kw_name: bool = False) -> bool:
        """Write ``v`` under ``real_k`` (default ``k``) unless the mode or the name check says no."""
        if not k or (check_kw_name and not self.kw_ptn(k)):
            return False
        if self.skip_if(e, k, v):
            logger.debug("%s: %r kept out by the set mode", type(self).__name__, k)
            return False
        e[real_k or k] = v
        return True

    def sets(self, e: dict[str, Any], e_new: dict[str, Any], check_kw_name: bool = False) -> bool:
        """:meth:`set` every item of ``e_new``; True when anything was written."""
        written = False
        for k, v in e_new.items():
            written = self.set(e, k, v, check_kw_name=check_kw_name) or written
        return written
