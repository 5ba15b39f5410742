"""Log data rules: PutLogs, cursors, PullLogs and retention."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Callable, Optional, Union

from ..._codec import check_log_group, decode_log_group, encode_log_group_list
from ..._codec.encode import _varint
from ..._codec.errors import CodecError
from ..errors import SLSError, bad_request
from ..spl import SplEngine
from ..storage.buffers import BufferPool
from .shards import ShardService
from .state import EmulatorState, LogstoreState, ShardState

__all__ = ["AppendHook", "DataService", "PullResult", "decode_cursor", "encode_cursor"]

MAX_PULL_COUNT = 1000
#: a PullLogs answer stops adding groups past this many uncompressed bytes (at least one group is
#: always sent), so 1000 large groups cannot make one answer gigabytes big
MAX_PULL_BYTES = 64 * 1024 * 1024

#: called after a log group is stored: ``hook(logstore, shard, log_count, receive_time)``
AppendHook = Callable[[LogstoreState, ShardState, int, int], None]


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
    """What PullLogs answers: the body and its headers' values.

    The body may be a view of a pooled buffer: call :meth:`release` once it has been used
    (compressed or copied); the view is invalid afterwards.
    """

    body: Union[bytes, memoryview]  # the LogGroupList, uncompressed
    group_count: int
    next_cursor: str
    #: with an SPL query: groups and bytes read before filtering
    raw: Optional[tuple[int, int]] = None
    #: the pool and buffer ``body`` is a view of, when it is one
    lent: Optional[tuple[BufferPool, bytearray]] = None

    def release(self) -> None:
        """Give the body's buffer back to its pool (a no-op for a plain bytes body)."""
        if self.lent is not None:
            pool, buffer = self.lent
            self.lent = None
            if isinstance(self.body, memoryview):
                self.body.release()
            self.body = b""
            pool.give_back(buffer)


def _group_frame(length: int) -> bytes:
    """What precedes a stored LogGroup in a LogGroupList: field 1, length-delimited."""
    return b"\x0a" + _varint(length)


class DataService:
    """Writes and reads of shard data."""

    def __init__(self, state: EmulatorState, shards: ShardService, spl: SplEngine) -> None:
        self.state = state
        self.shards = shards
        self.spl = spl
        self.append_hooks: list[AppendHook] = []
        self._buffers = BufferPool()

    # -- writing ----------------------------------------------------------------------------

    def put_logs(
        self,
        project: Optional[str],
        logstore_name: str,
        raw: bytes,
        *,
        hash_key: Optional[str] = None,
        client_ip: str = "",
    ) -> None:
        """Validate, decode and durably append one log group (``raw``: the uncompressed body);
        nothing is stored if anything fails."""
        logstore = self.state.logstore(project or "", logstore_name)
        try:
            # checked from the bytes (natively when built): the group is stored as it was sent
            log_count = check_log_group(raw)
        except CodecError as exc:
            if exc.code == "InvalidTimestamp":
                raise bad_request("InvalidTimestamp", exc.message) from None
            raise bad_request("PostBodyInvalid", f"cannot parse the log group: {exc.message}") from None
        if log_count == 0:
            raise bad_request("PostBodyInvalid", "the log group holds no log")
        receive_time = self.state.now()
        payload = raw
        if logstore.config.get("appendMeta"):
            group = decode_log_group(raw)
            tag = group.LogTags.add()
            tag.Key, tag.Value = "__receive_time__", str(receive_time)
            if client_ip:
                tag = group.LogTags.add()
                tag.Key, tag.Value = "__client_ip__", client_ip
            payload = group.SerializeToString()
        while True:
            # The logstore lock only while choosing the shard; the append and its fsync hold only
            # that shard's gate, so writes to different shards of one logstore run in parallel.
            with logstore.lock:
                shard = self.shards.pick_for_write(logstore, hash_key)
            with shard.gate:
                if shard.status != "readwrite":  # split, merged or deleted since it was chosen
                    logstore = self.state.logstore(project or "", logstore_name)
                    continue
                assert shard.log is not None
                with self.state.faults.guard("PutLogs"):
                    self._expire(logstore, shard)
                    shard.log.append(payload, receive_time, log_count)
                break
        for hook in self.append_hooks:
            hook(logstore, shard, log_count, receive_time)

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
                when = int(float(value))  # "1e9" and "1.5" are times too; inf and nan are not
            except (ValueError, OverflowError):
                raise bad_request("ParameterInvalid", f"Parameter From is not valid: {(start or '')[:64]!r}") from None
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
        query: Optional[str] = None,
        processor: Optional[str] = None,
    ) -> PullResult:
        """Up to ``count`` groups (and about :data:`MAX_PULL_BYTES`) from ``cursor``, stopping before ``end_cursor``.

        The body is the uncompressed ``LogGroupList``; the HTTP layer compresses it.

        :param query: an SPL statement (:mod:`aliyun.log.emulator.spl`) the groups are filtered
            and reshaped by; the cursor still moves past every group read.
        :param processor: a consume processor's name: not emulated (``ParameterInvalid``).
        """
        if processor:
            raise bad_request(
                "ParameterInvalid", "consume processors are not emulated; pass the SPL statement as the query"
            )
        program = self.spl.compile(query) if query else None
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
        if program is None:
            # the answer is built in a pooled buffer, each group framed in place as it is read
            buffer = self._buffers.borrow()
            try:
                with self.state.faults.guard("PullLogs"):
                    size, groups, next_position = shard.log.read_framed(
                        buffer, _group_frame, start, wanted, stop, max_bytes=MAX_PULL_BYTES
                    )
            except BaseException:
                self._buffers.give_back(buffer)
                raise
            return PullResult(
                memoryview(buffer)[:size],
                groups,
                encode_cursor(shard.cursor_base + next_position),
                lent=(self._buffers, buffer),
            )
        with self.state.faults.guard("PullLogs"):
            records = shard.log.read(start, wanted, stop, max_bytes=MAX_PULL_BYTES)
        payloads = [record.payload for record in records]
        raw = (len(payloads), sum(len(p) for p in payloads))
        if payloads:
            payloads = self.spl.run(program, payloads)
        next_position = records[-1].seq + 1 if records else start
        return PullResult(
            encode_log_group_list(payloads),
            len(payloads),
            encode_cursor(shard.cursor_base + next_position),
            raw,
        )
