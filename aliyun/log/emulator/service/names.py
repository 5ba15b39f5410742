"""Name and value rules of SLS resources."""

from __future__ import annotations

import logging
import re

from ..errors import bad_request

logger = logging.getLogger(__name__)

# Patterns are applied with ``fullmatch``: ``$`` alone would also accept a trailing newline.
# SLS itself allows only ``-``; the emulator also takes ``_`` because the original SDK README
# creates ``new_project`` and its examples must run as written (a warning says it is lenient).
_PROJECT = re.compile(r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$")
_LOGSTORE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,61}[a-z0-9]$")
_GENERIC = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,126}$")


def check_project_name(name: str) -> None:
    """3-63 lowercase letters, digits and ``-``, starting and ending with a letter or digit."""
    if not isinstance(name, str) or not _PROJECT.fullmatch(name):
        raise bad_request("ParameterInvalid", f"invalid project name: {name!r}")
    if "_" in name:
        logger.warning("project name %r has '_', which real SLS rejects; the emulator accepts it", name)


def check_logstore_name(name: object) -> str:
    """2-63 lowercase letters, digits, ``-`` and ``_``."""
    if not isinstance(name, str) or not _LOGSTORE.fullmatch(name):
        raise bad_request("LogStoreInfoInvalid", f"invalid logstore name: {name!r}")
    return name


def check_resource_name(kind: str, name: object, code: str = "ParameterInvalid") -> str:
    """Names of configs, machine groups, consumer groups and shippers."""
    if not isinstance(name, str) or not _GENERIC.fullmatch(name):
        raise bad_request(code, f"invalid {kind} name: {name!r}")
    return name
