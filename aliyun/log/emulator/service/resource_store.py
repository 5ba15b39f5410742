"""Where logtail configs, machine groups, their bindings and shippers are kept.

Everything lives in the durable meta store (one JSON document per resource), which is also the
only copy: there is no cache to fall out of step when a project or logstore is deleted. Scopes
follow the meta store's convention, so deleting a project (scope ``<project>``) or a logstore
(scope ``<project>/<logstore>``) takes these documents with it:

=================  ==========================  ==========================
kind               scope                       name
=================  ==========================  ==========================
``logtail_config``  ``<project>``               config name
``machine_group``   ``<project>``               group name
``config_binding``  ``<project>``               ``<group>/<config>``
``shipper``         ``<project>/<logstore>``    shipper name
=================  ==========================  ==========================
"""

from __future__ import annotations

from typing import Any, Optional

from .state import EmulatorState

__all__ = ["BINDING_KIND", "Bindings", "CONFIG_KIND", "GROUP_KIND", "MetaDocs", "SHIPPER_KIND"]

CONFIG_KIND = "logtail_config"
GROUP_KIND = "machine_group"
BINDING_KIND = "config_binding"
SHIPPER_KIND = "shipper"


class MetaDocs:
    """The documents of one kind, addressed by ``(scope, name)``."""

    def __init__(self, state: EmulatorState, kind: str) -> None:
        self.state = state
        self.kind = kind

    def all(self, scope: str) -> dict[str, Any]:
        """Every document of a scope, by name (sorted)."""
        return {name: doc for _, name, doc in self.state.meta.items(self.kind, scope=scope)}

    def get(self, scope: str, name: str) -> Optional[Any]:
        """One document, or ``None`` (a keyed lookup, not a scan of the kind)."""
        return self.state.meta.get(self.kind, scope, name)

    def put(self, scope: str, name: str, doc: Any) -> None:
        """Create or replace a document (a storage failure answers a clear error, see :mod:`.faults`)."""
        with self.state.faults.guard(f"writing the {self.kind.replace('_', ' ')} {name}"):
            self.state.meta.put(self.kind, scope, name, doc)

    def delete(self, scope: str, name: str) -> None:
        """Delete a document (no error when absent)."""
        with self.state.faults.guard(f"deleting the {self.kind.replace('_', ' ')} {name}"):
            self.state.meta.delete(self.kind, scope, name)


class Bindings:
    """Which configs are applied to which machine groups (many to many), per project."""

    def __init__(self, state: EmulatorState) -> None:
        self.docs = MetaDocs(state, BINDING_KIND)

    def pairs(self, project: str) -> list[tuple[str, str]]:
        """Every ``(group, config)`` of a project."""
        return sorted((doc["group"], doc["config"]) for doc in self.docs.all(project).values())

    def configs_of(self, project: str, group: str) -> list[str]:
        """Configs applied to a group, sorted."""
        return [config for g, config in self.pairs(project) if g == group]

    def groups_of(self, project: str, config: str) -> list[str]:
        """Groups a config is applied to, sorted."""
        return sorted(g for g, c in self.pairs(project) if c == config)

    def add(self, project: str, group: str, config: str) -> None:
        """Apply (idempotent)."""
        self.docs.put(project, f"{group}/{config}", {"group": group, "config": config})

    def remove(self, project: str, group: str, config: str) -> None:
        """Un-apply (idempotent)."""
        self.docs.delete(project, f"{group}/{config}")

    def drop_group(self, project: str, group: str) -> None:
        """Forget every binding of a deleted group."""
        for config in self.configs_of(project, group):
            self.remove(project, group, config)

    def drop_config(self, project: str, config: str) -> None:
        """Forget every binding of a deleted config."""
        for group in self.groups_of(project, config):
            self.remove(project, group, config)
