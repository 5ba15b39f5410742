"""ShardLog: the emulator's append-only, CRC-checked shard storage, and how it recovers from damage."""

from __future__ import annotations

import os
import struct
import threading
from pathlib import Path

import pytest

from aliyun.log.emulator.storage import shardlog
from aliyun.log.emulator.storage.shardlog import ShardLog

HEADER = 20  # bytes before each payload: length, CRC, receive time, log count


def payload(n: int) -> bytes:
    """A distinct, variable-length payload per record."""
    return f"group-{n}:".encode() + bytes([n % 251]) * (n % 37)


def fill(log: ShardLog, count: int, *, first: int = 0, time0: int = 1000) -> None:
    for n in range(first, first + count):
        assert log.append(payload(n), time0 + n, n % 5 + 1) == n


def payloads(log: ShardLog, start: int = 0) -> list[bytes]:
    return [record.payload for record in log.read(start, 1_000_000)]


def segments(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.seg"))


def damage_record_3(folder: Path) -> None:
    """Flip a byte inside the payload of record 3 of the first segment (a CRC mismatch)."""
    segment = folder / segments(folder)[0]
    offset = sum(len(payload(n)) + HEADER for n in range(3)) + HEADER + 2
    with open(segment, "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x55]))


def test_round_trip_and_reopen(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 10)
    records = log.read(0, 100)
    assert [r.seq for r in records] == list(range(10))
    assert [r.payload for r in records] == [payload(n) for n in range(10)]
    assert [r.receive_time for r in records] == [1000 + n for n in range(10)]
    assert [r.log_count for r in records] == [n % 5 + 1 for n in range(10)]
    assert log.log_count(0, 10) == sum(n % 5 + 1 for n in range(10))
    log.close()
    again = ShardLog(tmp_path)
    assert (again.begin, again.end) == (0, 10)
    assert again.read(0, 100) == records
    assert again.append(b"next", 2000, 1) == 10
    again.close()


def test_read_window_and_stop(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 10)
    assert [r.seq for r in log.read(3, 4)] == [3, 4, 5, 6]
    assert [r.seq for r in log.read(3, 100, stop=5)] == [3, 4]
    assert log.read(5, 100, stop=5) == []
    assert log.read(10, 100) == []
    assert log.read(20, 100) == []
    log.close()


def test_read_max_bytes_returns_at_least_one_record(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    for _ in range(5):
        log.append(b"x" * 100, 1000, 1)
    assert len(log.read(0, 100, max_bytes=250)) == 2
    assert len(log.read(0, 100, max_bytes=10)) == 1
    assert len(log.read(0, 100, max_bytes=10_000)) == 5
    log.close()


def test_receive_times_stay_monotonic(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    log.append(b"a", 100, 1)
    log.append(b"b", 50, 1)  # a clock step backwards must not break time lookups
    assert [log.receive_time(0), log.receive_time(1)] == [100, 100]
    assert log.first_at_or_after(100) == 0
    assert log.first_at_or_after(101) == 2
    log.close()


@pytest.mark.parametrize(
    "tail",
    [
        b"\x07",  # less than a header
        struct.pack("<IIqI", 500, 0, 1, 1) + b"partial",  # header promising more than was written
        b"\xff" * 64,  # garbage claiming an impossible length
        b"\x00" * 4096,  # zero-filled blocks, as a file system may leave after a crash
    ],
    ids=["short", "partial-record", "garbage", "zeros"],
)
def test_torn_tail_is_cut_off(tmp_path: Path, tail: bytes) -> None:
    log = ShardLog(tmp_path)
    fill(log, 5)
    log.close()
    segment = tmp_path / segments(tmp_path)[0]
    good_size = segment.stat().st_size
    with open(segment, "ab") as handle:
        handle.write(tail)
    recovered = ShardLog(tmp_path)
    assert recovered.end == 5
    assert payloads(recovered) == [payload(n) for n in range(5)]
    assert segment.stat().st_size == good_size  # the torn bytes are gone for good
    assert recovered.append(b"after", 2000, 1) == 5
    recovered.close()
    final = ShardLog(tmp_path)
    assert payloads(final) == [payload(n) for n in range(5)] + [b"after"]
    final.close()


def test_half_written_last_record_is_cut_off(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 4)
    log.close()
    segment = tmp_path / segments(tmp_path)[0]
    size = segment.stat().st_size
    last_length = len(payload(3)) + HEADER
    for cut in (1, HEADER - 1, HEADER, HEADER + 1, last_length - 1):
        os.truncate(segment, size - last_length + cut)
        recovered = ShardLog(tmp_path)
        assert payloads(recovered) == [payload(n) for n in range(3)], cut
        recovered.close()
        # Restore the full record for the next cut (it was truncated away on recovery).
        with open(segment, "ab") as handle:
            handle.write(_record(payload(3), 1003, 4))
        assert segment.stat().st_size == size


def _record(data: bytes, receive_time: int, count: int) -> bytes:
    import zlib

    crc = zlib.crc32(data, zlib.crc32(struct.pack("<qI", receive_time, count)))
    return struct.pack("<IIqI", len(data), crc, receive_time, count) + data


def test_crc_mismatch_loses_only_that_record(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 6)
    log.close()
    damage_record_3(tmp_path)
    recovered = ShardLog(tmp_path)
    assert recovered.end == 6  # the records after the damage keep their sequence numbers
    assert [r.seq for r in recovered.read(0, 100)] == [0, 1, 2, 4, 5]
    assert payloads(recovered) == [payload(n) for n in (0, 1, 2, 4, 5)]
    assert recovered.lost == 1
    assert recovered.append(b"new", 3000, 1) == 6  # a lost sequence number is never reused
    recovered.close()


def test_crc_covers_the_header_fields(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 2)
    log.close()
    segment = tmp_path / segments(tmp_path)[0]
    with open(segment, "r+b") as handle:
        handle.seek(8)  # record 0's receive time
        handle.write(struct.pack("<q", 999_999))
    recovered = ShardLog(tmp_path)
    assert recovered.end == 2
    assert [r.seq for r in recovered.read(0, 10)] == [1]
    recovered.close()


def test_segment_rollover(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=200)
    fill(log, 40)
    names = segments(tmp_path)
    assert len(names) > 3
    assert names[0] == f"{0:020d}.seg"
    firsts = [int(name.split(".")[0]) for name in names]
    assert firsts == sorted(firsts)
    for path in tmp_path.glob("*.seg"):
        # A segment is closed once it reaches the limit: at most one record beyond it.
        assert path.stat().st_size < 200 + HEADER + 64
    # One read spans every segment.
    assert payloads(log) == [payload(n) for n in range(40)]
    assert [r.seq for r in log.read(7, 20)] == list(range(7, 27))
    log.close()
    reopened = ShardLog(tmp_path, segment_bytes=200)
    assert payloads(reopened) == [payload(n) for n in range(40)]
    fill(reopened, 10, first=40)
    assert payloads(reopened, 35) == [payload(n) for n in range(35, 50)]
    reopened.close()


def _frame(length: int) -> bytes:
    return b"<" + str(length).encode() + b">"


def _as_read(log: ShardLog, start: int, count: int, **limits: int) -> tuple[bytes, int, int]:
    """What read_framed should write, from read()."""
    records = log.read(start, count, **limits)  # type: ignore[arg-type]
    body = b"".join(_frame(len(r.payload)) + r.payload for r in records)
    return body, len(records), (records[-1].seq + 1 if records else start)


def _framed(log: ShardLog, buffer: bytearray, start: int, count: int, **limits: int) -> tuple[bytes, int, int]:
    size, records, after = log.read_framed(buffer, _frame, start, count, **limits)  # type: ignore[arg-type]
    return bytes(buffer[:size]), records, after


FRAMED_CASES = [
    (0, 1000, {}),
    (7, 20, {}),
    (3, 100, {"stop": 5}),
    (39, 5, {}),
    (40, 5, {}),
    (0, 100, {"max_bytes": 90}),
]


@pytest.mark.parametrize("mode", ["preadv", "pread", "memory"])
def test_read_framed_writes_what_read_gives(tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if mode == "pread":  # a platform without os.preadv
        monkeypatch.setattr(shardlog, "PREADV", False)
    log = ShardLog(None if mode == "memory" else tmp_path, segment_bytes=200)  # reads span segments
    fill(log, 40)
    buffer = bytearray()
    for start, count, limits in FRAMED_CASES * 2:  # the second time round the buffer is reused
        assert _framed(log, buffer, start, count, **limits) == _as_read(log, start, count, **limits)
    log.close()


def test_read_framed_many_records_in_one_segment(tmp_path: Path) -> None:
    """More records than one preadv call takes (two buffers per record)."""
    log = ShardLog(tmp_path)
    fill(log, 1200)
    buffer = bytearray(b"stale" * 10)
    assert _framed(log, buffer, 0, 1200) == _as_read(log, 0, 1200)
    assert _framed(log, buffer, 3, 1100) == _as_read(log, 3, 1100)
    log.close()


def test_read_framed_skips_holes(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 6)
    log.close()
    damage_record_3(tmp_path)
    recovered = ShardLog(tmp_path)
    buffer = bytearray()
    body, records, after = _framed(recovered, buffer, 2, 10)
    assert body == b"".join(_frame(len(payload(n))) + payload(n) for n in (2, 4, 5))
    assert (records, after) == (3, 6)
    body, records, after = _framed(recovered, buffer, 2, 2)  # the hole does not count towards the two
    assert (records, after) == (2, 5)
    recovered.close()


def test_read_framed_on_a_closed_log_refuses(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 2)
    log.close()
    with pytest.raises(ValueError):
        log.read_framed(bytearray(), _frame, 0, 10)


def _resize_refused_with_a_view() -> bool:
    """CPython refuses to resize a bytearray while a memoryview of it is open; PyPy allows it."""
    probe = bytearray(1)
    view = memoryview(probe)
    try:
        probe.append(0)
    except BufferError:
        return True
    finally:
        view.release()
    return False


def test_buffer_pool_lends_keeps_and_drops() -> None:
    from aliyun.log.emulator.storage.buffers import BufferPool

    pool = BufferPool(keep=1, max_bytes=100)
    first = pool.borrow()
    first.extend(b"x" * 50)
    pool.give_back(first)
    assert pool.borrow() is first  # reused
    big = bytearray(200)
    pool.give_back(big)  # too large to keep
    assert pool.idle() == 0
    viewed = bytearray(10)
    view = memoryview(viewed)
    pool.give_back(viewed)  # a view is still open: not kept where resizing it would fail
    assert pool.idle() == (0 if _resize_refused_with_a_view() else 1)
    view.release()
    pool.borrow()  # empty the pool again (PyPy kept it)
    pool.give_back(first)
    pool.give_back(bytearray(5))  # only one is kept
    assert pool.idle() == 1


def test_empty_new_segment_left_by_a_crash(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=100)
    fill(log, 10)
    log.close()
    # A crash right after creating the next segment file, before its first record.
    (tmp_path / f"{10:020d}.seg").touch()
    recovered = ShardLog(tmp_path, segment_bytes=100)
    assert recovered.end == 10
    assert recovered.append(b"goes on", 3000, 1) == 10
    assert payloads(recovered, 9) == [payload(9), b"goes on"]
    recovered.close()


def test_damage_in_an_older_segment_keeps_later_segments(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=100)
    fill(log, 20)
    log.close()
    names = segments(tmp_path)
    first = tmp_path / names[0]
    os.truncate(first, first.stat().st_size - 3)
    recovered = ShardLog(tmp_path, segment_bytes=100)
    cut = int(names[1].split(".")[0]) - 1  # the last record of the first segment
    assert recovered.end == 20
    assert payloads(recovered) == [payload(n) for n in range(20) if n != cut]
    assert segments(tmp_path) == names
    assert list(tmp_path.glob("*.corrupt")) == []
    assert recovered.append(b"x", 5000, 1) == 20
    recovered.close()


def test_expire_moves_begin_and_deletes_whole_segments(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=100)
    fill(log, 30, time0=1000)  # record n received at 1000 + n
    before = segments(tmp_path)
    firsts = [int(name.split(".")[0]) for name in before]
    assert log.expire(1000) == 0  # nothing is that old
    assert log.expire(1000 + 12) == 12
    assert log.begin == 12
    remaining = segments(tmp_path)
    kept_firsts = [int(name.split(".")[0]) for name in remaining]
    # Exactly the segments whose every record is below 12 are gone; the one holding 12 stays.
    assert kept_firsts == [f for i, f in enumerate(firsts) if i + 1 == len(firsts) or firsts[i + 1] > 12]
    assert kept_firsts[0] <= 12
    assert [r.seq for r in log.read(0, 5)] == []  # a window entirely below begin is empty
    assert log.read(10, 5)[0].seq == 12
    assert log.first_at_or_after(0) == 12
    assert log.expire(1000 + 5) == 12  # begin never moves backwards
    log.close()


def test_expire_everything_keeps_the_write_segment(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=100)
    fill(log, 20)
    assert log.expire(10**9) == 20
    assert (log.begin, log.end) == (20, 20)
    assert len(segments(tmp_path)) == 1
    assert log.read(0, 100) == []
    assert log.append(b"fresh", 10**9, 1) == 20
    assert payloads(log) == [b"fresh"]
    log.close()


def test_begin_is_persisted_across_reopen(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=100)
    fill(log, 20)
    log.expire(1000 + 13)
    log.close()
    reopened = ShardLog(tmp_path, segment_bytes=100)
    assert (reopened.begin, reopened.end) == (13, 20)
    assert payloads(reopened) == [payload(n) for n in range(13, 20)]
    assert reopened.first_at_or_after(0) == 13
    reopened.close()
    # A begin update interrupted before its rename leaves a temporary file: the old begin holds.
    (tmp_path / "begin.tmp").write_text("19")
    again = ShardLog(tmp_path, segment_bytes=100)
    assert again.begin == 13
    assert not (tmp_path / "begin.tmp").exists()
    again.close()


def test_begin_without_a_begin_file_is_the_first_segment(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=100)
    fill(log, 20)
    log.expire(1000 + 13)
    log.close()
    (tmp_path / "begin").unlink()
    reopened = ShardLog(tmp_path, segment_bytes=100)
    first = int(segments(tmp_path)[0].split(".")[0])
    assert reopened.begin == first
    assert payloads(reopened) == [payload(n) for n in range(first, 20)]
    reopened.close()


@pytest.mark.parametrize("mode", ["always", "interval", "never"])
def test_fsync_modes_store_the_same_data(tmp_path: Path, mode: str) -> None:
    log = ShardLog(tmp_path, mode, segment_bytes=150)
    fill(log, 15)
    log.close()
    reopened = ShardLog(tmp_path, mode)
    assert payloads(reopened) == [payload(n) for n in range(15)]
    reopened.close()


def test_bad_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ShardLog(tmp_path, "sometimes")
    with pytest.raises(ValueError):
        ShardLog(tmp_path, segment_bytes=0)


def test_failed_write_leaves_no_partial_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = ShardLog(tmp_path)
    fill(log, 3)
    real_pwrite = os.pwrite

    def short_pwrite(fd: int, data: bytes, offset: int) -> int:
        return real_pwrite(fd, data[: len(data) // 2], offset)  # a full disk

    monkeypatch.setattr(shardlog.os, "pwrite", short_pwrite)
    with pytest.raises(OSError):
        log.append(b"will not fit" * 10, 2000, 1)
    monkeypatch.setattr(shardlog.os, "pwrite", real_pwrite)
    assert log.end == 3
    assert log.append(b"fits", 2001, 1) == 3
    log.close()
    reopened = ShardLog(tmp_path)
    assert payloads(reopened) == [payload(n) for n in range(3)] + [b"fits"]
    reopened.close()


def test_in_memory_log(tmp_path: Path) -> None:
    log = ShardLog(None)
    fill(log, 10)
    assert payloads(log) == [payload(n) for n in range(10)]
    assert log.expire(1000 + 4) == 4
    assert payloads(log) == [payload(n) for n in range(4, 10)]
    assert list(tmp_path.iterdir()) == []


def test_closed_log_refuses_use(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 2)
    log.close()
    with pytest.raises(ValueError):
        log.append(b"late", 2000, 1)
    with pytest.raises(ValueError):
        log.read(0, 10)


def test_destroy_removes_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shard"
    log = ShardLog(folder, segment_bytes=100)
    fill(log, 10)
    log.expire(1003)
    log.destroy()
    assert not folder.exists()


def test_readers_during_appends_and_expiry(tmp_path: Path) -> None:
    """Readers racing a writer and retention see only whole, correct records (never a closed file)."""
    log = ShardLog(tmp_path, "never", segment_bytes=300)
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                for record in log.read(0, 1000):
                    assert record.payload == payload(record.seq)
                    assert record.receive_time == 1000 + record.seq
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for n in range(2000):
        log.append(payload(n), 1000 + n, 1)
        if n % 50 == 49:
            log.expire(1000 + n - 100)
    done.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert log.begin > 0
    assert log.read(log.begin, 1)[0].payload == payload(log.begin)
    log.close()
