"""Consumer group calls of ``LogClient``: groups, heartbeats and checkpoints.

These are the building blocks of :class:`aliyun.log.consumer.ConsumerWorker`; most users want the
worker, not these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from .. import _ops as ops
from .._ops import check_label
from ..consumer_group_response import (
    ConsumerGroupCheckPointResponse,
    ConsumerGroupEntity,
    ConsumerGroupHeartBeatResponse,
    ConsumerGroupUpdateCheckPointResponse,
    CreateConsumerGroupResponse,
    DeleteConsumerGroupResponse,
    ListConsumerGroupResponse,
    UpdateConsumerGroupResponse,
)
from ..errors import make_exception
from .core import ClientCore

__all__ = ["ConsumerGroupsMixin"]


class ConsumerGroupsMixin(ClientCore):
    """Create, update, delete and list consumer groups; heartbeats; checkpoints."""

    def create_consumer_group(
        self, project: str, logstore: str, consumer_group: str, timeout: int, in_order: bool = False
    ) -> CreateConsumerGroupResponse:
        """Create a consumer group.

        :type timeout: int
        :param timeout: seconds without heartbeat after which a consumer leaves the group and its
            shards go to the others.
        :type in_order: bool
        :param in_order: consume a split or merged shard's children only after the parent's data.
        :type project: string
        :type logstore: string
        :type consumer_group: string
        :raises ConsumerGroupAlreadyExist: the name is taken.
        """
        body = ConsumerGroupEntity(consumer_group, int(timeout), bool(in_order)).to_request_json()
        response = self._call(
            ops.CREATE_CONSUMER_GROUP, project, body=body, content_type="application/json", logstore=logstore
        )
        return CreateConsumerGroupResponse(dict(response.headers))

    def update_consumer_group(
        self,
        project: str,
        logstore: str,
        consumer_group: str,
        timeout: Optional[int] = None,
        in_order: Optional[bool] = None,
    ) -> UpdateConsumerGroupResponse:
        """Change a group's ``timeout`` and/or ``in_order`` (at least one must be given).

        :type project: string
        :type logstore: string
        :type consumer_group: string
        :type timeout: int
        :type in_order: bool
        :raises ConsumerGroupNotExist: no such group.
        """
        body: dict[str, Any] = {}
        if in_order is not None:
            body["order"] = bool(in_order)
        if timeout is not None:
            body["timeout"] = int(timeout)
        if not body:
            raise make_exception("BadParameters", "give timeout and/or in_order")
        _, headers = self._call_json(
            ops.UPDATE_CONSUMER_GROUP, project, body=body, logstore=logstore, group=consumer_group
        )
        return UpdateConsumerGroupResponse(headers)

    def delete_consumer_group(self, project: str, logstore: str, consumer_group: str) -> DeleteConsumerGroupResponse:
        """Delete a group and its checkpoints.

        :type project: string
        :type logstore: string
        :type consumer_group: string
        :raises ConsumerGroupNotExist: no such group.
        """
        _, headers = self._call_json(ops.DELETE_CONSUMER_GROUP, project, logstore=logstore, group=consumer_group)
        return DeleteConsumerGroupResponse(headers)

    def list_consumer_group(self, project: str, logstore: str) -> ListConsumerGroupResponse:
        """List the groups of a logstore.

        :type project: string
        :type logstore: string
        """
        data, headers = self._call_json(ops.LIST_CONSUMER_GROUP, project, logstore=logstore)
        return ListConsumerGroupResponse(data if isinstance(data, list) else [], headers)

    def heart_beat(
        self,
        project: str,
        logstore: str,
        consumer_group: str,
        consumer: str,
        shards: Optional[Iterable[int]] = None,
    ) -> ConsumerGroupHeartBeatResponse:
        """Tell the group ``consumer`` is alive and holds ``shards``; the answer lists the shards it
        should hold from now on.

        :type project: string
        :type logstore: string
        :type consumer_group: string
        :type consumer: string
        :type shards: int list
        :raises NotExistConsumerWithBody: an unknown (or timed-out) consumer listed shards; it must
            first send an empty list.
        :raises ConsumerGroupNotExist: no such group.
        """
        data, headers = self._call_json(
            ops.CONSUMER_GROUP_HEARTBEAT,
            project,
            params={"consumer": consumer},
            body=[int(check_label("shard", s)) for s in (shards or [])],
            logstore=logstore,
            group=consumer_group,
        )
        return ConsumerGroupHeartBeatResponse(data if isinstance(data, list) else [], headers)

    def get_check_point(
        self, project: str, logstore: str, consumer_group: str, shard: int = -1
    ) -> ConsumerGroupCheckPointResponse:
        """Checkpoints of one shard (``shard >= 0``) or of every shard.

        A shard without checkpoint is listed with ``"checkpoint": ""``.

        :type project: string
        :type logstore: string
        :type consumer_group: string
        :type shard: int
        """
        every = shard is None or (isinstance(shard, int) and not isinstance(shard, bool) and shard < 0)
        params = None if every else {"shard": check_label("shard", shard)}
        data, headers = self._call_json(
            ops.CONSUMER_GROUP_GET_CHECKPOINT, project, params=params, logstore=logstore, group=consumer_group
        )
        return ConsumerGroupCheckPointResponse(data if isinstance(data, list) else [], headers)

    def get_check_point_fixed(
        self, project: str, logstore: str, consumer_group: str, shard: int = -1
    ) -> ConsumerGroupCheckPointResponse:
        """Like :meth:`get_check_point`, plus ``checkpoint_previous_cursor_time`` on each non-empty
        checkpoint: the receive time of the last consumed log group (Unix seconds).

        :type project: string
        :type logstore: string
        :type consumer_group: string
        :type shard: int
        """
        response = self.get_check_point(project, logstore, consumer_group, shard)
        response.check_checkpoint(self, project, logstore)
        return response

    def update_check_point(
        self,
        project: str,
        logstore: str,
        consumer_group: str,
        shard: int,
        check_point: str,
        consumer: str = "",
        force_success: bool = True,
    ) -> ConsumerGroupUpdateCheckPointResponse:
        """Store a shard's checkpoint (the cursor consumption resumes from).

        :type consumer: string
        :param consumer: name recorded with the checkpoint.
        :type force_success: bool
        :param force_success: ``False`` makes the server refuse unless ``consumer`` is alive and holds
            the shard (``ConsumerNotExsit`` / ``ConsumerNotMatch``).

        :type project: string
        :type logstore: string
        :type consumer_group: string
        :type shard: int
        :type check_point: string
        """
        _, headers = self._call_json(
            ops.CONSUMER_GROUP_UPDATE_CHECKPOINT,
            project,
            params={"consumer": consumer, "forceSuccess": bool(force_success)},
            body={"shard": int(check_label("shard", shard)), "checkpoint": check_point},
            logstore=logstore,
            group=consumer_group,
        )
        return ConsumerGroupUpdateCheckPointResponse(headers)
