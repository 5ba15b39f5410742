"""Choosing the codec (native when built, pure when forced or absent) and the callers that use it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import aliyun.log
from aliyun.log import LogException, LogItem, PullLogResponse
from aliyun.log._codec import encode_log_group, encode_log_group_list
from aliyun.log._codec import select as codec_select
from aliyun.log._codec.encode import encode_log_group as pure_encode

# Where this process imported the package from (a checkout, or site-packages under tox).
PACKAGE_ROOT = Path(aliyun.log.__file__).resolve().parents[2]
NATIVE_BUILT = importlib.util.find_spec("aliyun.log._codec._speedups") is not None


def _implementation_in_subprocess(**env: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", "import aliyun.log; print(aliyun.log.codec_implementation())"],
        cwd=PACKAGE_ROOT,  # ``-c`` puts the working directory first on sys.path
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), **env},
        check=True,
    )
    return proc.stdout.strip()


def test_environment_variable_forces_the_pure_codec() -> None:
    assert _implementation_in_subprocess(ALIYUN_LOG_PURE_CODEC="1") == "python"


@pytest.mark.skipif(not NATIVE_BUILT, reason="native codec not built")
def test_native_codec_is_chosen_when_built() -> None:
    assert _implementation_in_subprocess(ALIYUN_LOG_PURE_CODEC="") == "native"


def test_reported_implementation_matches_the_functions_in_use() -> None:
    expected = "python" if codec_select.encode_log_group is pure_encode else "native"
    assert aliyun.log.codec_implementation() == codec_select.implementation() == expected
    assert encode_log_group is codec_select.encode_log_group


def _pulled(body: bytes) -> PullLogResponse:
    return PullLogResponse(body, {"x-log-count": "1", "x-log-cursor": "MTA="})


def test_flatten_from_bytes_equals_flatten_from_messages() -> None:
    contents = [("k", "v"), ("bin", b"\xff\xfe"), ("__topic__", "over")]
    body = encode_log_group_list([pure_encode([(1700000000, 7, contents)], "t", "s", [("a", "b")])])
    direct = _pulled(body).get_flatten_logs_json()
    response = _pulled(body)
    response.get_loggroup_list()  # messages first: flattening then walks them
    assert response.get_flatten_logs_json() == direct
    row = {"__time__": 1700000000, "__topic__": "over", "__source__": "s", "__time_ns_part__": 7}
    assert direct == [{**row, "__tag__:a": "b", "k": "v", "bin": b"\xff\xfe"}]
    assert _pulled(body).get_flatten_logs_json(time_as_str=True)[0]["__time__"] == "1700000000"


def test_corrupt_pulled_body_is_a_bad_response() -> None:
    with pytest.raises(LogException) as caught:
        _pulled(b"\x0a\x05\x00").get_flatten_logs_json()
    assert caught.value.get_error_code() == "BadResponse"


def test_log_items_encode_like_their_tuples() -> None:
    items = [LogItem(1700000000, [("a", "1"), ("b", b"\x00")], 5), LogItem(1700000001, [("c", "ü")])]
    tuples = [(item.timestamp, item.time_nano_part, item.contents) for item in items]
    assert encode_log_group(items, "t", "s", [("x", "y")]) == pure_encode(tuples, "t", "s", [("x", "y")])
    assert pure_encode(items, "t", "s") == pure_encode(tuples, "t", "s")
