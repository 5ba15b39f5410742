"""Responses of the shipper calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional, Union

from .logresponse import LogResponse, PagedListResponse
from .shipper_config import ShipperTarget, ShipperTask, shipper_target_from_json

__all__ = [
    "CreateShipperResponse",
    "DeleteShipperResponse",
    "GetShipperConfigResponse",
    "GetShipperTasksResponse",
    "ListShipperResponse",
    "RetryShipperTasksResponse",
    "UpdateShipperResponse",
]


class CreateShipperResponse(LogResponse):
    """Answer of ``create_shipper``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class UpdateShipperResponse(LogResponse):
    """Answer of ``update_shipper``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class DeleteShipperResponse(LogResponse):
    """Answer of ``delete_shipper``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class RetryShipperTasksResponse(LogResponse):
    """Answer of ``retry_shipper_tasks``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class GetShipperConfigResponse(LogResponse):
    """Answer of ``get_shipper_config`` and ``get_shipper``: one shipper.

    :meth:`get_config` is the typed target (:class:`~aliyun.log.OssShipperConfig` or
    :class:`~aliyun.log.OdpsShipperConfig`; a plain dict for other target types) and
    :meth:`get_entity` the JSON as received (what 0.9-style ``get_shipper`` callers read).
    """

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.shipper_name: str = str(resp.get("shipperName", ""))
        self.create_time: Optional[int] = resp.get("createTime")
        self.last_modify_time: Optional[int] = resp.get("lastModifyTime")
        self.type: str = str(resp.get("targetType", ""))
        self.config: Union[ShipperTarget, dict[str, Any]] = shipper_target_from_json(
            self.type, resp.get("targetConfiguration") or {}
        )

    def get_config(self) -> Union[ShipperTarget, dict[str, Any]]:
        """The shipper's target configuration, typed for ``oss`` and ``odps``."""
        return self.config

    def get_create_time(self) -> Optional[int]:
        """Creation time (seconds)."""
        return self.create_time

    def get_last_modify_time(self) -> Optional[int]:
        """Last modification time (seconds)."""
        return self.last_modify_time

    def get_entity(self) -> Any:
        """The shipper JSON as the service returned it."""
        return self.body

    def _print_fields(self) -> list[tuple[str, Any]]:
        config = self.config if isinstance(self.config, dict) else self.config.to_json()
        return [("shipperName", self.shipper_name), ("type", self.type), ("config", config)]


class ListShipperResponse(PagedListResponse):
    """Answer of ``list_shipper``: one page of shipper names.

    Has the getters of both official generations: ``get_shipper_names`` / ``get_shipper_count``
    / ``get_shipper_total`` (0.6) and ``get_entities`` / ``get_shipper`` / ``get_count`` /
    ``get_total`` / ``total`` (0.9).
    """

    items_key = "shipper"

    @property
    def shipper_names(self) -> list[str]:
        """The shipper names of this page."""
        return self._items

    def get_shipper_names(self) -> list[str]:
        """The shipper names of this page."""
        return self._items

    def get_shipper_count(self) -> int:
        """Number of names in this page."""
        return self.count

    def get_shipper_total(self) -> int:
        """Number of shippers of the logstore."""
        return self._total

    get_entities = get_shipper_names
    get_shipper = get_shipper_names


class GetShipperTasksResponse(LogResponse):
    """Answer of ``get_shipper_tasks``: one page of tasks plus per-status counts of the time range."""

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.count = int(resp.get("count", 0))
        self.total = int(resp.get("total", 0))
        statistics = resp.get("statistics") or {}
        self.running_count = int(statistics.get("running", 0))
        self.success_count = int(statistics.get("success", 0))
        self.fail_count = int(statistics.get("fail", 0))
        self.tasks = [ShipperTask.from_json(item) for item in resp.get("tasks") or []]

    def get_task_count(self) -> int:
        """Number of tasks in this page."""
        return self.count

    def get_count(self) -> int:
        """Number of tasks in this page."""
        return self.count

    def get_task_total(self) -> int:
        """Number of tasks matching the request in all pages."""
        return self.total

    def get_total(self) -> int:
        """Number of tasks matching the request in all pages."""
        return self.total

    def get_running_task_count(self) -> int:
        """Running tasks in the time range."""
        return self.running_count

    def get_success_task_count(self) -> int:
        """Successful tasks in the time range."""
        return self.success_count

    def get_fail_task_count(self) -> int:
        """Failed tasks in the time range."""
        return self.fail_count

    def _ids(self, status: str) -> list[str]:
        return [task.task_id for task in self.tasks if task.task_status == status]

    def get_fail_task_ids(self) -> list[str]:
        """Ids of the failed tasks of this page (what ``retry_shipper_tasks`` takes)."""
        return self._ids("fail")

    def get_running_task_ids(self) -> list[str]:
        """Ids of the running tasks of this page."""
        return self._ids("running")

    def get_success_task_ids(self) -> list[str]:
        """Ids of the successful tasks of this page."""
        return self._ids("success")

    def get_tasks(self) -> list[ShipperTask]:
        """The tasks of this page."""
        return self.tasks

    def get_taks(self) -> list[ShipperTask]:
        """0.6 spelling of :meth:`get_tasks`."""
        return self.tasks

    def merge(self, response: GetShipperTasksResponse) -> GetShipperTasksResponse:
        """Append another page; the per-status counts describe the whole range, so the newest are kept."""
        self.count += response.count
        self.total = response.total
        self.running_count = response.running_count
        self.success_count = response.success_count
        self.fail_count = response.fail_count
        self.tasks.extend(response.tasks)
        return self

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("count", self.count),
            ("total", self.total),
            ("running_count", self.running_count),
            ("success_count", self.success_count),
            ("fail_count", self.fail_count),
            ("tasks", [task.to_json() for task in self.tasks]),
        ]
