"""Operation name → handler, gathered from one module per resource family."""

from __future__ import annotations

from typing import Callable

from . import (
    configs,
    consumer,
    data,
    datamod,
    documents,
    jobs,
    logstores,
    machinegroups,
    projects,
    query,
    shards,
    shippers,
    tracking,
)
from . import tags as tags_area
from .context import Context, Reply
from .stores import ROUTES as STORE_ROUTES

__all__ = ["HANDLERS", "Handler"]

Handler = Callable[[Context], Reply]

HANDLERS: dict[str, Handler] = {}
_FAMILIES = (
    projects,
    logstores,
    shards,
    data,
    consumer,
    query,
    configs,
    machinegroups,
    shippers,
    tracking,
    documents,
    datamod,
)
for _module in _FAMILIES:
    HANDLERS.update(_module.ROUTES)
HANDLERS.update(STORE_ROUTES)
HANDLERS.update(tags_area.ROUTES)
HANDLERS.update(jobs.ROUTES)
