"""``LogClient``: the one object users create to talk to SLS (or to the emulator)."""

from __future__ import annotations

from ._client.configs import ConfigsMixin
from ._client.consumer_groups import ConsumerGroupsMixin
from ._client.copy import CopyMixin
from ._client.index import IndexMixin
from ._client.logstores import LogstoresMixin
from ._client.machinegroups import MachineGroupsMixin
from ._client.projects import ProjectsMixin
from ._client.pull import PullMixin
from ._client.put import PutMixin
from ._client.query import QueryMixin
from ._client.shards import ShardsMixin
from ._client.shippers import ShippersMixin

__all__ = ["LogClient"]


class LogClient(
    ProjectsMixin,
    LogstoresMixin,
    ShardsMixin,
    PutMixin,
    PullMixin,
    ConsumerGroupsMixin,
    IndexMixin,
    QueryMixin,
    ConfigsMixin,
    MachineGroupsMixin,
    ShippersMixin,
    CopyMixin,
):
    """Client of Alibaba Cloud Log Service.

    :param endpoint: ``cn-hangzhou.log.aliyuncs.com``, ``host:port``, ``http://...`` or
        ``https://...``. An IP address or ``localhost`` (with or without a port) is contacted
        directly, the project travelling only in the ``Host`` header; a DNS name is contacted as
        ``<project>.<endpoint>``.
    :param accessKeyId: AccessKey id.
    :param accessKey: AccessKey secret (never logged).
    :param securityToken: STS token, sent as ``x-acs-security-token``.
    :param source: default ``__source__`` of written logs (this machine's IP when ``None``).
    :param auth_version: ``v1`` (HMAC-SHA1, default) or ``v4`` (SLS4-HMAC-SHA256, needs ``region``).
    :param region: region id for v4 signing, e.g. ``cn-hangzhou``.
    :param credentials_provider: an object with ``get_credentials()`` returning an object with
        ``get_access_key_id()``, ``get_access_key_secret()`` and ``get_security_token()``; asked
        on every request (for rotating STS credentials).
    :param timeout: keyword-only; seconds to wait for one answer (default 120).
    :param retry: keyword-only; a :class:`~aliyun.log.RetryPolicy` (default: up to 5 attempts
        within 60 s, exponential backoff with jitter, see its documentation for what is retried).
    :param proxy: keyword-only; ``http://host:port`` of an HTTP proxy (default: from the
        ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY`` environment).
    :param transport: keyword-only; replaces the HTTP transport (tests, in-process emulator).
    :param user_agent: keyword-only; the ``User-Agent`` header.

    The constructor does no I/O. The client is thread-safe and keeps pooled keep-alive
    connections; ``close()`` releases them.
    """
