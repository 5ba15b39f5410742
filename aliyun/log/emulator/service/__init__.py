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
        self._attach_tags_area()
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

    def _attach_tags_area(self) -> None:
        """Tags, resources and records, topostores, resource policies and objects (docs/tags.md)."""
        from .families_tags import RESOURCE, RESOURCE_RECORD, TOPOSTORE, TOPOSTORE_NODE, TOPOSTORE_RELATION
        from .objects import ObjectService
        from .owned_documents import OwnedFamily, OwnerService
        from .resource_policies import ResourcePolicyService
        from .tags import TagService

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

    def stop_queries(self) -> None:
        """Interrupt every running query and refuse new ones (the first step of a shutdown)."""
        self.indexes.stop_queries()
        self.spl.close()

    def close(self) -> None:
        """Flush and close everything."""
        self.spl.close()
        self.indexes.close()
        self.state.close()
