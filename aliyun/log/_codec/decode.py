"""Decoding of ``LogGroupList`` (PullLogs responses) and ``LogGroup`` (PutLogs bodies, emulator side)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Union

from google.protobuf.message import DecodeError

from aliyun.log._codec.errors import CodecError
from aliyun.log._codec.schema import (
    LogGroup,
    LogGroupBytes,
    LogGroupList,
    LogGroupListBytes,
    LogGroupListRaw,
    LogGroupRaw,
)

__all__ = [
    "check_log_group",
    "decode_log_group",
    "decode_log_group_list",
    "flatten_log_group_list",
    "iter_log_groups",
    "split_log_group_list",
]

Buffer = Union[bytes, bytearray, memoryview]

# What the runtimes raise on bad input: upb/C++ raise DecodeError; the pure-Python backend raises
# UnicodeDecodeError (a ValueError) for invalid UTF-8 in a string field.
_PARSE_ERRORS = (DecodeError, ValueError)


def _parse(text_cls: Any, raw_cls: Any, bytes_cls: Any, data: Buffer, what: str) -> Any:
    # Values may be arbitrary bytes; the raw variant declares Content.Value as bytes, the bytes
    # variant every key and value. (upb does not check UTF-8 in proto2 string fields and hands
    # such values back as bytes, so with upb the later variants see only malformed data.)
    for cls in (text_cls, raw_cls):
        message = cls()
        try:
            message.ParseFromString(data)
            return message
        except _PARSE_ERRORS:
            pass
    message = bytes_cls()
    try:
        message.ParseFromString(data)
    except _PARSE_ERRORS as exc:
        raise CodecError("PostBodyInvalid", f"cannot parse {what}: {exc}") from exc
    return message


def decode_log_group_list(data: Buffer) -> Any:
    """Parse a serialized ``LogGroupList`` (a PullLogs body after decompression).

    The data is handed to the protobuf runtime as given (a ``memoryview`` is not copied first).

    :return: a ``LogGroupList`` message, or a ``LogGroupListRaw`` when the text variant rejects
        the data (non-UTF-8 values on runtimes that validate it).
    :raises CodecError: ``PostBodyInvalid`` when the bytes are not a log group list.
    """
    return _parse(LogGroupList, LogGroupListRaw, LogGroupListBytes, data, "log group list")


def decode_log_group(data: Buffer) -> Any:
    """Parse one serialized ``LogGroup`` (a PutLogs body after decompression) and check it.

    Unlike :func:`decode_log_group_list` this is the ingest side, so required fields are enforced:
    a log without ``Time`` or a content without ``Key``/``Value`` is rejected (upb would otherwise
    accept them silently with default values).

    :return: a ``LogGroup`` message (or ``LogGroupRaw``, see :func:`decode_log_group_list`).
    :raises CodecError: ``PostBodyInvalid`` for unparsable data or missing required fields.
    """
    group = _parse(LogGroup, LogGroupRaw, LogGroupBytes, data, "log group")
    if not group.IsInitialized():
        missing = ", ".join(group.FindInitializationErrors()[:5])
        raise CodecError("PostBodyInvalid", f"log group lacks required fields: {missing}")
    return group


#: largest ``Time_ns`` a log may carry (nanoseconds within its second)
MAX_TIME_NS = 999_999_999


def check_log_group(data: Buffer) -> int:
    """Validate one serialized ``LogGroup`` as PutLogs stores it; returns its number of logs.

    :raises CodecError: ``PostBodyInvalid`` as :func:`decode_log_group` raises it;
        ``InvalidTimestamp`` when a log's ``Time_ns`` is above :data:`MAX_TIME_NS`.
    """
    group = decode_log_group(data)
    for log in group.Logs:
        if log.HasField("Time_ns") and not 0 <= log.Time_ns <= MAX_TIME_NS:
            raise CodecError("InvalidTimestamp", f"Time_ns out of range: {log.Time_ns}")
    return len(group.Logs)


def iter_log_groups(data: Buffer) -> Iterator[Any]:
    """Yield the ``LogGroup`` messages of a serialized ``LogGroupList``."""
    return iter(decode_log_group_list(data).LogGroups)


def flatten_log_group_list(log_group_list: Any) -> list[dict[str, Any]]:
    """One dict per log, in the shape of the official ``get_flatten_logs_json()``.

    Keys in order: ``__time__`` (int), ``__topic__``, ``__source__``, ``__time_ns_part__`` (int,
    only when non-zero; the official client wraps it in a 1-tuple by mistake, we do not), one
    ``__tag__:<key>`` per group tag, then the log's contents (a content named like a reserved key
    overrides it, as in the official client). Values are ``str``, or ``bytes`` when not UTF-8
    (a non-UTF-8 tag key is rendered with backslash escapes).
    """
    flat: list[dict[str, Any]] = []
    append = flat.append
    for group in log_group_list.LogGroups:
        topic = group.Topic
        source = group.Source
        tags = [("__tag__:" + _text(tag.Key), _tag_value(tag.Value)) for tag in group.LogTags]
        for log in group.Logs:
            item: dict[str, Any] = {"__time__": log.Time, "__topic__": topic, "__source__": source}
            nanos = log.Time_ns
            if nanos:
                item["__time_ns_part__"] = nanos
            if tags:
                item.update(tags)
            for content in log.Contents:
                key = content.Key
                value = content.Value
                if key.__class__ is bytes:  # read with the bytes variant (or not UTF-8, from upb)
                    key = _text_if_utf8(key)
                item[key] = _text_if_utf8(value) if value.__class__ is bytes else value
            append(item)
    return flat


def _text_if_utf8(value: bytes) -> Union[str, bytes]:
    # Bytes are either a value that is not UTF-8 (upb hands those back as bytes) or any value of a
    # list read with the raw variant: the pure-Python protobuf runtime (PyPy's) rejects a whole
    # list over one non-UTF-8 value, and the UTF-8 ones of such a list are text all the same.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _tag_value(value: Union[str, bytes]) -> Union[str, bytes]:
    return _text_if_utf8(value) if value.__class__ is bytes else value


def _text(value: Union[str, bytes]) -> str:
    # upb hands back invalid UTF-8 in a string field as bytes; a tag key still has to join a str.
    return value if isinstance(value, str) else value.decode("utf-8", "backslashreplace")


def split_log_group_list(data: Buffer) -> list[bytes]:
    """Cut a serialized ``LogGroupList`` into the serialized ``LogGroup`` of each entry, without parsing them.

    The inverse of :func:`aliyun.log._codec.encode.encode_log_group_list`. Unknown fields of the
    list message are skipped.

    :raises CodecError: ``PostBodyInvalid`` when the framing is broken.
    """
    view = memoryview(data)
    end = len(view)
    pos = 0
    groups: list[bytes] = []
    try:
        while pos < end:
            key, pos = _read_varint(view, pos)
            wire_type = key & 7
            if wire_type == 2:
                length, pos = _read_varint(view, pos)
                if pos + length > end:
                    raise CodecError("PostBodyInvalid", "truncated log group list")
                if key >> 3 == 1:
                    groups.append(bytes(view[pos : pos + length]))
                pos += length
            elif wire_type == 0:
                _, pos = _read_varint(view, pos)
            elif wire_type == 1:
                pos += 8
            elif wire_type == 5:
                pos += 4
            else:
                raise CodecError("PostBodyInvalid", f"unexpected wire type {wire_type}")
        if pos > end:
            raise CodecError("PostBodyInvalid", "truncated log group list")
    finally:
        view.release()
    return groups


def _read_varint(view: memoryview, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while shift < 64:
        if pos >= len(view):
            raise CodecError("PostBodyInvalid", "truncated varint")
        byte = view[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    raise CodecError("PostBodyInvalid", "varint too long")
