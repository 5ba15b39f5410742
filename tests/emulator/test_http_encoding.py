"""One compression negotiator for every answer, one decoder for every write body."""

from __future__ import annotations

import pytest

from aliyun.log._codec.compression import compress
from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.encoding import MAX_RAW_BODY, answer_encoding, encoded, request_body


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("", ""),
        ("lz4", "lz4"),
        ("br, zstd;q=0.9, lz4", "zstd"),
        ("gzip", "deflate"),
        ("identity, deflate", "deflate"),
        ("br", ""),
    ],
)
def test_answer_encoding_is_the_first_known_one(accept: str, kind: str) -> None:
    assert answer_encoding(accept) == kind


def test_encoded_answers_say_how_and_plain_ones_say_nothing() -> None:
    raw = b"x" * 1000
    body, headers = encoded(raw, "lz4")
    assert headers == {"x-log-compresstype": "lz4", "x-log-bodyrawsize": "1000"} and body != raw
    assert encoded(raw, "") == (raw, {})
    assert encoded(b"", "lz4") == (b"", {})


def test_request_body_round_trips_every_kind() -> None:
    raw = b"log group bytes " * 100
    for kind in ("lz4", "zstd", "deflate"):
        assert request_body(compress(kind, raw), kind, str(len(raw))) == raw
    assert request_body(raw, None, None) == raw


@pytest.mark.parametrize(
    ("body", "kind", "size", "code"),
    [
        (b"x", "snappy", "1", "InvalidCompressType"),
        (b"x", "lz4", None, "MissingBodyRawSize"),
        (b"x", "lz4", "many", "InvalidBodyRawSize"),
        (b"x", "lz4", "-1", "InvalidBodyRawSize"),
        (b"x", "lz4", str(MAX_RAW_BODY + 1), "PostBodyTooLarge"),
        (b"not lz4 at all", "lz4", "100", "PostBodyUncompressError"),
        (b"x" * (MAX_RAW_BODY + 1), None, None, "PostBodyTooLarge"),
    ],
)
def test_bad_write_bodies_answer_their_sls_code(body: bytes, kind: str, size: str, code: str) -> None:
    with pytest.raises(SLSError) as err:
        request_body(body, kind, size)
    assert err.value.code == code and err.value.status == 400
