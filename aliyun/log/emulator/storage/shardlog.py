"""One shard's data: an append-only, crash-safe log of log groups.

Layout: a folder per shard holding segment files named by the sequence number of their first
record. A record is a 20-byte header (payload length, CRC-32, receive time, log count) followed
by the payload (a serialized ``LogGroup``). An append is visible to readers only after it is
written (and, in the default ``always`` mode, fsynced); at start-up every segment is scanned and
a torn tail (a crash in the middle of a write) is cut off, so a reader never sees half a record
and every acknowledged record survives.

Sequence numbers are dense (0, 1, 2 ...); cursors are ``base + seq``.
"""

from __future__ import annotations

import bisect
import os
import struct
import threading
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

__all__ = ["FSYNC_MODES", "Record", "ShardLog"]

_HEADER = struct.Struct("<IIqI")
_SEGMENT_BYTES = 64 * 1024 * 1024
#: ``always``: fsync every append before acknowledging (safe); ``interval``: fsync at most every
#: second (a crash of the machine, not of the process, may lose the last second); ``never``.
FSYNC_MODES = ("always", "interval", "never")


@dataclass(frozen=True)
class Record:
    """One stored log group."""

    seq: int
    receive_time: int
    log_count: int
    payload: bytes


class _Segment:
    def __init__(self, path: Path, first_seq: int) -> None:
        self.path = path
        self.first_seq = first_seq
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self.size = 0


class ShardLog:
    """Append-only storage of one shard.

    :param folder: where the segments live (created if missing); ``None`` keeps everything in
        memory (for tests that need no durability).
    :param fsync: one of :data:`FSYNC_MODES`.
    """

    def __init__(self, folder: Optional[Path], fsync: str = "always") -> None:
        if fsync not in FSYNC_MODES:
            raise ValueError(f"fsync must be one of {FSYNC_MODES}")
        self._folder = folder
        self._fsync = fsync
        self._lock = threading.Lock()
        self._positions = array("q")  # byte offset of record seq inside its segment
        self._times = array("q")  # receive time of record seq
        self._counts = array("l")  # logs in record seq
        self._segments: list[_Segment] = []
        self._memory: list[bytes] = []
        self._begin = 0
        self._last_sync = 0.0
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self._recover()

    # -- state ------------------------------------------------------------------------------

    @property
    def begin(self) -> int:
        """Sequence number of the oldest retained record."""
        return self._begin

    @property
    def end(self) -> int:
        """Sequence number the next append will get."""
        return len(self._times)

    def receive_time(self, seq: int) -> int:
        """Receive time of record ``seq``."""
        return self._times[seq]

    def first_at_or_after(self, when: int) -> int:
        """Sequence number of the first retained record received at or after ``when`` (``end`` if none)."""
        index = bisect.bisect_left(self._times, when, lo=self._begin)
        return index

    def log_count(self, begin: int, end: int) -> int:
        """Number of logs in records ``[begin, end)``."""
        return sum(self._counts[begin:end])

    # -- writing ----------------------------------------------------------------------------

    def append(self, payload: bytes, receive_time: int, log_count: int) -> int:
        """Store one log group durably; returns its sequence number."""
        with self._lock:
            if self._times and receive_time < self._times[-1]:
                receive_time = self._times[-1]  # keep receive times monotonic for time lookups
            seq = len(self._times)
            if self._folder is None:
                self._memory.append(payload)
                position = 0
            else:
                position = self._write(seq, payload, receive_time, log_count)
            self._positions.append(position)
            self._times.append(receive_time)
            self._counts.append(log_count)
            return seq

    def _write(self, seq: int, payload: bytes, receive_time: int, log_count: int) -> int:
        segment = self._segments[-1] if self._segments else None
        if segment is None or segment.size >= _SEGMENT_BYTES:
            segment = self._new_segment(seq)
        crc = zlib.crc32(payload, zlib.crc32(struct.pack("<qI", receive_time, log_count)))
        record = _HEADER.pack(len(payload), crc, receive_time, log_count) + payload
        position = segment.size
        written = os.pwrite(segment.fd, record, position)
        if written != len(record):
            # A short write (disk full): cut it off so the file stays well-formed.
            os.ftruncate(segment.fd, position)
            raise OSError("short write to shard log")
        if self._fsync == "always":
            os.fsync(segment.fd)
        elif self._fsync == "interval":
            import time

            now = time.monotonic()
            if now - self._last_sync >= 1.0:
                os.fsync(segment.fd)
                self._last_sync = now
        segment.size = position + len(record)
        return position

    def _new_segment(self, first_seq: int) -> _Segment:
        assert self._folder is not None
        segment = _Segment(self._folder / f"{first_seq:020d}.seg", first_seq)
        self._segments.append(segment)
        if self._fsync != "never":
            _fsync_dir(self._folder)
        return segment

    # -- reading ----------------------------------------------------------------------------

    def read(self, start: int, max_records: int, stop: Optional[int] = None) -> list[Record]:
        """Up to ``max_records`` records from ``start`` (inclusive) to ``stop`` (exclusive)."""
        end = len(self._times)
        limit = end if stop is None else min(stop, end)
        last = min(limit, start + max_records)
        records: list[Record] = []
        for seq in range(max(start, self._begin), last):
            records.append(Record(seq, self._times[seq], self._counts[seq], self._payload(seq)))
        return records

    def _payload(self, seq: int) -> bytes:
        if self._folder is None:
            return self._memory[seq]
        segment = self._segment_of(seq)
        position = self._positions[seq]
        header = os.pread(segment.fd, _HEADER.size, position)
        length = _HEADER.unpack(header)[0]
        return os.pread(segment.fd, length, position + _HEADER.size)

    def _segment_of(self, seq: int) -> _Segment:
        firsts = [s.first_seq for s in self._segments]
        return self._segments[bisect.bisect_right(firsts, seq) - 1]

    # -- retention --------------------------------------------------------------------------

    def expire(self, before: int) -> int:
        """Forget records received before ``before``; returns the new begin. Whole segments are deleted."""
        with self._lock:
            new_begin = max(self._begin, bisect.bisect_left(self._times, before, lo=self._begin))
            if new_begin == self._begin:
                return self._begin
            self._begin = new_begin
            if self._folder is not None:
                _atomic_write(self._folder / "begin", str(new_begin).encode())
                while len(self._segments) > 1 and self._segments[1].first_seq <= new_begin:
                    dropped = self._segments.pop(0)
                    os.close(dropped.fd)
                    os.unlink(dropped.path)
            else:
                for seq in range(new_begin):
                    self._memory[seq] = b""
            return new_begin

    # -- lifecycle --------------------------------------------------------------------------

    def _recover(self) -> None:
        assert self._folder is not None
        begin_file = self._folder / "begin"
        names = sorted(p for p in self._folder.glob("*.seg"))
        expected = int(names[0].stem) if names else 0
        # Sequence numbers below the first surviving segment belong to expired data.
        for _ in range(expected):
            self._positions.append(0)
            self._times.append(0)
            self._counts.append(0)
        for path in names:
            segment = _Segment(path, int(path.stem))
            self._segments.append(segment)
            size = os.fstat(segment.fd).st_size
            position = 0
            while position + _HEADER.size <= size:
                header = os.pread(segment.fd, _HEADER.size, position)
                length, crc, receive_time, count = _HEADER.unpack(header)
                if position + _HEADER.size + length > size:
                    break
                payload = os.pread(segment.fd, length, position + _HEADER.size)
                if zlib.crc32(payload, zlib.crc32(struct.pack("<qI", receive_time, count))) != crc:
                    break
                self._positions.append(position)
                self._times.append(receive_time)
                self._counts.append(count)
                position += _HEADER.size + length
            if position < size:
                os.ftruncate(segment.fd, position)  # torn tail of an interrupted append
                os.fsync(segment.fd)
            segment.size = position
        self._begin = expected
        if begin_file.exists():
            try:
                self._begin = max(self._begin, min(int(begin_file.read_text()), len(self._times)))
            except ValueError:
                pass

    def close(self) -> None:
        """Close the segment files."""
        with self._lock:
            for segment in self._segments:
                try:
                    if self._fsync != "never":
                        os.fsync(segment.fd)
                    os.close(segment.fd)
                except OSError:
                    pass
            self._segments.clear()

    def destroy(self) -> None:
        """Close and delete every file of this shard."""
        self.close()
        if self._folder is not None and self._folder.exists():
            for path in self._folder.iterdir():
                path.unlink()
            self._folder.rmdir()


def _atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_suffix(".tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
