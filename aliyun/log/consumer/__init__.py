"""Consumer groups made easy: :class:`ConsumerWorker` consumes the shards the server assigns it and
hands the data to your processor, checkpointing as it goes.

::

    from aliyun.log.consumer import ConsumerProcessorBase, ConsumerWorker, CursorPosition, LogHubConfig

    class Printer(ConsumerProcessorBase):
        def process(self, log_groups, check_point_tracker):
            for group in log_groups.LogGroups:
                for log in group.Logs:
                    print({c.Key: c.Value for c in log.Contents})
            check_point_tracker.save_check_point(True)

    option = LogHubConfig(endpoint, key_id, key, "project", "logstore", "group", "consumer-1",
                          CursorPosition.BEGIN_CURSOR)
    worker = ConsumerWorker(Printer, option)
    worker.start()
    ...
    worker.shutdown()

See ``docs/consumer.md`` for threads, guarantees and options.
"""

from .config import ConsumerStatus, CursorPosition, LogHubConfig
from .policy import ProcessRetryPolicy
from .tasks import ConsumerJsonProcessorBase, ConsumerProcessorAdaptor, ConsumerProcessorBase
from .worker import ConsumerWorker

__all__ = [
    "ConsumerJsonProcessorBase",
    "ConsumerProcessorAdaptor",
    "ConsumerProcessorBase",
    "ConsumerStatus",
    "ConsumerWorker",
    "CursorPosition",
    "LogHubConfig",
    "ProcessRetryPolicy",
]
