"""The "raw" variant of the log messages (``Log.Content.Value`` as bytes, for logs that are not
UTF-8): ``LogRaw``, ``LogTagRaw``, ``LogGroupRaw``, ``LogGroupListRaw``. Same wire format as
:mod:`aliyun.log.log_logs_pb2`."""

from ._codec.schema import LogGroupListRaw, LogGroupRaw, LogRaw, LogTagRaw

__all__ = ["LogGroupListRaw", "LogGroupRaw", "LogRaw", "LogTagRaw"]

#: the file descriptor the four messages belong to
DESCRIPTOR = LogGroupRaw.DESCRIPTOR.file
