"""``TransformDataConsumer``: the consumer-group mode of ``transform_data`` (official name).

Each shard's processor runs the job's script over the log groups the consumer group hands it,
writes the results and then saves the group's checkpoint, so a restarted consumer continues
where the group stopped.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from ..consumer.tasks import ConsumerProcessorBase
from ..pulllog_response import PullLogResponse
from .writers import transform_events

__all__ = ["TransformDataConsumer"]

logger = logging.getLogger(__name__)


class TransformDataConsumer(ConsumerProcessorBase):
    """A shard processor transforming into ``to_project``/``to_logstore``.

    :param status_updator: called at shutdown with ``(shard_id, count, removed, processed, failed)``.

    The script and target are class attributes set once by :meth:`set_transform_options`
    (the consumer worker builds processors with no other arguments).
    """

    runner: Optional[Callable[[dict[str, Any]], Any]] = None
    to_client: Any = None
    to_project: Optional[str] = None
    to_logstore: Optional[str] = None

    def __init__(self, status_updator: Callable[..., Any]) -> None:
        super().__init__()
        self.count = self.removed = self.processed = self.failed = 0
        self.status_updator = status_updator

    @staticmethod
    def set_transform_options(config: Any, to_client: Any, to_project: str, to_logstore: str) -> None:
        """Set the script (a path, a module or a callable) and the target of every processor."""
        from ..etl_core import Runner

        TransformDataConsumer.runner = config if callable(config) else Runner(config)
        TransformDataConsumer.to_client = to_client
        TransformDataConsumer.to_project = to_project
        TransformDataConsumer.to_logstore = to_logstore

    def process(self, log_groups: Any, check_point_tracker: Any) -> None:
        from ..logclient_operator import put_logs_auto_div

        runner, client = type(self).runner, type(self).to_client
        assert runner is not None and client is not None, "call set_transform_options first"
        counts = transform_events(
            PullLogResponse.loggroups_to_flattern_list(log_groups),
            runner,
            lambda request: put_logs_auto_div(client, request),
            str(type(self).to_project),
            str(type(self).to_logstore),
        )
        self.count += counts.read
        self.removed += counts.removed
        self.processed += counts.written
        self.failed += counts.failed
        self.save_checkpoint(check_point_tracker)

    def shutdown(self, check_point_tracker: Any) -> None:
        super().shutdown(check_point_tracker)
        self.status_updator(self.shard_id, self.count, self.removed, self.processed, self.failed)
