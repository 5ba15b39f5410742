"""Errors of the consumer library (both derive from :class:`~aliyun.log.LogException`)."""

from __future__ import annotations

from ..logexception import LogException

__all__ = ["CheckPointException", "ClientWorkerException"]


class ClientWorkerException(LogException):
    """The worker cannot go on (group deleted, processor factory failed, ``process()`` gave up).

    Built like every ``LogException``: ``ClientWorkerException(code, message)``.
    """


class CheckPointException(LogException):
    """A checkpoint could not be written to the server (the cause is chained as ``__cause__``)."""
