"""Shard logs under damage: keep every valid record, never reuse a sequence number, report the loss.

Each test damages segment bytes the way a flipped bit or a bad block would, reopens the log and
checks what a consumer would read. On the code before resynchronisation these failed: one bad
record cut off every record after it, and the next appends took the lost sequence numbers.
"""

from __future__ import annotations

import json
import logging
import struct
from pathlib import Path

import pytest

from aliyun.log.emulator.storage.files import FilePool
from aliyun.log.emulator.storage.shardlog import ShardLog

HEADER = 20


def payload(n: int) -> bytes:
    return f"group-{n}:".encode() + bytes([n % 251]) * (n % 37 + 10)


def fill(log: ShardLog, count: int, first: int = 0) -> None:
    for n in range(first, first + count):
        assert log.append(payload(n), 1000 + n, 1) == n


def offset_of(n: int) -> int:
    return sum(len(payload(k)) + HEADER for k in range(n))


def flip(path: Path, offset: int, mask: int = 0x55) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ mask]))


def segment(folder: Path) -> Path:
    return sorted(folder.glob("*.seg"))[0]


def seqs(log: ShardLog) -> list[int]:
    return [r.seq for r in log.read(0, 1_000_000)]


def test_one_flipped_byte_costs_one_record(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 600)
    log.close()
    flip(segment(tmp_path), offset_of(100) + HEADER + 3)
    recovered = ShardLog(tmp_path)
    assert recovered.end == 600
    assert seqs(recovered) == [n for n in range(600) if n != 100]
    assert all(r.payload == payload(r.seq) for r in recovered.read(0, 1000))
    recovered.close()


def test_corrupt_length_field_resynchronises(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 50)
    log.close()
    with open(segment(tmp_path), "r+b") as handle:
        handle.seek(offset_of(10))
        handle.write(struct.pack("<I", 7))  # record 10 now claims a 7-byte payload
    recovered = ShardLog(tmp_path)
    kept = seqs(recovered)
    assert 10 not in kept
    payload_seqs = {r.payload for r in recovered.read(0, 1000)}
    assert payload_seqs == {payload(n) for n in range(50) if n != 10}
    # The lost span's size is unknown: later records may move up, never down.
    later = next(r for r in recovered.read(0, 1000) if r.payload == payload(11))
    assert later.seq >= 11
    recovered.close()


def test_lost_sequence_numbers_are_never_reused(tmp_path: Path) -> None:
    """A consumer that checkpointed past the damage must not skip logs appended after recovery."""
    log = ShardLog(tmp_path)
    fill(log, 600)
    log.close()
    checkpoint = 600  # a consumer had read everything
    flip(segment(tmp_path), offset_of(599) + HEADER + 1)  # the very last acknowledged record
    recovered = ShardLog(tmp_path)
    new = [recovered.append(f"new-{k}".encode(), 5000 + k, 1) for k in range(500)]
    assert min(new) >= checkpoint
    assert [r.payload for r in recovered.read(checkpoint, 1000)] == [f"new-{k}".encode() for k in range(500)]
    recovered.close()
    # ... and the numbering holds over further restarts.
    again = ShardLog(tmp_path)
    assert [r.seq for r in again.read(checkpoint, 1000)] == new
    assert again.append(b"later", 9000, 1) == new[-1] + 1
    again.close()


def test_numbering_is_stable_over_restarts_and_appends(tmp_path: Path) -> None:
    log = ShardLog(tmp_path, segment_bytes=2000)
    fill(log, 120)
    log.close()
    damaged = sorted(tmp_path.glob("*.seg"))[1]
    first = int(damaged.stem)
    flip(damaged, HEADER + 2)  # the first record of the second segment
    flip(damaged, 4 + 1)  # ... and the CRC of the same record
    views = []
    for round_ in range(3):
        reopened = ShardLog(tmp_path, segment_bytes=2000)
        views.append([(r.seq, r.payload) for r in reopened.read(0, 10_000)])
        reopened.append(f"round-{round_}".encode(), 9000 + round_, 1)
        reopened.close()
    assert views[1][: len(views[0])] == views[0]
    assert views[2][: len(views[1])] == views[1]
    assert first not in [seq for seq, _ in views[0]]
    assert [data for seq, data in views[0] if seq > first] == [payload(n) for n in range(first + 1, 120)]


def test_reads_skip_holes_without_stalling(tmp_path: Path) -> None:
    log = ShardLog(tmp_path)
    fill(log, 30)
    log.close()
    path = segment(tmp_path)
    for n in range(5, 25):
        flip(path, offset_of(n) + HEADER + 1)
    recovered = ShardLog(tmp_path)
    assert recovered.lost == 20
    assert [r.seq for r in recovered.read(0, 5)] == [0, 1, 2, 3, 4]
    # A window starting in the holes still finds the records after them.
    assert [r.seq for r in recovered.read(6, 3)] == [25, 26, 27]
    assert [r.seq for r in recovered.read(5, 100, stop=25)] == []
    recovered.close()


def test_damage_is_reported_once_and_inspectable(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = ShardLog(tmp_path)
    fill(log, 20)
    log.close()
    flip(segment(tmp_path), offset_of(7) + HEADER + 1)
    reported: list[list[dict[str, object]]] = []
    with caplog.at_level(logging.WARNING):
        recovered = ShardLog(tmp_path, on_damage=lambda _log, items: reported.append(items))
    recovered.close()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "damaged" in errors[0].getMessage()
    assert len(reported) == 1 and reported[0][0]["lostSeqs"] == [7, 8]
    listed = json.loads((tmp_path / "damage.json").read_text())
    assert [item["lostSeqs"] for item in listed] == [[7, 8]]
    assert listed[0]["offset"] == offset_of(7)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = ShardLog(tmp_path, on_damage=lambda _log, items: reported.append(items))
    again.close()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []  # known damage: no second report
    assert len(reported) == 1
    assert again.damage and again.damage[0]["lostSeqs"] == [7, 8]


def test_segments_share_a_bounded_descriptor_pool(tmp_path: Path) -> None:
    pool = FilePool(3)
    logs = [ShardLog(tmp_path / str(n), files=pool, segment_bytes=300) for n in range(20)]
    for log in logs:
        fill(log, 30)
    assert pool.open_count <= 3
    for log in logs:
        assert [r.payload for r in log.read(0, 100)] == [payload(n) for n in range(30)]
    assert pool.open_count <= 3
    for log in logs:
        log.close()
    assert pool.open_count == 0
