"""Answer of ``pull_logs``: log groups read from one shard, decoded on first use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ._codec import decode_flat_logs, decode_log_group_list, flatten_log_group_list
from ._codec.errors import CodecError
from ._codec.view import decode_log_group_list_view
from .errors import make_exception
from .logexception import LogException
from .logresponse import LogResponse, header_value

__all__ = ["DEFAULT_DECODE_LIST", "PullLogResponse"]

#: Text encodings that ``decode_bytes=True`` (of :meth:`PullLogResponse.get_flatten_logs_json`
#: and :meth:`PullLogResponse.loggroups_to_flattern_list`) turns ``bytes`` keys and values into
#: ``str`` with; read at each call, so assigning a new tuple changes it process-wide. With one
#: encoding, each value is decoded with it and bytes it cannot decode are dropped; with several,
#: the first that decodes the whole value wins and, when none does, UTF-8 dropping what it cannot
#: decode. Without ``decode_bytes`` a value that is not UTF-8 stays ``bytes``.
DEFAULT_DECODE_LIST: tuple[str, ...] = ("utf8",)


class PullLogResponse(LogResponse):
    """Log groups pulled from a shard.

    :param resp: the uncompressed ``LogGroupList`` bytes.
    :param header: the answer's headers (``x-log-cursor``, ``x-log-count`` ...).

    Decoding happens once, the first time groups or logs are asked for; the protobuf
    ``LogGroupList`` (``.LogGroups`` → ``.Logs`` → ``.Contents``) is what consumer processors get.
    """

    def __init__(self, resp: bytes, header: Mapping[str, Any]) -> None:
        self._raw = resp
        self._answer: Optional[dict[str, Any]] = None
        super().__init__(header, resp)
        self.next_cursor = str(header_value(header, "x-log-cursor", ""))
        self.loggroup_count = int(header_value(header, "x-log-count", 0) or 0)
        self._raw_size = int(header_value(header, "x-log-bodyrawsize", len(resp)) or 0)
        self._raw_size_before_query = int(header_value(header, "x-log-rawdatasize", -1) or -1)
        self._raw_count_before_query = int(header_value(header, "x-log-rawdatacount", -1) or -1)
        self._group_list: Optional[Any] = None
        self._view: Optional[Any] = None
        self._flat: Optional[list[dict[str, Any]]] = None

    # -- decoding -----------------------------------------------------------------------------

    @property
    def loggroup_list(self) -> Any:
        """The protobuf ``LogGroupList`` (decoded once)."""
        if self._group_list is None:
            try:
                self._group_list = decode_log_group_list(self._raw or b"")
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

    def get_loggroup_list_view(self) -> Any:
        """The groups as a read-only view with the ``LogGroupList`` fields (decoded once).

        Each field is decoded once, into plain attributes, so walking every field costs a
        fraction of walking the protobuf message; everything else is answered by the message
        (see :mod:`aliyun.log._codec.view`). Without the native codec this is the message itself.
        """
        if self._view is None:
            try:
                self._view = decode_log_group_list_view(self._raw or b"")
            except CodecError as exc:
                raise self._bad_body(exc) from exc
        return self._view

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
        :param decode_bytes: turn ``bytes`` keys and values (content that is not UTF-8) into
            ``str`` with :data:`DEFAULT_DECODE_LIST`.
        """
        if self._flat is None:
            if self._group_list is None:
                # Straight from the bytes to dicts, without protobuf messages (native when built).
                try:
                    self._flat = decode_flat_logs(self._raw or b"")
                except CodecError as exc:
                    raise self._bad_body(exc) from exc
            else:
                self._flat = flatten_log_group_list(self._group_list)
        return _shaped(self._flat, time_as_str, decode_bytes)

    get_flatten_logs_json_auto = get_flatten_logs_json

    @staticmethod
    def loggroups_to_flattern_list(
        loggroup_list: Any, time_as_str: Optional[bool] = None, decode_bytes: Optional[bool] = None
    ) -> list[dict[str, Any]]:
        """Flatten a protobuf ``LogGroupList`` (the official helper's name, typo included).

        ``time_as_str`` and ``decode_bytes`` as for :meth:`get_flatten_logs_json`.
        """
        return _shaped(flatten_log_group_list(loggroup_list), time_as_str, decode_bytes)

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
        if self.loggroup_count == 0 or not self._raw:
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

    def get_body(self) -> dict[str, Any]:
        """``{"next_cursor", "count", "logs"}``: the cursor to go on from, and the logs as the flat
        dicts of :meth:`get_flatten_logs_json` (what the official SDK answers, and what the
        aliyunlog CLI prints). The wire bytes are :meth:`get_raw_body`."""
        if self._answer is None:
            logs = self.get_flatten_logs_json() if self.loggroup_count else []
            self._answer = {"next_cursor": self.next_cursor, "count": len(logs), "logs": logs}
        return self._answer

    @property
    def body(self) -> dict[str, Any]:
        """Same as :meth:`get_body` (the official attribute)."""
        return self.get_body()

    @body.setter
    def body(self, value: bytes) -> None:
        self._raw = value
        self._answer = None

    def get_raw_body(self) -> bytes:
        """The uncompressed ``LogGroupList`` bytes of the answer."""
        return self._raw

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("next_cursor", self.next_cursor),
            ("log_count", self.get_log_count()),
            ("logs", self.get_flatten_logs_json() if self.loggroup_count else []),
        ]


def _shaped(
    rows: list[dict[str, Any]], time_as_str: Optional[bool], decode_bytes: Optional[bool]
) -> list[dict[str, Any]]:
    """``rows`` as asked for; new dicts where something changes, the decoded rows themselves stay as they are."""
    if decode_bytes:
        rows = [_decoded(row) for row in rows]
    if time_as_str:
        rows = [dict(row, __time__=str(row["__time__"])) for row in rows]
    return rows


def _decoded(row: dict[Any, Any]) -> dict[Any, Any]:
    for key, value in row.items():
        if isinstance(key, bytes) or isinstance(value, bytes):
            break
    else:
        return row  # all text already (the usual case): no copy
    encodings = DEFAULT_DECODE_LIST
    return {_text_of(key, encodings): _text_of(value, encodings) for key, value in row.items()}


def _text_of(value: Any, encodings: tuple[str, ...]) -> Any:
    if not isinstance(value, bytes):
        return value
    if len(encodings) == 1:
        return value.decode(encodings[0], "ignore")
    for encoding in encodings:
        try:
            return value.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return value.decode("utf-8", "ignore")


def _contents(log: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for content in log.Contents:
        value = content.Value
        out[content.Key] = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    return out
