"""The emulator's domain: SLS rules with no HTTP in sight.

:class:`EmulatorService` holds one :class:`EmulatorState` and a service object per resource
family; the HTTP layer calls these and renders what they return or the :class:`SLSError` they
raise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..clock import Clock
from ..query.limits import QueryLimits
from ..spl import SplEngine
from .data import DataService
from .documents import DocumentService
from .families import FAMILIES
from .jobs import JobService
from .logstores import LogstoreService
from .projects import ProjectService
from .shards import ShardService
from .state import EmulatorState

__all__ = ["EmulatorService"]


class EmulatorService:
    """Every domain service of one emulator instance."""

    def __init__(
        self,
        data_dir: Optional[Path],
        *,
        clock: Optional[Clock] = None,
        fsync: str = "always",
        region: str = "emulator",
        query_limits: Optional[QueryLimits] = None,
        max_open_files: Optional[int] = None,
    ) -> None:
        self.state = EmulatorState(data_dir, clock=clock, fsync=fsync, max_open_files=max_open_files)
        self._query_limits = query_limits or QueryLimits()
        self.projects = ProjectService(self.state, region=region)
        self.logstores = LogstoreService(self.state)
        self.shards = ShardService(self.state)
        self.spl = SplEngine(self._query_limits)
        self.data = DataService(self.state, self.shards, self.spl)
        self._attach_optional_services()
        #: the resource-document families (:mod:`.families`), by meta-store kind
        self.documents = {kind: DocumentService(self.state, family) for kind, family in FAMILIES.items()}
        self.jobs = JobService(self)  # the /jobs store and the work its jobs do on the clock
        for logstore in self.logstores.all():
            self.state.run_logstore_hooks(logstore)

    def _attach_optional_services(self) -> None:
        """Services added by later features register themselves here."""
        from .consumer import ConsumerGroupService

        self.consumer_groups = ConsumerGroupService(self.state)

        from .index import IndexService
        from .query import QueryService

        self.indexes = IndexService(self.state, self.data, self._query_limits)
        self.queries = QueryService(self.indexes)

        from .resources import ResourceService

        self.resources = ResourceService(self.state)

        from .tracking import TrackingService

        self.tracking = TrackingService(self.state, self.data)

    def tick(self) -> None:
        """Run the work due by the clock (scheduled jobs) before a request is answered."""
        self.jobs.tick()

    def stop_queries(self) -> None:
        """Interrupt every running query and refuse new ones (the first step of a shutdown)."""
        self.indexes.stop_queries()
        self.spl.close()

    def close(self) -> None:
        """Flush and close everything."""
        self.spl.close()
        self.indexes.close()
        self.state.close()
