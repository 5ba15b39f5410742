"""Locating (or building) a virtual environment with the official SDK, for side-by-side runs."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

OFFICIAL_VERSION = "0.9.52"


def official_python() -> str:
    """Path of a Python interpreter that has the official ``aliyun-log-python-sdk`` installed.

    ``$OFFICIAL_SDK_PYTHON`` wins; otherwise a cached venv under ``~/.cache`` is built once.
    """
    given = os.environ.get("OFFICIAL_SDK_PYTHON")
    if given:
        return given
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aliyun-log-sdk-tests"
    target = root / f"official-{OFFICIAL_VERSION}"
    python = target / "bin" / "python"
    marker = target / ".ready"
    if not marker.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"aliyun-log-python-sdk=={OFFICIAL_VERSION}", "zstd"],
            check=True,
        )
        marker.write_text(OFFICIAL_VERSION)
    return str(python)


def official_env(endpoint: str) -> dict[str, str]:
    """Environment for an official-SDK subprocess reaching an emulator at ``host:port`` (proxy recipe)."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["HTTP_PROXY"] = env["http_proxy"] = f"http://{endpoint}"
    env["NO_PROXY"] = env["no_proxy"] = ""
    return env


def run_official(script: str, endpoint: str, args: list[str]) -> str:
    """Run ``script`` with the official SDK's interpreter; returns its stdout."""
    result = subprocess.run(
        # -I: without it ``-c`` puts the current directory first on sys.path, and run from the
        # repository the "official" interpreter would import our aliyun.log instead.
        [official_python(), "-I", "-c", script, *args],
        env=official_env(endpoint),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise RuntimeError("official SDK run failed")
    return result.stdout
