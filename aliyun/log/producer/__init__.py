"""Asynchronous batching log producer: ``LogProducer(client).send(project, logstore, contents)``.

See :class:`LogProducer` and ``docs/application-logging.md``. The logging handlers of
:mod:`aliyun.log.logger_hanlder` are built on it.
"""

from ._batch import SendResult
from ._producer import BufferFullError, LogProducer, ProducerClosedError, ProducerStats, SenderThread

__all__ = ["BufferFullError", "LogProducer", "ProducerClosedError", "ProducerStats", "SendResult", "SenderThread"]
