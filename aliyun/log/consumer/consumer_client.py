"""Every request a consumer worker makes, in one place, on top of :class:`~aliyun.log.LogClient`.

Two clients: one for data and checkpoints (normal timeout and retries) and one for heartbeats
(short timeout, almost no retry: a heartbeat that cannot get through within its interval is better
reported and sent again than retried for a minute). Methods are called from the worker's I/O
threads and the heartbeat thread; ``LogClient`` is thread-safe.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterable
from typing import Any, Optional

from .._pipeline.credentials import credentials_from
from .._pipeline.retry import RetryPolicy
from ..errors import ConsumerGroupAlreadyExist, LogStoreNotExist, ProjectNotExist
from ..logclient import LogClient
from ..logexception import LogException
from .config import LogHubConfig
from .fetched_log_group import FetchedLogGroup
from .preprocessor import Preprocessor

__all__ = ["ConsumerClient", "cursor_position"]

logger = logging.getLogger(__name__)


def cursor_position(cursor: str) -> Optional[int]:
    """The integer inside a cursor (SLS cursors are Base64 decimal numbers), ``None`` if it is not one."""
    try:
        return int(base64.b64decode("".join(cursor.split()), validate=True).decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


class ConsumerClient:
    """The calls of one consumer.

    :param option: the worker's settings.
    :param client: use this client for everything (tests, in-process emulator); by default two
        clients are built from ``option``.
    """

    def __init__(self, option: LogHubConfig, client: Optional[LogClient] = None) -> None:
        self.option = option
        self.project = option.project
        self.logstore = option.logstore
        self.group = option.consumer_group_name
        self.consumer = option.consumer_name
        self._owned = client is None
        if client is not None:
            self.data = client
            self.beat = client
            return
        key_id, key, token = option.accessKeyId, option.accessKey, option.securityToken
        if option.credentials_refresher is not None and not (key_id and key):
            # No keys given: the refresher is the only source of credentials; ask it once for both clients.
            first = credentials_from(option.credentials_refresher())
            key_id, key, token = first.access_key_id, first.access_key_secret, first.security_token
        keys = (key_id, key, token)
        self.data = self._make_client(keys, RetryPolicy(), timeout=60.0)
        beat_budget = max(1.0, float(option.heartbeat_interval))
        self.beat = self._make_client(
            keys, RetryPolicy(max_attempts=2, base_delay=0.1, max_delay=0.5, deadline=beat_budget), timeout=beat_budget
        )

    def _make_client(
        self, keys: tuple[Optional[str], Optional[str], Optional[str]], retry: RetryPolicy, timeout: float
    ) -> LogClient:
        option = self.option
        client = LogClient(
            option.endpoint,
            *keys,
            auth_version=option.auth_version,
            region=option.region,
            retry=retry,
            timeout=timeout,
        )
        if option.credentials_refresher is not None:
            client.set_credentials_auto_refresher(option.credentials_refresher)
        client.set_user_agent(f"{client.user_agent}-consumergroup-{self.group}-{self.consumer}")
        return client

    # -- group ----------------------------------------------------------------------------------------

    def ensure_group(self) -> None:
        """Create the group, or set its timeout and order to ours if it exists (as the official worker).

        :raises LogException: the logstore is missing, access is denied ...
        """
        timeout = self.option.consumer_group_time_out
        order = self.option.in_order
        try:
            groups = self.data.list_consumer_group(self.project, self.logstore).get_consumer_groups()
            exists = any(g.get_consumer_group_name() == self.group for g in groups)
        except (LogStoreNotExist, ProjectNotExist):
            raise
        except LogException:
            exists = False
        if not exists:
            try:
                self.data.create_consumer_group(self.project, self.logstore, self.group, timeout, order)
                logger.info("created consumer group %s (timeout %ss, in order: %s)", self.group, timeout, order)
                return
            except ConsumerGroupAlreadyExist:
                pass
        self.data.update_consumer_group(self.project, self.logstore, self.group, timeout, order)

    def heartbeat(self, shards: Iterable[int]) -> list[int]:
        """Send a heartbeat; the shards the server assigns."""
        answer = self.beat.heart_beat(self.project, self.logstore, self.group, self.consumer, list(shards))
        return [int(s) for s in answer.get_shards()]

    # -- checkpoints and cursors ------------------------------------------------------------------------

    def get_checkpoint(self, shard: int) -> str:
        """The shard's checkpoint, ``''`` if none."""
        answer = self.data.get_check_point(self.project, self.logstore, self.group, shard)
        for item in answer.get_consumer_group_check_points():
            if int(item.get("shard", -1)) == shard:
                return str(item.get("checkpoint") or "")
        return ""

    def commit(self, shard: int, cursor: str) -> None:
        """Write a checkpoint."""
        self.data.update_check_point(self.project, self.logstore, self.group, shard, cursor, self.consumer)

    def cursor(self, shard: int, position: Any) -> str:
        """GetCursor for ``begin``, ``end`` or a time."""
        return str(self.data.get_cursor(self.project, self.logstore, shard, position).get_cursor())

    # -- data -------------------------------------------------------------------------------------------

    def fetch(self, shard: int, cursor: str, end_cursor: Optional[str], preprocessor: Preprocessor) -> FetchedLogGroup:
        """PullLogs once and turn the answer into what the processor wants (empty: ``data`` is ``None``)."""
        option = self.option
        answer = self.data.pull_logs(
            self.project,
            self.logstore,
            shard,
            cursor,
            count=option.max_fetch_log_group_size,
            end_cursor=end_cursor,
            query=option.query,
            accept_compress_type=option.accept_compress_type,
            processor=option.processor,
        )
        count = answer.get_loggroup_count()
        next_cursor = answer.get_next_cursor() or cursor
        if count <= 0:
            return FetchedLogGroup(shard, None, next_cursor, 0)
        return FetchedLogGroup(shard, preprocessor(answer), next_cursor, count, raw_size=answer.get_raw_size())

    def all_reached(self, end_time: Any) -> bool:
        """Whether every shard of the logstore has its checkpoint at or past the cursor of ``end_time``
        (a shard without checkpoint counts from its oldest data)."""
        shards = self.data.list_shards(self.project, self.logstore).get_shards_info()
        points = {
            int(item["shard"]): str(item.get("checkpoint") or "")
            for item in self.data.get_check_point(
                self.project, self.logstore, self.group
            ).get_consumer_group_check_points()
        }
        for shard in shards:
            shard_id = int(shard["shardID"])
            end = cursor_position(self.cursor(shard_id, end_time))
            at = points.get(shard_id) or self.cursor(shard_id, "begin")
            position = cursor_position(at)
            if end is None or position is None or position < end:
                return False
        return True

    def close(self) -> None:
        """Release pooled connections of the clients built here."""
        if self._owned:
            self.data.close()
            self.beat.close()


# Names the official module exposes.
from ..auth import AUTH_VERSION_1, AUTH_VERSION_4  # noqa: E402, F401
from ..version import USER_AGENT  # noqa: E402, F401
