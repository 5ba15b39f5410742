"""Logging handlers that ship ``logging`` records to a logstore (the official, misspelled module path).

:mod:`aliyun.log.logging_handler` is the same module spelled correctly, and :mod:`aliyun.log`
exports the classes too. Constructors take the official parameters in the official positional
order, so ``logging.config`` files and dicts written for the official SDK keep working.

* :class:`SimpleLogHandler` sends each record in the calling thread (one PutLogs per record).
* :class:`QueuedLogHandler` hands records to a :class:`~aliyun.log.producer.LogProducer`, which
  batches them and sends from background threads with a bounded buffer.
* :class:`UwsgiQueuedLogHandler` is the queued handler for uWSGI workers.
* :class:`LogFields` names the record attributes a handler copies into each log.

Guide: ``docs/application-logging.md``.
"""

from ._queued_handler import QueuedLogHandler, UwsgiQueuedLogHandler
from ._simple_handler import DEFAULT_RECORD_LOG_FIELDS, LogFields, SimpleLogHandler

# Names the official module has in its namespace (the handlers' auth_version values and their
# User-Agent); code reads them from here.
from .auth import AUTH_VERSION_1, AUTH_VERSION_4  # isort: skip
from .version import LOGGING_HANDLER_USER_AGENT  # isort: skip

__all__ = [
    "AUTH_VERSION_1",
    "AUTH_VERSION_4",
    "DEFAULT_RECORD_LOG_FIELDS",
    "LOGGING_HANDLER_USER_AGENT",
    "LogFields",
    "QueuedLogHandler",
    "SimpleLogHandler",
    "UwsgiQueuedLogHandler",
]
