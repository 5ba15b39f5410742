"""The scripts in ``examples/`` run as written and print what their docstrings promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _remote_emulator import NO_DUCKDB

# the examples start an emulator in their own process
pytest.importorskip("duckdb", reason=NO_DUCKDB)

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_scheduled_sql_example_counts_each_minute() -> None:
    lines = run_example("scheduled_sql.py").splitlines()
    assert lines == [
        "run at 1700000100: SUCCEEDED",
        "run at 1700000160: SUCCEEDED",
        "run at 1700000220: SUCCEEDED",
        "minute 1700000040: status 200 x 2",
        "minute 1700000040: status 404 x 1",
        "minute 1700000100: status 200 x 1",
        "minute 1700000100: status 500 x 1",
        "minute 1700000160: status 200 x 3",
    ]


def test_quickstart_runs() -> None:
    assert run_example("quickstart.py").strip()
