"""Test controls of a running emulator: reset, clock, faults and inspection.

:class:`EmulatorControls` is what ``EmulatorServer.controls`` returns; the same operations are
served over HTTP under :data:`~aliyun.log.emulator.controls.admin.ADMIN_PREFIX`
(:mod:`.admin`). See docs/testing.md.

Nothing here imports the emulator's service at load time (the inspection views are imported when
called), so that :mod:`.admin_client`, which lives in this package, loads with only the SDK's core
dependencies: it drives emulators in other processes, from interpreters the emulator does not run on.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Optional

from ..clock import ControlledClock
from ..errors import SLSError
from .admin import ADMIN_API
from .faults import DROP_AFTER, DROP_BEFORE, Fault, FaultInjector
from .journal import RequestInfo, RequestLog, RequestRecord

if TYPE_CHECKING:
    from ..service import EmulatorService

__all__ = [
    "DROP_AFTER",
    "DROP_BEFORE",
    "EmulatorControls",
    "Fault",
    "FaultInjector",
    "RequestInfo",
    "RequestLog",
    "RequestRecord",
]


class EmulatorControls:
    """Reset, clock, faults and inspection of one emulator.

    :param service: the emulator's domain.
    :param clock: the controllable clock the service reads.
    :param admin: serve the admin HTTP API (:mod:`.admin`).
    """

    def __init__(self, service: EmulatorService, clock: ControlledClock, *, admin: bool = True) -> None:
        self.service = service
        #: whether the admin HTTP API answers (the Python API always works)
        self.admin_enabled = admin
        #: freeze, set, advance (see :class:`~aliyun.log.emulator.clock.ControlledClock`)
        self.clock = clock
        #: scripted failures (see :class:`~aliyun.log.emulator.controls.faults.FaultInjector`)
        self.faults = FaultInjector()
        #: requests served (see :class:`~aliyun.log.emulator.controls.journal.RequestLog`)
        self.requests = RequestLog()

    # -- reset ------------------------------------------------------------------------------

    def reset(self, project: Optional[str] = None) -> None:
        """Delete every project (or only ``project``) with all it holds.

        A full reset also forgets pending faults and the request journal, and lets the clock
        follow real time again; resetting one project touches nothing else.
        """
        if project is not None:
            self.service.projects.delete(project)
            return
        with self.service.state.lock:
            for name in list(self.service.state.projects):
                self.service.projects.delete(name)
        self.faults.clear()
        self.requests.clear()
        self.clock.reset()

    # -- inspection -------------------------------------------------------------------------

    def shards(self, project: str, logstore: str) -> list[dict[str, Any]]:
        """Shards of a logstore with their stored log group and log counts."""
        from . import views

        return views.shards(self.service, project, logstore)

    def log_groups(self, project: str, logstore: str, shard: int, *, limit: int = 1000) -> list[dict[str, Any]]:
        """The stored log groups of one shard, decoded."""
        from . import views

        return views.log_groups(self.service, project, logstore, shard, limit=limit)

    def consumer_groups(self, project: str, logstore: str) -> dict[str, dict[str, Any]]:
        """Consumer groups of a logstore: members with their shards, and checkpoints."""
        from . import views

        return views.consumer_groups(self.service, project, logstore)

    # -- hooks of the HTTP application ------------------------------------------------------

    def before(self, info: RequestInfo) -> None:
        """Apply the first pending fault matching this request (called once it is routed).

        Raises the injected error, sleeps the injected latency, or marks the request to drop.
        """
        fault = self.faults.take(info.api, info.project, info.logstore)
        if fault is None:
            return
        if fault.latency:
            info.fault = f"latency {fault.latency:g}s"
            time.sleep(fault.latency)
        if fault.drop is not None:
            info.fault = f"drop {fault.drop}"
            info.drop = fault.drop
        elif fault.error_code is not None:
            info.fault = f"error {fault.error_code}"
            raise SLSError(fault.error_code, fault.message, fault.status)

    def record(self, info: RequestInfo, status: int, latency_ms: float, request_id: str) -> None:
        """Journal one finished request (admin calls are logged but not journaled: the journal
        shows the traffic under test, not the test's own inspection of it)."""
        if info.api == ADMIN_API:
            return
        self.requests.record(info, status, latency_ms, request_id)
