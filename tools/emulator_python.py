"""Make the CPython environment that runs the emulator for a test run on another interpreter.

The emulator needs DuckDB, which has no build for PyPy; ``tox -e pypy3`` runs the SDK's tests on
PyPy against emulators started with the interpreter of this environment (see
``tests/_remote_emulator.py``). Run by tox before the tests, with any interpreter::

    python tools/emulator_python.py DIRECTORY

It creates a virtual environment in DIRECTORY with a CPython 3.9+ found on ``PATH`` (or the one
named by ``ALIYUN_LOG_EMULATOR_BASE_PYTHON``) and installs this checkout's ``emulator`` and ``tls``
extras into it; it does nothing when the environment is there and ``setup.py`` has not changed
since. The emulators run this checkout's code (tests put it first on ``PYTHONPATH``), so a change
to the code needs no reinstall.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
BASE_VARIABLE = "ALIYUN_LOG_EMULATOR_BASE_PYTHON"
CANDIDATES = ("python3", "python3.13", "python3.12", "python3.11", "python3.10", "python3.9")
PROBE = "import platform, sys; print(platform.python_implementation(), *sys.version_info[:2])"


def is_cpython(executable: str) -> bool:
    """Whether ``executable`` is CPython 3.9 or later."""
    try:
        answer = subprocess.run([executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    words = answer.stdout.split()
    if answer.returncode != 0 or len(words) != 3 or words[0] != "CPython":
        return False
    return (int(words[1]), int(words[2])) >= (3, 9)


def base_python() -> Optional[str]:
    """The CPython to build the environment with: the named one, else the first on ``PATH``."""
    named = os.environ.get(BASE_VARIABLE)
    if named:
        return named if is_cpython(named) else None
    seen: set[str] = set()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        for name in CANDIDATES:
            found = shutil.which(name, path=folder)
            if found and os.path.realpath(found) not in seen:
                seen.add(os.path.realpath(found))
                if is_cpython(found):
                    return found
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[0])
    python = target / "bin" / "python"
    stamp = target / "installed-setup-sha256"
    wanted = hashlib.sha256((ROOT / "setup.py").read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        print(f"emulator interpreter: {python} (up to date)")
        return 0
    base = base_python()
    if base is None:
        print(
            f"emulator_python: no CPython 3.9+ found on PATH (or in {BASE_VARIABLE}) to run the emulator with",
            file=sys.stderr,
        )
        return 1
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(target)], check=True)
    # The emulator runs the checkout's code from PYTHONPATH; the installed copy only brings the
    # dependencies, so its native codec is not worth compiling.
    environment = dict(os.environ, ALIYUN_LOG_NO_EXTENSION="1")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{ROOT}[emulator,tls]"],
        check=True,
        env=environment,
    )
    stamp.write_text(wanted + "\n")
    print(f"emulator interpreter: {python} (built with {base})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
