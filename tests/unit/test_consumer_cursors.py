"""Cursor arithmetic of the consumer: positions, where to resume after InvalidCursor, start positions."""

from __future__ import annotations

import base64

import pytest

from aliyun.log.consumer.config import CursorPosition, start_position
from aliyun.log.consumer.consumer_client import cursor_position, restart_cursor


def cursor(at: int) -> str:
    return base64.b64encode(str(at).encode()).decode()


def test_cursor_position_reads_base64_decimal_and_rejects_the_rest() -> None:
    assert cursor_position(cursor(1447299606896632356)) == 1447299606896632356
    assert cursor_position("not a cursor!") is None
    assert cursor_position(base64.b64encode(b"\xff\xfe").decode()) is None
    assert cursor_position(base64.b64encode(b"12ab").decode()) is None


@pytest.mark.parametrize(
    ("at", "expected"),
    [(5, "begin"), (9, "begin"), (10, None), (15, None), (20, None), (21, "end"), (10**12, "end")],
)
def test_restart_cursor_goes_to_the_nearest_bound(at: int, expected: str | None) -> None:
    begin, end = cursor(10), cursor(20)
    chosen = restart_cursor(cursor(at), begin, end)
    assert chosen == {"begin": begin, "end": end, None: None}[expected]


def test_restart_cursor_of_an_unreadable_cursor_is_the_begin() -> None:
    assert restart_cursor("garbage", cursor(10), cursor(20)) == cursor(10)
    assert restart_cursor(cursor(15), "garbage", cursor(20)) == "garbage"


@pytest.mark.parametrize(
    ("position", "start", "expected"),
    [
        (CursorPosition.BEGIN_CURSOR, None, "begin"),
        (CursorPosition.END_CURSOR, 123, "end"),
        ("BEGIN_CURSOR", None, "begin"),
        ("END_CURSOR", None, "end"),
        (CursorPosition.SPECIAL_TIMER_CURSOR, 1_700_000_000, "1700000000"),
        (CursorPosition.SPECIAL_TIMER_CURSOR, 1_700_000_000.7, "1700000000"),
        (CursorPosition.SPECIAL_TIMER_CURSOR, "2024-01-01 00:00:00+08:00", "2024-01-01 00:00:00+08:00"),
        (CursorPosition.SPECIAL_TIMER_CURSOR, None, "begin"),
        (CursorPosition.SPECIAL_TIMER_CURSOR, -1, "begin"),
        (CursorPosition.SPECIAL_TIMER_CURSOR, " -1 ", "begin"),
    ],
)
def test_start_position(position: object, start: object, expected: str) -> None:
    assert start_position(position, start) == expected
