"""``LogClient``: the one object users create to talk to SLS (or to the emulator)."""

from __future__ import annotations

from ._client.configs import ConfigsMixin
from ._client.consumer_groups import ConsumerGroupsMixin
from ._client.copy import CopyMixin
from ._client.data_tools import DataToolsMixin
from ._client.datamod import DataModMixin
from ._client.documents import DocumentsMixin
from ._client.index import IndexMixin
from ._client.jobs import JobsMixin
from ._client.logstores import LogstoresMixin
from ._client.machinegroups import MachineGroupsMixin
from ._client.metric_stores import MetricStoresMixin
from ._client.objects import ObjectsMixin
from ._client.projects import ProjectsMixin
from ._client.pull import PullMixin
from ._client.put import PutMixin
from ._client.query import QueryMixin
from ._client.resources import ResourcesMixin
from ._client.shards import ShardsMixin
from ._client.shippers import ShippersMixin
from ._client.stores import StoresMixin
from ._client.tags import TagsMixin
from ._client.topostores import TopostoresMixin
from ._client.usage import UsageMixin

__all__ = ["LogClient"]

# -- module constants of the official module (code reads and monkeypatches them) ---------------
from .auth import AUTH_VERSION_1, AUTH_VERSION_4  # noqa: F401
from .version import API_VERSION, USER_AGENT  # noqa: F401

#: seconds to wait for one answer (the client's default ``timeout``)
CONNECTION_TIME_OUT = 120
#: the largest page of a list call (``size`` above it is read page by page)
MAX_LIST_PAGING_SIZE = 500
#: the largest page of a search (``line`` above it is read page by page)
MAX_GET_LOG_PAGING_SIZE = 100
#: the largest PutLogs body the service accepts, in bytes
MAX_PUT_LOG_SIZE = 30 * 1024 * 1024
#: calls in total while a query answer is incomplete
DEFAULT_QUERY_RETRY_COUNT = 5
#: seconds between those calls
DEFAULT_QUERY_RETRY_INTERVAL = 0.5
#: attempts of a credentials refresh
DEFAULT_REFRESH_RETRY_COUNT = 5
#: seconds between refresh attempts
DEFAULT_REFRESH_RETRY_DELAY = 30
#: the least seconds between two credentials refreshes
MIN_REFRESH_INTERVAL = 300


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
    DocumentsMixin,
    StoresMixin,
    MetricStoresMixin,
    JobsMixin,
    CopyMixin,
    DataToolsMixin,
    DataModMixin,
    TagsMixin,
    ResourcesMixin,
    TopostoresMixin,
    ObjectsMixin,
    UsageMixin,
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
    :param ca_file: keyword-only; a PEM file of certificate authorities to trust for ``https://``
        instead of the default bundle (a private or test CA; the emulator's ``ca_file``). Ignored
        when ``transport`` is given: pass it to the transport instead.

    The constructor does no I/O. The client is thread-safe and keeps pooled keep-alive
    connections; ``close()`` releases them.
    """
