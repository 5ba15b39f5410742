"""A local SLS server that speaks the real wire protocol (``pip install aliyun-log-python-sdk[emulator]``).

Start it from Python with :class:`EmulatorServer`, or from a shell with
``python -m aliyun.log.emulator``. See ``docs/emulator.md``.
"""

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
