"""Layering rules, read from every import statement of the package (deferred imports included):

* the SDK never imports the emulator;
* the emulator's ``service``, ``storage`` and ``query`` layers never import its ``http`` layer;
* duckdb, sqlglot and waitress (the emulator extra) are imported only under ``emulator/``;
* the pieces of ``emulator/`` that drive an emulator elsewhere load without them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aliyun.log

PACKAGE_DIR = Path(aliyun.log.__file__).resolve().parent
ROOT = PACKAGE_DIR.parent.parent
EMULATOR = "aliyun.log.emulator"
EMULATOR_ONLY = ("duckdb", "sqlglot", "waitress")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> Iterator[str]:
    """Absolute names of every module ``path`` imports (for ``from x import y``: ``x`` and ``x.y``)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


def sources() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_imports_are_resolved() -> None:
    # the resolver itself: a relative import inside the emulator names the emulator
    names = set(imports_of(PACKAGE_DIR / "emulator" / "http" / "app.py"))
    assert "aliyun.log._ops" in names and "aliyun.log.emulator.service" in names


def test_the_sdk_never_imports_the_emulator() -> None:
    offenders = [
        (module_name(path), name)
        for path in sources()
        if not within(module_name(path), EMULATOR)
        for name in imports_of(path)
        if within(name, EMULATOR)
    ]
    assert offenders == []


def test_the_domain_never_imports_the_http_layer() -> None:
    lower = [f"{EMULATOR}.{layer}" for layer in ("service", "storage", "query")]
    offenders = [
        (module_name(path), name)
        for path in sources()
        if any(within(module_name(path), layer) for layer in lower)
        for name in imports_of(path)
        if within(name, f"{EMULATOR}.http")
    ]
    assert offenders == []


def test_emulator_dependencies_stay_in_the_emulator() -> None:
    offenders = [
        (module_name(path), name)
        for path in sources()
        if not within(module_name(path), EMULATOR)
        for name in imports_of(path)
        if any(within(name, dependency) for dependency in EMULATOR_ONLY)
    ]
    assert offenders == []


def test_the_admin_client_loads_without_the_emulator_extra() -> None:
    """It drives emulators in other processes, from interpreters the emulator does not run on (PyPy)."""
    blocked = "".join(f"sys.modules[{name!r}] = None; " for name in EMULATOR_ONLY)
    script = f"import sys; {blocked}from aliyun.log.emulator.controls.admin_client import AdminClient"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
