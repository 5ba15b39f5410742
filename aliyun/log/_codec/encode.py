"""Hand-written protobuf encoder for ``LogGroup`` (the PutLogs hot path).

Measured against filling the upb message classes and calling ``SerializeToString`` (see
``benchmarks/codec_micro.py``), this encoder is faster for every batch shape tried, and it needs no
intermediate message objects. The bytes are exactly what the protobuf runtime produces (fields in
number order, same varints), so the two are interchangeable; the tests check that.

Wire layout written here (field number, wire type):

* LogGroup: Logs (1, len) ... Topic (3, len), Source (4, len), MachineUUID (5, len), LogTags (6, len) ...
* Log: Time (1, varint), Contents (2, len) ..., Time_ns (4, fixed32 little-endian)
* Content / LogTag: Key (1, len), Value (2, len)
"""

from __future__ import annotations

import operator
import struct
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, Union

from aliyun.log._codec.errors import CodecError

__all__ = [
    "RECORD_MESSAGE",
    "RECORD_NO_DICT",
    "LogEntry",
    "LogTuple",
    "RecordSpec",
    "encode_fields",
    "encode_log_group",
    "encode_log_group_list",
    "encode_record",
]

#: One log: (unix seconds, nanosecond part or None/-1 for "not written", [(key, value), ...]).
LogTuple = tuple[int, Optional[int], Sequence[tuple[Union[str, bytes], Union[str, bytes]]]]
#: What ``encode_log_group`` takes per log: a :data:`LogTuple` or a ``LogItem``-like object.
LogEntry = Union[LogTuple, Any]

_ONE_BYTE = [bytes((i,)) for i in range(128)]
_PACK_TIME_NS = struct.Struct("<BI").pack  # tag 0x25 (field 4, fixed32) + 4 bytes little-endian
_MAX_NS = 999_999_999
_MAX_UINT32 = 0xFFFFFFFF
_BUFFER_TYPES = (bytes, bytearray, memoryview)


def _varint(value: int) -> bytes:
    if value < 128:
        return _ONE_BYTE[value]
    out = bytearray()
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _utf8(text: Union[str, bytes]) -> bytes:
    if isinstance(text, str):
        return text.encode("utf-8")
    if isinstance(text, _BUFFER_TYPES):
        return bytes(text)
    raise CodecError("InvalidParameter", f"expected str or bytes, got {type(text).__name__}")


def _field(tag: bytes, payload: bytes) -> bytes:
    return tag + _varint(len(payload)) + payload


def _pair(tag: bytes, key: Union[str, bytes], value: Union[str, bytes]) -> bytes:
    key_b = _utf8(key)
    value_b = _utf8(value)
    return _field(tag, b"\x0a" + _varint(len(key_b)) + key_b + b"\x12" + _varint(len(value_b)) + value_b)


def _content_prefix(key: Union[str, bytes], value_len: int) -> bytes:
    """One ``Contents`` entry up to its value bytes: entry tag and length, key, value tag and length."""
    key_b = _utf8(key)
    inner = b"\x0a" + _varint(len(key_b)) + key_b + b"\x12" + _varint(value_len)
    return b"\x12" + _varint(len(inner) + value_len) + inner


def encode_log_group(
    logs: Iterable[LogEntry],
    topic: Optional[str],
    source: Optional[str],
    tags: Union[Sequence[tuple[str, str]], Mapping[str, str]] = (),
    machine_uuid: Optional[str] = None,
    *,
    always_write_topic: bool = True,
    prefix_cache: Optional[dict[tuple[Union[str, bytes], int], bytes]] = None,
) -> bytes:
    """Serialize one ``LogGroup`` (the PutLogs body before compression).

    :param logs: per log either ``(time, time_ns, contents)`` or an object with ``LogItem``'s
        ``timestamp``, ``time_nano_part`` and ``contents`` attributes. ``time`` is Unix seconds
        (uint32, an exact or index-able int); ``time_ns`` is the nanosecond part 0..999999999, or
        ``None``/negative to omit ``Time_ns``; ``contents`` are ``(key, value)`` pairs or a dict,
        keys ``str`` or ``bytes``, values ``str`` (UTF-8 encoded here) or bytes-like (written as
        is, as the raw message variant allows).
    :param topic: ``Topic``. ``None`` writes an empty topic when ``always_write_topic`` (what the
        official client does: ``1a 00``), otherwise omits the field.
    :param source: ``Source``, omitted when ``None``.
    :param tags: ``LogTags`` ``(key, value)`` pairs, or a dict.
    :param machine_uuid: ``MachineUUID``, omitted when ``None``.
    :param prefix_cache: a dict kept by the caller across calls for the encoded ``(key, value
        length)`` prefixes (the producer encodes one call at a time and keeps it bounded);
        by default a fresh one per call.
    :return: the serialized message.
    :raises CodecError: ``InvalidParameter`` for a time outside uint32, a nanosecond part above
        999999999, or a key/value that is neither text nor bytes (or not encodable as UTF-8).
    """
    parts: list[bytes] = []
    append = parts.append
    # Per call, not global: bounded by this batch, so no unbounded growth across calls. Batches
    # repeat the same keys and often the same value lengths and timestamps.
    prefixes: dict[tuple[Union[str, bytes], int], bytes] = {} if prefix_cache is None else prefix_cache
    times: dict[int, bytes] = {}
    try:
        entry: Any
        for entry in logs:
            try:
                seconds, nanos, contents = entry
            except TypeError:
                # Not a 3-item iterable: a LogItem (or anything with its three attributes).
                try:
                    seconds, nanos, contents = entry.timestamp, entry.time_nano_part, entry.contents
                except AttributeError:
                    raise CodecError(
                        "InvalidParameter",
                        f"a log must be (time, time_ns, contents) or a LogItem, got {type(entry).__name__}",
                    ) from None
            # Only exact ints hit the cache: 1.0 == 1 would otherwise slip past the check below.
            time_b = times.get(seconds) if type(seconds) is int else None
            if time_b is None:
                checked = operator.index(seconds)  # rejects floats, accepts int-like values
                if not 0 <= checked <= _MAX_UINT32:
                    raise CodecError("InvalidParameter", f"log time {seconds!r} is outside uint32")
                time_b = times[seconds] = b"\x08" + _varint(checked)
            slot = len(parts)
            append(b"")  # the Log's tag+length, known only after its fields are written
            append(time_b)
            size = len(time_b)
            if isinstance(contents, dict):
                contents = contents.items()
            for key, value in contents:
                try:
                    value_b = value.encode()
                except AttributeError:
                    # bytes values take this slower branch; text is the common case.
                    if not isinstance(value, _BUFFER_TYPES):
                        raise CodecError(
                            "InvalidParameter", f"value of {key!r} must be str or bytes, got {type(value).__name__}"
                        ) from None
                    value_b = bytes(value)
                value_len = len(value_b)
                prefix = prefixes.get((key, value_len))
                if prefix is None:
                    prefix = prefixes[(key, value_len)] = _content_prefix(key, value_len)
                append(prefix)
                append(value_b)
                size += len(prefix) + value_len
            if nanos is not None and nanos >= 0:
                if nanos > _MAX_NS:
                    raise CodecError("InvalidParameter", f"nanosecond part {nanos!r} is not in 0..999999999")
                append(_PACK_TIME_NS(0x25, nanos))
                size += 5
            parts[slot] = b"\x0a" + _varint(size)
        if topic is not None or always_write_topic:
            append(_field(b"\x1a", _utf8(topic or "")))
        if source is not None:
            append(_field(b'"', _utf8(source)))
        if machine_uuid is not None:
            append(_field(b"*", _utf8(machine_uuid)))
        tag_pairs: Iterable[tuple[str, str]] = tags.items() if isinstance(tags, dict) else tags  # type: ignore[assignment]
        for key, value in tag_pairs:
            append(_pair(b"2", key, value))
    except (TypeError, ValueError, struct.error) as exc:
        # Malformed input shapes (not a 3-tuple, a non-int time, surrogates in text, ...).
        raise CodecError("InvalidParameter", f"cannot encode log group: {exc}") from exc
    return b"".join(parts)


# Field values encode_fields writes as str(value); exact types (a subclass may override __str__).
def encode_log(seconds: Any, nanos: Any, contents: Any) -> bytes:
    """The ``Logs`` entry (``0a`` length ``Log``) of one log: what :func:`encode_log_group` writes
    for ``(seconds, nanos, contents)``, without the group around it; the same errors.

    The producer's per-send path (the native twin takes its three arguments positionally and
    builds no list).
    """
    return encode_log_group([(seconds, nanos, contents)], None, None, always_write_topic=False)


_FIELD_TYPES = frozenset({str, int, float, bool})


def encode_fields(
    seconds: int,
    names: tuple[Union[str, bytes], ...],
    values: tuple[Any, ...],
    extra: Optional[Iterable[tuple[Union[str, bytes], Union[str, bytes]]]],
) -> Optional[bytes]:
    """One ``Logs`` entry (``0a`` length ``Log``): the field ``names[i]`` with the text of
    ``values[i]`` for each i, then the ``extra`` ``(key, value)`` pairs, at time ``seconds``.

    The logging handlers' path, which has a record's values rather than text: a ``str`` is
    written as is, an exact ``int``, ``float`` or ``bool`` as ``str(value)``, ``None`` leaves its
    field out. :return: ``None``, writing nothing, when a value is of any other type (the caller
    converts those values itself). :raises CodecError: as :func:`encode_log_group` for the
    time, a key or an ``extra`` pair; ``InvalidParameter`` when the two tuples differ in length.
    """
    if len(names) != len(values):
        raise CodecError("InvalidParameter", f"{len(names)} field names for {len(values)} values")
    types = set(map(type, values))
    types.discard(type(None))
    if not _FIELD_TYPES.issuperset(types):
        return None
    pairs: list[Any] = [
        (name, value if type(value) is str else str(value)) for name, value in zip(names, values) if value is not None
    ]
    if extra is not None:
        pairs.extend(extra)
    return encode_log_group([(seconds, None, pairs)], None, None, always_write_topic=False)


def encode_log_group_list(groups: Iterable[bytes]) -> bytes:
    """Build a serialized ``LogGroupList`` from already-serialized ``LogGroup`` messages.

    A repeated message field is just each element framed as ``0a <len> <bytes>``, so stored
    groups can be served (PullLogs) without decoding and re-encoding them.
    """
    parts: list[bytes] = []
    for group in groups:
        parts.append(b"\x0a" + _varint(len(group)))
        parts.append(group)
    return b"".join(parts)


#: ``encode_record`` flag: the first field is the record's message, its ``getMessage()``.
RECORD_MESSAGE = 1
#: ``encode_record`` flag: a record whose ``msg`` is a dict is not for this path.
RECORD_NO_DICT = 2
#: (record type, field names, record attributes, flags, keys a record may have or ``None``)
RecordSpec = tuple[type, tuple[str, ...], tuple[str, ...], int, Optional[frozenset[str]]]
_EXCEPTION_KEYS = ("exc_info", "exc_text", "stack_info")
_RECORD_MAX_FIELDS = 64  # more: the general path (the native codec keeps the values on its stack)


def encode_record(record: Any, spec: RecordSpec) -> Optional[bytes]:
    """A ``logging.LogRecord``'s ``Logs`` entry: the fields ``names[i]`` with the text of the
    record attribute ``attributes[i]`` (as :func:`encode_fields` converts them), at
    ``int(record.created)``; with :data:`RECORD_MESSAGE`, ``message`` (``names[0]``) first, the
    record's ``getMessage()``, also stored as ``record.message`` as ``Formatter.format`` does.

    The logging handlers' fastest path, in one call. :return: ``None`` (and nothing changed
    but, possibly, ``record.message``) when the record is for the caller's general path: not of
    exactly the spec's type (``getMessage`` may be overridden), an attribute missing or of
    another type, exception or stack text to format, a dict message under
    :data:`RECORD_NO_DICT`, more than 64 fields, or, when the spec has a key set, a key outside it or a ``taskName``
    other than ``None`` (extras). :raises CodecError: as :func:`encode_fields`.
    """
    record_type, names, attributes, flags, allowed = spec
    with_message = bool(flags & RECORD_MESSAGE)
    if len(names) != len(attributes) + with_message:
        raise TypeError("encode_record() spec: (type, names, attributes, flags, frozenset or None)")
    if type(record) is not record_type or len(names) > _RECORD_MAX_FIELDS:
        return None
    values = record.__dict__
    msg = values.get("msg", _ABSENT)
    if msg is _ABSENT or (flags & RECORD_NO_DICT and isinstance(msg, dict)):
        return None
    if with_message and any(values.get(key, True) for key in _EXCEPTION_KEYS):
        return None
    if allowed is not None and not (
        allowed.issuperset(values) and values.get("taskName") is None and all(type(key) is str for key in values)
    ):
        return None
    found: list[Any] = []
    if with_message:
        if "args" not in values:
            return None
        size = len(values)
        text = str(msg)
        record_args = values["args"]
        message = text % record_args if record_args else text
        if len(values) != size:
            return None  # a __str__ added attributes (extras): the general path sends them
        values["message"] = found_message = message
        found.append(found_message)
    try:
        found.extend(values[attribute] for attribute in attributes)
    except KeyError:
        return None
    created = values.get("created")
    if type(created) is not float:
        return None
    return encode_fields(int(created), names, tuple(found), None)


_ABSENT = object()
