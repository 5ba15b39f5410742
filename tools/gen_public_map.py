"""Write ``tests/compat/official_public_map.json``: the official SDK 0.9.52's public surface.

Run it with the interpreter of a virtual environment where the official ``aliyun-log-python-sdk``
0.9.52 is installed (the conformance tests build one under
``~/.cache/aliyun-log-sdk-tests/official-0.9.52``)::

    env -u PYTHONPATH ~/.cache/aliyun-log-sdk-tests/official-0.9.52/bin/python -I \\
        tools/gen_public_map.py tests/compat/official_public_map.json

The venv needs ``elasticsearch`` and ``jmespath`` too, or ``aliyun.log.es_migration`` and
``aliyun.log.etl_core`` land under ``not_importable``.

It records introspection facts only (module paths, the names each module defines, parameter
names, kinds and simple defaults, and the type name each ``LogClient`` docstring gives a parameter
in a ``:type`` line, which the aliyunlog CLI reads); no code or text of the official package is
stored. The
compat test ``tests/compat/test_public_map.py`` compares this package against the file.

What counts as a module's names: for ``aliyun.log`` itself, every public attribute that is not a
module; for a module with ``__all__``, that list; for a generated ``_pb2`` module, its message
classes; for any other module, the public classes and functions defined in it (their
``__module__`` is that module) and its public module-level constants (UPPER_CASE names bound to
plain values). Names a module merely imports from elsewhere are not its exports.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import sys
import types
from typing import Any

# Subpackages that are tools of their own rather than the SDK API: recorded as paths with the
# reason, left out of the names (see the "excluded" section of the output).
EXCLUDED = {
    "aliyun.log.ext": "a Jupyter magic (needs IPython)",
    "aliyun.log._proto_py2": "Python 2 only",
}
PLAIN = (bool, int, float, str, bytes, type(None))
# A docstring's ``:type name: type`` line, the way the aliyunlog CLI reads it to convert its
# command-line arguments (only the parameter's name and its type's name are recorded).
DOC_TYPE = re.compile(r"^\s*:type[ \t]+(\w+)[ \t]*:[ \t]*([^\n]*?)\s*$", re.MULTILINE)


def _default(value: Any) -> Any:
    if value is inspect.Parameter.empty:
        return {"none": True}
    if isinstance(value, PLAIN) and not isinstance(value, bytes):
        return {"value": value}
    if isinstance(value, (tuple, list, dict, set)) and not value:
        return {"value": type(value)()} if not isinstance(value, set) else {"repr": "set()"}
    return {"repr": type(value).__name__}


def _params(func: Any) -> list[dict[str, Any]] | None:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    out = []
    for param in signature.parameters.values():
        entry: dict[str, Any] = {"name": param.name, "kind": param.kind.name}
        default = _default(param.default)
        if "none" not in default:
            entry["default"] = default
        out.append(entry)
    return out


def _kind(obj: Any) -> str:
    if inspect.isclass(obj):
        return "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    return "constant"


def _is_constant(name: str, obj: Any) -> bool:
    return name.isupper() and isinstance(obj, (*PLAIN, tuple, list, dict, frozenset))


def _exported(module: types.ModuleType, name: str, obj: Any, *, package_root: bool) -> bool:
    if package_root:
        return True
    listed = getattr(module, "__all__", None)
    if listed is not None:
        return name in listed
    if module.__name__.endswith("_pb2"):
        from google.protobuf.message import Message

        return inspect.isclass(obj) and issubclass(obj, Message)
    defined_here = getattr(obj, "__module__", None) == module.__name__
    return (defined_here and (inspect.isclass(obj) or inspect.isfunction(obj))) or _is_constant(name, obj)


def _names(module: types.ModuleType, *, package_root: bool) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for name in sorted(vars(module)):
        if name.startswith("_"):
            continue
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            continue
        if not _exported(module, name, obj, package_root=package_root):
            continue
        entry: dict[str, Any] = {"kind": _kind(obj)}
        if entry["kind"] == "class":
            init = _params(obj.__init__) if "__init__" in vars(obj) else None
            if init is not None:
                entry["init"] = init
        elif entry["kind"] == "function":
            params = _params(obj)
            if params is not None:
                entry["params"] = params
        names[name] = entry
    return names


def _modules(root: types.ModuleType) -> list[str]:
    found = [root.__name__]
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + ".", onerror=lambda name: None):
        if any(info.name == p or info.name.startswith(p + ".") for p in EXCLUDED):
            continue
        found.append(info.name)
    return sorted(found)


def main(out_path: str) -> None:
    import aliyun.log

    version = getattr(importlib.import_module("aliyun.log.version"), "__version__", "?")
    modules: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for name in _modules(aliyun.log):
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # an optional dependency missing in the official venv
            failed[name] = f"{type(exc).__name__}: {exc}"
            continue
        modules[name] = {"names": _names(module, package_root=name == "aliyun.log")}
    client = aliyun.log.LogClient
    methods: dict[str, Any] = {}
    doc_types: dict[str, dict[str, str]] = {}
    for name, member in sorted(vars(client).items()):
        if name.startswith("_") or not callable(member):
            continue
        params = _params(member)
        if params is not None:
            methods[name] = params
            names = {param["name"] for param in params}
            types_of = {key: kind for key, kind in DOC_TYPE.findall(member.__doc__ or "") if key in names}
            if types_of:
                doc_types[name] = types_of
    data = {
        "official_version": version,
        "generated_by": "tools/gen_public_map.py",
        "python": ".".join(map(str, sys.version_info[:3])),
        "excluded": EXCLUDED,
        "not_importable": failed,
        "modules": modules,
        "logclient_methods": methods,
        "logclient_doc_types": doc_types,
    }
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
    print(f"{len(modules)} modules, {sum(len(m['names']) for m in modules.values())} names, {len(methods)} methods")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/compat/official_public_map.json")
