"""The emulator's web console: look at local logs the way the SLS console shows them.

``python -m aliyun.log.emulator`` serves it at ``http://<host>:<port>/console/`` (turn it off with
``--no-console`` or ``EmulatorServer(console=False)``). The pages are plain HTML, CSS and
JavaScript shipped with the package (no build step, nothing fetched from the network); they ask a
small read-only JSON endpoint (:class:`ConsoleAPI`), which answers through the public SLS API with
the emulator's credentials. See ``docs/emulator.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...logclient import LogClient
from .api import ConsoleAPI, ConsoleError
from .wsgi import PREFIX, ConsoleApp, ConsoleRouter, WsgiApp

__all__ = ["PREFIX", "ConsoleAPI", "ConsoleApp", "ConsoleError", "ConsoleRouter", "with_console"]


def with_console(api_app: WsgiApp, client: LogClient, hosts: Iterable[str]) -> ConsoleRouter:
    """``api_app`` with the console mounted at :data:`PREFIX`, asking its questions through ``client``."""
    return ConsoleRouter(api_app, ConsoleApp(ConsoleAPI(client)), hosts)
