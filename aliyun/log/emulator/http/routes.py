"""Operation name → handler, gathered from one module per resource family."""

from __future__ import annotations

from typing import Callable

from . import configs, consumer, data, logstores, machinegroups, projects, query, shards, shippers, tracking
from .context import Context, Reply

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Context], Reply]

HANDLERS: dict[str, Handler] = {}
for _module in (projects, logstores, shards, data, consumer, query, configs, machinegroups, shippers, tracking):
    HANDLERS.update(_module.ROUTES)
