"""Start-up scan of one shard log segment: keep every valid record, locate the damage between them.

A segment is a run of records (header: payload length, CRC-32, receive time, log count; then
the payload). A record that fails its CRC does not end the scan: the scanner resynchronises on
the record framing, looking for the next offset where a plausible header is followed by a
payload whose CRC matches, and reports the bytes in between as a damaged :class:`Span`. So one
flipped byte costs the record it hit, never the records after it.

Plausible means: a length that fits the file, a log count of 1 up to the payload length, and a
receive time not before the last good record's (appends keep receive times monotonic). A
candidate must also pass the CRC, so a false resynchronisation needs a 32-bit collision on top.

How many records a span held decides the sequence numbers of the records after it; the
scanner gives bounds and the caller (:mod:`.shardlog`) picks. A span whose length fields still
chain from record to record exactly to the next good record held that many records (the usual
case: only payload bytes or CRCs were hit); otherwise at most one record per :data:`MIN_RECORD`
bytes.
"""

from __future__ import annotations

import mmap
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

__all__ = [
    "HEADER",
    "MIN_RECORD",
    "SegmentScan",
    "Span",
    "crc",
    "damage_key",
    "lost_entry",
    "scan_segment",
    "share_holes",
]

HEADER = struct.Struct("<IIqI")
_CRC_PREFIX = struct.Struct("<qI")
_TIME = struct.Struct("<q")
#: the smallest possible record: a header and a LogGroup holding one log with only its time
MIN_RECORD = HEADER.size + 4
_ZEROS = bytes(HEADER.size)
_CHUNK = 1 << 16


def crc(payload: bytes | memoryview, receive_time: int, log_count: int) -> int:
    """The CRC a record stores: over its receive time, log count and payload."""
    return zlib.crc32(payload, zlib.crc32(_CRC_PREFIX.pack(receive_time, log_count)))


@dataclass
class Span:
    """Damaged bytes ``[offset, end)`` of a segment, lying before valid record number ``before``."""

    offset: int
    end: int
    before: int
    #: how many records the span held, when its length fields still chain exactly to its end
    known: Optional[int]

    @property
    def most_records(self) -> int:
        """The most records these bytes can have held."""
        return self.known if self.known is not None else max(1, (self.end - self.offset) // MIN_RECORD)


@dataclass
class SegmentScan:
    """What a segment holds: valid records, damaged spans and a torn tail."""

    size: int
    #: ``(position, payload length, log count, receive time)`` of each valid record, in order
    records: list[tuple[int, int, int, int]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    #: offset of a torn tail (an interrupted write: an incomplete record or zero-filled blocks)
    torn: Optional[int] = None

    @property
    def end(self) -> int:
        """Offset just past the last valid record."""
        if not self.records:
            return 0
        position, length, _, _ = self.records[-1]
        return position + HEADER.size + length


def scan_segment(path: Path, after_time: int) -> SegmentScan:
    """Scan ``path``; ``after_time`` is the receive time of the last good record before it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        result = SegmentScan(size)
        if size == 0:
            return result
        with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as data:
            view = memoryview(data)
            try:
                _scan(view, size, after_time, result)
            finally:
                view.release()
        return result
    finally:
        os.close(fd)


def _scan(data: memoryview, size: int, last_time: int, result: SegmentScan) -> None:
    position = 0
    while position < size:
        found = _record_at(data, position, size, None)
        if found is not None:
            length, count, receive_time = found
            result.records.append((position, length, count, receive_time))
            last_time = receive_time
            position += HEADER.size + length
            continue
        following = _resync(data, position + 1, size, last_time)
        if following is None:
            if _is_torn(data, position, size):
                result.torn = position
            else:
                result.spans.append(Span(position, size, len(result.records), _chain(data, position, size)))
            return
        result.spans.append(Span(position, following, len(result.records), _chain(data, position, following)))
        position = following


def _record_at(data: memoryview, at: int, size: int, not_before: Optional[int]) -> Optional[tuple[int, int, int]]:
    """``(length, count, receive time)`` if a whole, CRC-valid record starts at ``at``."""
    if at + HEADER.size > size:
        return None
    length, stored, receive_time, count = HEADER.unpack_from(data, at)
    if at + HEADER.size + length > size:
        return None
    if not_before is not None and (receive_time < not_before or not 1 <= count <= length):
        return None
    start = at + HEADER.size
    if crc(data[start : start + length], receive_time, count) != stored:
        return None
    return length, count, receive_time


def _resync(data: memoryview, start: int, size: int, last_time: int) -> Optional[int]:
    """The first offset from ``start`` where a valid record begins (None: no more)."""
    # Receive times after the damage share their high four bytes with the last good one: a
    # fast search for them finds the candidate headers.
    high = _TIME.pack(last_time)[4:]
    raw = data.obj  # the mmap: its find() runs in C
    at = start
    while at + HEADER.size <= size:
        hit: int = raw.find(high, at + 12)  # type: ignore[attr-defined]
        if hit < 0:
            return None
        at = int(hit) - 12
        if data[at : at + HEADER.size] == _ZEROS:
            # A zero-filled run matches everywhere; jump to its end (a length field may begin
            # with up to three zero bytes, so the last three offsets stay candidates).
            at = max(at + 1, _first_nonzero(data, at, size) - 3)
            continue
        if _record_at(data, at, size, last_time) is not None:
            return at
        at += 1
    return None


def _first_nonzero(data: memoryview, at: int, size: int) -> int:
    while at < size:
        chunk = bytes(data[at : at + _CHUNK])
        rest = chunk.lstrip(b"\0")
        if rest:
            return at + len(chunk) - len(rest)
        at += len(chunk)
    return size


def _chain(data: memoryview, at: int, end: int) -> Optional[int]:
    """How many records the length fields from ``at`` step over to land exactly on ``end`` (None: they don't)."""
    hops = 0
    while at + HEADER.size <= end:
        at += HEADER.size + HEADER.unpack_from(data, at)[0]
        hops += 1
        if at == end:
            return hops
    return None


def _is_torn(data: memoryview, at: int, size: int) -> bool:
    """An interrupted last write: a record running past the end of the file, or only zeros left."""
    if at + HEADER.size > size:
        return True
    length = HEADER.unpack_from(data, at)[0]
    if at + HEADER.size + length > size:
        return True
    return _first_nonzero(data, at, size) == size


def share_holes(scan: SegmentScan, needed: int) -> Optional[list[int]]:
    """Holes per span of a sealed segment that must hold ``needed`` records beyond its valid ones.

    Every span lost at least one record and at most :attr:`Span.most_records`; what is left
    over is a gap at the end (see the caller). None when even one record per span is too many.
    """
    needed -= len(scan.records)
    spans = list(scan.spans)
    if scan.torn is not None:  # a sealed segment is never torn: treat it as damage
        spans.append(Span(scan.torn, scan.size, len(scan.records), None))
        scan.spans = spans
        scan.torn = None
    if needed < len(spans):
        return None
    counts = [1] * len(spans)
    extra = needed - len(spans)
    for number, span in enumerate(spans):
        more = min(extra, span.most_records - 1)
        counts[number] += more
        extra -= more
    return counts


def lost_entry(segment: str, offset: Optional[int], start: int, end: int) -> dict[str, Any]:
    """The ``damage.json`` entry of sequence numbers ``[start, end)`` lost at ``offset`` of ``segment``."""
    return {"segment": segment, "offset": offset, "lostSeqs": [start, end]}


def damage_key(item: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies a ``damage.json`` entry across starts."""
    return (item.get("segment"), item.get("offset"), tuple(item.get("lostSeqs") or ()), item.get("movedAside"))
