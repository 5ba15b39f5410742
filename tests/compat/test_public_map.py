"""This package against the official SDK 0.9.52's public map (``official_public_map.json``).

The map is generated once from the official package by ``tools/gen_public_map.py`` (facts only:
module paths, names, parameter names and defaults). Module paths and names must all exist here;
constructor and ``LogClient`` method signatures must be compatible where they exist, and the
methods still missing are reported as a number (``pytest -s`` prints the gap).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
from pathlib import Path
from typing import Any, Optional

import pytest

from aliyun.log import LogClient

MAP = json.loads((Path(__file__).parent / "official_public_map.json").read_text(encoding="utf-8"))

# Work landing separately, listed so this test stays exact about everything else. Remove
# entries as they land.
PENDING_MODULES: set[str] = set()
PENDING_NAMES: set[tuple[str, str]] = set()

# aliyun.log.es_migration needs the optional "es" extra (the elasticsearch client); without it
# its modules cannot be imported, which is then expected rather than a gap.
if importlib.util.find_spec("elasticsearch") is None:
    PENDING_MODULES |= {name for name in MAP["modules"] if name.startswith("aliyun.log.es_migration")}

# Not done yet, each with its reason; the printed gap counts them. Remove entries as they land.
LATER_MODULES: dict[str, str] = {}
LATER_NAMES: dict[tuple[str, str], str] = {}
# Classes whose constructors do not take the official arguments yet.
LATER_CONSTRUCTORS: set[str] = set()


def _import(name: str) -> Optional[Any]:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _missing_modules() -> list[str]:
    return sorted(name for name in MAP["modules"] if _import(name) is None)


def _missing_names() -> list[tuple[str, str]]:
    missing = []
    for module_name, facts in MAP["modules"].items():
        module = _import(module_name)
        if module is None:
            continue
        missing.extend((module_name, name) for name in facts["names"] if not hasattr(module, name))
    return sorted(missing)


def incompatibility(official: list[dict[str, Any]], ours: Any) -> Optional[str]:
    """Why a callable with signature ``ours`` cannot take every call the official one takes."""
    try:
        params = list(inspect.signature(ours).parameters.values())
    except (TypeError, ValueError):
        return None
    by_name = {p.name: p for p in params}
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    has_var_kw = any(p.kind is p.VAR_KEYWORD for p in params)
    has_var_pos = any(p.kind is p.VAR_POSITIONAL for p in params)
    official_names = {entry["name"] for entry in official}
    for index, entry in enumerate(official):
        name, kind = entry["name"], entry["kind"]
        if kind == "VAR_POSITIONAL":
            if not has_var_pos:
                return f"takes no *{name}"
            continue
        if kind == "VAR_KEYWORD":
            if not has_var_kw:
                return f"takes no **{name}"
            continue
        if kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"):
            if index >= len(positional) or positional[index].name != name:
                if not (has_var_pos and has_var_kw):
                    return f"positional parameter {index} is not {name!r}"
                continue
        mine = by_name.get(name)
        if mine is None:
            if has_var_kw:
                continue
            return f"no parameter {name!r}"
        if "default" in entry and mine.default is inspect.Parameter.empty:
            return f"{name!r} has no default"
    for param in params:
        required = param.default is inspect.Parameter.empty and param.kind not in (
            param.VAR_POSITIONAL,
            param.VAR_KEYWORD,
        )
        if required and param.name not in official_names:
            return f"requires {param.name!r}, which the official one does not have"
    return None


def test_every_official_module_path_imports() -> None:
    missing = set(_missing_modules())
    total = len(MAP["modules"])
    print(f"\nmodule paths: {total - len(missing)}/{total} ({len(missing)} missing: {sorted(missing)})")
    assert missing <= PENDING_MODULES | set(LATER_MODULES), sorted(missing - PENDING_MODULES - set(LATER_MODULES))


def test_every_official_name_exists() -> None:
    missing = set(_missing_names())
    total = sum(len(facts["names"]) for facts in MAP["modules"].values())
    print(f"\nnames: {total - len(missing)}/{total} present ({len(missing)} missing: {sorted(missing)})")
    assert missing <= PENDING_NAMES | set(LATER_NAMES), sorted(missing - PENDING_NAMES - set(LATER_NAMES))


def test_pending_sets_are_still_pending() -> None:
    """An entry that has landed must leave its set, so the lists stay honest."""
    modules = PENDING_MODULES | set(LATER_MODULES)
    names = PENDING_NAMES | set(LATER_NAMES)
    landed = {name for name in modules if _import(name) is not None}
    landed |= {f"{m}.{n}" for m, n in names if (mod := _import(m)) is not None and hasattr(mod, n)}
    assert not landed, f"landed, remove from the pending sets: {sorted(landed)}"


def _constructor_gaps() -> list[str]:
    gaps = []
    for module_name, facts in MAP["modules"].items():
        module = _import(module_name)
        if module is None:
            continue
        for name, entry in facts["names"].items():
            ours = getattr(module, name, None)
            if ours is None or "init" not in entry or not inspect.isclass(ours):
                continue
            why = incompatibility(entry["init"], ours.__init__)
            if why and f"{module_name}.{name}" not in LATER_CONSTRUCTORS:
                gaps.append(f"{module_name}.{name}: {why}")
    return gaps


def test_constructors_and_functions_take_the_official_arguments() -> None:
    gaps = _constructor_gaps()
    for module_name, facts in MAP["modules"].items():
        module = _import(module_name)
        if module is None:
            continue
        for name, entry in facts["names"].items():
            ours = getattr(module, name, None)
            if ours is not None and "params" in entry and callable(ours) and not inspect.isclass(ours):
                why = incompatibility(entry["params"], ours)
                if why:
                    gaps.append(f"{module_name}.{name}: {why}")
    assert gaps == []


def test_logclient_methods_gap_is_reported() -> None:
    official = MAP["logclient_methods"]
    missing = sorted(name for name in official if not hasattr(LogClient, name))
    incompatible = {}
    for name, params in official.items():
        ours = getattr(LogClient, name, None)
        if ours is not None:
            why = incompatibility(params, ours)
            if why:
                incompatible[name] = why
    present = len(official) - len(missing)
    print(f"\nLogClient methods: {present}/{len(official)} present, {len(missing)} missing")
    print(f"missing: {missing}")
    assert incompatible == {}, incompatible
    assert present >= 72  # what existed before the drop-in work; only grows


@pytest.mark.parametrize(
    ("official", "ours_src", "ok"),
    [
        (
            [{"name": "self", "kind": "POSITIONAL_OR_KEYWORD"}, {"name": "a", "kind": "POSITIONAL_OR_KEYWORD"}],
            "def f(self, a, *, fast=False): pass",
            True,
        ),
        ([{"name": "a", "kind": "POSITIONAL_OR_KEYWORD", "default": {"value": 1}}], "def f(a): pass", False),
        ([{"name": "a", "kind": "POSITIONAL_OR_KEYWORD"}], "def f(b): pass", False),
        ([{"name": "a", "kind": "POSITIONAL_OR_KEYWORD"}], "def f(a, b): pass", False),
        ([{"name": "kw", "kind": "VAR_KEYWORD"}], "def f(): pass", False),
    ],
)
def test_the_compatibility_rule_itself(official: list[dict[str, Any]], ours_src: str, ok: bool) -> None:
    namespace: dict[str, Any] = {}
    exec(ours_src, namespace)  # a tiny signature under test, written here
    assert (incompatibility(official, namespace["f"]) is None) is ok
