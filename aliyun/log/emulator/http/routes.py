"""Operation name → handler, gathered from one module per resource family."""

from __future__ import annotations

from typing import Callable

from . import configs, consumer, data, documents, logstores, machinegroups, projects, query, shards, shippers, tracking
from .context import Context, Reply

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Context], Reply]

HANDLERS: dict[str, Handler] = {}
_FAMILIES = (projects, logstores, shards, data, consumer, query, configs, machinegroups, shippers, tracking, documents)
for _module in _FAMILIES:
    HANDLERS.update(_module.ROUTES)
from . import jobs  # noqa: E402  (the jobs area)

HANDLERS.update(jobs.ROUTES)
