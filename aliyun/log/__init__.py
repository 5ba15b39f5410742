"""Python SDK for Alibaba Cloud Log Service (SLS).

``from aliyun.log import LogClient`` and the request/response classes users of the official SDK
already import. The local emulator lives in :mod:`aliyun.log.emulator` (extra ``emulator``).
"""

from ._pipeline.retry import RetryPolicy
from .cursor_response import GetCursorResponse
from .cursor_time_response import GetCursorTimeResponse
from .errors import *  # noqa: F403  (one class per SLS error code)
from .errors import __all__ as _error_names
from .listlogstoresrequest import ListLogstoresRequest
from .listlogstoresresponse import ListLogstoresResponse
from .logclient import LogClient
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
from .logitem import LogItem
from .logrequest import LogRequest
from .logresponse import LogResponse
from .logstore_config_response import (
    CreateLogStoreResponse,
    DeleteLogStoreResponse,
    GetLogStoreResponse,
    ListLogStoreResponse,
    UpdateLogStoreResponse,
)
from .project_response import (
    CreateProjectResponse,
    DeleteProjectResponse,
    GetProjectResponse,
    ListProjectResponse,
    UpdateProjectResponse,
)
from .pulllog_response import PullLogResponse
from .putlogsrequest import PutLogsRequest
from .putlogsresponse import PutLogsResponse
from .shard_response import DeleteShardResponse, ListShardResponse
from .version import __version__

__all__ = [
    "AuthError",
    "ClientSideError",
    "CreateLogStoreResponse",
    "CreateProjectResponse",
    "DeleteLogStoreResponse",
    "DeleteProjectResponse",
    "DeleteShardResponse",
    "GetCursorResponse",
    "GetCursorTimeResponse",
    "GetLogStoreResponse",
    "GetProjectResponse",
    "InvalidRequest",
    "ListLogStoreResponse",
    "ListLogstoresRequest",
    "ListLogstoresResponse",
    "ListProjectResponse",
    "ListShardResponse",
    "LogClient",
    "LogException",
    "LogItem",
    "LogRequest",
    "LogRequestError",
    "LogResponse",
    "PullLogResponse",
    "PutLogsRequest",
    "PutLogsResponse",
    "QuotaExceeded",
    "ResourceAlreadyExists",
    "ResourceNotFound",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "UpdateLogStoreResponse",
    "UpdateProjectResponse",
    "__version__",
    *_error_names,
]
