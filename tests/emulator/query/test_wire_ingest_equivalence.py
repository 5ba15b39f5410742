"""The index's wire reader (``query/wire.py``) stores exactly what the protobuf runtime path stores.

Stored groups are read straight from their bytes for speed; any difference from decoding them with
the protobuf runtime would make searches disagree with what was written. Random groups (awkward
bytes, long values, optional fields, repeated key templates) go both ways into two indexes, and
every row and the per-key SQL answers must match.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aliyun.log.emulator.query import LogstoreIndex
from aliyun.log.emulator.query.wire import StoredGroup, records_of

CONFIG = {
    "line": {"token": [",", " ", ";", "=", "\n", "\t"], "caseSensitive": False, "chn": False},
    "keys": {
        "k1": {"type": "text", "token": [" "], "caseSensitive": False, "doc_value": True},
        "num": {"type": "long", "doc_value": True},
    },
}
FROM, TO = 1_700_000_000, 1_700_100_000
QUERIES = ("k1:x", "num > 5", "* | select count(*) as c, count(k1) as k, sum(num) as s, max(k1) as m, min(num) as n")

# Values full of what the staging format must escape, bytes that look like protobuf tags, and
# invalid UTF-8; sometimes longer than 127 / 16383 bytes (multi-byte length prefixes).
_awkward = st.sampled_from([b"\x12", b"\x00", b"\n", b"\r", b"\x1b", b"\x1d", b"\x1e", b"\x1f", b"\xff", b"\xc3"])
_value = st.one_of(
    st.binary(max_size=20),
    st.text(max_size=20).map(str.encode),
    st.lists(st.one_of(_awkward, st.binary(max_size=3)), max_size=12).map(b"".join),
    st.integers(0, 2).map(lambda n: b"x" * (130, 16_400, 0)[n]),
    st.integers(-5, 10**6).map(lambda n: str(n).encode()),
)
_key = st.one_of(st.sampled_from([b"k1", b"k2", b"num", b"msg", b""]), st.binary(min_size=1, max_size=6))
_template = st.lists(_key, max_size=5)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _bytes_field(number: int, payload: bytes) -> bytes:
    """A length-delimited field, written by hand so keys, topics and tags can hold any bytes
    (the generated message classes insist on UTF-8 there; stored groups need not)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


@st.composite
def _group(draw: Any) -> bytes:
    logs = b""
    templates = draw(st.lists(_template, min_size=1, max_size=3))
    for _ in range(draw(st.integers(0, 6))):
        log = _varint(1 << 3) + _varint(draw(st.integers(FROM, TO - 1)))
        for key in draw(st.sampled_from(templates)):
            log += _bytes_field(2, _bytes_field(1, key) + _bytes_field(2, draw(_value)))
        if draw(st.booleans()):
            log += _varint(4 << 3 | 5) + draw(st.integers(0, 999_999_999)).to_bytes(4, "little")
        logs += _bytes_field(1, log)
    group = logs
    if draw(st.booleans()):
        group += _bytes_field(3, draw(_value))
    if draw(st.booleans()):
        group += _bytes_field(4, draw(_value))
    for _ in range(draw(st.integers(0, 3))):
        group += _bytes_field(6, _bytes_field(1, draw(_key)) + _bytes_field(2, draw(_value)))
    return group


def _all_rows(index: LogstoreIndex) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    while True:
        page = index.get_logs("*", FROM, TO, line=100, offset=len(rows)).rows
        if not page:
            return rows
        rows.extend(page)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_group(), min_size=1, max_size=5))
def test_wire_reader_matches_the_protobuf_path(payloads: list[bytes]) -> None:
    groups = [StoredGroup(payload, shard_id=i % 2, gseq=i, receive_time=FROM) for i, payload in enumerate(payloads)]
    fast, slow = LogstoreIndex(CONFIG), LogstoreIndex(CONFIG)
    try:
        fast.ingest_groups(groups)
        for group in groups:
            slow.ingest(records_of(group))
        assert _all_rows(fast) == _all_rows(slow)
        for query in QUERIES:
            assert fast.get_logs(query, FROM, TO).rows == slow.get_logs(query, FROM, TO).rows, query
    finally:
        fast.close()
        slow.close()
