"""Answer of ``pull_logs``: log groups read from one shard, decoded on first use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ._codec import decode_flat_logs, decode_log_group_list, flatten_log_group_list
from ._codec.errors import CodecError
from .errors import make_exception
from .logexception import LogException
from .logresponse import LogResponse, header_value

__all__ = ["PullLogResponse"]


class PullLogResponse(LogResponse):
    """Log groups pulled from a shard.

    :param resp: the uncompressed ``LogGroupList`` bytes.
    :param header: the answer's headers (``x-log-cursor``, ``x-log-count`` ...).

    Decoding happens once, the first time groups or logs are asked for; the protobuf
    ``LogGroupList`` (``.LogGroups`` → ``.Logs`` → ``.Contents``) is what consumer processors get.
    """

    def __init__(self, resp: bytes, header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.next_cursor = str(header_value(header, "x-log-cursor", ""))
        self.loggroup_count = int(header_value(header, "x-log-count", 0) or 0)
        self._raw_size = int(header_value(header, "x-log-bodyrawsize", len(resp)) or 0)
        self._raw_size_before_query = int(header_value(header, "x-log-rawdatasize", -1) or -1)
        self._raw_count_before_query = int(header_value(header, "x-log-rawdatacount", -1) or -1)
        self._group_list: Optional[Any] = None
        self._flat: Optional[list[dict[str, Any]]] = None

    # -- decoding -----------------------------------------------------------------------------

    @property
    def loggroup_list(self) -> Any:
        """The protobuf ``LogGroupList`` (decoded once)."""
        if self._group_list is None:
            try:
                self._group_list = decode_log_group_list(self.body or b"")
            except CodecError as exc:
                raise self._bad_body(exc) from exc
        return self._group_list

    def _bad_body(self, exc: CodecError) -> LogException:
        return make_exception(
            "BadResponse",
            f"cannot decode pulled logs: {exc.message}",
            self.get_request_id(),
            200,
            self.headers,
            cause=exc,
        )

    def get_loggroup_list(self) -> Any:
        """The protobuf ``LogGroupList``."""
        return self.loggroup_list

    def get_loggroup(self, index: int) -> Any:
        """One protobuf ``LogGroup``."""
        return self.loggroup_list.LogGroups[index]

    def get_loggroup_json_list(self) -> list[dict[str, Any]]:
        """Each group as ``{"topic", "source", "logs": [...], "tags": {...}}``."""
        groups = []
        for group in self.loggroup_list.LogGroups:
            logs = [dict(_contents(log), __time__=log.Time) for log in group.Logs]
            tags = {tag.Key: tag.Value for tag in group.LogTags}
            groups.append({"topic": group.Topic, "source": group.Source, "logs": logs, "tags": tags})
        return groups

    def get_flatten_logs_json(
        self, time_as_str: Optional[bool] = None, decode_bytes: Optional[bool] = None
    ) -> list[dict[str, Any]]:
        """Every log as one dict: ``__time__``, ``__topic__``, ``__source__``, ``__tag__:*``, contents.

        :param time_as_str: give ``__time__`` as a string.
        """
        if self._flat is None:
            if self._group_list is None:
                # Straight from the bytes to dicts, without protobuf messages (native when built).
                try:
                    self._flat = decode_flat_logs(self.body or b"")
                except CodecError as exc:
                    raise self._bad_body(exc) from exc
            else:
                self._flat = flatten_log_group_list(self._group_list)
        if time_as_str:
            return [dict(row, __time__=str(row["__time__"])) for row in self._flat]
        return self._flat

    get_flatten_logs_json_auto = get_flatten_logs_json

    @staticmethod
    def loggroups_to_flattern_list(
        loggroup_list: Any, time_as_str: Optional[bool] = None, decode_bytes: Optional[bool] = None
    ) -> list[dict[str, Any]]:
        """Flatten a protobuf ``LogGroupList`` (the official helper's name, typo included)."""
        rows = flatten_log_group_list(loggroup_list)
        if time_as_str:
            rows = [dict(row, __time__=str(row["__time__"])) for row in rows]
        return rows

    @staticmethod
    def get_log_count_from_group(loggroup_list: Any) -> int:
        """Number of logs in a protobuf ``LogGroupList``."""
        return sum(len(group.Logs) for group in loggroup_list.LogGroups)

    # -- counts and cursors -------------------------------------------------------------------

    def get_next_cursor(self) -> str:
        """The cursor to pull from next (equal to the request's cursor when nothing was returned)."""
        return self.next_cursor

    def get_loggroup_count(self) -> int:
        """Number of log groups returned (``x-log-count``)."""
        return self.loggroup_count

    def get_log_count(self) -> int:
        """Number of logs returned (across all groups).

        Note: the 0.6 SDK returned the group count here; use :meth:`get_loggroup_count` for that.
        """
        if self.loggroup_count == 0 or not self.body:
            return 0
        return self.get_log_count_from_group(self.loggroup_list)

    @property
    def log_count(self) -> int:
        """Same as :meth:`get_log_count`."""
        return self.get_log_count()

    def get_raw_size(self) -> int:
        """Uncompressed size of the body."""
        return self._raw_size

    def get_raw_size_before_query(self) -> int:
        """Bytes scanned before an SPL filter (-1 without one)."""
        return self._raw_size_before_query

    def get_raw_log_group_count_before_query(self) -> int:
        """Groups scanned before an SPL filter (-1 without one)."""
        return self._raw_count_before_query

    def get_body(self) -> bytes:
        """The uncompressed ``LogGroupList`` bytes."""
        return self.body  # type: ignore[no-any-return]

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("next_cursor", self.next_cursor),
            ("log_count", self.get_log_count()),
            ("logs", self.get_flatten_logs_json() if self.loggroup_count else []),
        ]


def _contents(log: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for content in log.Contents:
        value = content.Value
        out[content.Key] = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    return out
