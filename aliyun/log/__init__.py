"""Python SDK for Alibaba Cloud Log Service (SLS).

``from aliyun.log import LogClient`` and the request/response classes users of the official SDK
already import. The local emulator lives in :mod:`aliyun.log.emulator` (extra ``emulator``).
"""

from ._pipeline.retry import RetryPolicy
from .consumer_group_request import (
    ConsumerGroupGetCheckPointRequest,
    ConsumerGroupHeartBeatRequest,
    ConsumerGroupUpdateCheckPointRequest,
    CreateConsumerGroupRequest,
)
from .consumer_group_response import (
    ConsumerGroupCheckPointResponse,
    ConsumerGroupEntity,
    ConsumerGroupHeartBeatResponse,
    ConsumerGroupUpdateCheckPointResponse,
    CreateConsumerGroupResponse,
    DeleteConsumerGroupResponse,
    ListConsumerGroupResponse,
    UpdateConsumerGroupResponse,
)
from .cursor_response import GetCursorResponse
from .cursor_time_response import GetCursorTimeResponse
from .errors import *  # noqa: F403  (one class per SLS error code)
from .errors import __all__ as _error_names
from .getcontextlogsresponse import GetContextLogsResponse
from .gethistogramsrequest import GetHistogramsRequest
from .gethistogramsresponse import GetHistogramsResponse
from .getlogsrequest import GetLogsRequest, GetProjectLogsRequest
from .getlogsresponse import GetLogsResponse
from .histogram import Histogram
from .index_config import IndexConfig, IndexJsonKeyConfig, IndexKeyConfig, IndexLineConfig
from .index_config_response import CreateIndexResponse, DeleteIndexResponse, GetIndexResponse, UpdateIndexResponse
from .listlogstoresrequest import ListLogstoresRequest
from .listlogstoresresponse import ListLogstoresResponse
from .listtopicsrequest import ListTopicsRequest
from .listtopicsresponse import ListTopicsResponse
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
from .logtail_config_detail import (
    ApsaraFileConfigDetail,
    CommonRegLogConfigDetail,
    FullRegFileConfigDetail,
    JsonFileConfigDetail,
    LogtailConfigGenerator,
    LogtailConfigHelper,
    PluginConfigDetail,
    SeperatorFileConfigDetail,
    SimpleFileConfigDetail,
    SyslogConfigDetail,
)
from .logtail_config_response import (
    CreateLogtailConfigResponse,
    DeleteLogtailConfigResponse,
    GetLogtailConfigResponse,
    ListLogtailConfigResponse,
    UpdateLogtailConfigResponse,
)
from .machine_group_detail import MachineGroupDetail
from .machinegroup_response import (
    ApplyConfigToMachineGroupResponse,
    CreateMachineGroupResponse,
    DeleteMachineGroupResponse,
    GetConfigAppliedMachineGroupsResponse,
    GetMachineGroupAppliedConfigResponse,
    GetMachineGroupResponse,
    ListMachineGroupResponse,
    ListMachinesResponse,
    RemoveConfigToMachineGroupResponse,
    UpdateMachineGroupResponse,
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
from .queriedlog import QueriedLog
from .shard_response import DeleteShardResponse, ListShardResponse
from .shipper_config import OdpsShipperConfig, OssShipperConfig, ShipperTask
from .shipper_response import (
    CreateShipperResponse,
    DeleteShipperResponse,
    GetShipperConfigResponse,
    GetShipperTasksResponse,
    ListShipperResponse,
    RetryShipperTasksResponse,
    UpdateShipperResponse,
)
from .version import __version__


def codec_implementation() -> str:
    """Which log codec this process uses: ``"native"`` (the C extension) or ``"python"``.

    The native codec is built by ``pip install`` where a C compiler is available (CPython only)
    and used automatically; set ``ALIYUN_LOG_PURE_CODEC=1`` before importing to force the
    pure-Python one. Both give identical results (see docs/performance.md, "Native codec").
    """
    from ._codec import implementation

    return implementation()


__all__ = [
    "AuthError",
    "ClientSideError",
    "ConsumerGroupCheckPointResponse",
    "ConsumerGroupEntity",
    "ConsumerGroupGetCheckPointRequest",
    "ConsumerGroupHeartBeatRequest",
    "ConsumerGroupHeartBeatResponse",
    "ConsumerGroupUpdateCheckPointRequest",
    "ConsumerGroupUpdateCheckPointResponse",
    "CreateConsumerGroupRequest",
    "CreateConsumerGroupResponse",
    "CreateIndexResponse",
    "CreateLogStoreResponse",
    "CreateProjectResponse",
    "DeleteConsumerGroupResponse",
    "DeleteIndexResponse",
    "DeleteLogStoreResponse",
    "DeleteProjectResponse",
    "DeleteShardResponse",
    "GetCursorResponse",
    "GetContextLogsResponse",
    "GetCursorTimeResponse",
    "GetHistogramsRequest",
    "GetHistogramsResponse",
    "GetIndexResponse",
    "GetLogStoreResponse",
    "GetLogsRequest",
    "GetLogsResponse",
    "GetProjectLogsRequest",
    "GetProjectResponse",
    "Histogram",
    "IndexConfig",
    "IndexJsonKeyConfig",
    "IndexKeyConfig",
    "IndexLineConfig",
    "InvalidRequest",
    "ListConsumerGroupResponse",
    "ListLogStoreResponse",
    "ListLogstoresRequest",
    "ListLogstoresResponse",
    "ListProjectResponse",
    "ListShardResponse",
    "ListTopicsRequest",
    "ListTopicsResponse",
    "LogClient",
    "LogException",
    "LogItem",
    "LogRequest",
    "LogRequestError",
    "LogResponse",
    "PullLogResponse",
    "PutLogsRequest",
    "PutLogsResponse",
    "QueriedLog",
    "QuotaExceeded",
    "ResourceAlreadyExists",
    "ResourceNotFound",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "UpdateConsumerGroupResponse",
    "UpdateIndexResponse",
    "UpdateLogStoreResponse",
    "UpdateProjectResponse",
    # logtail configs, machine groups, shippers
    "ApplyConfigToMachineGroupResponse",
    "ApsaraFileConfigDetail",
    "CommonRegLogConfigDetail",
    "CreateLogtailConfigResponse",
    "CreateMachineGroupResponse",
    "CreateShipperResponse",
    "DeleteLogtailConfigResponse",
    "DeleteMachineGroupResponse",
    "DeleteShipperResponse",
    "FullRegFileConfigDetail",
    "GetConfigAppliedMachineGroupsResponse",
    "GetLogtailConfigResponse",
    "GetMachineGroupAppliedConfigResponse",
    "GetMachineGroupResponse",
    "GetShipperConfigResponse",
    "GetShipperTasksResponse",
    "JsonFileConfigDetail",
    "ListLogtailConfigResponse",
    "ListMachineGroupResponse",
    "ListMachinesResponse",
    "ListShipperResponse",
    "LogtailConfigGenerator",
    "LogtailConfigHelper",
    "MachineGroupDetail",
    "OdpsShipperConfig",
    "OssShipperConfig",
    "PluginConfigDetail",
    "RemoveConfigToMachineGroupResponse",
    "RetryShipperTasksResponse",
    "SeperatorFileConfigDetail",
    "ShipperTask",
    "SimpleFileConfigDetail",
    "SyslogConfigDetail",
    "UpdateLogtailConfigResponse",
    "UpdateMachineGroupResponse",
    "UpdateShipperResponse",
    "__version__",
    "codec_implementation",
    *_error_names,
]
