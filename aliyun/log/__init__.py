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

# isort: split
# -- application logging: credential providers, the producer, the logging handlers --------------------
from .credentials import (
    Credentials,
    CredentialsProvider,
    EnvironmentCredentialsProvider,
    RefreshingCredentialsProvider,
    StaticCredentialsProvider,
)
from .logger_hanlder import LogFields, QueuedLogHandler, SimpleLogHandler, UwsgiQueuedLogHandler
from .producer import LogProducer

# -- end of application logging -----------------------------------------------------------------------

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
    # application logging
    "Credentials",
    "CredentialsProvider",
    "EnvironmentCredentialsProvider",
    "LogFields",
    "LogProducer",
    "QueuedLogHandler",
    "RefreshingCredentialsProvider",
    "SimpleLogHandler",
    "StaticCredentialsProvider",
    "UwsgiQueuedLogHandler",
]

# == drop-in for the official SDK 0.9.52: names added by the public-map work =========================

# The rest of the official 0.9.52 top-level names (tests/compat/test_public_map.py checks them),
# and the transports (requests is the default; urllib3 the keyword-only fast option).
import logging as _logging

from ._transport.http import Urllib3Transport
from ._transport.requests_http import RequestsTransport
from .common_response import (
    CreateEntityResponse,
    DeleteEntityResponse,
    GetEntityResponse,
    ListEntityResponse,
    UpdateEntityResponse,
)
from .deletelogsrequest import DeleteLogsRequest
from .deletelogssresponse import DeleteLogsResponse
from .deletelogsv2request import DeleteLogsV2Request
from .deletelogsv2response import DeleteLogsV2Response
from .external_store_config import (
    ExternalStoreConfig,
    ExternalStoreConfigBase,
    ExternalStoreCsvConfig,
    ExternalStoreOssConfig,
)
from .external_store_config_response import (
    CreateExternalStoreResponse,
    DeleteExternalStoreResponse,
    GetExternalStoreResponse,
    ListExternalStoreResponse,
    UpdateExternalStoreResponse,
)
from .getdeletelogsstatusrequest import GetDeleteLogsStatusRequest
from .getdeletelogsstatusresponse import GetDeleteLogsStatusResponse
from .listdeletelogsstasksrequest import ListDeleteLogsTasksRequest
from .listdeletelogsstasksresponse import ListDeleteLogsTasksResponse

# The official package exports the raw (bytes value) variant under this name.
from .log_logs_raw_pb2 import LogGroupRaw as LogGroup
from .logtail_pipeline_config_detail import LogtailPipelineConfigDetail
from .logtail_pipeline_config_response import (
    CreateLogtailPipelineConfigResponse,
    DeleteLogtailPipelineConfigResponse,
    GetLogtailPipelineConfigResponse,
    ListLogtailPipelineConfigResponse,
    UpdateLogtailPipelineConfigResponse,
)
from .metering_mode_response import (
    GetLogStoreMeteringModeResponse,
    GetMetricStoreMeteringModeResponse,
    UpdateLogStoreMeteringModeResponse,
    UpdateMetricStoreMeteringModeResponse,
)
from .multimodal_config_response import (
    GetLogStoreMultimodalConfigurationResponse,
    PutLogStoreMultimodalConfigurationResponse,
)
from .object_response import GetObjectResponse, PutObjectResponse
from .project_tags_response import GetProjectTagsResponse
from .rebuild_index_response import CreateRebuildIndexResponse, GetRebuildIndexResponse
from .resource_policy import ResourcePolicyResourceType
from .resource_policy_response import (
    DeleteResourcePolicyResponse,
    GetResourcePolicyResponse,
    PutResourcePolicyResponse,
)
from .store_view import StoreView, StoreViewStore
from .store_view_response import (
    CreateStoreViewResponse,
    DeleteStoreViewResponse,
    GetStoreViewResponse,
    ListStoreViewsResponse,
    UpdateStoreViewResponse,
)
from .submit_async_sql_request import SubmitAsyncSqlRequest
from .updatelogsrequest import UpdateLogsRequest
from .updatelogsresponse import UpdateLogsResponse
from .util import Util, parse_timestamp

#: the package's logger (official name)
logger = _logging.getLogger(__name__)

__all__ += [
    "CreateEntityResponse", "DeleteEntityResponse", "GetEntityResponse", "ListEntityResponse", "UpdateEntityResponse",
    "DeleteLogsRequest", "DeleteLogsResponse", "DeleteLogsV2Request", "DeleteLogsV2Response",
    "ExternalStoreConfig", "ExternalStoreConfigBase", "ExternalStoreCsvConfig", "ExternalStoreOssConfig",
    "CreateExternalStoreResponse", "DeleteExternalStoreResponse", "GetExternalStoreResponse",
    "ListExternalStoreResponse", "UpdateExternalStoreResponse",
    "GetDeleteLogsStatusRequest", "GetDeleteLogsStatusResponse", "ListDeleteLogsTasksRequest",
    "ListDeleteLogsTasksResponse", "LogGroup", "LogtailPipelineConfigDetail",
    "CreateLogtailPipelineConfigResponse", "DeleteLogtailPipelineConfigResponse", "GetLogtailPipelineConfigResponse",
    "ListLogtailPipelineConfigResponse", "UpdateLogtailPipelineConfigResponse",
    "GetLogStoreMeteringModeResponse", "GetMetricStoreMeteringModeResponse", "UpdateLogStoreMeteringModeResponse",
    "UpdateMetricStoreMeteringModeResponse", "GetLogStoreMultimodalConfigurationResponse",
    "PutLogStoreMultimodalConfigurationResponse", "GetObjectResponse", "PutObjectResponse", "GetProjectTagsResponse",
    "CreateRebuildIndexResponse", "GetRebuildIndexResponse", "ResourcePolicyResourceType",
    "DeleteResourcePolicyResponse", "GetResourcePolicyResponse", "PutResourcePolicyResponse",
    "StoreView", "StoreViewStore", "CreateStoreViewResponse", "DeleteStoreViewResponse", "GetStoreViewResponse",
    "ListStoreViewsResponse", "UpdateStoreViewResponse", "SubmitAsyncSqlRequest", "UpdateLogsRequest",
    "UpdateLogsResponse", "Util", "parse_timestamp", "logger", "RequestsTransport", "Urllib3Transport",
]  # fmt: skip


def codec_implementation() -> str:
    """Which log codec this process uses: ``"native"`` (the C extension) or ``"python"``.

    The native codec is built by ``pip install`` where a C compiler is available (CPython only)
    and used automatically; set ``ALIYUN_LOG_PURE_CODEC=1`` before importing to force the
    pure-Python one. Both give identical results (see docs/performance.md, "Native codec").
    """
    from ._codec import implementation

    return implementation()
