"""One shard's data: an append-only, crash-safe log of log groups.

Layout: a folder per shard holding segment files named by the sequence number of their first
record (``00000000000000000000.seg`` ...) and a small ``begin`` file (the first retained
sequence number, written when retention moves it). A record is a 20-byte header (payload length,
CRC-32, receive time, log count) followed by the payload (a serialized ``LogGroup``); the CRC
covers the receive time, the log count and the payload.

An append is visible to readers only after it is written (and, in the default ``always`` mode,
fsynced), so whatever the service acknowledged is on disk. At start-up every segment is scanned:
a torn tail (a crash in the middle of a write) or a record failing its CRC is cut off together
with everything after it, so a reader never sees half a record. Segments that no longer follow
on densely after such a cut are moved aside as ``*.corrupt`` (kept for inspection, never read).

Sequence numbers are dense (0, 1, 2 ...); cursors are ``base + seq``.
"""

from __future__ import annotations

import bisect
import logging
import os
import struct
import threading
import time
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Optional

__all__ = ["FSYNC_MODES", "SEGMENT_BYTES", "Record", "ShardLog"]

logger = logging.getLogger(__name__)

_HEADER = struct.Struct("<IIqI")
_CRC_PREFIX = struct.Struct("<qI")
#: a new segment is started once the current one reaches this size
SEGMENT_BYTES = 64 * 1024 * 1024
#: ``always``: fsync every append before acknowledging (safe); ``interval``: fsync when the last
#: fsync is a second old or more (a crash of the machine, not of the process, may lose the
#: appends since the last fsync); ``never``: leave it to the operating system.
FSYNC_MODES = ("always", "interval", "never")
_INTERVAL = 1.0


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


def _crc(payload: bytes, receive_time: int, log_count: int) -> int:
    return zlib.crc32(payload, zlib.crc32(_CRC_PREFIX.pack(receive_time, log_count)))


class ShardLog:
    """Append-only storage of one shard.

    :param folder: where the segments live (created if missing); ``None`` keeps everything in
        memory (for tests that need no durability).
    :param fsync: one of :data:`FSYNC_MODES`.
    :param segment_bytes: size at which a new segment file is started (tests use small ones).

    Thread safety: appends, :meth:`expire` and :meth:`close` are serialised by one lock; reads
    take a second lock that appends hold only while opening a new segment, so a reader never
    waits for an append's fsync, and never reads a file that retention is deleting.
    """

    def __init__(self, folder: Optional[Path], fsync: str = "always", *, segment_bytes: int = SEGMENT_BYTES) -> None:
        if fsync not in FSYNC_MODES:
            raise ValueError(f"fsync must be one of {FSYNC_MODES}")
        if segment_bytes <= 0:
            raise ValueError("segment_bytes must be positive")
        self._folder = folder
        self._fsync = fsync
        self._segment_bytes = segment_bytes
        self._lock = threading.Lock()  # writers: append, expire, close
        self._files = threading.Lock()  # the segment list and its file descriptors
        # Per-record index. ``_times`` is appended last: its length is what readers take as the
        # end, so the other arrays always cover every record a reader can see.
        self._positions = array("q")  # byte offset of record seq inside its segment
        self._lengths = array("q")  # payload length of record seq
        self._counts = array("q")  # logs in record seq
        self._times = array("q")  # receive time of record seq
        self._segments: list[_Segment] = []
        self._memory: list[bytes] = []
        self._begin = 0
        self._last_sync = 0.0
        self._closed = False
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
        return bisect.bisect_left(self._times, when, lo=self._begin)

    def log_count(self, begin: int, end: int) -> int:
        """Number of logs in records ``[begin, end)``."""
        return sum(self._counts[begin:end])

    # -- writing ----------------------------------------------------------------------------

    def append(self, payload: bytes, receive_time: int, log_count: int) -> int:
        """Store one log group durably (per the fsync mode); returns its sequence number."""
        with self._lock:
            if self._closed:
                raise ValueError("shard log is closed")
            if self._times and receive_time < self._times[-1]:
                receive_time = self._times[-1]  # keep receive times monotonic for time lookups
            seq = len(self._times)
            if self._folder is None:
                self._memory.append(payload)
                position = 0
            else:
                position = self._write(seq, payload, receive_time, log_count)
            self._positions.append(position)
            self._lengths.append(len(payload))
            self._counts.append(log_count)
            self._times.append(receive_time)  # publishes the record to readers
            return seq

    def _write(self, seq: int, payload: bytes, receive_time: int, log_count: int) -> int:
        segment = self._segments[-1] if self._segments else None
        if segment is None or segment.size >= self._segment_bytes:
            segment = self._new_segment(seq)
        record = _HEADER.pack(len(payload), _crc(payload, receive_time, log_count), receive_time, log_count) + payload
        position = segment.size
        try:
            written = os.pwrite(segment.fd, record, position)
            if written != len(record):
                raise OSError("short write to shard log")
            self._sync(segment)
        except OSError:
            # Disk full or an I/O error: cut the partial record off so the file stays well-formed
            # and the next append starts at a clean boundary.
            try:
                os.ftruncate(segment.fd, position)
            except OSError:
                pass
            raise
        segment.size = position + len(record)
        return position

    def _sync(self, segment: _Segment) -> None:
        if self._fsync == "always":
            os.fsync(segment.fd)
        elif self._fsync == "interval":
            now = time.monotonic()
            if now - self._last_sync >= _INTERVAL:
                os.fsync(segment.fd)
                self._last_sync = now

    def _new_segment(self, first_seq: int) -> _Segment:
        assert self._folder is not None
        previous = self._segments[-1] if self._segments else None
        if previous is not None and self._fsync == "interval":
            os.fsync(previous.fd)  # settle what the old segment is owed before moving on
        segment = _Segment(self._folder / f"{first_seq:020d}.seg", first_seq)
        if self._fsync != "never":
            _fsync_dir(self._folder)  # the new file's name must survive a crash too
        with self._files:
            self._segments.append(segment)
        return segment

    # -- reading ----------------------------------------------------------------------------

    def read(
        self, start: int, max_records: int, stop: Optional[int] = None, max_bytes: Optional[int] = None
    ) -> list[Record]:
        """Up to ``max_records`` records from ``start`` (inclusive) to ``stop`` (exclusive).

        :param max_bytes: stop before the payloads would exceed this many bytes (at least one
            record is returned whatever its size).
        """
        end = len(self._times)
        limit = end if stop is None else min(stop, end)
        first = max(start, self._begin)
        last = min(limit, start + max_records)
        if max_bytes is not None and first < last:
            total = 0
            for seq in range(first, last):
                total += self._lengths[seq]
                if total > max_bytes and seq > first:
                    last = seq
                    break
        if first >= last:
            return []
        with self._files:
            if self._closed:
                raise ValueError("shard log is closed")
            first = max(first, self._begin)  # retention may have moved on meanwhile
            if self._folder is None:
                return [
                    Record(seq, self._times[seq], self._counts[seq], self._memory[seq]) for seq in range(first, last)
                ]
            return self._read_files(first, last)

    def _read_files(self, first: int, last: int) -> list[Record]:
        records: list[Record] = []
        seq = first
        while seq < last:
            index = self._segment_index(seq)
            segment = self._segments[index]
            run_end = last
            if index + 1 < len(self._segments):
                run_end = min(run_end, self._segments[index + 1].first_seq)
            # Records of one segment are contiguous: one read covers the whole run.
            offset = self._positions[seq]
            span_end = self._positions[run_end - 1] + _HEADER.size + self._lengths[run_end - 1]
            data = os.pread(segment.fd, span_end - offset, offset)
            if len(data) != span_end - offset:
                raise OSError(f"shard log segment {segment.path.name} is shorter than its index")
            view = memoryview(data)
            for current in range(seq, run_end):
                at = self._positions[current] - offset + _HEADER.size
                payload = bytes(view[at : at + self._lengths[current]])
                records.append(Record(current, self._times[current], self._counts[current], payload))
            seq = run_end
        return records

    def _segment_index(self, seq: int) -> int:
        low, high = 0, len(self._segments)
        while high - low > 1:  # the last segment whose first_seq <= seq
            middle = (low + high) // 2
            if self._segments[middle].first_seq <= seq:
                low = middle
            else:
                high = middle
        return low

    # -- retention --------------------------------------------------------------------------

    def expire(self, before: int) -> int:
        """Forget records received before ``before``; returns the new begin.

        The begin is persisted first; then every segment all of whose records are expired is
        deleted (the segment being written to is always kept).
        """
        with self._lock:
            if self._closed:
                return self._begin
            new_begin = max(self._begin, bisect.bisect_left(self._times, before, lo=self._begin))
            if new_begin == self._begin:
                return self._begin
            old_begin = self._begin
            if self._folder is not None:
                _atomic_write(self._folder / "begin", str(new_begin).encode(), self._fsync != "never")
            with self._files:
                self._begin = new_begin
                dropped = []
                while len(self._segments) > 1 and self._segments[1].first_seq <= new_begin:
                    dropped.append(self._segments.pop(0))
                if self._folder is None:
                    for seq in range(old_begin, new_begin):
                        self._memory[seq] = b""
            for segment in dropped:
                os.close(segment.fd)
                os.unlink(segment.path)
            return new_begin

    # -- lifecycle --------------------------------------------------------------------------

    def _recover(self) -> None:
        assert self._folder is not None
        leftover = self._folder / "begin.tmp"
        if leftover.exists():
            leftover.unlink()  # an interrupted begin update; the old ``begin`` still holds
        paths = sorted(p for p in self._folder.glob("*.seg") if p.stem.isdigit())
        expected = int(paths[0].stem) if paths else 0
        # Sequence numbers below the first surviving segment belong to expired data.
        for array_ in (self._positions, self._lengths, self._counts, self._times):
            array_.extend([0] * expected)
        for number, path in enumerate(paths):
            if int(path.stem) != len(self._times):
                # Not dense after the previous segment (a cut in the middle of the log): what
                # follows cannot be numbered consistently, so keep it aside rather than serve it.
                for later in paths[number:]:
                    logger.warning("shard log %s does not continue the log; moved aside", later)
                    later.rename(later.with_name(later.name + ".corrupt"))
                break
            segment = _Segment(path, int(path.stem))
            self._segments.append(segment)
            valid, size = self._scan(segment)
            if valid < size:
                logger.warning("shard log %s: cut %d bytes of torn or corrupt data", path, size - valid)
                os.ftruncate(segment.fd, valid)
                os.fsync(segment.fd)
            segment.size = valid
        self._begin = expected
        begin_file = self._folder / "begin"
        if begin_file.exists():
            try:
                self._begin = max(self._begin, min(int(begin_file.read_text()), len(self._times)))
            except ValueError:
                pass

    def _scan(self, segment: _Segment) -> tuple[int, int]:
        """Index the valid records of a segment; returns (bytes of valid records, file size)."""
        size = os.fstat(segment.fd).st_size
        position = 0
        with open(segment.fd, "rb", buffering=1 << 20, closefd=False) as handle:
            while position + _HEADER.size <= size:
                header = _read_exact(handle, _HEADER.size)
                if header is None:
                    break
                length, crc, receive_time, count = _HEADER.unpack(header)
                if position + _HEADER.size + length > size:
                    break
                payload = _read_exact(handle, length)
                if payload is None or _crc(payload, receive_time, count) != crc:
                    break
                self._positions.append(position)
                self._lengths.append(length)
                self._counts.append(count)
                self._times.append(receive_time)
                position += _HEADER.size + length
        return position, size

    def close(self) -> None:
        """Flush (unless ``fsync=never``) and close the segment files."""
        with self._lock, self._files:
            self._closed = True
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


def _read_exact(handle: BinaryIO, size: int) -> Optional[bytes]:
    data = handle.read(size)
    return data if len(data) == size else None


def _atomic_write(path: Path, data: bytes, durable: bool) -> None:
    temp = path.with_name(path.name + ".tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    os.replace(temp, path)
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
