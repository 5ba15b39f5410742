"""Fixtures of the console tests: a live emulator with seeded data, and a headless Chromium page.

The browser tests need Debian's ``chromium`` and the ``playwright`` package (driving that
system browser; no browser is downloaded): ``tools/ci_browser.sh`` installs both. Without them
the browser tests are skipped, except under ``CI=true``, where they must run. Screenshots go to
``build/console-screenshots/`` (or ``$CONSOLE_SCREENSHOTS``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from console_seed import Seeded, seed

from aliyun.log.emulator import EmulatorServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The system Chromium (``$CHROMIUM`` first), or None."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def _required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def console_server() -> Iterator[tuple[EmulatorServer, Seeded]]:
    """An emulator on a free port with the console on, seeded with known logs."""
    with EmulatorServer(port=0) as server:
        yield server, seed(server.client())


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("CONSOLE_SCREENSHOTS") or ROOT / "build" / "console-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser_context() -> Iterator[Any]:
    """A headless Chromium context with a fresh profile (skipped without Chromium, except in CI)."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = "no chromium executable" if executable is None else "playwright is not installed"
    if executable is None or sync_playwright is None:
        if _required():
            pytest.fail(f"CI=true but {missing}: run tools/ci_browser.sh first")
        pytest.skip(f"{missing} (tools/ci_browser.sh installs chromium and playwright)")
    profile = tempfile.mkdtemp(prefix="console-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1240, "height": 860},
                timezone_id="UTC",
            )
            context.set_default_timeout(20_000)
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A new tab; console errors of the page fail the test that opened it."""
    tab = browser_context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    yield tab
    tab.close()
    assert not [p for p in problems if "Failed to load resource" not in p], problems
