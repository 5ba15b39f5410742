"""The logging handlers under a correctly spelled name; the same objects as :mod:`aliyun.log.logger_hanlder`."""

from .logger_hanlder import (
    DEFAULT_RECORD_LOG_FIELDS,
    LogFields,
    QueuedLogHandler,
    SimpleLogHandler,
    UwsgiQueuedLogHandler,
)

__all__ = ["DEFAULT_RECORD_LOG_FIELDS", "LogFields", "QueuedLogHandler", "SimpleLogHandler", "UwsgiQueuedLogHandler"]
