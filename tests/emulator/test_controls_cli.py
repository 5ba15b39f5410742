"""``python -m aliyun.log.emulator`` flags of the controls: ``--no-admin`` and ``--log-level``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aliyun.log import LogClient
from aliyun.log.emulator import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET
from aliyun.log.emulator.__main__ import parse_args
from aliyun.log.emulator.controls.admin_client import AdminClient, AdminError

ROOT = Path(__file__).resolve().parents[2]


def test_flags_parse() -> None:
    assert parse_args(["--no-admin"]).no_admin is True
    assert parse_args([]).no_admin is False


def test_no_admin_and_request_log_lines() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "aliyun.log.emulator", "--port", "0", "--no-admin", "--log-level", "INFO"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://(\S+)", first)
        assert found, first
        endpoint = found.group(1)
        client = LogClient(endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
        client.create_project("cli-project", "logged")
        with pytest.raises(AdminError) as caught:
            AdminClient(endpoint, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET).reset()
        assert caught.value.code == "AdminDisabled"
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    lines = [line for line in errors.splitlines() if "aliyun.log.emulator.requests" in line]
    assert any("CreateProject project=cli-project" in line and "status=200" in line for line in lines), errors
    assert any("Admin project=- logstore=- status=403 error=AdminDisabled" in line for line in lines), errors
    assert DEFAULT_ACCESS_KEY_SECRET not in errors
