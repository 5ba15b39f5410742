"""Every request a consumer worker makes, in one place, on top of :class:`~aliyun.log.LogClient`.

:class:`ConsumerClient` is built in either of two forms: this package's, from a
:class:`~aliyun.log.consumer.LogHubConfig` (what :class:`~aliyun.log.consumer.ConsumerWorker` does),
or the official one, ``ConsumerClient(endpoint, access_key_id, access_key, project, logstore,
consumer_group, consumer, ...)``, for code that drives the official consumer's internals itself.
Both forms answer both method sets: the worker's (``ensure_group``, ``assigned_shards``,
``get_checkpoint``, ``commit``, ``cursor``, ``fetch``) and the official ones
(``ensure_consumer_group_created``, ``heartbeat(shards, responce)``, ``get_check_point``,
``update_check_point``, ``get_cursor``/``get_begin_cursor``/``get_end_cursor``, ``pull_logs``).

Two clients: one for data and checkpoints (normal timeout and retries) and one for heartbeats
(short timeout, almost no retry: a heartbeat that cannot get through within its interval is better
reported and sent again than retried for a minute). Methods are called from the worker's I/O
threads and the heartbeat thread; ``LogClient`` is thread-safe.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Optional, Union

from .._pipeline.credentials import credentials_from
from .._pipeline.retry import RetryPolicy
from ..errors import ConsumerGroupAlreadyExist, LogStoreNotExist, ProjectNotExist
from ..logclient import LogClient
from ..logexception import LogException
from ..pulllog_response import PullLogResponse
from ._log_prefix import IdentityLoggerAdapter, client_identity
from .config import LogHubConfig
from .cursors import cursor_position, restart_cursor, restart_point
from .exceptions import CheckPointException, ClientWorkerException
from .fetched_log_group import FetchedLogGroup
from .preprocessor import Preprocessor

__all__ = ["ConsumerClient", "ConsumerClientLoggerAdapter", "cursor_position", "restart_cursor"]

logger = logging.getLogger(__name__)


class ConsumerClientLoggerAdapter(IdentityLoggerAdapter):
    """Prefixes messages with ``[project/logstore/group/consumer]`` of ``extra["consumer_client"]``."""

    role = "consumer_client"

    def identity(self, subject: Any) -> list[object]:
        return client_identity(subject)


class ConsumerClient:
    """The calls of one consumer.

    :param endpoint: a :class:`~aliyun.log.consumer.LogHubConfig` (this package's form), or the
        endpoint (the official form, followed by the keys, project, logstore, group and consumer).
    :param client: keyword-only; use this client for everything (tests, in-process emulator); by
        default the clients are built from the settings.

    The official form's remaining parameters (``security_token``, ``credentials_refresher``,
    ``auth_version``, ``region``, ``accept_compress_type``) mean what they mean for
    :class:`~aliyun.log.consumer.LogHubConfig`.
    """

    def __init__(
        self,
        endpoint: Union[str, LogHubConfig],
        access_key_id: Optional[str] = None,
        access_key: Optional[str] = None,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        consumer_group: Optional[str] = None,
        consumer: Optional[str] = None,
        security_token: Optional[str] = None,
        credentials_refresher: Any = None,
        auth_version: str = "v1",
        region: str = "",
        accept_compress_type: Optional[str] = None,
        *,
        client: Optional[LogClient] = None,
    ) -> None:
        if isinstance(endpoint, LogHubConfig):
            option = endpoint
        else:
            missing = [
                name
                for name, value in (
                    ("project", project),
                    ("logstore", logstore),
                    ("consumer_group", consumer_group),
                    ("consumer", consumer),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"ConsumerClient needs {', '.join(missing)}")
            option = LogHubConfig(
                endpoint,
                access_key_id or "",
                access_key or "",
                str(project),
                str(logstore),
                str(consumer_group),
                str(consumer),
                security_token=security_token,
                credentials_refresher=credentials_refresher,
                auth_version=auth_version,
                region=region,
                accept_compress_type=accept_compress_type,
            )
        self.option = option
        self.project = self.mproject = option.project
        self.logstore = self.mlogstore = option.logstore
        self.group = self.mconsumer_group = option.consumer_group_name
        self.consumer = self.mconsumer = option.consumer_name
        self.accept_compress_type = option.accept_compress_type
        self.logger = ConsumerClientLoggerAdapter(logger, {"consumer_client": self})
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

    @property
    def mclient(self) -> LogClient:
        """The client for data and checkpoints (the official attribute)."""
        return self.data

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
        self._ensure(self.option.consumer_group_time_out, self.option.in_order)

    def ensure_consumer_group_created(self, timeout: int, in_order: bool) -> None:
        """Create the group with ``timeout`` and ``in_order``, or update it to them if it exists.

        :raises ClientWorkerException: it could not (the SLS error is chained as ``__cause__``).
        """
        try:
            self._ensure(timeout, in_order)
        except LogException as exc:
            raise ClientWorkerException(
                f"cannot create or update consumer group {self.group!r}: {exc.get_error_code()}: "
                f"{exc.get_error_message()}",
                exc,
            ) from exc

    def get_consumer_group(self) -> Any:
        """This consumer's group as listed by the server (a ``ConsumerGroupEntity``), ``None`` if absent."""
        for group in self.data.list_consumer_group(self.project, self.logstore).get_consumer_groups():
            if group.get_consumer_group_name() == self.group:
                return group
        return None

    def _ensure(self, timeout: int, order: bool) -> None:
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

    def assigned_shards(self, shards: Iterable[int]) -> list[int]:
        """Send a heartbeat holding ``shards``; the shards the server assigns.

        :raises LogException: the heartbeat failed.
        """
        answer = self.beat.heart_beat(self.project, self.logstore, self.group, self.consumer, list(shards))
        return [int(s) for s in answer.get_shards()]

    def heartbeat(self, shards: Iterable[int], responce: Optional[list[int]] = None) -> bool:
        """Send a heartbeat (the official form): the assigned shards are appended to ``responce``
        (sic, the official name); whether it succeeded (a failure is logged, not raised)."""
        try:
            assigned = self.assigned_shards(shards)
        except LogException as exc:
            self.logger.warning("heartbeat failed: %s", exc)
            return False
        if responce is not None:
            responce.extend(assigned)
        return True

    # -- checkpoints and cursors ------------------------------------------------------------------------

    def get_checkpoint(self, shard: int) -> str:
        """The shard's checkpoint, ``''`` if none."""
        answer = self.data.get_check_point(self.project, self.logstore, self.group, shard)
        for item in answer.get_consumer_group_check_points():
            if int(item.get("shard", -1)) == shard:
                return str(item.get("checkpoint") or "")
        return ""

    def get_check_point(self, shard: int) -> dict[str, Any]:
        """The shard's checkpoint entry as the server lists it (``shard``, ``checkpoint``,
        ``updateTime``, ``consumer``; ``checkpoint`` is ``''`` when none was written).

        :raises CheckPointException: the server listed no entry for the shard.
        """
        answer = self.data.get_check_point(self.project, self.logstore, self.group, shard)
        entries = list(answer.get_consumer_group_check_points() or [])
        for item in entries:
            if int(item.get("shard", -1)) == shard:
                return dict(item)
        if entries:
            return dict(entries[0])
        raise CheckPointException(f"no checkpoint entry for shard {shard} of consumer group {self.group!r}")

    def commit(self, shard: int, cursor: str) -> None:
        """Write a checkpoint."""
        self.data.update_check_point(self.project, self.logstore, self.group, shard, cursor, self.consumer)

    def update_check_point(self, shard: int, consumer: str, check_point: str) -> None:
        """Write ``check_point`` for ``shard`` as ``consumer`` (the official argument order)."""
        self.data.update_check_point(self.project, self.logstore, self.group, shard, check_point, consumer)

    def cursor(self, shard: int, position: Any) -> str:
        """GetCursor for ``begin``, ``end`` or a time."""
        return str(self.data.get_cursor(self.project, self.logstore, shard, position).get_cursor())

    def get_cursor(self, shard_id: int, start_time: Any) -> str:
        """The cursor of ``shard_id`` at ``start_time`` (a time, ``"begin"`` or ``"end"``)."""
        return self.cursor(shard_id, start_time)

    def get_begin_cursor(self, shard_id: int) -> str:
        """The cursor of the shard's oldest data."""
        return self.cursor(shard_id, "begin")

    def get_end_cursor(self, shard_id: int) -> str:
        """The cursor after the shard's newest data."""
        return self.cursor(shard_id, "end")

    def restart_point(self, shard: int, cursor: str) -> Optional[str]:
        """Where to resume after PullLogs rejected ``cursor`` (see :func:`restart_cursor`); ``None``
        to retry as is (also when the shard's bounds cannot be read)."""
        return restart_point(self, shard, cursor)

    # -- data -------------------------------------------------------------------------------------------

    def pull_logs(
        self,
        shard_id: int,
        cursor: str,
        end_cursor: Optional[str] = None,
        count: int = 1000,
        query: Optional[str] = None,
        processor: Optional[str] = None,
    ) -> PullLogResponse:
        """PullLogs from ``cursor`` (compressed as ``accept_compress_type`` says); ``query`` or
        ``processor`` filter on the server (SPL)."""
        return self.data.pull_logs(
            self.project,
            self.logstore,
            shard_id,
            cursor,
            count=count,
            end_cursor=end_cursor,
            query=query,
            accept_compress_type=self.accept_compress_type,
            processor=processor,
        )

    def fetch(
        self,
        shard: int,
        cursor: str,
        end_cursor: Optional[str],
        preprocessor: Preprocessor,
        option: Optional[LogHubConfig] = None,
    ) -> FetchedLogGroup:
        """PullLogs once and turn the answer into what the processor wants (empty: ``data`` is ``None``).

        :param option: the batch size, query and SPL processor to use (default: this client's settings).
        """
        option = option or self.option
        answer = self.pull_logs(
            shard, cursor, end_cursor, option.max_fetch_log_group_size, option.query, option.processor
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
