"""The Elasticsearch client, imported only here (the ``es`` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

try:
    import elasticsearch
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "aliyun.log.es_migration needs the Elasticsearch client: pip install 'aliyun-log-python-sdk[es]'"
    ) from exc

NotFoundError = elasticsearch.NotFoundError


def make_client(hosts: Sequence[str]) -> Any:
    """A client of the ``host:port`` (or URL) nodes, retrying timeouts patiently as a long copy needs."""
    urls = [host if "://" in host else f"http://{host}" for host in hosts]
    return elasticsearch.Elasticsearch(hosts=urls, request_timeout=60, max_retries=30, retry_on_timeout=True)


def major_version(client: Any) -> int:
    """The major version of the cluster."""
    return int(str(client.info()["version"]["number"]).split(".")[0])
