"""``decode_bytes`` and ``DEFAULT_DECODE_LIST``: non-UTF-8 content turned into text on request."""

from __future__ import annotations

import pytest

from aliyun.log import PullLogResponse, pulllog_response
from aliyun.log._codec import decode_log_group_list, encode_log_group, encode_log_group_list

LATIN1 = "café".encode("latin-1")  # not UTF-8
GBK = "中文".encode("gbk")


def _response(*pairs: tuple[bytes, bytes]) -> PullLogResponse:
    body = encode_log_group_list([encode_log_group([(1_700_000_000, 0, list(pairs))], "t", "s")])
    return PullLogResponse(body, {"x-log-cursor": "MQ==", "x-log-count": "1"})


def test_default_list_is_utf8_only() -> None:
    assert pulllog_response.DEFAULT_DECODE_LIST == ("utf8",)


def test_without_decode_bytes_non_utf8_values_stay_bytes() -> None:
    row = _response((b"k", LATIN1), (b"plain", b"text")).get_flatten_logs_json()[0]
    assert row["k"] == LATIN1 and row["plain"] == "text"


def test_decode_bytes_with_one_encoding_drops_what_it_cannot_decode() -> None:
    response = _response((b"k", LATIN1), (LATIN1, b"v"))
    row = response.get_flatten_logs_json(decode_bytes=True)[0]
    assert row["k"] == "caf" and row["caf"] == "v"
    # the response's own rows are not changed by asking for decoded ones
    assert response.get_flatten_logs_json()[0]["k"] == LATIN1


def test_decode_bytes_tries_each_listed_encoding_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulllog_response, "DEFAULT_DECODE_LIST", ("utf8", "gbk", "latin-1"))
    row = _response((b"gbk", GBK), (b"latin", b"\xff\xfe")).get_flatten_logs_json(decode_bytes=True)[0]
    assert row["gbk"] == "中文"  # gbk is the first one that decodes it
    assert row["latin"] == "ÿþ"


def test_decode_bytes_falls_back_to_utf8_ignoring_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulllog_response, "DEFAULT_DECODE_LIST", ("utf8", "ascii"))
    row = _response((b"k", LATIN1)).get_flatten_logs_json(decode_bytes=True, time_as_str=True)[0]
    assert row["k"] == "caf" and row["__time__"] == "1700000000"


def test_static_flattener_takes_decode_bytes_too() -> None:
    body = encode_log_group_list([encode_log_group([(1_700_000_000, 0, [(b"k", LATIN1)])], "t", "s")])
    rows = PullLogResponse.loggroups_to_flattern_list(decode_log_group_list(body), decode_bytes=True)
    assert rows[0]["k"] == "caf"
