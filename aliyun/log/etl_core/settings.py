"""What a script's top-level names mean: rule prefixes (``KEEP_EVENT_...``) and function prefixes.

A variable whose name starts with one of these prefixes becomes a rule, applied in the order
of the script's lines:

====================  ===========================================================
``KEEP_EVENT_``       keep the events a condition holds for (:class:`keep_event`)
``DROP_EVENT_``       drop the events a condition holds for (:class:`drop_event`)
``KEEP_FIELDS_``      keep the fields whose names match (:class:`keep_fields`)
``DROP_FIELDS_``      drop the fields whose names match (:class:`drop_fields`)
``RENAME_FIELDS_``    rename fields, also ``ALIAS_`` (:class:`rename_fields`)
``DISPATCH_EVENT_``   the first matching (condition, change) (:class:`dispatch_event`)
``TRANSFORM_EVENT_``  every matching (condition, change) (:class:`transform_event`)
``KV_FIELDS_``        extract ``k=v`` from the fields whose names match
====================  ===========================================================

A function named ``sls_en_...`` returns the new event (or ``None``, or a list); a function
named ``sls_eu_...`` returns fields to update the event with.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Callable

from .transform import (
    dispatch_event,
    drop_event,
    drop_fields,
    extract_kv_fields,
    keep_event,
    keep_fields,
    rename_fields,
    transform_event,
)

__all__ = [
    "ALIAS_",
    "DISPATCH_EVENT_",
    "DROP_EVENT_",
    "DROP_FIELDS_",
    "KEEP_EVENT_",
    "KEEP_FIELDS_",
    "KV_FIELDS_",
    "RENAME_FIELDS_",
    "TRANSFORM_EVENT_",
]

#: rule prefix (as a whole-name pattern) -> the rule class built from the variable's value
builtin_macros: dict[str, Callable[[Any], Any]] = {
    "KEEP_EVENT_.*": keep_event,
    "DROP_EVENT_.*": drop_event,
    "KEEP_FIELDS_.*": keep_fields,
    "DROP_FIELDS_.*": drop_fields,
    "RENAME_FIELDS_.*": rename_fields,
    "ALIAS_.*": rename_fields,
    "DISPATCH_EVENT_.*": dispatch_event,
    "TRANSFORM_EVENT_.*": transform_event,
    "KV_FIELDS_.*": extract_kv_fields,
}

# the prefixes themselves, importable so scripts and editors know them
KEEP_EVENT_ = "prefix of a keep_event rule"
DROP_EVENT_ = "prefix of a drop_event rule"
KEEP_FIELDS_ = "prefix of a keep_fields rule"
DROP_FIELDS_ = "prefix of a drop_fields rule"
RENAME_FIELDS_ = "prefix of a rename_fields rule"
ALIAS_ = "prefix of a rename_fields rule"
DISPATCH_EVENT_ = "prefix of a dispatch_event rule"
TRANSFORM_EVENT_ = "prefix of a transform_event rule"
KV_FIELDS_ = "prefix of an extract_kv_fields rule"


class TransFnType(Enum):
    """What a script function named with a prefix returns."""

    EVENT_NEW = "EVENT_NEW"
    EVENT_UPDATE = "EVENT_UPDATE"
    UNKNOWN = "UNKNOWN"


def check_fn_type_by_name(name: str) -> TransFnType:
    """``sls_en_*``: returns the new event; ``sls_eu_*``: returns fields to update; else unknown."""
    if name.startswith("sls_en_"):
        return TransFnType.EVENT_NEW
    if name.startswith("sls_eu_"):
        return TransFnType.EVENT_UPDATE
    return TransFnType.UNKNOWN
