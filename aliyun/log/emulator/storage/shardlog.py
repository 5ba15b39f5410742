"""One shard's data: an append-only, crash-safe log of log groups.

Layout: a folder per shard holding segment files named by the sequence number of their first
record (``00000000000000000000.seg`` ...) and a small ``begin`` file (the first retained
sequence number, written when retention moves it). A record is a 20-byte header (payload length,
CRC-32, receive time, log count) followed by the payload (a serialized ``LogGroup``); the CRC
covers the receive time, the log count and the payload.

An append is visible to readers only after it is written (and, in the default ``always`` mode,
fsynced), so whatever the service acknowledged is on disk. Segment files are opened on demand
through a shared :class:`~aliyun.log.emulator.storage.files.FilePool`, so a shard holds no file
descriptor between reads and writes.

Recovery (at start-up, see :mod:`.recovery`): every segment is scanned. A torn tail of the last
segment (a crash in the middle of a write: never acknowledged) is cut off. A record failing its
CRC, or any other damage, costs only the bytes it covers: the scan resynchronises on the record
framing and keeps every valid record after it. The damaged records become *holes*: sequence
numbers that are never read and never reused. A segment with damage is sealed (the next
append starts a new segment, whose name pins the sequence numbers), its bytes stay in place for
inspection, and the damage is listed in ``damage.json`` next to the segments and logged once.

Sequence numbers are dense apart from holes (0, 1, 2 ...); cursors are ``base + seq``.
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import threading
import time
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from .files import FilePool
from .framed import PREADV, preadv_framed, write_framed
from .recovery import HEADER, SegmentScan, Span, crc, damage_key, lost_entry, scan_segment, share_holes

__all__ = ["FSYNC_MODES", "SEGMENT_BYTES", "DamageHook", "Record", "ShardLog"]

logger = logging.getLogger(__name__)

#: a new segment is started once the current one reaches this size
SEGMENT_BYTES = 64 * 1024 * 1024
#: ``always``: fsync every append before acknowledging (safe); ``interval``: fsync when the last
#: fsync is a second old or more (a crash of the machine, not of the process, may lose the
#: appends since the last fsync); ``never``: leave it to the operating system.
FSYNC_MODES = ("always", "interval", "never")
_INTERVAL = 1.0
_DAMAGE_FILE = "damage.json"
_HOLE = -1  # ``_lengths`` value of a sequence number whose record was lost to damage

#: called with the damage found at start-up that was not known before (see :attr:`ShardLog.damage`)
DamageHook = Callable[["ShardLog", list[dict[str, Any]]], None]


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
        self.size = 0


class ShardLog:
    """Append-only storage of one shard.

    :param folder: where the segments live (created if missing); ``None`` keeps everything in
        memory (for tests that need no durability).
    :param fsync: one of :data:`FSYNC_MODES`.
    :param segment_bytes: size at which a new segment file is started (tests use small ones).
    :param files: the descriptor pool to open segments through (shared by an emulator's shards;
        by default a small one of its own).
    :param on_damage: told about damage found at start-up that no earlier start had reported.

    Thread safety: appends, :meth:`expire` and :meth:`close` are serialised by one lock; reads
    take a second lock that appends hold only while opening a new segment, so a reader never
    waits for an append's fsync, and never reads a file that retention is deleting.
    """

    def __init__(
        self,
        folder: Optional[Path],
        fsync: str = "always",
        *,
        segment_bytes: int = SEGMENT_BYTES,
        files: Optional[FilePool] = None,
        on_damage: Optional[DamageHook] = None,
    ) -> None:
        if fsync not in FSYNC_MODES:
            raise ValueError(f"fsync must be one of {FSYNC_MODES}")
        if segment_bytes <= 0:
            raise ValueError("segment_bytes must be positive")
        self._folder = folder
        self._fsync = fsync
        self._segment_bytes = segment_bytes
        self._pool = files if files is not None else FilePool(4)
        self._lock = threading.Lock()  # writers: append, expire, close
        self._files = threading.Lock()  # the segment list
        # Per-record index. ``_times`` is appended last: its length is what readers take as the
        # end, so the other arrays always cover every record a reader can see.
        self._positions = array("q")  # byte offset of record seq inside its segment
        self._lengths = array("q")  # payload length of record seq (_HOLE: lost to damage)
        self._counts = array("q")  # logs in record seq
        self._times = array("q")  # receive time of record seq
        self._holes: list[tuple[int, int]] = []  # sorted ``[start, end)`` ranges of lost records
        self._segments: list[_Segment] = []
        self._memory: list[bytes] = []
        self._begin = 0
        self._last_sync = 0.0
        self._closed = False
        #: damage found in this shard (``damage.json``): one dict per damaged span or gap
        self.damage: list[dict[str, Any]] = []
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self._recover(on_damage)

    # -- state ------------------------------------------------------------------------------

    @property
    def folder(self) -> Optional[Path]:
        """Where the segments live (``None`` in memory)."""
        return self._folder

    @property
    def begin(self) -> int:
        """Sequence number of the oldest retained record."""
        return self._begin

    @property
    def end(self) -> int:
        """Sequence number the next append will get."""
        return len(self._times)

    @property
    def lost(self) -> int:
        """How many sequence numbers are holes (records lost to damage)."""
        return sum(end - start for start, end in self._holes)

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
        """Store one log group durably (per the fsync mode); returns its sequence number.

        An ``OSError`` (disk full, out of descriptors) leaves the log as it was.
        """
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
        record = HEADER.pack(len(payload), crc(payload, receive_time, log_count), receive_time, log_count) + payload
        position = segment.size
        handle = self._pool.acquire(segment.path, create=True)
        try:
            written = os.pwrite(handle.fd, record, position)
            if written != len(record):
                raise OSError("short write to shard log")
            self._sync(handle.fd)
        except OSError:
            # Disk full or an I/O error: cut the partial record off so the file stays
            # well-formed and the next append starts at a clean boundary.
            try:
                os.ftruncate(handle.fd, position)
            except OSError:
                pass
            raise
        finally:
            self._pool.release(handle)
        segment.size = position + len(record)
        return position

    def _sync(self, fd: int) -> None:
        if self._fsync == "always":
            os.fsync(fd)
        elif self._fsync == "interval":
            now = time.monotonic()
            if now - self._last_sync >= _INTERVAL:
                os.fsync(fd)
                self._last_sync = now

    def _new_segment(self, first_seq: int) -> _Segment:
        assert self._folder is not None
        previous = self._segments[-1] if self._segments else None
        if previous is not None and self._fsync == "interval":
            with self._pool.use(previous.path) as fd:
                os.fsync(fd)  # settle what the old segment is owed before moving on
        segment = _Segment(self._folder / f"{first_seq:020d}.seg", first_seq)
        with self._pool.use(segment.path, create=True):
            pass
        if self._fsync != "never":
            _fsync_dir(self._folder)  # the new file's name must survive a crash too
        with self._files:
            self._segments.append(segment)
        return segment

    def reserve(self, upto: int, receive_time: int = 0) -> None:
        """Make ``upto`` the next sequence number; the ones before it become holes (received at ``receive_time``).

        For numbers something outside the log still refers to (an index that holds logs the
        log lost with a damaged tail): new records must not take them. The new numbering is
        pinned by starting a segment named ``upto``.
        """
        with self._lock:
            end = len(self._times)
            if self._closed or upto <= end:
                return
            if self._folder is not None:
                self._new_segment(upto)
            self._hole(end, upto, max(receive_time, self._times[-1] if self._times else 0))

    # -- reading ----------------------------------------------------------------------------

    def read(
        self, start: int, max_records: int, stop: Optional[int] = None, max_bytes: Optional[int] = None
    ) -> list[Record]:
        """Up to ``max_records`` records from ``start`` (inclusive) to ``stop`` (exclusive).

        Holes (records lost to damage) are skipped and do not count towards ``max_records``,
        so the answer is empty only when no record is left before ``stop``.

        :param max_bytes: stop before the payloads would exceed this many bytes (at least one
            record is returned whatever its size).
        """
        return [
            Record(seq, self._times[seq], self._counts[seq], _whole(payload))
            for seq, payload in self._read(start, max_records, stop, max_bytes)
        ]

    def read_framed(
        self,
        buffer: bytearray,
        frame: Callable[[int], bytes],
        start: int,
        max_records: int,
        stop: Optional[int] = None,
        max_bytes: Optional[int] = None,
    ) -> tuple[int, int, int]:
        """The payloads :meth:`read` would return, written one after another into ``buffer``
        (grown when too small), each preceded by ``frame(len(payload))``.

        For PullLogs, whose answer is the payloads each framed as a protobuf field: read with
        one ``preadv`` per segment run straight into place, no bytes object per record and none
        for the whole answer (the caller keeps ``buffer`` for the next answer).

        :return: (bytes written, records, the sequence number after the last one or ``start``).
        """
        first, last = self._window(start, max_records, stop, max_bytes)
        if first >= last:
            return 0, 0, start
        with self._files:
            if self._closed:
                raise ValueError("shard log is closed")
            first = max(first, self._begin)  # retention may have moved on meanwhile
            if self._folder is None or self._holes or not PREADV or not self._back_to_back(first, last):
                records = self._read_window(first, last)
                written = write_framed(buffer, frame, [payload for _, payload in records])
                return written, len(records), (records[-1][0] + 1 if records else start)
            runs = [
                (segment.path, run_start, run_end) for segment, run_start, run_end in self._segment_runs(first, last)
            ]
            return preadv_framed(buffer, frame, runs, self._positions, self._lengths, self._pool), last - first, last

    def _window(self, start: int, max_records: int, stop: Optional[int], max_bytes: Optional[int]) -> tuple[int, int]:
        end = len(self._times)
        limit = end if stop is None else min(stop, end)
        first = max(start, self._begin)
        last = self._window_end(start, limit, max_records)  # the window counts from ``start``
        if max_bytes is not None and first < last:
            total = 0
            taken = 0
            for seq in range(first, last):
                length = self._lengths[seq]
                if length == _HOLE:
                    continue
                total += length
                if total > max_bytes and taken:
                    last = seq
                    break
                taken += 1
        return first, last

    def _read(
        self, start: int, max_records: int, stop: Optional[int], max_bytes: Optional[int]
    ) -> list[tuple[int, memoryview]]:
        first, last = self._window(start, max_records, stop, max_bytes)
        if first >= last:
            return []
        with self._files:
            if self._closed:
                raise ValueError("shard log is closed")
            first = max(first, self._begin)  # retention may have moved on meanwhile
            return self._read_window(first, last)

    def _read_window(self, first: int, last: int) -> list[tuple[int, memoryview]]:
        if self._folder is None:
            return [(seq, memoryview(self._memory[seq])) for seq in range(first, last) if self._lengths[seq] != _HOLE]
        return self._read_files(first, last)

    def _back_to_back(self, first: int, last: int) -> bool:
        """Whether each record of the window starts where the one before it ends (as appends
        write them), so one segment run is one contiguous span of its file."""
        positions, lengths, segments = self._positions, self._lengths, self._segments
        starts = {segment.first_seq for segment in segments}
        return all(
            seq in starts or positions[seq] == positions[seq - 1] + HEADER.size + lengths[seq - 1]
            for seq in range(first + 1, last)
        )

    def _window_end(self, first: int, limit: int, max_records: int) -> int:
        """End of the window from ``first`` spanning ``max_records`` sequence numbers, holes not counted."""
        last = min(limit, first + max_records)
        if not self._holes or first >= last:
            return last
        wanted = max_records
        seq = first
        for hole_start, hole_end in self._holes:  # few: only damage found at start-up makes them
            if hole_end <= seq:
                continue
            if hole_start >= limit:
                break
            before = max(0, hole_start - seq)
            if before >= wanted:
                return seq + wanted
            wanted -= before
            seq = hole_end
            if seq >= limit:
                return limit
        return min(limit, seq + wanted)

    def _segment_runs(self, first: int, last: int) -> Iterator[tuple[_Segment, int, int]]:
        """The window [first, last) cut at segment boundaries: (segment, run start, run end)."""
        seq = first
        while seq < last:
            index = self._segment_index(seq)
            run_end = last
            if index + 1 < len(self._segments):
                run_end = min(run_end, self._segments[index + 1].first_seq)
            yield self._segments[index], seq, run_end
            seq = run_end

    def _read_files(self, first: int, last: int) -> list[tuple[int, memoryview]]:
        records: list[tuple[int, memoryview]] = []
        for segment, seq, run_end in self._segment_runs(first, last):
            present: Sequence[int] = range(seq, run_end)
            if self._holes:
                present = [s for s in present if self._lengths[s] != _HOLE]
            if present:
                # Records of one segment are in file order: one read covers the whole run.
                offset = self._positions[present[0]]
                span_end = self._positions[present[-1]] + HEADER.size + self._lengths[present[-1]]
                handle = self._pool.acquire(segment.path)
                try:
                    data = os.pread(handle.fd, span_end - offset, offset)
                finally:
                    self._pool.release(handle)
                if len(data) != span_end - offset:
                    raise OSError(f"shard log segment {segment.path.name} is shorter than its index")
                view = memoryview(data)
                for current in present:
                    at = self._positions[current] - offset + HEADER.size
                    records.append((current, view[at : at + self._lengths[current]]))
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
                self._pool.forget(segment.path)
                os.unlink(segment.path)
            return new_begin

    # -- lifecycle --------------------------------------------------------------------------

    def _recover(self, on_damage: Optional[DamageHook]) -> None:
        assert self._folder is not None
        leftover = self._folder / "begin.tmp"
        if leftover.exists():
            leftover.unlink()  # an interrupted begin update; the old ``begin`` still holds
        paths = sorted(p for p in self._folder.glob("*.seg") if p.stem.isdigit())
        expected = int(paths[0].stem) if paths else 0
        # Sequence numbers below the first surviving segment belong to expired data.
        for array_ in (self._positions, self._lengths, self._counts, self._times):
            array_.extend([0] * expected)
        found: list[dict[str, Any]] = []
        last_time = 0
        sealed = False
        for number, path in enumerate(paths):
            first = int(path.stem)
            if first < len(self._times):
                # Overlaps the records before it: what follows cannot be numbered consistently,
                # so keep it aside rather than serve it.
                for later in paths[number:]:
                    logger.error("shard log %s overlaps the log before it; moved aside", later)
                    later.rename(later.with_name(later.name + ".corrupt"))
                    found.append({"segment": later.name, "movedAside": True})
                break
            scan = scan_segment(path, last_time)
            is_last = number + 1 == len(paths)
            counts: Optional[list[int]] = [span.most_records for span in scan.spans]
            if not is_last:
                counts = share_holes(scan, int(paths[number + 1].stem) - first)
                if counts is None:
                    logger.error("shard log %s holds more records than its successor's name allows", path)
                    counts = [1] * len(scan.spans)
            assert counts is not None
            segment = _Segment(path, first)
            self._segments.append(segment)
            last_time = self._index(scan, counts, last_time, path.name, found)
            if not is_last:
                gap_end = int(paths[number + 1].stem)
                if len(self._times) < gap_end:  # lost at the end of the segment (e.g. cut short)
                    found.append(lost_entry(path.name, scan.end, len(self._times), gap_end))
                    self._hole(len(self._times), gap_end, last_time)
                continue
            segment.size = scan.size
            if scan.torn is not None:
                # An interrupted write was never acknowledged (nor its sequence number shown).
                logger.warning("shard log %s: cut %d bytes of a torn write", path, scan.size - scan.torn)
                with self._pool.use(path) as fd:
                    os.ftruncate(fd, scan.torn)
                    os.fsync(fd)
                segment.size = scan.torn
            sealed = bool(scan.spans)
        if sealed:
            # Damage in the last segment: later appends go to a new segment, whose name pins the
            # sequence numbers given to the damaged records, whatever a later scan would guess.
            try:
                self._new_segment(len(self._times))
            except OSError as exc:  # the next append tries again; the scan gives the same numbers
                logger.warning("cannot seal damaged shard log %s: %s", self._folder, exc)
        self._begin = expected
        begin_file = self._folder / "begin"
        if begin_file.exists():
            try:
                self._begin = max(self._begin, min(int(begin_file.read_text()), len(self._times)))
            except ValueError:
                pass
        self._report(found, on_damage)

    def _index(self, scan: SegmentScan, counts: list[int], last_time: int, name: str, found: list[Any]) -> int:
        """Add a segment's records and holes to the index; returns the last receive time."""
        spans = iter(zip(scan.spans, counts))
        pending: Optional[tuple[Span, int]] = next(spans, None)
        for number, (position, length, count, receive_time) in enumerate(scan.records):
            while pending is not None and pending[0].before == number:
                # Holes take the time of the record before them, else of the one after them.
                self._lose(pending, last_time or receive_time, name, found)
                pending = next(spans, None)
            self._positions.append(position)
            self._lengths.append(length)
            self._counts.append(count)
            self._times.append(receive_time)
            last_time = receive_time
        while pending is not None:
            last_time = self._lose(pending, last_time, name, found)
            pending = next(spans, None)
        return last_time

    def _lose(self, pending: tuple[Span, int], last_time: int, name: str, found: list[Any]) -> int:
        span, count = pending
        start = len(self._times)
        entry = lost_entry(name, span.offset, start, start + count)
        entry["bytes"] = span.end - span.offset
        found.append(entry)
        self._hole(start, start + count, last_time)
        return last_time

    def _hole(self, start: int, end: int, receive_time: int) -> None:
        if end <= start:
            return
        width = end - start
        self._positions.extend([0] * width)
        self._lengths.extend([_HOLE] * width)
        self._counts.extend([0] * width)
        self._times.extend([receive_time] * width)
        if self._holes and self._holes[-1][1] == start:
            self._holes[-1] = (self._holes[-1][0], end)
        else:
            self._holes.append((start, end))

    def _report(self, found: list[dict[str, Any]], on_damage: Optional[DamageHook]) -> None:
        """Keep ``damage.json`` in step; log (once) and pass on what no earlier start had found."""
        assert self._folder is not None
        path = self._folder / _DAMAGE_FILE
        known: dict[tuple[Any, ...], dict[str, Any]] = {}
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = []
            for item in loaded if isinstance(loaded, list) else []:
                if isinstance(item, dict):
                    known[damage_key(item)] = item
        new = [item for item in found if damage_key(item) not in known]
        stamp = int(time.time())
        for item in new:
            item["found"] = stamp
        # Damage of segments retention has deleted since is dropped from the list.
        self.damage = [known.get(damage_key(item), item) for item in found]
        if [damage_key(item) for item in self.damage] != list(known):
            try:
                _atomic_write(path, json.dumps(self.damage).encode(), self._fsync != "never")
            except OSError as exc:
                logger.warning("cannot write %s: %s", path, exc)
        if not new:
            return
        lost = sum(item["lostSeqs"][1] - item["lostSeqs"][0] for item in new if "lostSeqs" in item)
        logger.error(
            "shard log %s is damaged: %d damaged place(s), %d record(s) lost, the valid records around them kept;"
            " see %s",
            self._folder,
            len(new),
            lost,
            path,
        )
        if on_damage is not None:
            on_damage(self, new)

    def close(self) -> None:
        """Flush (unless ``fsync=never``) and close the segment files."""
        with self._lock, self._files:
            if self._closed:
                return
            self._closed = True
            if self._segments and self._fsync != "never":
                try:
                    with self._pool.use(self._segments[-1].path) as fd:
                        os.fsync(fd)
                except OSError:
                    pass
            for segment in self._segments:
                self._pool.forget(segment.path)
            self._segments.clear()

    def destroy(self) -> None:
        """Close and delete every file of this shard."""
        self.close()
        if self._folder is not None and self._folder.exists():
            for path in self._folder.iterdir():
                path.unlink()
            self._folder.rmdir()


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


def _whole(view: memoryview) -> bytes:
    """The bytes of ``view``: the object itself when it is a view of a whole bytes object (the
    in-memory log's payloads), else a copy."""
    owner = view.obj
    if type(owner) is bytes and len(owner) == view.nbytes:
        return owner
    return bytes(view)
