"""Errors of the consumer library (both derive from :class:`~aliyun.log.LogException`).

Both take either form: the official one, ``CheckPointException(message, cause=None)`` (the error
code is then the class name and ``cause`` becomes ``__cause__``), or this package's
``LogException`` form, ``CheckPointException(code, message)``.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from ..logexception import LogException

__all__ = ["CheckPointException", "ClientWorkerException"]


class _ConsumerError(LogException):
    def __init__(
        self,
        message: str,
        cause: Optional[Union[str, BaseException]] = None,
        requestId: str = "",
        resp_status: int = 200,
        resp_header: Any = "",
        resp_body: Any = "",
    ) -> None:
        if isinstance(cause, str):  # this package's form: (code, message)
            super().__init__(message, cause, requestId, resp_status, resp_header, resp_body)
            return
        # the official form: (message, cause)
        super().__init__(type(self).__name__, str(message), requestId, resp_status, resp_header, resp_body)
        if cause is not None:
            self.__cause__ = cause


class ClientWorkerException(_ConsumerError):
    """The worker cannot go on (group deleted, processor factory failed, ``process()`` gave up)."""


class CheckPointException(_ConsumerError):
    """A checkpoint could not be written to the server (the cause is chained as ``__cause__``)."""
