"""The environment builders: skipped without a network, a failure under CI, never half-built."""

from __future__ import annotations

from pathlib import Path

import _environments as environments
import pytest


def test_unavailable_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no network"):
        environments.unavailable("a client", "no network")


def test_unavailable_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        environments.unavailable("a client", "no network")


def test_a_failed_build_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def build(staging: Path) -> None:
        staging.mkdir(parents=True)
        (staging / "half").write_text("x")
        raise environments.Unavailable("registry unreachable")

    with pytest.raises(environments.Unavailable, match="registry unreachable"):
        environments.ensure("broken", build, lambda directory: (directory / "done").exists())
    assert sorted(p.name for p in environments.cache_root().iterdir()) == ["broken.lock"]


def test_a_built_environment_is_reused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    builds = []

    def build(staging: Path) -> None:
        builds.append(staging)
        staging.mkdir(parents=True)
        (staging / "done").write_text("x")

    first = environments.ensure("ok", build, lambda directory: (directory / "done").exists())
    second = environments.ensure("ok", build, lambda directory: (directory / "done").exists())
    assert first == second == environments.cache_root() / "ok"
    assert len(builds) == 1


def test_client_environments_get_no_proxy_or_python_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    monkeypatch.setenv("NODE_OPTIONS", "--inspect")
    env = environments.clean_env(EXTRA="1")
    assert "HTTPS_PROXY" not in env and "PYTHONPATH" not in env and "NODE_OPTIONS" not in env
    assert env["EXTRA"] == "1"
    assert environments.clean_env(keep_proxies=True)["HTTPS_PROXY"] == "http://proxy.invalid:3128"
