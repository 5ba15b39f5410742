"""Log data rules: PutLogs, cursors, PullLogs and retention."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..._codec import decode_log_group, encode_log_group_list
from ..._codec.compression import CompressType, compress, decompress
from ..._codec.errors import CodecError
from ..errors import SLSError, bad_request
from .shards import ShardService
from .state import EmulatorState, LogstoreState, ShardState

__all__ = ["AppendHook", "DataService", "PullResult", "decode_cursor", "encode_cursor"]

#: largest uncompressed PutLogs body (the service's documented limit)
MAX_RAW_BODY = 10 * 1024 * 1024
MAX_PULL_COUNT = 1000
#: a PullLogs answer stops adding groups past this many uncompressed bytes (at least one group is
#: always sent), so 1000 large groups cannot make one answer gigabytes big
MAX_PULL_BYTES = 64 * 1024 * 1024
_COMPRESS_IN = {
    "": CompressType.NONE,
    "lz4": CompressType.LZ4,
    "zstd": CompressType.ZSTD,
    "deflate": CompressType.DEFLATE,
    "gzip": CompressType.DEFLATE,
}

#: called after a log group is stored: ``hook(logstore, shard, log_group, receive_time)``
AppendHook = Callable[[LogstoreState, ShardState, Any, int], None]


def encode_cursor(value: int) -> str:
    """A cursor: Base64 of the decimal position (what the official SDK does arithmetic on)."""
    return base64.b64encode(str(value).encode()).decode()


def decode_cursor(text: Optional[str]) -> int:
    """The position of a cursor; whitespace (a trailing newline) is tolerated."""
    if not text:
        raise bad_request("InvalidCursor", "cursor is empty")
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
        return int(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad_request("InvalidCursor", f"invalid cursor: {text[:64]!r}") from None


@dataclass
class PullResult:
    """What PullLogs answers: the body and its headers' values."""

    body: bytes
    raw_size: int
    compress_type: str
    group_count: int
    next_cursor: str


class DataService:
    """Writes and reads of shard data."""

    def __init__(self, state: EmulatorState, shards: ShardService) -> None:
        self.state = state
        self.shards = shards
        self.append_hooks: list[AppendHook] = []

    # -- writing ----------------------------------------------------------------------------

    def put_logs(
        self,
        project: Optional[str],
        logstore_name: str,
        body: bytes,
        *,
        compress_type: Optional[str],
        raw_size: Optional[str],
        hash_key: Optional[str] = None,
        client_ip: str = "",
    ) -> None:
        """Validate, decode and durably append one log group; nothing is stored if anything fails."""
        logstore = self.state.logstore(project or "", logstore_name)
        raw = self._decompress(body, compress_type, raw_size)
        try:
            group = decode_log_group(raw)
        except CodecError as exc:
            raise bad_request("PostBodyInvalid", f"cannot parse the log group: {exc.message}") from None
        if len(group.Logs) == 0:
            raise bad_request("PostBodyInvalid", "the log group holds no log")
        for log in group.Logs:
            if log.HasField("Time_ns") and not 0 <= log.Time_ns <= 999_999_999:
                raise bad_request("InvalidTimestamp", f"Time_ns out of range: {log.Time_ns}")
        receive_time = self.state.now()
        payload = raw
        if logstore.config.get("appendMeta"):
            tag = group.LogTags.add()
            tag.Key, tag.Value = "__receive_time__", str(receive_time)
            if client_ip:
                tag = group.LogTags.add()
                tag.Key, tag.Value = "__client_ip__", client_ip
            payload = group.SerializeToString()
        with logstore.lock:
            shard = self.shards.pick_for_write(logstore, hash_key)
            assert shard.log is not None
            with self.state.faults.guard("PutLogs"):
                self._expire(logstore, shard)
                shard.log.append(payload, receive_time, len(group.Logs))
        for hook in self.append_hooks:
            hook(logstore, shard, group, receive_time)

    def _decompress(self, body: bytes, compress_type: Optional[str], raw_size: Optional[str]) -> bytes:
        kind = (compress_type or "").strip().lower()
        if kind not in _COMPRESS_IN:
            raise bad_request("InvalidCompressType", f"unsupported x-log-compresstype: {compress_type!r}")
        if not kind:
            if len(body) > MAX_RAW_BODY:
                raise bad_request("PostBodyTooLarge", f"body is {len(body)} bytes, the limit is {MAX_RAW_BODY}")
            return body
        if raw_size is None or raw_size.strip() == "":
            raise bad_request("MissingBodyRawSize", "x-log-bodyrawsize is required with x-log-compresstype")
        try:
            size = int(raw_size)
        except ValueError:
            raise bad_request("InvalidBodyRawSize", f"invalid x-log-bodyrawsize: {raw_size!r}") from None
        if size < 0:
            raise bad_request("InvalidBodyRawSize", f"invalid x-log-bodyrawsize: {size}")
        if size > MAX_RAW_BODY:
            raise bad_request("PostBodyTooLarge", f"raw body is {size} bytes, the limit is {MAX_RAW_BODY}")
        try:
            return decompress(_COMPRESS_IN[kind], body, size, max_size=MAX_RAW_BODY)
        except CodecError as exc:
            if exc.code == "UnsupportedCompressType":
                raise bad_request("InvalidCompressType", exc.message) from None
            raise bad_request("PostBodyUncompressError", exc.message) from None

    # -- retention --------------------------------------------------------------------------

    def _expire(self, logstore: LogstoreState, shard: ShardState) -> None:
        ttl_days = int(logstore.config.get("ttl", 30))
        if ttl_days >= 3650 or shard.log is None:
            return
        shard.log.expire(self.state.now() - ttl_days * 86400)

    # -- cursors ----------------------------------------------------------------------------

    def _shard(self, project: Optional[str], logstore_name: str, shard_id: str) -> tuple[LogstoreState, ShardState]:
        logstore = self.state.logstore(project or "", logstore_name)
        try:
            number = int(shard_id)
        except ValueError:
            raise SLSError("ShardNotExist", f"shard {shard_id} does not exist", 400) from None
        shard = logstore.shard(number)
        with self.state.faults.guard("retention"):
            self._expire(logstore, shard)
        return logstore, shard

    def _position(self, shard: ShardState, cursor: Optional[str], name: str = "cursor") -> int:
        assert shard.log is not None
        position = decode_cursor(cursor) - shard.cursor_base
        if not shard.log.begin <= position <= shard.log.end:
            raise bad_request("InvalidCursor", f"{name} is outside the shard's data")
        return position

    def get_cursor(self, project: Optional[str], logstore_name: str, shard_id: str, start: Optional[str]) -> str:
        """Cursor at ``begin``, ``end`` or the first group received at or after a Unix time."""
        _, shard = self._shard(project, logstore_name, shard_id)
        assert shard.log is not None
        log = shard.log
        value = (start or "").strip().lower()
        if value == "begin":
            position = log.begin
        elif value == "end":
            position = log.end
        else:
            try:
                when = int(float(value))
            except ValueError:
                raise bad_request("ParameterInvalid", f"Parameter From is not valid: {start!r}") from None
            position = max(log.begin, log.first_at_or_after(when))
        return encode_cursor(shard.cursor_base + position)

    def get_cursor_time(self, project: Optional[str], logstore_name: str, shard_id: str, cursor: Optional[str]) -> int:
        """Receive time of the group at ``cursor`` (the last group's at the end; now for an empty shard)."""
        _, shard = self._shard(project, logstore_name, shard_id)
        assert shard.log is not None
        position = self._position(shard, cursor)
        log = shard.log
        if log.end == log.begin:
            return self.state.now()
        if position >= log.end:
            return log.receive_time(log.end - 1)
        return log.receive_time(position)

    # -- pulling ----------------------------------------------------------------------------

    def pull(
        self,
        project: Optional[str],
        logstore_name: str,
        shard_id: str,
        cursor: Optional[str],
        count: Optional[str],
        end_cursor: Optional[str],
        accept_encoding: str,
    ) -> PullResult:
        """Up to ``count`` groups (and about :data:`MAX_PULL_BYTES`) from ``cursor``, stopping before ``end_cursor``."""
        _, shard = self._shard(project, logstore_name, shard_id)
        assert shard.log is not None
        try:
            wanted = int(count) if count not in (None, "") else MAX_PULL_COUNT
        except ValueError:
            raise bad_request("ParameterInvalid", f"invalid count {count!r}") from None
        if not 1 <= wanted <= MAX_PULL_COUNT:
            raise bad_request("ParameterInvalid", f"count must be 1..{MAX_PULL_COUNT}, got {wanted}")
        start = self._position(shard, cursor)
        stop = self._position(shard, end_cursor, "end_cursor") if end_cursor else None
        with self.state.faults.guard("PullLogs"):
            records = shard.log.read(start, wanted, stop, max_bytes=MAX_PULL_BYTES)
        body = encode_log_group_list(record.payload for record in records)
        next_position = records[-1].seq + 1 if records else start
        kind = _pick_encoding(accept_encoding)
        payload = compress(kind, body) if kind and body else body
        return PullResult(
            payload,
            len(body),
            kind if body else "",
            len(records),
            encode_cursor(shard.cursor_base + next_position),
        )


def _pick_encoding(accept: str) -> str:
    """The compression to answer with: the first one we support from ``Accept-Encoding``."""
    for item in accept.split(","):
        name = item.split(";")[0].strip().lower()
        if name == "lz4":
            return CompressType.LZ4
        if name == "zstd":
            try:
                import zstandard  # noqa: F401
            except ImportError:
                continue
            return CompressType.ZSTD
        if name in ("deflate", "gzip"):
            return CompressType.DEFLATE
    return CompressType.NONE
