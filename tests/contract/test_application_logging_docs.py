"""The application-logging guide's code and its example script run as written, against the emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from _remote_emulator import needs_duckdb

# The guide's code and the example start an emulator in their own process, under this interpreter.
pytestmark = needs_duckdb

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "application-logging.md"
# blocks that need the reader's own endpoint or STS source
_NEEDS_OUTSIDE = ("fetch_sts_credentials", "credentials_provider=EnvironmentCredentialsProvider()")


def test_guide_python_blocks_run_in_order(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    runnable = [block for block in blocks if not any(marker in block for marker in _NEEDS_OUTSIDE)]
    assert len(runnable) >= 5
    # In a process of its own: the guide configures logging (root handlers, dictConfig), which
    # must not leak into the tests that run after this one.
    script = tmp_path / "guide.py"
    script.write_text("\n".join([*runnable, "print(producer.stats.sent, producer.closed)"]), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "3 True"


def test_example_script_runs() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "application_logging.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "order A-1001 paid" in result.stdout and "job_done" in result.stdout
