"""A shard log's records copied into one caller's buffer, each payload after a frame of the caller's.

PullLogs answers with the stored groups each framed as a protobuf field; building that answer in
a reused buffer (see :mod:`.buffers`) instead of a bytes object per record and per answer is what
this module does for :meth:`ShardLog.read_framed <.shardlog.ShardLog.read_framed>`. Records
written back to back in a segment file are read with ``preadv``: their headers into a scratch
buffer, their payloads straight into place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Callable

from .files import FilePool
from .recovery import HEADER

__all__ = ["PREADV", "preadv_framed", "write_framed"]

#: whether this platform has ``os.preadv`` (without it the records are read with ``pread`` and copied)
PREADV = hasattr(os, "preadv")
#: records per ``preadv`` call (two buffers each; Linux takes at most 1024 buffers per call)
_RECORDS_PER_PREADV = 500

Frame = Callable[[int], bytes]


def _grow(buffer: bytearray, size: int) -> None:
    if len(buffer) < size:
        buffer.extend(bytes(size - len(buffer)))


def write_framed(buffer: bytearray, frame: Frame, payloads: Iterable[memoryview]) -> int:
    """``frame(len) + payload`` of each payload into ``buffer`` (grown when too small); the bytes written."""
    pieces = [piece for payload in payloads for piece in (frame(len(payload)), payload)]
    total = sum(len(piece) for piece in pieces)
    _grow(buffer, total)
    at = 0
    with memoryview(buffer) as out:
        for piece in pieces:
            out[at : at + len(piece)] = piece
            at += len(piece)
    return total


def preadv_framed(
    buffer: bytearray,
    frame: Frame,
    runs: Iterable[tuple[Path, int, int]],
    positions: Sequence[int],
    lengths: Sequence[int],
    pool: FilePool,
) -> int:
    """Records ``[start, end)`` of each run ``(segment file, start, end)``, stored back to back at
    ``positions`` with payloads of ``lengths``, framed into ``buffer``; the bytes written.

    :raises OSError: a segment file is shorter than the positions say.
    """
    runs = list(runs)
    frames = {seq: frame(lengths[seq]) for _, start, end in runs for seq in range(start, end)}
    _grow(buffer, sum(len(head) + lengths[seq] for seq, head in frames.items()))
    header = memoryview(bytearray(HEADER.size))  # every record's header is read into it, unused
    at = 0
    with memoryview(buffer) as out:
        for path, start, end in runs:
            for chunk in range(start, end, _RECORDS_PER_PREADV):
                parts: list[memoryview] = []
                for seq in range(chunk, min(end, chunk + _RECORDS_PER_PREADV)):
                    head = frames[seq]
                    out[at : at + len(head)] = head
                    at += len(head)
                    parts.append(header)
                    parts.append(out[at : at + lengths[seq]])
                    at += lengths[seq]
                handle = pool.acquire(path)
                try:
                    got = os.preadv(handle.fd, parts, positions[chunk])
                finally:
                    pool.release(handle)
                wanted = sum(len(part) for part in parts)
                for part in parts[1::2]:  # the payload views (the header view is shared)
                    part.release()
                if got != wanted:
                    raise OSError(f"shard log segment {path.name} is shorter than its index")
    header.release()
    return at
