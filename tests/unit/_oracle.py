"""Where the official SDK's interpreter is, for the few unit tests that compare against it.

Looked up when a test runs, not at collection: in a full run the conformance suite (collected
earlier) builds its cached environment first, so these checks run on a fresh machine too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

OFFICIAL_VERSION = "0.9.52"  # the version tests/conformance builds


def official_interpreter() -> str:
    """Path of a Python with the official SDK, or skip the calling test."""
    candidates = [
        os.environ.get("OFFICIAL_SDK_PYTHON"),
        os.environ.get("ALIYUN_LOG_OFFICIAL_PYTHON"),
        os.environ.get("SLS_OFFICIAL_PYTHON"),
        str(
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            / "aliyun-log-sdk-tests"
            / f"official-{OFFICIAL_VERSION}"
            / "bin"
            / "python"
        ),
        "/tmp/official/bin/python",
    ]
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.skip("no interpreter with the official SDK (run the conformance tests first, or set OFFICIAL_SDK_PYTHON)")
