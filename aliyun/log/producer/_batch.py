"""What the producer buffers: logs encoded once at ``send`` time, grouped into batches by key.

Each ``send`` call is encoded straight into ``Logs`` entries of a ``LogGroup`` (field 1), so the
buffer holds exactly the bytes that will go on the wire and its size is known to the byte. A
batch body is the concatenation of those entries followed by the group's topic, source and tags
(protobuf fields may be written in any order, and this is the order the encoder uses anyway).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from time import time_ns as _time_ns
from typing import Any, Callable, NamedTuple, Optional, Union

from .._codec import CodecError, encode_log_group, implementation
from .._codec.select import encode_log
from ..logexception import LogException
from ..logitem import LogItem

__all__ = ["Batch", "BatchFuture", "BatchKey", "LogInput", "SendResult", "encode_logs", "encode_one"]

#: one log: a :class:`LogItem`, a mapping of contents, or a sequence of ``(key, value)`` pairs
OneLog = Union[LogItem, Mapping[str, Any], Sequence[tuple[str, Any]]]
#: what :meth:`LogProducer.send` accepts: one log or a list of logs
LogInput = Union[OneLog, Sequence[OneLog]]


class BatchKey(NamedTuple):
    """Logs with the same key travel in the same PutLogs call."""

    project: str
    logstore: str
    topic: Optional[str]
    source: Optional[str]
    hash_key: Optional[str]
    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SendResult:
    """What a :meth:`LogProducer.send` future resolves to once its batch is stored.

    :param request_id: ``x-log-requestid`` of the PutLogs call that stored the batch.
    :param attempts: PutLogs attempts the batch needed (1 when nothing failed).
    :param log_count: logs in the batch (of every ``send`` call that joined it).
    """

    request_id: str
    attempts: int
    log_count: int


class BatchFuture(Future):  # type: ignore[type-arg]
    """The future of one batch, shared by every ``send`` call that joined it; it cannot be cancelled
    (one caller must not cancel the logs of the others)."""

    #: logs in the batch, set when the outcome is
    log_count = 0

    def cancel(self) -> bool:
        return False


@dataclass
class Batch:
    """Logs of several ``send`` calls with one key, and the future they share."""

    key: BatchKey
    created: float
    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    count: int = 0
    future: BatchFuture = field(default_factory=BatchFuture)
    callbacks: set[int] = field(default_factory=set)
    #: the callback added last (most sends of a batch pass the same one: an identity check)
    last_callback: Optional[Callable[[Future[SendResult]], None]] = None
    attempts: int = 0
    first_attempt: Optional[float] = None
    next_try: float = 0.0

    def add_callback(self, callback: Callable[[Future[SendResult]], None]) -> None:
        """Call ``callback`` with the future when it resolves (each distinct callback once)."""
        self.last_callback = callback
        if id(callback) not in self.callbacks:
            self.callbacks.add(id(callback))
            self.future.add_done_callback(callback)

    def body(self, default_source: str) -> bytes:
        """The PutLogs body: the logs, then topic, source and tags."""
        if len(self.parts) > 1:
            self.parts = [b"".join(self.parts)]  # join once; a retry reuses it
        key = self.key
        source = key.source if key.source is not None else default_source
        tail = encode_log_group((), key.topic or "", source, key.tags)
        return self.parts[0] + tail if self.parts else tail


# (key, value length) -> encoded prefix, shared by every send with the pure encoder (the native
# one needs no cache); cleared when it grows past the bound
_PREFIXES: dict[tuple[Union[str, bytes], int], bytes] = {}
_PREFIX_BOUND = 16_384


def encode_logs(logs: LogInput) -> tuple[bytes, int]:
    """Encode one log or a list of logs into ``Logs`` entries; returns the bytes and the count.

    :raises LogException: ``InvalidParameter`` for anything that is not a log (a non-text key,
        a time outside uint32 ...), before it enters the buffer.
    """
    now = _time_ns()
    # the common cases, one log as a dict or a LogItem: straight to the encoder (a dict as it
    # is: the native encoder walks an exact dict without making an items view)
    one: Optional[tuple[int, Optional[int], Any]] = None
    if type(logs) is dict:
        one = (now // 1_000_000_000, now % 1_000_000_000, logs)
    elif type(logs) is LogItem:
        one = (logs.timestamp, logs.time_nano_part, logs.contents)
    if one is not None:
        try:
            return _encode([one]), 1
        except LogException:
            pass  # not all text: the general path below converts
    tuples = [_fast_tuple(one, now) for one in _split(logs)]
    if not tuples:
        raise LogException("InvalidParameter", "send() needs at least one log")
    try:
        return _encode(tuples), len(tuples)
    except LogException:
        pass
    # Something is not plain text (a number, a bad shape): check each log and convert its values.
    tuples = [_log_tuple(one, now) for one in _split(logs)]
    try:
        return _encode(tuples), len(tuples)
    except LogException as exc:
        raise LogException(exc.get_error_code(), exc.get_error_message()) from None


def _encode_one_pure(seconds: int, nanos: Optional[int], contents: Any) -> bytes:
    if len(_PREFIXES) > _PREFIX_BOUND:
        _PREFIXES.clear()
    return encode_log_group([(seconds, nanos, contents)], None, None, always_write_topic=False, prefix_cache=_PREFIXES)


#: One log already in the encoder's shape (``(key, text)`` pairs or a dict of text) as its
#: ``Logs`` entry: ``send``'s path for a dict. Raises :class:`CodecError` (``InvalidParameter``)
#: when a key or value is not text; the caller then takes :func:`encode_logs`, which converts.
encode_one: Callable[[int, Optional[int], Any], bytes] = (
    _encode_one_pure if implementation() == "python" else encode_log
)


def _probe_trim() -> bool:
    """Whether the native encoder, called without keywords, writes exactly the entries plus an
    empty topic (``1a 00``): parsing a keyword argument costs it more than the rest of a small log."""
    if implementation() != "native":
        return False
    sample = [(1, 2, {"k": "v"})]
    try:
        plain = encode_log_group(sample, None, None, always_write_topic=False)
        return bool(encode_log_group(sample, None, None) == plain + _EMPTY_TOPIC)
    except Exception:  # an encoder that does not take these arguments: keep the keyword call
        return False


_EMPTY_TOPIC = b"\x1a\x00"
_TRIM = _probe_trim()
_PURE = implementation() == "python"


def _encode(tuples: list[Any]) -> bytes:
    try:
        if _TRIM:
            return encode_log_group(tuples, None, None)[:-2]
        if _PURE:
            if len(_PREFIXES) > _PREFIX_BOUND:
                _PREFIXES.clear()
            return encode_log_group(tuples, None, None, always_write_topic=False, prefix_cache=_PREFIXES)
        return encode_log_group(tuples, None, None, always_write_topic=False)
    except CodecError as exc:
        raise LogException(exc.code, exc.message) from exc


def _split(logs: LogInput) -> Sequence[OneLog]:
    if type(logs) is dict or isinstance(logs, (LogItem, Mapping)):  # dict first: the ABC check is slow
        return [logs]
    if isinstance(logs, (str, bytes)):
        raise LogException("InvalidParameter", "a log is a LogItem, a mapping or (key, value) pairs, not text")
    items = list(logs)
    if items and _is_pair(items[0]):
        return [items]  # type: ignore[list-item]  # one log given as its pairs
    return items  # type: ignore[return-value]


def _is_pair(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], (str, bytes))


def _text(value: Any) -> Union[str, bytes]:
    return value if isinstance(value, (str, bytes)) else str(value)


def _fast_tuple(one: OneLog, now: int) -> tuple[int, Optional[int], Any]:
    """The log as the encoder takes it, contents unchecked (the encoder rejects what is not text)."""
    if type(one) is dict:
        return now // 1_000_000_000, now % 1_000_000_000, one.items()
    if isinstance(one, LogItem):
        return one.timestamp, one.time_nano_part, one.contents
    if isinstance(one, Mapping):
        return now // 1_000_000_000, now % 1_000_000_000, one.items()
    return now // 1_000_000_000, now % 1_000_000_000, one


def _log_tuple(one: OneLog, now: int) -> tuple[int, Optional[int], list[tuple[Union[str, bytes], Union[str, bytes]]]]:
    if isinstance(one, LogItem):
        return one.timestamp, one.time_nano_part, [(k, _text(v)) for k, v in one.contents]
    if isinstance(one, Mapping):
        pairs = list(one.items())
    elif isinstance(one, (str, bytes)):
        raise LogException("InvalidParameter", "a log is a LogItem, a mapping or (key, value) pairs, not text")
    else:
        pairs = list(one) if isinstance(one, (list, tuple)) else []
        if not pairs or not all(_is_pair(pair) for pair in pairs):
            raise LogException("InvalidParameter", "a log given as a sequence must hold (key, value) pairs")
    return now // 1_000_000_000, now % 1_000_000_000, [(k, _text(v)) for k, v in pairs]
