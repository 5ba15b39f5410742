"""All log protobuf messages in one place: the text ones and their raw (bytes value) variants."""

from .log_logs_pb2 import Log, LogGroup, LogGroupList, LogTag
from .log_logs_raw_pb2 import LogGroupListRaw, LogGroupRaw, LogRaw, LogTagRaw

__all__ = ["Log", "LogGroup", "LogGroupList", "LogGroupListRaw", "LogGroupRaw", "LogRaw", "LogTag", "LogTagRaw"]
