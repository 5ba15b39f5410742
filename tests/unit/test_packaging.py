"""Every folder of the package is a package, so an installed distribution carries all of it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "aliyun"


def test_every_source_folder_has_an_init() -> None:
    missing = [
        str(folder.relative_to(ROOT.parent))
        for folder in ROOT.rglob("*")
        if folder.is_dir()
        and folder.name != "__pycache__"
        and any(folder.glob("*.py"))
        and not (folder / "__init__.py").exists()
    ]
    assert missing == []
