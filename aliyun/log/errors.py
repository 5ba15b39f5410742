"""One exception class per SLS error code, and the factory that picks it.

Classes are named like the code they stand for and derive from a family of
:mod:`aliyun.log.logexception`, so ``except ProjectNotExist`` and ``except ResourceNotFound``
both catch a missing project. Codes without a class of their own raise their family (when known)
or plain :class:`~aliyun.log.logexception.LogException`; the code is always in
``get_error_code()``.
"""

from __future__ import annotations

from typing import Any, Optional

from .logexception import (
    AuthError,
    ClientSideError,
    InvalidRequest,
    LogException,
    LogRequestError,
    QuotaExceeded,
    ResourceAlreadyExists,
    ResourceNotFound,
    ResponseError,
    ServerError,
)


class Unauthorized(AuthError):
    """``Unauthorized``: the access key is unknown or lacks permission."""


class SignatureNotMatch(AuthError):
    """``SignatureNotMatch``: the request signature does not match."""


class InvalidAccessKeyId(AuthError):
    """``InvalidAccessKeyId``: the access key id is malformed or inactive."""


class RequestTimeExpired(AuthError):
    """``RequestTimeExpired``: the request time is more than 15 minutes away from the server's clock."""


class SecurityTokenExpired(AuthError):
    """``SecurityTokenExpired``: the STS token has expired."""


class ProjectNotExist(ResourceNotFound):
    """``ProjectNotExist``: the project does not exist."""


class LogStoreNotExist(ResourceNotFound):
    """``LogStoreNotExist``: the logstore does not exist."""


class ShardNotExist(ResourceNotFound):
    """``ShardNotExist``: the shard does not exist."""


class ConsumerGroupNotExist(ResourceNotFound):
    """``ConsumerGroupNotExist``: the consumer group does not exist."""


class ConsumerNotExist(ResourceNotFound):
    """``ConsumerNotExist`` (the service spells it ``ConsumerNotExsit``): the consumer is not in the group."""


class ConfigNotExist(ResourceNotFound):
    """``ConfigNotExist``: the logtail config does not exist."""


class MachineGroupNotExist(ResourceNotFound):
    """``MachineGroupNotExist``: the machine group does not exist."""


class IndexConfigNotExist(ResourceNotFound):
    """``IndexConfigNotExist``: the logstore has no index."""


class ShipperNotExist(ResourceNotFound):
    """``ShipperNotExist``: the shipper does not exist."""


class ProjectAlreadyExist(ResourceAlreadyExists):
    """``ProjectAlreadyExist``: a project with this name exists."""


class LogStoreAlreadyExist(ResourceAlreadyExists):
    """``LogStoreAlreadyExist``: a logstore with this name exists."""


class ConsumerGroupAlreadyExist(ResourceAlreadyExists):
    """``ConsumerGroupAlreadyExist``: a consumer group with this name exists."""


class ConfigAlreadyExist(ResourceAlreadyExists):
    """``ConfigAlreadyExist``: a logtail config with this name exists."""


class MachineGroupAlreadyExist(ResourceAlreadyExists):
    """``MachineGroupAlreadyExist``: a machine group with this name exists."""


class IndexAlreadyExist(ResourceAlreadyExists):
    """``IndexAlreadyExist``: the logstore already has an index."""


class ParameterInvalid(InvalidRequest):
    """``ParameterInvalid``: a parameter is invalid."""


class InvalidParameter(InvalidRequest):
    """``InvalidParameter``: a parameter or JSON body is invalid."""


class PostBodyInvalid(InvalidRequest):
    """``PostBodyInvalid``: the body could not be parsed or holds invalid data."""


class PostBodyTooLarge(InvalidRequest):
    """``PostBodyTooLarge``: the body is over the size or item limit."""


class PostBodyUncompressError(InvalidRequest):
    """``PostBodyUncompressError``: the body could not be decompressed."""


class InvalidCursor(InvalidRequest):
    """``InvalidCursor``: the cursor is undecodable or outside the shard."""


class LogStoreInfoInvalid(InvalidRequest):
    """``LogStoreInfoInvalid``: the logstore definition is invalid."""


class LogStoreWithoutShard(InvalidRequest):
    """``LogStoreWithoutShard``: the logstore has no shard."""


class InvalidTimeRange(InvalidRequest):
    """``InvalidTimeRange``: the query time range is invalid."""


class InvalidQueryString(InvalidRequest):
    """``InvalidQueryString``: the query string is invalid."""


class JsonInfoInvalid(InvalidRequest):
    """``JsonInfoInvalid``: the JSON body is invalid."""


class NotExistConsumerWithBody(InvalidRequest):
    """``NotExistConsumerWithBody``: an unknown consumer sent a heartbeat with shards."""


class ConsumerNotMatch(InvalidRequest):
    """``ConsumerNotMatch``: the consumer does not own the shard."""


class InvalidShardCheckPoint(InvalidRequest):
    """``InvalidShardCheckPoint``: the checkpoint is not a valid cursor."""


class IndexInfoInvalid(InvalidRequest):
    """``IndexInfoInvalid``: the index definition is invalid."""


class InvalidCompressType(InvalidRequest):
    """``InvalidCompressType``: the compression type is not supported by the server."""


class InvalidBodyRawSize(InvalidRequest):
    """``InvalidBodyRawSize``: x-log-bodyrawsize does not match the body."""


class WriteQuotaExceed(QuotaExceeded):
    """``WriteQuotaExceed``: the project write quota is exceeded."""


class ShardWriteQuotaExceed(QuotaExceeded):
    """``ShardWriteQuotaExceed``: the shard write quota is exceeded."""


class ReadQuotaExceed(QuotaExceeded):
    """``ReadQuotaExceed``: the read quota is exceeded."""


class ShardReadQuotaExceed(QuotaExceeded):
    """``ShardReadQuotaExceed``: the shard read quota is exceeded."""


class ProjectQuotaExceed(QuotaExceeded):
    """``ProjectQuotaExceed``: the project holds as many resources (logstores ...) as it may.

    A count limit, not a rate: sending the same create again cannot succeed until something is
    deleted, so it is not retriable.
    """

    retriable = False
    unapplied = False


class InternalServerError(ServerError):
    """``InternalServerError``: the service failed."""


class ServerBusy(ServerError):
    """``ServerBusy``: the service is busy and turned the request away before handling it."""

    unapplied = True


class RequestTimeout(ServerError):
    """``RequestTimeout``: the service timed out."""


class InvalidLogSize(ClientSideError):
    """``InvalidLogSize``: too many logs or too many bytes for one request."""


class UnsupportedCompressType(ClientSideError):
    """``UnsupportedCompressType``: the compression type is unknown or its module is missing."""


class BadParameters(ClientSideError):
    """``BadParameters``: a parameter given to the SDK is invalid."""


class BadResponse(ResponseError):
    """``BadResponse``: the answer is not valid JSON."""


class InvalidResponse(ResponseError):
    """``InvalidResponse``: the answer lacks required fields."""


class DecompressError(ResponseError):
    """``DecompressError``: the answer could not be decompressed."""


_CLASS_BY_CODE: dict[str, type[LogException]] = {
    cls.__name__: cls
    for cls in (
        Unauthorized,
        SignatureNotMatch,
        InvalidAccessKeyId,
        RequestTimeExpired,
        SecurityTokenExpired,
        ProjectNotExist,
        LogStoreNotExist,
        ShardNotExist,
        ConsumerGroupNotExist,
        ConsumerNotExist,
        ConfigNotExist,
        MachineGroupNotExist,
        IndexConfigNotExist,
        ShipperNotExist,
        ProjectAlreadyExist,
        LogStoreAlreadyExist,
        ConsumerGroupAlreadyExist,
        ConfigAlreadyExist,
        MachineGroupAlreadyExist,
        IndexAlreadyExist,
        ParameterInvalid,
        InvalidParameter,
        PostBodyInvalid,
        PostBodyTooLarge,
        PostBodyUncompressError,
        InvalidCursor,
        LogStoreInfoInvalid,
        LogStoreWithoutShard,
        InvalidTimeRange,
        InvalidQueryString,
        JsonInfoInvalid,
        NotExistConsumerWithBody,
        ConsumerNotMatch,
        InvalidShardCheckPoint,
        IndexInfoInvalid,
        InvalidCompressType,
        InvalidBodyRawSize,
        WriteQuotaExceed,
        ShardWriteQuotaExceed,
        ReadQuotaExceed,
        ShardReadQuotaExceed,
        ProjectQuotaExceed,
        InternalServerError,
        ServerBusy,
        RequestTimeout,
        InvalidLogSize,
        UnsupportedCompressType,
        BadParameters,
        BadResponse,
        InvalidResponse,
        DecompressError,
    )
}
# Spellings the service (or its older docs) also uses for the same condition.
_CLASS_BY_CODE["ConsumerNotExsit"] = ConsumerNotExist
_CLASS_BY_CODE["ProjectNotExists"] = ProjectNotExist
_CLASS_BY_CODE["LogstoreNotExist"] = LogStoreNotExist
_CLASS_BY_CODE["LogstoreAlreadyExist"] = LogStoreAlreadyExist
_CLASS_BY_CODE["GroupNotExist"] = MachineGroupNotExist
_CLASS_BY_CODE["RequestTimeTooSkewed"] = RequestTimeExpired
_CLASS_BY_CODE["InvalidAccessKeyId.NotFound"] = InvalidAccessKeyId
_CLASS_BY_CODE["SecurityToken.Expired"] = SecurityTokenExpired

# Families for codes that have no class of their own.
_FAMILY_BY_PREFIX: tuple[tuple[str, type[LogException]], ...] = (
    ("Invalid", InvalidRequest),
    ("Missing", InvalidRequest),
    ("Unauthorized", AuthError),
)


def exception_class_for(code: str) -> type[LogException]:
    """The class the SDK raises for ``code`` (``LogException`` when the code is unknown)."""
    cls = _CLASS_BY_CODE.get(code)
    if cls is not None:
        return cls
    if code == "LogRequestError":
        return LogRequestError
    for prefix, family in _FAMILY_BY_PREFIX:
        if code.startswith(prefix):
            return family
    if code.endswith("NotExist") or code.endswith("NotExists"):
        return ResourceNotFound
    if code.endswith("AlreadyExist") or code.endswith("AlreadyExists"):
        return ResourceAlreadyExists
    if code.endswith("QuotaExceed") or code.endswith("QuotaExceeded"):
        return QuotaExceeded
    return LogException


def make_exception(
    code: str,
    message: str,
    request_id: str = "",
    status: int = 200,
    headers: Any = "",
    body: Any = "",
    *,
    cause: Optional[BaseException] = None,
) -> LogException:
    """Build the exception for an error code; ``cause`` is chained as ``__cause__``."""
    cls = exception_class_for(code)
    if status >= 500 and not cls.retriable:
        # The service (or a gateway in front of it) failed: whatever the body says, that is a
        # server error, and retriable (docs/protocol.md "Errors").
        cls = ServerError
    exc = cls(code, message, request_id, status, headers, body)
    if cause is not None:
        exc.__cause__ = cause
    return exc


__all__ = [
    "BadParameters",
    "BadResponse",
    "ConfigAlreadyExist",
    "ConfigNotExist",
    "ConsumerGroupAlreadyExist",
    "ConsumerGroupNotExist",
    "ConsumerNotExist",
    "ConsumerNotMatch",
    "DecompressError",
    "IndexAlreadyExist",
    "IndexConfigNotExist",
    "IndexInfoInvalid",
    "InternalServerError",
    "InvalidAccessKeyId",
    "InvalidBodyRawSize",
    "InvalidCompressType",
    "InvalidCursor",
    "InvalidLogSize",
    "InvalidParameter",
    "InvalidQueryString",
    "InvalidResponse",
    "InvalidShardCheckPoint",
    "InvalidTimeRange",
    "JsonInfoInvalid",
    "LogStoreAlreadyExist",
    "LogStoreInfoInvalid",
    "LogStoreNotExist",
    "LogStoreWithoutShard",
    "MachineGroupAlreadyExist",
    "MachineGroupNotExist",
    "NotExistConsumerWithBody",
    "ParameterInvalid",
    "PostBodyInvalid",
    "PostBodyTooLarge",
    "PostBodyUncompressError",
    "ProjectAlreadyExist",
    "ProjectNotExist",
    "ProjectQuotaExceed",
    "ReadQuotaExceed",
    "RequestTimeExpired",
    "RequestTimeout",
    "SecurityTokenExpired",
    "ServerBusy",
    "ShardNotExist",
    "ShardReadQuotaExceed",
    "ShardWriteQuotaExceed",
    "ShipperNotExist",
    "SignatureNotMatch",
    "Unauthorized",
    "UnsupportedCompressType",
    "WriteQuotaExceed",
    "exception_class_for",
    "make_exception",
]
