"""The SDK's exception family.

``LogException`` is the root, with the getters users of the official SDK already call. Server
answers are turned into a subclass chosen by the SLS error code (``ProjectNotExist``,
``SignatureNotMatch`` ...), so callers may catch either the root or something precise::

    LogException                       every error the SDK raises
    ├── LogRequestError                the request never got an SLS answer (connection, timeout)
    ├── ClientSideError                rejected before sending (InvalidLogSize, BadParameters ...)
    ├── ResponseError                  the answer could not be understood (BadResponse ...)
    ├── AuthError                      Unauthorized, SignatureNotMatch, RequestTimeExpired ...
    ├── ResourceNotFound               ProjectNotExist, LogStoreNotExist, ShardNotExist ...
    ├── ResourceAlreadyExists          ProjectAlreadyExist, LogStoreAlreadyExist ...
    ├── InvalidRequest                 ParameterInvalid, PostBodyInvalid, InvalidCursor ...
    ├── QuotaExceeded                  WriteQuotaExceed, ShardWriteQuotaExceed ... (retriable)
    └── ServerError                    InternalServerError, ServerBusy, RequestTimeout (retriable)

Every class has ``retriable``: whether sending the same request again later may succeed, and
``unapplied``: whether the error proves the service refused the request before acting on it (so
even a call that is not idempotent, such as PutLogs, may be sent again). ``LogRequestError``
also says whether the request may have reached the server (``sent``). The retry policy decides
from these facts alone (docs/protocol.md "Retries").
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

__all__ = [
    "AuthError",
    "ClientSideError",
    "InvalidRequest",
    "LogException",
    "LogRequestError",
    "QuotaExceeded",
    "ResourceAlreadyExists",
    "ResourceNotFound",
    "ResponseError",
    "ServerError",
]


class LogException(Exception):
    """Root of every error raised by the SDK.

    :param errorCode: the SLS error code (``ProjectNotExist``) or a client-side code
        (``LogRequestError``, ``InvalidLogSize`` ...).
    :param errorMessage: human-readable text.
    :param requestId: the ``x-log-requestid`` of the answer, ``''`` for client-side errors.
    :param resp_status: HTTP status of the answer (200 when there was none, as in the official SDK).
    :param resp_header: the answer's headers.
    :param resp_body: the answer's body text.
    """

    #: whether the same request may succeed if sent again later
    retriable: ClassVar[bool] = False
    #: whether the error proves the request was refused before it was applied
    unapplied: ClassVar[bool] = False

    def __init__(
        self,
        errorCode: str,
        errorMessage: str,
        requestId: str = "",
        resp_status: int = 200,
        resp_header: Any = "",
        resp_body: Any = "",
    ) -> None:
        super().__init__(errorCode, errorMessage)
        self._errorCode = errorCode
        self._errorMessage = errorMessage
        self._requestId = requestId
        self.resp_status = resp_status
        self.resp_header = resp_header
        self.resp_body = resp_body

    def __reduce__(self) -> Any:
        # Keep the constructor arguments so the exception pickles across processes.
        args = (
            self._errorCode,
            self._errorMessage,
            self._requestId,
            self.resp_status,
            self.resp_header,
            self.resp_body,
        )
        return (self.__class__, args)

    def __str__(self) -> str:
        return json.dumps(
            {
                "errorCode": self._errorCode,
                "errorMessage": self._errorMessage,
                "requestId": self._requestId,
            },
            sort_keys=True,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._errorCode!r}, {self._errorMessage!r}, requestId={self._requestId!r})"

    def get_error_code(self) -> str:
        """The SLS error code, e.g. ``ProjectNotExist``."""
        return self._errorCode

    def get_error_message(self) -> str:
        """The error message."""
        return self._errorMessage

    def get_request_id(self) -> str:
        """The request id of the failed call (``''`` when no answer was received)."""
        return self._requestId

    def get_resp_status(self) -> int:
        """The HTTP status of the answer."""
        return self.resp_status

    def get_resp_body(self) -> Any:
        """The body of the answer."""
        return self.resp_body

    # Convenience names for new code.
    @property
    def error_code(self) -> str:
        """Same as :meth:`get_error_code`."""
        return self._errorCode

    @property
    def request_id(self) -> str:
        """Same as :meth:`get_request_id`."""
        return self._requestId


class LogRequestError(LogException):
    """No SLS answer was received: connection refused or reset, timeout, proxy failure.

    The error code is always ``LogRequestError`` (as in the official SDK); the original exception is
    chained as ``__cause__``. ``sent`` is ``False`` when the failure certainly happened before the
    request left this machine (connection refused, DNS failure, connect timeout): such a call is
    safe to send again whatever it does. It is ``True`` when the server may have received it
    (read timeout, reset, or an answer that is not an SLS error).
    """

    retriable = True

    def __init__(
        self,
        errorCode: str,
        errorMessage: str,
        requestId: str = "",
        resp_status: int = 200,
        resp_header: Any = "",
        resp_body: Any = "",
        *,
        sent: bool = True,
    ) -> None:
        super().__init__(errorCode, errorMessage, requestId, resp_status, resp_header, resp_body)
        self.sent = sent

    def __reduce__(self) -> Any:
        cls, args = super().__reduce__()
        return (cls, args, {"sent": self.sent})


class ClientSideError(LogException):
    """The SDK refused to send the request (too large, bad parameter, unsupported compression)."""


class ResponseError(LogException):
    """An answer arrived but could not be understood (``BadResponse``, ``DecompressError`` ...)."""


class AuthError(LogException):
    """The credentials or the signature were rejected."""


class ResourceNotFound(LogException):
    """The project, logstore, shard, group ... named in the request does not exist."""


class ResourceAlreadyExists(LogException):
    """A create call named a resource that already exists."""


class InvalidRequest(LogException):
    """The server rejected a parameter or the body."""


class QuotaExceeded(LogException):
    """A quota or rate limit was hit; the request was not applied and can be sent again later."""

    retriable = True
    unapplied = True


class ServerError(LogException):
    """The service failed or was busy (5xx)."""

    retriable = True
