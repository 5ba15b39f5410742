"""Shipper calls of ``LogClient`` (legacy OSS / MaxCompute shipping, docs/resources.md).

The two official generations disagree on create/update: 0.6 takes
``(project_name, logstore_name, shipper_name, shipper_type, shipper_config)`` and builds the body,
0.9 takes ``(project, logstore, detail)`` and sends ``detail`` as the body. Both are accepted; the
call itself says which is meant: five arguments, or any of the keywords
``shipper_name`` / ``shipper_type`` / ``shipper_config``, select the 0.6 form. The 0.6 keyword
names ``project_name`` / ``logstore_name`` / ``shipper_name`` are accepted wherever 0.9 renamed
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

from .. import _ops as ops
from ..shipper_config import ShipperTask
from ..shipper_response import (
    CreateShipperResponse,
    DeleteShipperResponse,
    GetShipperConfigResponse,
    GetShipperTasksResponse,
    ListShipperResponse,
    RetryShipperTasksResponse,
    UpdateShipperResponse,
)
from ._listing import body_of, check_page_size, iterate, list_pages
from .core import ClientCore

__all__ = ["ShippersMixin"]


def _one(value: Optional[str], alias: Optional[str], name: str, alias_name: str) -> str:
    """The argument given under either of its two names."""
    if value is not None and alias is not None and value != alias:
        raise TypeError(f"give {name} or {alias_name}, not both")
    chosen = value if value is not None else alias
    if chosen is None:
        raise TypeError(f"missing required argument: {name}")
    return chosen


def _shipper_body(
    detail: Any, shipper_type: Optional[str], shipper_config: Any, shipper_name: Optional[str]
) -> dict[str, Any]:
    if shipper_type is None and shipper_config is None and shipper_name is None:
        if detail is None:
            raise TypeError("missing required argument: detail")
        return body_of(detail, "detail")
    # 0.6 form: the third positional argument is the shipper's name.
    name = _one(shipper_name, detail if isinstance(detail, str) else None, "shipper_name", "detail")
    if shipper_type is None or shipper_config is None:
        raise TypeError("the 0.6 form needs shipper_name, shipper_type and shipper_config")
    target = (
        shipper_config.to_json() if hasattr(shipper_config, "to_json") else body_of(shipper_config, "shipper_config")
    )
    return {"shipperName": name, "targetType": shipper_type, "targetConfiguration": target}


class ShippersMixin(ClientCore):
    """Create, read, update, delete and list shippers; read and retry their tasks."""

    def create_shipper(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        detail: Any = None,
        shipper_type: Optional[str] = None,
        shipper_config: Any = None,
        *,
        project_name: Optional[str] = None,
        logstore_name: Optional[str] = None,
        shipper_name: Optional[str] = None,
    ) -> CreateShipperResponse:
        """Create a shipper.

        0.9 form ``create_shipper(project, logstore, detail)``: ``detail`` is the whole shipper
        document (dict, JSON text, or an object with ``to_json()``):
        ``{"shipperName", "targetType": "oss" | "odps", "targetConfiguration": {...}}``.

        0.6 form ``create_shipper(project_name, logstore_name, shipper_name, shipper_type,
        shipper_config)``: ``shipper_config`` is an :class:`~aliyun.log.OssShipperConfig` or
        :class:`~aliyun.log.OdpsShipperConfig` (or its dict).

        :type project: string
        :type logstore: string
        :type detail: dict/string
        :raises LogStoreNotExist: no such logstore.
        """
        project = _one(project, project_name, "project", "project_name")
        logstore = _one(logstore, logstore_name, "logstore", "logstore_name")
        body = _shipper_body(detail, shipper_type, shipper_config, shipper_name)
        _, headers = self._call_json(ops.CREATE_SHIPPER, project, body=body, logstore=logstore)
        return CreateShipperResponse(headers)

    def update_shipper(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        detail: Any = None,
        shipper_type: Optional[str] = None,
        shipper_config: Any = None,
        *,
        project_name: Optional[str] = None,
        logstore_name: Optional[str] = None,
        shipper_name: Optional[str] = None,
    ) -> UpdateShipperResponse:
        """Replace a shipper's settings; same two forms as :meth:`create_shipper`.

        The shipper is named by ``shipperName`` in the document (0.9 form) or by ``shipper_name``.

        :type project: string
        :type logstore: string
        :type detail: dict/string
        :raises ShipperNotExist: no such shipper.
        """
        project = _one(project, project_name, "project", "project_name")
        logstore = _one(logstore, logstore_name, "logstore", "logstore_name")
        body = _shipper_body(detail, shipper_type, shipper_config, shipper_name)
        _, headers = self._call_json(
            ops.UPDATE_SHIPPER, project, body=body, logstore=logstore, shipper=body.get("shipperName")
        )
        return UpdateShipperResponse(headers)

    def delete_shipper(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        entity: Optional[str] = None,
        *,
        project_name: Optional[str] = None,
        logstore_name: Optional[str] = None,
        shipper_name: Optional[str] = None,
    ) -> DeleteShipperResponse:
        """Delete a shipper (``entity`` is its name; 0.6 keyword ``shipper_name``).

        :type project: string
        :type logstore: string
        :type entity: string
        :raises ShipperNotExist: no such shipper.
        """
        project = _one(project, project_name, "project", "project_name")
        logstore = _one(logstore, logstore_name, "logstore", "logstore_name")
        name = _one(entity, shipper_name, "entity", "shipper_name")
        _, headers = self._call_json(ops.DELETE_SHIPPER, project, logstore=logstore, shipper=name)
        return DeleteShipperResponse(headers)

    def get_shipper(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        entity: Optional[str] = None,
        *,
        project_name: Optional[str] = None,
        logstore_name: Optional[str] = None,
        shipper_name: Optional[str] = None,
    ) -> GetShipperConfigResponse:
        """Get a shipper: ``get_entity()`` is the JSON as received, ``get_config()`` the typed target.

        :type project: string
        :type logstore: string
        :type entity: string
        :raises ShipperNotExist: no such shipper.
        """
        project = _one(project, project_name, "project", "project_name")
        logstore = _one(logstore, logstore_name, "logstore", "logstore_name")
        name = _one(entity, shipper_name, "entity", "shipper_name")
        data, headers = self._call_json(ops.GET_SHIPPER, project, logstore=logstore, shipper=name)
        return GetShipperConfigResponse(data, headers)

    def get_shipper_config(self, project_name: str, logstore_name: str, shipper_name: str) -> GetShipperConfigResponse:
        """The 0.6 name of :meth:`get_shipper`."""
        return self.get_shipper(project_name, logstore_name, shipper_name)

    def list_shipper(
        self,
        project: Optional[str] = None,
        logstore: Optional[str] = None,
        offset: int = 0,
        size: int = 100,
        *,
        project_name: Optional[str] = None,
        logstore_name: Optional[str] = None,
    ) -> ListShipperResponse:
        """List the shipper names of a logstore, ``size`` at a time (``-1``: all, merged).

        :type project: string
        :type logstore: string
        :type offset: int
        :type size: int
        :raises LogStoreNotExist: no such logstore.
        """
        project = _one(project, project_name, "project", "project_name")
        logstore = _one(logstore, logstore_name, "logstore", "logstore_name")

        def fetch(page_offset: int, page_size: int) -> ListShipperResponse:
            params = {"offset": page_offset, "size": page_size}
            data, headers = self._call_json(ops.LIST_SHIPPER, project, params=params, logstore=logstore)
            return ListShipperResponse(data, headers)

        return list_pages(self, fetch, offset, size)

    def iter_shippers(self, project_name: str, logstore_name: str, *, page_size: int = 500) -> Iterator[str]:
        """Yield every shipper name of a logstore, ``page_size`` per request."""
        check_page_size(page_size)
        return iterate(
            lambda offset, size: self.list_shipper(project_name, logstore_name, offset, size),
            ListShipperResponse.get_shipper_names,
            page_size,
        )

    def get_shipper_tasks(
        self,
        project_name: str,
        logstore_name: str,
        shipper_name: str,
        start_time: int,
        end_time: int,
        status_type: str = "",
        offset: int = 0,
        size: int = 100,
    ) -> GetShipperTasksResponse:
        """The shipper's tasks created between ``start_time`` and ``end_time`` (seconds).

        :type status_type: string
        :param status_type: ``''`` (all), ``running``, ``success`` or ``fail``.
        :type size: int
        :param size: tasks per page; ``-1`` (or above 500) reads every page, merged.
        :type project_name: string
        :type logstore_name: string
        :type shipper_name: string
        :type start_time: int
        :type end_time: int
        :type offset: int
        :raises ShipperNotExist: no such shipper.
        :raises ParameterInvalid: bad time range (the service allows at most 48 hours).
        """

        def fetch(page_offset: int, page_size: int) -> GetShipperTasksResponse:
            params = {
                "from": int(start_time),
                "to": int(end_time),
                "status": status_type,
                "offset": page_offset,
                "size": page_size,
            }
            data, headers = self._call_json(
                ops.GET_SHIPPER_TASKS, project_name, params=params, logstore=logstore_name, shipper=shipper_name
            )
            return GetShipperTasksResponse(data, headers)

        return list_pages(self, fetch, offset, size)

    def iter_shipper_tasks(
        self,
        project_name: str,
        logstore_name: str,
        shipper_name: str,
        start_time: int,
        end_time: int,
        *,
        status_type: str = "",
        page_size: int = 500,
    ) -> Iterator[ShipperTask]:
        """Yield every task of the shipper in the time range, ``page_size`` per request."""
        check_page_size(page_size)
        return iterate(
            lambda offset, size: self.get_shipper_tasks(
                project_name, logstore_name, shipper_name, start_time, end_time, status_type, offset, size
            ),
            GetShipperTasksResponse.get_tasks,
            page_size,
        )

    def retry_shipper_tasks(
        self, project_name: str, logstore_name: str, shipper_name: str, task_list: list[str]
    ) -> RetryShipperTasksResponse:
        """Run failed tasks again.

        :type task_list: string array
        :param task_list: task ids (``GetShipperTasksResponse.get_fail_task_ids()``); the
            service takes at most 10 per call.
        :type project_name: string
        :type logstore_name: string
        :type shipper_name: string
        :raises ShipperNotExist: no such shipper.
        :raises ParameterInvalid: more than 10 ids.
        """
        if isinstance(task_list, str):
            task_list = [task_list]
        tasks = list(task_list)
        _, headers = self._call_json(
            ops.RETRY_SHIPPER_TASKS, project_name, body=tasks, logstore=logstore_name, shipper=shipper_name
        )
        return RetryShipperTasksResponse(headers)
