"""Logtail configs, machine groups and shippers: the emulator's "resource management" services.

:class:`ResourceService` only groups the three family services; see :mod:`.configs`,
:mod:`.machinegroups`, :mod:`.shippers` (and :mod:`.shipper_schedule` for the simulated tasks)
for the rules, and :mod:`.resource_store` for how they are stored.
"""

from __future__ import annotations

from .configs import ConfigService
from .machinegroups import MachineGroupService
from .shippers import ShipperService
from .state import EmulatorState

__all__ = ["ResourceService"]


class ResourceService:
    """The config, machine group and shipper services of one emulator."""

    def __init__(self, state: EmulatorState) -> None:
        self.configs = ConfigService(state)
        self.machinegroups = MachineGroupService(state)
        self.shippers = ShipperService(state)
