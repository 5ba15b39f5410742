"""The emulator's domain: SLS rules with no HTTP in sight.

:class:`EmulatorService` holds one :class:`EmulatorState` and a service object per resource
family; the HTTP layer calls these and renders what they return or the :class:`SLSError` they
raise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..._ops import Operation
from ..clock import Clock
from ..query.limits import QueryLimits
from ..spl import SplEngine
from .async_sql import AsyncSqlService
from .consumer import ConsumerGroupService
from .data import DataService
from .datamod import DataModService
from .documents import DocumentService
from .families import FAMILIES
from .families_datamod import DELETE_LOGS_TASK
from .families_tags import RESOURCE, RESOURCE_RECORD, TOPOSTORE, TOPOSTORE_NODE, TOPOSTORE_RELATION
from .index import IndexService
from .jobs import JobService
from .logstores import LogstoreService
from .objects import ObjectService
from .owned_documents import OwnedFamily, OwnerService
from .projects import ProjectService
from .query import QueryService
from .resource_policies import ResourcePolicyService
from .resources import ResourceService
from .shards import ShardService
from .state import EmulatorState
from .tags import TagService
from .tracking import TrackingService

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
        self.consumer_groups = ConsumerGroupService(self.state)
        self.indexes = IndexService(self.state, self._query_limits)
        # What runs when a logstore is loaded or created, and after each PutLogs: wired here, in
        # one place, rather than by each service registering itself.
        self.state.logstore_hooks.extend([self.consumer_groups.load_logstore, self.indexes.load_logstore])
        self.data.append_hooks.append(self.indexes.on_append)
        self.queries = QueryService(self.indexes)
        self.resources = ResourceService(self.state)
        self.tracking = TrackingService(self.state, self.data)
        #: the resource-document families (:mod:`.families`), by meta-store kind
        self.documents = {kind: DocumentService(self.state, family) for kind, family in FAMILIES.items()}
        self.datamod = DataModService(self.indexes, self.logstores, self.documents[DELETE_LOGS_TASK.kind])
        self.async_sql = AsyncSqlService(self.queries)
        # tags, resources and records, topostores, resource policies and objects (docs/tags.md)
        self.tags = TagService(self.state, self.documents)
        self.objects = ObjectService(self.state)
        self.resource_policies = ResourcePolicyService(self.state)
        # the answer classes of the official client decode these JSON-text fields: always present
        self.resource_docs = OwnerService(
            self.state,
            self.documents,
            RESOURCE,
            (OwnedFamily(RESOURCE_RECORD),),
            defaults={"schema": '{"schema": []}', "acl": "{}"},
            patchable=("schema", "description", "extInfo", "acl"),
        )
        self.topostores = OwnerService(
            self.state,
            self.documents,
            TOPOSTORE,
            (OwnedFamily(TOPOSTORE_NODE, {"property": "{}"}), OwnedFamily(TOPOSTORE_RELATION, {"property": "{}"})),
            defaults={"tag": "{}", "schema": "{}", "acl": "{}"},
            patchable=("description", "schema", "tag", "acl", "extInfo"),
        )
        self.jobs = JobService(self)  # the /jobs store and the work its jobs do on the clock
        for logstore in self.logstores.all():
            self.state.run_logstore_hooks(logstore)

    def admit(self, op: Operation, project: Optional[str]) -> None:
        """What SLS checks before any rule of an operation: the project of a project-scoped call
        exists (``ProjectNotExist`` comes first, whatever else is wrong with the request)."""
        if op.project and op.name != "CreateProject":
            self.state.project(project)

    def tick(self) -> None:
        """Run the work due by the clock (scheduled jobs) before a request is answered."""
        self.jobs.tick()

    def stop_queries(self) -> None:
        """Interrupt every running query and refuse new ones (the first step of a shutdown)."""
        self.indexes.stop_queries()
        self.spl.close()

    def close(self) -> None:
        """Flush and close everything."""
        self.async_sql.close()
        self.spl.close()
        self.indexes.close()
        self.state.close()
