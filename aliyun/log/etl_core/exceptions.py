"""Errors of the ETL engine: one class, a ``LogException`` with the code ``InvalidConfig``."""

from __future__ import annotations

from typing import Any

from ..logexception import LogException

__all__ = ["SettingError"]


class SettingError(LogException):
    """A transformation was configured with a value it cannot use.

    :param ex: the underlying error, if any (shown as the detail).
    :param settings: the offending setting (shown in the message).
    :param msg: what is wrong.
    """

    def __init__(self, ex: Any = None, settings: Any = "", msg: str = "") -> None:
        text = msg or "Invalid settings"
        if settings not in ("", None):
            text = f"{text}: {settings!r}" if msg else f'Invalid settings "{settings}"'
        if ex is not None:
            text = f"{text} (detail: {ex})"
        super().__init__("InvalidConfig", text)
        self.settings = settings
