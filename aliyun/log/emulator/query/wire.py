"""Stored log groups (protobuf wire bytes) straight to staged journal lines.

The index used to decode every group with the protobuf runtime and build a :class:`LogRecord`
per log; reading 12 ``Key``/``Value`` pairs through the runtime's wrapper objects cost more
than everything else PutLogs does. Here the bytes are read directly:

* the group's own fields (topic, source, tags, the span of each ``Log``) by a small scanner;
* each log by one compiled regular expression per key template (the tuple of content keys,
  shared by most logs of a producer). The pattern spells out the keys literally and captures
  the time, each value's length prefix and each value, so the regex engine walks the whole log
  in C; a match is accepted only if every captured value is exactly as long as its prefix says,
  which makes it the same parse the protobuf runtime would do;
* a log the pattern does not fit (new key template, a value holding byte ``0x12``, fields in an
  unusual order) is parsed by a plain field scanner, which also learns the new template;
* a group even that scanner cannot read (wire types the schema never uses) raises
  :class:`WireFallback`, and the caller converts it through the protobuf runtime
  (:func:`records_of`).

Lines are built as bytes and decoded once per batch with ``errors="replace"``: the separators
are ASCII, so invalid UTF-8 becomes U+FFFD exactly as decoding each value on its own would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from aliyun.log.emulator.query import codec
from aliyun.log.emulator.query.records import LogRecord

__all__ = ["StoredGroup", "WireFallback", "WireStager", "log_records", "records_of", "text_of"]

_VARINT = rb"[\x80-\xff]*[\x00-\x7f]"
_UINT32 = 0xFFFFFFFF
#: bytes that force the escaped form of a staged value (see :mod:`codec`); RS is checked by count
_BAD = re.compile(rb"[\x00\x1b\n\r\x1d\x1f]")
_BAD_OR_RS = re.compile(rb"[\x00\x1b\n\r\x1d\x1e\x1f]")
#: a value the fast pattern takes: no content tag (0x12), nothing to escape
_VALUE = rb")([^\x12\x00\x1b\n\r\x1d\x1e\x1f]*)"
_ESCAPES = {k.encode(): v.encode() for k, v in codec.ESCAPES.items()}
#: remembered log times (they repeat within and across groups); cleared when this big
_TIME_CACHE = 4096


@dataclass(frozen=True)
class StoredGroup:
    """One log group as the shard log holds it.

    :param payload: the serialized ``LogGroup``.
    :param shard_id: the shard it is stored in.
    :param gseq: its sequence number in that shard's log (the index records it with each log).
    :param receive_time: when the service received it (unix seconds).
    """

    payload: bytes
    shard_id: int
    gseq: int
    receive_time: int


class WireFallback(Exception):
    """The group uses wire features the scanner leaves to the protobuf runtime."""


def text_of(value: Any) -> str:
    """A field of a decoded log group as text (bytes of the raw variant decoded, invalid UTF-8 as U+FFFD)."""
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    pairs = tuple([(item.Key, item.Value) for item in items])
    for key, value in pairs:
        if type(key) is not str or type(value) is not str:
            return tuple((text_of(k), text_of(v)) for k, v in pairs)
    return pairs


def log_records(group: Any, shard_id: int, receive_time: int) -> list[LogRecord]:
    """The logs of a protobuf ``LogGroup`` message as engine records (non-UTF-8 becomes U+FFFD)."""
    topic = text_of(group.Topic) if group.HasField("Topic") else ""
    source = text_of(group.Source) if group.HasField("Source") else ""
    tags = tuple((text_of(tag.Key), text_of(tag.Value)) for tag in group.LogTags)
    records = []
    for log in group.Logs:
        contents = _pairs(log.Contents)
        time_ns = log.Time_ns if log.HasField("Time_ns") else 0
        records.append(LogRecord(int(log.Time), int(time_ns), topic, source, tags, contents, shard_id, receive_time))
    return records


def records_of(group: StoredGroup) -> list[LogRecord]:
    """The slow path: decode with the protobuf runtime."""
    from aliyun.log._codec import decode_log_group

    return log_records(decode_log_group(group.payload), group.shard_id, group.receive_time)


# -- the field scanner ----------------------------------------------------------------------


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise WireFallback("varint too long")


def _skip(buf: bytes, pos: int, wire_type: int) -> int:
    if wire_type == 0:
        return _varint(buf, pos)[1]
    if wire_type == 2:
        length, pos = _varint(buf, pos)
        return pos + length
    if wire_type == 5:
        return pos + 4
    if wire_type == 1:
        return pos + 8
    raise WireFallback(f"wire type {wire_type}")


def _fields(buf: bytes, pos: int, end: int) -> list[tuple[int, int, int]]:
    """``(field number, start, end)`` of the length-delimited fields; varints as ``(number, value, -1)``
    and fixed32 as ``(number, start, -2)``."""
    out = []
    while pos < end:
        key, pos = _varint(buf, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 2:
            length, pos = _varint(buf, pos)
            out.append((number, pos, pos + length))
            pos += length
        elif wire_type == 0:
            value, pos = _varint(buf, pos)
            out.append((number, value, -1))
        elif wire_type == 5:
            out.append((number, pos, -2))
            pos += 4
        else:
            pos = _skip(buf, pos, wire_type)
    if pos != end:
        raise WireFallback("field overruns its message")
    return out


def _key_value(buf: bytes, start: int, end: int) -> tuple[bytes, bytes]:
    """``(Key, Value)`` of a ``Content`` or ``LogTag`` message (fields 1 and 2; missing ones empty)."""
    key = value = b""
    for number, c, d in _fields(buf, start, end):
        if number == 1 and d >= 0:
            key = buf[c:d]
        elif number == 2 and d >= 0:
            value = buf[c:d]
    return key, value


def _scan_log(buf: bytes, start: int, end: int) -> tuple[int, int, tuple[bytes, ...], list[bytes]]:
    """``(time, time_ns, keys, values)`` of one ``Log`` (later duplicates of scalar fields win)."""
    time = ns = 0
    keys: list[bytes] = []
    values: list[bytes] = []
    for number, a, b in _fields(buf, start, end):
        if number == 1 and b == -1:
            time = a & _UINT32
        elif number == 2 and b >= 0:
            key, value = _key_value(buf, a, b)
            keys.append(key)
            values.append(value)
        elif number == 4 and b == -2:
            ns = int.from_bytes(buf[a : a + 4], "little")
    return time, ns, tuple(keys), values


def _group_fields(buf: bytes) -> tuple[bytes, bytes, list[tuple[bytes, bytes]], list[tuple[int, int]]]:
    """Topic, source, tags and the ``(start, end)`` of each log of a ``LogGroup``."""
    topic = source = b""
    tags: list[tuple[bytes, bytes]] = []
    spans: list[tuple[int, int]] = []
    pos, end = 0, len(buf)
    while pos < end:
        key = buf[pos]
        if key == 0x0A:  # Logs: the common case, kept short
            length = buf[pos + 1]
            if length < 0x80:
                pos += 2
            elif buf[pos + 2] < 0x80:  # logs of 128 bytes to 16 KiB
                length = (length & 0x7F) | (buf[pos + 2] << 7)
                pos += 3
            else:
                length, pos = _varint(buf, pos + 1)
            spans.append((pos, pos + length))
            pos += length
            continue
        key, pos = _varint(buf, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type != 2:
            pos = _skip(buf, pos, wire_type)
            continue
        length, pos = _varint(buf, pos)
        stop = pos + length
        if number == 3:
            topic = buf[pos:stop]
        elif number == 4:
            source = buf[pos:stop]
        elif number == 6:
            tags.append(_key_value(buf, pos, stop))
        elif number == 1:
            spans.append((pos, stop))
        pos = stop
    if pos != end:
        raise WireFallback("field overruns the group")
    return topic, source, tags, spans


def _escape(value: bytes) -> bytes:
    return _BAD_OR_RS.sub(lambda m: _ESCAPES[m.group()], value)


def _lengths_match(lengths: tuple[bytes, ...], values: tuple[bytes, ...]) -> bool:
    return all(_varint(prefix, 0)[0] == len(value) for prefix, value in zip(lengths, values))


class _Template:
    """A key tuple: its template id and the patterns matching a log of exactly these keys."""

    def __init__(self, tid: int, keys: tuple[bytes, ...]) -> None:
        self.tid = tid
        self.count = len(keys)
        parts = [rb"\x08(" + _VARINT + rb")"]
        for key in keys:
            header = _encode_varint(len(key)) + key
            # value: any byte but 0x12 (the tag of the next content) and those that need escaping
            # (such values are left to the scanner); the captured length prefix lets the caller
            # verify the split
            parts.append(rb"\x12" + _VARINT + rb"\x0a" + re.escape(header) + rb"\x12(" + _VARINT + _VALUE)
        body = b"".join(parts)
        #: [without Time_ns, with Time_ns]
        self.patterns = (re.compile(body + rb"\Z"), re.compile(body + rb"\x25([\x00-\xff]{4})\Z"))


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


class WireStager:
    """Turns stored groups into staged lines for one store.

    :param template_id: the store's id for a key tuple (registering it when new).
    """

    def __init__(self, template_id: Callable[[tuple[str, ...]], int]) -> None:
        self._template_id = template_id
        self._templates: dict[tuple[bytes, ...], _Template] = {}
        self._last: Optional[_Template] = None
        self._with_ns = 0
        self._times: dict[bytes, int] = {}

    def _template(self, keys: tuple[bytes, ...]) -> _Template:
        found = self._templates.get(keys)
        if found is None:
            tid = self._template_id(tuple(text_of(k) for k in keys))
            found = self._templates[keys] = _Template(tid, keys)
        return found

    def _time(self, prefix: bytes) -> int:
        value = self._times.get(prefix)
        if value is None:
            if len(self._times) >= _TIME_CACHE:
                self._times.clear()
            value = self._times[prefix] = _varint(prefix, 0)[0] & _UINT32
        return value

    def stage(self, group: StoredGroup, seq: int, ver: int, out: list[bytes], tids: set[int]) -> int:
        """Append one line per log of ``group`` to ``out`` (numbered from ``seq``); returns the next seq.

        :raises WireFallback: the group must go through the protobuf runtime; ``out`` may then
            hold some of its lines, which the caller drops.
        """
        buf = group.payload
        try:
            topic, source, tags, spans = _group_fields(buf)
        except IndexError:
            raise WireFallback("truncated group") from None
        tag_text = codec.RS.encode().join(k + codec.GS.encode() + v for k, v in tags)
        parts = (topic, source, *(k + v for k, v in tags))
        group_escaped = any(_BAD_OR_RS.search(part) for part in parts)
        if group_escaped:
            tag_text = codec.RS.encode().join(_escape(k) + codec.GS.encode() + _escape(v) for k, v in tags)
            topic, source = _escape(topic), _escape(source)
        prefix = b"%b\x1f%b\x1f%b" % (topic, source, tag_text)
        tail = b"\x1f%d\x1f%d\x1f%d\x1f%d" % (ver, group.shard_id, group.receive_time, group.gseq)
        add = out.append
        flag = b"1" if group_escaped else b"0"
        times = self._times
        template = self._last
        last_tid = -1
        for start, end in spans:
            values: Any = None
            if template is not None:
                with_ns = self._with_ns
                found = template.patterns[with_ns].match(buf, start, end)
                if found is None:
                    with_ns ^= 1
                    found = template.patterns[with_ns].match(buf, start, end)
                if found is not None:
                    got = found.groups()
                    count = template.count
                    values = got[2 : 2 * count + 1 : 2]
                    lengths = got[1 : 2 * count : 2]
                    try:  # the split is the protobuf one iff every value is as long as its prefix says
                        exact = b"".join(lengths) == bytes(map(len, values))  # all values < 128 bytes
                    except ValueError:
                        exact = False
                    if exact or _lengths_match(lengths, values):
                        self._with_ns = with_ns
                        time = times.get(got[0])
                        if time is None:
                            time = self._time(got[0])
                        ns = int.from_bytes(got[-1], "little") if with_ns else 0
                        # the pattern admits no byte that needs escaping: the values go as they are
                        body = b"\x1e".join(values)
                        tid = template.tid
                        if tid != last_tid:
                            tids.add(tid)
                            last_tid = tid
                        add(
                            b"%d\x1f%d\x1f%d\x1f%b\x1f%d\x1f%b\x1f%b%b" % (seq, time, ns, prefix, tid, body, flag, tail)
                        )
                        seq += 1
                        continue
            try:
                time, ns, keys, values = _scan_log(buf, start, end)
            except IndexError:
                raise WireFallback("truncated log") from None
            template = self._last = self._template(keys)
            tid = template.tid
            if tid != last_tid:
                tids.add(tid)
                last_tid = tid
            body = b"\x1e".join(values)
            if group_escaped or _BAD.search(body) or (values and body.count(b"\x1e") != len(values) - 1):
                body = b"\x1e".join([_escape(v) for v in values])
                add(b"%d\x1f%d\x1f%d\x1f%b\x1f%d\x1f%b\x1f1%b" % (seq, time, ns, prefix, tid, body, tail))
            else:
                add(b"%d\x1f%d\x1f%d\x1f%b\x1f%d\x1f%b\x1f0%b" % (seq, time, ns, prefix, tid, body, tail))
            seq += 1
        return seq
