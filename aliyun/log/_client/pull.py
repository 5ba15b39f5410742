"""Cursors and pulling: ``get_cursor`` and friends, ``pull_logs``, ``pull_log``, ``pull_log_dump``."""

from __future__ import annotations

import base64
import binascii
import json
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Callable, Optional

from .. import _ops as ops
from .._codec.compression import CompressType, decompress
from .._codec.errors import CodecError
from .._timeparse import TimeValue, cursor_start
from ..cursor_response import GetCursorResponse
from ..cursor_time_response import GetCursorTimeResponse
from ..errors import InvalidCursor, make_exception
from ..logresponse import LogResponse
from ..pulllog_response import PullLogResponse
from .core import ClientCore

__all__ = ["PullMixin"]

_ACCEPT = {CompressType.LZ4: "lz4", CompressType.ZSTD: "zstd", CompressType.DEFLATE: "deflate", "": ""}
_MAX_PULL_RAW = 256 * 1024 * 1024


class PullMixin(ClientCore):
    """Read a shard's log groups in the order they were written."""

    # -- cursors ------------------------------------------------------------------------------

    def get_cursor(
        self, project_name: str, logstore_name: str, shard_id: int, start_time: TimeValue
    ) -> GetCursorResponse:
        """Cursor of a shard position.

        :type start_time: string/int
        :param start_time: ``'begin'``, ``'end'``, Unix seconds, or a readable time
            (``"2018-01-01 10:10:10+8:00"``; without a zone it is local time; ``"1 hour ago"``).
            A time gives the first log group the server received at or after it.

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        """
        data, headers = self._call_json(
            ops.GET_CURSOR,
            project_name,
            params={"from": cursor_start(start_time)},
            logstore=logstore_name,
            shard=shard_id,
        )
        return GetCursorResponse(data, headers)

    def get_begin_cursor(self, project_name: str, logstore_name: str, shard_id: int) -> GetCursorResponse:
        """Cursor of the oldest retained log group.

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        """
        return self.get_cursor(project_name, logstore_name, shard_id, "begin")

    def get_end_cursor(self, project_name: str, logstore_name: str, shard_id: int) -> GetCursorResponse:
        """Cursor just after the newest log group (where the next write goes).

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        """
        return self.get_cursor(project_name, logstore_name, shard_id, "end")

    def get_cursor_time(
        self, project_name: str, logstore_name: str, shard_id: int, cursor: str
    ) -> GetCursorTimeResponse:
        """Server receive time of the log group at ``cursor``.

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        :type cursor: string
        """
        data, headers = self._call_json(
            ops.GET_CURSOR_TIME, project_name, params={"cursor": cursor}, logstore=logstore_name, shard=shard_id
        )
        return GetCursorTimeResponse(data, headers)

    def get_previous_cursor_time(
        self, project_name: str, logstore_name: str, shard_id: int, cursor: str, normalize: bool = True
    ) -> GetCursorTimeResponse:
        """Receive time of the log group just before ``cursor``.

        :type normalize: bool
        :param normalize: clamp to the shard's begin/end when that group does not exist.

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        :type cursor: string
        """
        try:
            position = int(base64.b64decode("".join(cursor.split()), validate=True).decode("ascii"))
        except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
            raise make_exception("InvalidCursor", f"cannot decode cursor {cursor!r}", cause=exc) from exc
        previous = base64.b64encode(str(position - 1).encode()).decode()
        try:
            return self.get_cursor_time(project_name, logstore_name, shard_id, previous)
        except InvalidCursor:
            if not normalize:
                raise
        begin = self.get_begin_cursor(project_name, logstore_name, shard_id).get_cursor()
        if position - 1 < _position(begin):
            return self.get_cursor_time(project_name, logstore_name, shard_id, begin)
        end = self.get_end_cursor(project_name, logstore_name, shard_id).get_cursor()
        return self.get_cursor_time(project_name, logstore_name, shard_id, end)

    # -- pulling ------------------------------------------------------------------------------

    def pull_logs(
        self,
        project_name: str,
        logstore_name: str,
        shard_id: int,
        cursor: str,
        count: Optional[int] = None,
        end_cursor: Optional[str] = None,
        compress: Optional[bool] = None,
        query: Optional[str] = None,
        accept_compress_type: Optional[str] = None,
        processor: Optional[str] = None,
    ) -> PullLogResponse:
        """Read up to ``count`` (default 1000) log groups from ``cursor``, stopping before ``end_cursor``.

        :type compress: boolean
        :param compress: ``False`` asks for an uncompressed answer; otherwise
            ``accept_compress_type`` (``lz4`` by default, ``zstd`` or ``deflate``).
        :type query: string
        :param query: an SPL statement the service filters and reshapes the logs with
            (``* | where ...``; the emulator runs the subset in docs/consumer.md).
        :type processor: string
        :param processor: a consume processor (SPL stored in the service) to apply instead.

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        :type cursor: string
        :type count: int
        :type end_cursor: string
        :type accept_compress_type: string
        """
        params: dict[str, Any] = {"cursor": cursor, "count": 1000 if count is None else int(count)}
        if end_cursor:
            params["end_cursor"] = end_cursor
        if query:
            params["query"] = query
            params["pullMode"] = "scan_on_stream"
        if processor:
            params["processor"] = processor
        accept = "" if compress is False else (accept_compress_type or CompressType.LZ4)
        if accept not in _ACCEPT:
            raise make_exception("UnsupportedCompressType", f"cannot accept {accept!r}; use lz4, zstd or deflate")
        response = self._call(
            ops.PULL_LOGS,
            project_name,
            params=params,
            headers={"Accept": "application/x-protobuf", "Accept-Encoding": _ACCEPT[accept]},
            logstore=logstore_name,
            shard=shard_id,
        )
        headers = dict(response.headers)
        if response.header("x-log-cursor") is None or response.header("x-log-count") is None:
            raise make_exception(
                "InvalidResponse",
                "PullLogs answer lacks x-log-cursor or x-log-count",
                response.header("x-log-requestid", "") or "",
                response.status,
                headers,
            )
        body = _decompressed(response.body, response.header("x-log-compresstype"), response.header("x-log-bodyrawsize"))
        return PullLogResponse(body, headers)

    def pull_log(
        self,
        project_name: str,
        logstore_name: str,
        shard_id: int,
        from_time: TimeValue,
        to_time: TimeValue,
        batch_size: Optional[int] = None,
        compress: Optional[bool] = None,
        query: Optional[str] = None,
        accept_compress_type: Optional[str] = None,
        processor: Optional[str] = None,
        *,
        read_ahead: bool = True,
    ) -> Iterator[PullLogResponse]:
        """Yield batches of one shard received between ``from_time`` and ``to_time`` (server receive time).

        Times are as for :meth:`get_cursor` (``'begin'``, ``'end'``, seconds, strings).

        :type project_name: string
        :type logstore_name: string
        :type shard_id: int
        :type from_time: string/int
        :type to_time: string/int
        :type batch_size: int
        :type compress: bool
        :type query: string
        :type accept_compress_type: string
        :type processor: string
        :param read_ahead: fetch the next batch (request, transfer, decompression) on a helper
            thread while the caller works on the current one, so the server's and the network's
            time overlap with the caller's; at most two batches are held at once, so memory stays
            bounded by ``batch_size`` groups however large the shard is. An error of the
            read-ahead is raised where that batch would have been yielded. ``False``: one request
            at a time, each sent only when the caller asks for the next batch.
        """
        cursor = self.get_cursor(project_name, logstore_name, shard_id, from_time).get_cursor()
        end = self.get_cursor(project_name, logstore_name, shard_id, to_time).get_cursor()

        def fetch(position: str) -> PullLogResponse:
            return self.pull_logs(
                project_name,
                logstore_name,
                shard_id,
                position,
                count=batch_size,
                end_cursor=end,
                compress=compress,
                query=query,
                accept_compress_type=accept_compress_type,
                processor=processor,
            )

        ahead: Optional[_Ahead] = None
        while cursor != end:
            batch = ahead.result() if ahead is not None else fetch(cursor)
            ahead = None
            next_cursor = batch.get_next_cursor()
            if read_ahead and next_cursor not in (cursor, end):
                ahead = _Ahead(fetch, next_cursor)
            if batch.get_loggroup_count() > 0:
                yield batch
            if next_cursor == cursor:
                return
            cursor = next_cursor

    def pull_log_dump(
        self,
        project_name: str,
        logstore_name: str,
        from_time: TimeValue,
        to_time: TimeValue,
        file_path: str,
        batch_size: Optional[int] = None,
        compress: Optional[bool] = None,
        encodings: Optional[Sequence[str]] = None,
        shard_list: Optional[Sequence[int]] = None,
        no_escape: Optional[bool] = None,
        query: Optional[str] = None,
        processor: Optional[str] = None,
    ) -> LogResponse:
        """Write every log of the shards as JSON lines, one file per shard.

        :type file_path: string
        :param file_path: a path with ``{}`` where the shard id goes (``/tmp/dump_{}.json``);
            without ``{}``, ``.<shard>`` is appended.
        :type shard_list: string
        :param shard_list: only these shards (default: all, read-only ones included).
        :type no_escape: bool
        :param no_escape: write non-ASCII characters as they are instead of ``\\u`` escapes.
        :type project_name: string
        :type logstore_name: string
        :type from_time: string/int
        :type to_time: string/int
        :type batch_size: int
        :type compress: bool
        :type encodings: string list
        :type query: string
        :type processor: string
        :returns: a response whose body is ``{"total_count": N, "files": {path: count}}``.

        On a terminal a progress line per shard is printed to stderr.
        """
        shards = (
            list(shard_list)
            if shard_list is not None
            else [
                int(s["shardID"])
                for s in self.list_shards(project_name, logstore_name).get_shards_info()  # type: ignore[attr-defined]
            ]
        )
        files: dict[str, int] = {}
        for shard in shards:
            path = file_path.format(shard) if "{}" in file_path else f"{file_path}.{shard}"
            count = 0
            with open(path, "w", encoding=(encodings or ["utf-8"])[0]) as handle:
                for batch in self.pull_log(
                    project_name,
                    logstore_name,
                    shard,
                    from_time,
                    to_time,
                    batch_size=batch_size,
                    compress=compress,
                    query=query,
                    processor=processor,
                ):
                    for row in batch.get_flatten_logs_json():
                        handle.write(json.dumps(row, ensure_ascii=not no_escape, default=_text) + "\n")
                        count += 1
                    if sys.stderr.isatty():
                        sys.stderr.write(f"\rshard {shard}: {count} logs")
                        sys.stderr.flush()
            if sys.stderr.isatty():
                sys.stderr.write(f"\rshard {shard}: {count} logs -> {os.path.basename(path)}\n")
            files[path] = count
        return LogResponse({}, {"total_count": sum(files.values()), "files": files})


class _Ahead:
    """One ``pull_logs`` call running on a helper thread; :meth:`result` waits for it.

    A plain thread per batch (about 0.1 ms to start, against the milliseconds a batch takes): the
    request spends its time in socket reads and lz4, which release the interpreter lock, so it
    runs alongside the caller's own work. Abandoned (the caller stopped iterating), it finishes
    its one request and is dropped.
    """

    __slots__ = ("_error", "_response", "_thread")

    def __init__(self, fetch: Callable[[str], PullLogResponse], cursor: str) -> None:
        self._response: Optional[PullLogResponse] = None
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, args=(fetch, cursor), name="sls-pull-ahead", daemon=True)
        self._thread.start()

    def _run(self, fetch: Callable[[str], PullLogResponse], cursor: str) -> None:
        try:
            self._response = fetch(cursor)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc

    def result(self) -> PullLogResponse:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        assert self._response is not None
        return self._response


def _text(value: Any) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _position(cursor: str) -> int:
    return int(base64.b64decode("".join(cursor.split())).decode("ascii"))


def _decompressed(body: bytes, kind: Optional[str], raw_size_text: Optional[str]) -> bytes:
    """The uncompressed pull body; a bad size or corrupt data is a ``LogException``, never a raw codec error."""
    try:
        raw_size = int(raw_size_text) if raw_size_text not in (None, "") else len(body)
    except ValueError as exc:
        raise make_exception("InvalidResponse", f"bad x-log-bodyrawsize {raw_size_text!r}", cause=exc) from exc
    if not kind:
        return body
    if raw_size <= 0:
        return b""
    try:
        return decompress(kind, body, raw_size, max_size=_MAX_PULL_RAW)
    except CodecError as exc:
        raise make_exception(exc.code, exc.message, cause=exc) from exc
