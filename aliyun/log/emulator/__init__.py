"""A local SLS server that speaks the real wire protocol (``pip install aliyun-log-python-sdk[emulator]``).

Start it from Python with :class:`EmulatorServer`, or from a shell with
``python -m aliyun.log.emulator``. See ``docs/emulator.md``; for test suites, the pytest plugin
(:mod:`aliyun.log.emulator.pytest_plugin`) and the controls are described in ``docs/testing.md``.

The names below are imported on first use, so that importing a submodule that needs none of the
emulator's dependencies (the pytest plugin, which must load even without the ``emulator`` extra)
does not pull them in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import (
        DEFAULT_ACCESS_KEY_ID,
        DEFAULT_ACCESS_KEY_SECRET,
        DEFAULT_HOST,
        DEFAULT_PORT,
        EmulatorServer,
        QueryLimits,
    )

__all__ = [
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "EmulatorServer",
    "QueryLimits",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
