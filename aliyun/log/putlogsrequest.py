"""``PutLogsRequest``: logs to write to one logstore, with topic, source, tags and routing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from .logitem import LogItem
from .logrequest import LogRequest

__all__ = ["PutLogsRequest"]


class PutLogsRequest(LogRequest):
    """Logs for ``client.put_logs(request)``.

    :param topic: the log group's topic (``__topic__``).
    :param source: the log group's source (``__source__``); the client's own IP when ``None``.
    :param logitems: the :class:`LogItem` list.
    :param hashKey: 32 hex digits of the MD5 key space: write to the shard whose range holds
        it instead of load balancing.
    :param compress: compress the body (``True`` by default).
    :param logtags: ``(key, value)`` tags of the group (``__tag__:key``).
    :param compress_type: ``lz4`` (default), ``zstd`` (needs ``zstandard``) or ``deflate``.
    """

    def __init__(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        topic: Optional[str] = None,
        source: Optional[str] = None,
        logitems: Optional[Sequence[LogItem]] = None,
        hashKey: Optional[str] = None,
        compress: bool = True,
        logtags: Optional[Sequence[tuple[str, str]]] = None,
        compress_type: Optional[str] = None,
    ) -> None:
        super().__init__(project)
        self.logstore = logstore
        self.topic = topic
        self.source = source
        self.logitems: list[LogItem] = list(logitems) if logitems is not None else []
        self.hashkey = hashKey
        self.compress = compress
        self.logtags: list[tuple[str, str]] = list(logtags) if logtags is not None else []
        self.compress_type = compress_type

    def get_logstore(self) -> Optional[str]:
        """The logstore name."""
        return self.logstore

    def set_logstore(self, logstore: str) -> None:
        """Set the logstore name."""
        self.logstore = logstore

    def get_topic(self) -> Optional[str]:
        """The topic."""
        return self.topic

    def set_topic(self, topic: Optional[str]) -> None:
        """Set the topic."""
        self.topic = topic

    def get_source(self) -> Optional[str]:
        """The source."""
        return self.source

    def set_source(self, source: Optional[str]) -> None:
        """Set the source."""
        self.source = source

    def get_log_items(self) -> list[LogItem]:
        """The logs."""
        return self.logitems

    def set_log_items(self, logitems: Sequence[LogItem]) -> None:
        """Replace the logs."""
        self.logitems = list(logitems)

    def get_hash_key(self) -> Optional[str]:
        """The routing hash key."""
        return self.hashkey

    def set_hash_key(self, key: Optional[str]) -> None:
        """Set the routing hash key."""
        self.hashkey = key

    def get_compress(self) -> bool:
        """Whether the body is compressed."""
        return self.compress

    def set_compress(self, compress: bool) -> None:
        """Compress the body or not."""
        self.compress = compress

    def get_log_tags(self) -> list[tuple[str, str]]:
        """The tags."""
        return self.logtags

    def set_log_tags(self, logtags: Sequence[tuple[str, str]]) -> None:
        """Replace the tags."""
        self.logtags = list(logtags)

    def get_compress_type(self) -> Optional[str]:
        """The compression type (``None`` = lz4)."""
        return self.compress_type

    def set_compress_type(self, compress_type: Optional[str]) -> None:
        """Set the compression type."""
        self.compress_type = compress_type
