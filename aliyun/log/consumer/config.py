"""Consumer settings: :class:`LogHubConfig` and :class:`CursorPosition`."""

from __future__ import annotations

import math
from concurrent.futures import Executor
from enum import Enum
from typing import Any, Callable, Optional

from .policy import ProcessRetryPolicy

__all__ = ["ConsumerStatus", "CursorPosition", "LogHubConfig", "start_position"]


class CursorPosition(Enum):
    """Where a shard without checkpoint starts."""

    #: the oldest retained log group
    BEGIN_CURSOR = "BEGIN_CURSOR"
    #: the next log group written (only new data)
    END_CURSOR = "END_CURSOR"
    #: the first log group received at or after ``cursor_start_time``
    SPECIAL_TIMER_CURSOR = "SPECIAL_TIMER_CURSOR"


class ConsumerStatus(Enum):
    """Life cycle of one shard's consumer."""

    INITIALIZING = "INITIALIZING"
    PROCESSING = "PROCESSING"
    SHUTTING_DOWN = "SHUTTING_DOWN"
    SHUTDOWN_COMPLETE = "SHUTDOWN_COMPLETE"


def start_position(cursor_position: Any, cursor_start_time: Any) -> str:
    """What to ask GetCursor for when a shard has no checkpoint: ``begin``, ``end`` or the start time
    (a :class:`CursorPosition` or its name; a missing or ``-1`` start time means ``begin``)."""
    position = getattr(cursor_position, "value", cursor_position)
    if position == CursorPosition.BEGIN_CURSOR.value:
        return "begin"
    if position == CursorPosition.END_CURSOR.value:
        return "end"
    start = cursor_start_time
    if start is None or start == -1 or (isinstance(start, str) and start.strip() in ("", "-1")):
        return "begin"
    return str(start) if not isinstance(start, (int, float)) else str(int(start))


DEFAULT_HEARTBEAT_INTERVAL = 20
DEFAULT_DATA_FETCH_INTERVAL = 2
DEFAULT_MAX_FETCH_LOG_GROUP_SIZE = 1000
DEFAULT_WORKER_POOL_SIZE = 2
DEFAULT_SHUTDOWN_TIMEOUT = 30.0
DEFAULT_FLUSH_INTERVAL = 60.0


class LogHubConfig:
    """Settings of one :class:`~aliyun.log.consumer.ConsumerWorker` (one consumer of a consumer group).

    The positional order is the official one, so existing calls keep working.

    :param endpoint: SLS endpoint (``cn-hangzhou.log.aliyuncs.com``, ``host:port`` ...).
    :param access_key_id: AccessKey id.
    :param access_key: AccessKey secret.
    :param project: project name.
    :param logstore: logstore name.
    :param consumer_group_name: the group; created on start if missing, otherwise its ``timeout``
        and ``order`` are updated to this worker's values.
    :param consumer_name: this consumer's name, unique within the group.
    :param cursor_position: where a shard without checkpoint starts (default ``SPECIAL_TIMER_CURSOR``
        with ``cursor_start_time="begin"``, i.e. the oldest data).
    :param heartbeat_interval: seconds between heartbeats (default 20; floats allowed). The group's
        timeout is set to twice this: a consumer silent that long loses its shards.
    :param data_fetch_interval: seconds to wait before fetching again from a shard that had no new
        data (default 2).
    :param in_order: consume a split or merged shard's children only after the parent's data.
    :param cursor_start_time: with ``SPECIAL_TIMER_CURSOR``: ``"begin"``, ``"end"``, Unix seconds or
        a readable time; ``-1`` (the old default) means ``"begin"``.
    :param security_token: STS token.
    :param max_fetch_log_group_size: log groups per fetch, 1..1000 (default 1000).
    :param worker_pool_size: threads running ``process()`` (default 2).
    :param shared_executor: an ``Executor`` to run ``process()`` on instead of a private pool
        (not shut down by the worker).
    :param cursor_end_time: stop position (same forms as ``cursor_start_time``); once every shard
        reached it the worker stops by itself and sets :attr:`ConsumerWorker.reached_end`.
    :param credentials_refresher: callable returning ``(access_key_id, access_key, security_token)``;
        called at start and again after an authentication error.
    :param auth_version: ``v1`` or ``v4``.
    :param region: region for ``v4`` signing.
    :param query: SPL filter applied by the service to fetched data.
    :param accept_compress_type: ``lz4`` (default), ``zstd`` or ``deflate``.
    :param processor: name of a consume processor stored in SLS.
    :param process_retry: keyword-only; :class:`~aliyun.log.consumer.policy.ProcessRetryPolicy`
        for batches whose ``process()`` raises (default: retry with backoff, never skip).
    :param shutdown_timeout: keyword-only; default deadline of :meth:`ConsumerWorker.shutdown`.
    :param flush_interval: keyword-only; a checkpoint saved in memory only is written to the server
        at the latest this many seconds later (default 60), and at once when a shard has no new data.
    """

    def __init__(
        self,
        endpoint: str,
        access_key_id: str,
        access_key: str,
        project: str,
        logstore: str,
        consumer_group_name: str,
        consumer_name: str,
        cursor_position: Optional[CursorPosition] = None,
        heartbeat_interval: Optional[float] = None,
        data_fetch_interval: Optional[float] = None,
        in_order: bool = False,
        cursor_start_time: Any = None,
        security_token: Optional[str] = None,
        max_fetch_log_group_size: Optional[int] = None,
        worker_pool_size: Optional[int] = None,
        shared_executor: Optional[Executor] = None,
        cursor_end_time: Any = None,
        credentials_refresher: Optional[Callable[[], Any]] = None,
        auth_version: str = "v1",
        region: str = "",
        query: Optional[str] = None,
        accept_compress_type: Optional[str] = None,
        processor: Optional[str] = None,
        *,
        process_retry: Optional[ProcessRetryPolicy] = None,
        shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT,
        flush_interval: float = DEFAULT_FLUSH_INTERVAL,
    ) -> None:
        self.endpoint = endpoint
        self.accessKeyId = access_key_id
        self.accessKey = access_key
        self.project = project
        self.logstore = logstore
        self.consumer_group_name = consumer_group_name
        self.consumer_name = consumer_name
        if cursor_position is None:
            cursor_position = CursorPosition.SPECIAL_TIMER_CURSOR
            if cursor_start_time is None:
                cursor_start_time = "begin"
        self.cursor_position = cursor_position
        self.heartbeat_interval = DEFAULT_HEARTBEAT_INTERVAL if heartbeat_interval is None else heartbeat_interval
        if self.heartbeat_interval <= 0:
            raise ValueError("heartbeat_interval must be positive")
        self.data_fetch_interval = DEFAULT_DATA_FETCH_INTERVAL if data_fetch_interval is None else data_fetch_interval
        self.in_order = bool(in_order)
        self.cursor_start_time = cursor_start_time
        self.securityToken = security_token
        self.max_fetch_log_group_size = (
            DEFAULT_MAX_FETCH_LOG_GROUP_SIZE if max_fetch_log_group_size is None else int(max_fetch_log_group_size)
        )
        if not 1 <= self.max_fetch_log_group_size <= 1000:
            raise ValueError("max_fetch_log_group_size must be 1..1000")
        self.worker_pool_size = DEFAULT_WORKER_POOL_SIZE if worker_pool_size is None else int(worker_pool_size)
        self.shared_executor = shared_executor
        self.cursor_end_time = cursor_end_time
        self.credentials_refresher = credentials_refresher
        self.auth_version = auth_version
        self.region = region
        self.query = query
        self.accept_compress_type = accept_compress_type
        self.processor = processor
        self.process_retry = process_retry or ProcessRetryPolicy()
        self.shutdown_timeout = float(shutdown_timeout)
        self.flush_interval = float(flush_interval)
        self._group_timeout: Optional[int] = None

    @property
    def consumer_group_time_out(self) -> int:
        """The group timeout sent to the server: twice the heartbeat interval in whole seconds, unless set."""
        if self._group_timeout is not None:
            return self._group_timeout
        return max(1, math.ceil(2 * self.heartbeat_interval))

    @consumer_group_time_out.setter
    def consumer_group_time_out(self, seconds: int) -> None:
        self._group_timeout = int(seconds)

    def start_position(self) -> str:
        """What to ask GetCursor for when a shard has no checkpoint (``begin``, ``end`` or a time)."""
        return start_position(self.cursor_position, self.cursor_start_time)

    def __repr__(self) -> str:
        return (
            f"LogHubConfig(endpoint={self.endpoint!r}, project={self.project!r}, logstore={self.logstore!r}, "
            f"consumer_group_name={self.consumer_group_name!r}, consumer_name={self.consumer_name!r})"
        )


# Names the official module exposes (``LogHubConfig(auth_version=AUTH_VERSION_4, ...)``).
from ..auth import AUTH_VERSION_1, AUTH_VERSION_4  # noqa: E402, F401
