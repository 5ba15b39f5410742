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

_AREAS = (
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
    tags_area,
    jobs,
)


def _gather() -> dict[str, Handler]:
    """Every area's ``ROUTES`` in one table; an operation routed by two areas is a bug."""
    table: dict[str, Handler] = {}
    for routes in [*(area.ROUTES for area in _AREAS), STORE_ROUTES]:
        for name, handler in routes.items():
            if name in table:
                raise RuntimeError(f"operation {name} is routed twice")
            table[name] = handler
    return table


#: operation name (:mod:`aliyun.log._ops`) → the handler that answers it
HANDLERS: dict[str, Handler] = _gather()
