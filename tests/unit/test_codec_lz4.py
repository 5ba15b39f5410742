"""The native LZ4 block decoder: the lz4 package's blocks back to their input, and the block
format's rules for everything else.

The lz4 package compresses every block here (it is the library that defines the format for
this SDK); the decoder must give back exactly what went in. Damaged blocks and arbitrary bytes
go to a small Python model of the block format below (written from the format description,
offset 0 refused, end-of-block rules kept) and the decoder must give the model's outcome
exactly; where the model accepts, the lz4 package must give the same bytes too. (The package is
more lenient than the format in one way: it takes an offset of 0 and copies whatever its buffer
held, found by the fuzz target, so it cannot be the reference for damaged input.)
"""

from __future__ import annotations

import os
import sys

import pytest

lz4_block = pytest.importorskip("lz4.block")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aliyun.log._codec import CodecError, compress, decompress  # noqa: E402
from aliyun.log._codec.select import native_module  # noqa: E402

_native = native_module()
pytestmark = pytest.mark.skipif(_native is None, reason="native codec not built or not in use")
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def native(data: bytes, raw_size: int) -> bytes:
    assert _native is not None
    result: bytes = _native.lz4_decompress(data, raw_size)
    return result


def reference(data: bytes, raw_size: int) -> object:
    """What the lz4 package gives: the bytes when they are exactly raw_size, else 'error'."""
    try:
        out = lz4_block.decompress(data, uncompressed_size=raw_size)
    except (lz4_block.LZ4BlockError, ValueError):
        return "error"
    return out if len(out) == raw_size else "error"


def model(data: bytes, raw_size: int) -> object:
    """The block format, step by step: the decoded bytes, or 'error'."""
    out = bytearray()
    pos = 0

    def length(base: int) -> int:
        nonlocal pos
        if base != 15:
            return base
        while True:
            if pos >= len(data):
                raise ValueError("truncated length")
            byte = data[pos]
            pos += 1
            base += byte
            if byte != 255:
                return base

    try:
        while True:
            if pos >= len(data):
                return "error"
            token = data[pos]
            pos += 1
            literals = length(token >> 4)
            if pos + literals > len(data) or len(out) + literals > raw_size:
                return "error"
            out += data[pos : pos + literals]
            pos += literals
            if pos == len(data):
                return bytes(out) if len(out) == raw_size else "error"
            if raw_size - len(out) < 12 or pos + 2 > len(data):  # no match in the last 12 bytes
                return "error"
            offset = data[pos] | data[pos + 1] << 8
            pos += 2
            if offset == 0 or offset > len(out):
                return "error"
            match = length(token & 15) + 4
            if len(out) + match + 5 > raw_size:  # the last 5 bytes are literals
                return "error"
            for _ in range(match):
                out.append(out[-offset])
    except ValueError:
        return "error"


def outcome(data: bytes, raw_size: int) -> object:
    try:
        return native(data, raw_size)
    except CodecError as exc:
        assert exc.code == "DecompressError"
        return "error"


# text-like data with repeats at every distance (short and long matches, overlapping ones)
chunk = st.one_of(
    st.binary(max_size=40),
    st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=9), st.integers(1, 400)),
    st.sampled_from([b"\x00" * 70_000, bytes(range(256)) * 300, os.urandom(3000)]),
)
payload = st.lists(chunk, min_size=1, max_size=20).map(b"".join).filter(bool)


@SETTINGS
@given(payload, st.sampled_from(["default", "fast", "high_compression"]))
def test_every_block_the_package_writes_decodes_to_its_input(data: bytes, mode: str) -> None:
    block = lz4_block.compress(data, mode=mode, store_size=False)
    assert native(block, len(data)) == data
    assert native(bytearray(block), len(data)) == data
    assert native(memoryview(block), len(data)) == data


@SETTINGS
@given(payload, st.data())
def test_damaged_blocks_are_refused_or_decode_as_the_package_decodes(data: bytes, draw: st.DataObject) -> None:
    block = bytearray(lz4_block.compress(data, store_size=False))
    for _ in range(draw.draw(st.integers(1, 4))):
        where = draw.draw(st.integers(0, len(block) - 1))
        block[where] = draw.draw(st.integers(0, 255))
    cut = draw.draw(st.integers(0, len(block)))
    damaged = bytes(block[:cut] if draw.draw(st.booleans()) else block)
    size = draw.draw(st.sampled_from([len(data), len(data) - 1, len(data) + 1, 1]))
    got = outcome(damaged, max(size, 1))
    assert got == model(damaged, max(size, 1))
    if got != "error":
        assert reference(damaged, max(size, 1)) == got


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=300), st.integers(1, 2000))
def test_arbitrary_bytes_never_crash_and_agree_when_accepted(data: bytes, size: int) -> None:
    got = outcome(data, size)
    assert got == model(data, size)
    if got != "error":
        assert reference(data, size) == got


def test_offset_zero_is_refused() -> None:
    """20 literals, then a match at offset 0 (a copy of bytes not yet written), then 8 literals."""
    good = bytes([0xF0, 5]) + b"a" * 20 + b"\x01\x00" + bytes([0x80]) + b"bcdefghi"
    assert model(good, 32) == native(good, 32) == b"a" * 24 + b"bcdefghi"  # the same at offset 1
    block = good[:22] + b"\x00\x00" + good[24:]
    assert model(block, 32) == "error"
    with pytest.raises(CodecError):
        native(block, 32)


def test_the_model_is_the_format() -> None:
    for data in (b"a" * 1000, bytes(range(256)) * 40, b"xy" * 17 + b"tail of the block", os.urandom(100)):
        block = lz4_block.compress(data, store_size=False)
        assert model(block, len(data)) == data


def test_sizes_and_arguments() -> None:
    block = lz4_block.compress(b"abc" * 100, store_size=False)
    for wrong in (299, 301, 10_000):
        with pytest.raises(CodecError):
            native(block, wrong)
    assert native(b"", 0) == b""
    with pytest.raises(CodecError):
        native(block, 0)  # data but nothing expected
    with pytest.raises(CodecError) as caught:
        native(block, -1)
    assert caught.value.code == "InvalidBodyRawSize"
    with pytest.raises(TypeError):
        native("text", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _native.lz4_decompress(block)  # type: ignore[union-attr]


def test_decompress_uses_it_and_keeps_its_errors() -> None:
    data = b"log line %d\n" * 5000
    block = compress("lz4", data)
    assert decompress("lz4", block, len(data)) == data
    with pytest.raises(CodecError) as caught:
        decompress("lz4", block[:-5], len(data))
    assert caught.value.code == "DecompressError"


def test_reference_counts_are_kept() -> None:
    block = lz4_block.compress(b"xyz" * 1000, store_size=False)
    before = sys.getrefcount(block)
    for _ in range(2000):
        native(block, 3000)
        with pytest.raises(CodecError):
            native(block, 2999)
    assert sys.getrefcount(block) == before
