"""The one error type the emulator's domain raises; the HTTP layer renders it as SLS error JSON."""

from __future__ import annotations


class SLSError(Exception):
    """An SLS error answer: ``{"errorCode": code, "errorMessage": message}`` with HTTP ``status``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def not_found(code: str, message: str) -> SLSError:
    """A 404 answer (``ProjectNotExist``, ``LogStoreNotExist``, ...)."""
    return SLSError(code, message, 404)


def bad_request(code: str, message: str) -> SLSError:
    """A 400 answer (``ParameterInvalid``, ``PostBodyInvalid``, ...)."""
    return SLSError(code, message, 400)
