"""A project's resource usage and copying a dashboard (``LogClient`` calls built on others).

Both are compositions of calls that exist on their own: the usage report counts what the list
calls return, the copy reads a dashboard and creates it elsewhere. Their module functions of
the official path are in :mod:`aliyun.log.logclient_operator`.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from ..errors import BadParameters
from ..logexception import LogException
from ..logresponse import LogResponse
from .core import ClientCore

__all__ = ["USAGE_LIMITS", "ResourceUsageResponse", "UsageMixin"]

#: the per-project quotas the usage report measures against (those the official report uses)
USAGE_LIMITS = {
    "logstore": 200,
    "shard": 200,
    "consumer_group_per_logstore": 10,
    "logtail": 100,
    "machine_group": 100,
    "saved_search": 100,
    "dashboard": 50,
}


def _percent(value: int, limit: int) -> str:
    return f"{round(value * 100.0 / limit, 2)}%"


def _measured(value: int, limit: int) -> dict[str, Any]:
    return {"status": value, "limitation": limit, "usage": _percent(value, limit)}


class ResourceUsageResponse(LogResponse):
    """A project's resource usage: the body is a dict per kind of resource (``logstore``,
    ``shard``, ``consumer_group``, ``logtail``, ``machine_group``, ``saved_search``,
    ``dashboard``), each with a ``count`` of ``{"status": n, "limitation": quota, "usage": "x%"}``
    and, for shards and consumer groups, the same per logstore."""

    def __init__(self, usage: dict[str, Any]) -> None:
        super().__init__({}, usage)

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("usage", self.body)]


def _rebind_project(dashboard: dict[str, Any], project: str) -> dict[str, Any]:
    """A copy of a dashboard whose chart queries and click-through events name ``project``."""
    rebound = copy.deepcopy(dashboard)
    for chart in rebound.get("charts") or []:
        if not isinstance(chart, dict):
            continue
        for query in (chart.get("search") or {}).get("chartQueries") or []:
            if isinstance(query, dict) and "project" in query:
                query["project"] = project
        for action in (chart.get("display") or {}).get("actionOptions") or []:
            for event in (action.get("events") or []) if isinstance(action, dict) else []:
                values = event.get("values") if isinstance(event, dict) else None
                if isinstance(values, dict) and "project" in values:
                    values["project"] = project
    return rebound


class UsageMixin(ClientCore):
    """get_resource_usage, copy_dashboard."""

    def get_resource_usage(self, project: str) -> ResourceUsageResponse:
        """What a project holds, counted against its quotas (``get_body()``: see
        :class:`ResourceUsageResponse`).

        :type project: string
        :param project: the project.
        """
        client: Any = self
        limits = USAGE_LIMITS
        logstores = client.list_logstore(project, size=-1)
        shards: dict[str, Any] = {}
        groups: dict[str, Any] = {}
        shard_total = group_total = 0
        for name in logstores.get_logstores():
            count = int(client.list_shards(project, name).count)  # every shard, read-only ones too
            shards[name] = {"status": count}
            shard_total += count
            group_count = client.list_consumer_group(project, name).get_count()
            if group_count:
                groups[name] = _measured(group_count, limits["consumer_group_per_logstore"])
            group_total += group_count
        usage = {
            "logstore": {"count": _measured(logstores.get_total(), limits["logstore"])},
            "shard": {"logstores": shards, "count": _measured(shard_total, limits["shard"])},
            "consumer_group": {"logstores": groups, "count": {"status": group_total}},
        }
        totals = {
            "logtail": client.list_logtail_config(project, size=1),
            "machine_group": client.list_machine_group(project, size=1),
            "saved_search": client.list_savedsearch(project, size=1),
            "dashboard": client.list_dashboard(project, size=1),
        }
        for kind, page in totals.items():
            usage[kind] = {"count": _measured(page.get_total(), limits[kind])}
        return ResourceUsageResponse(usage)

    def copy_dashboard(
        self,
        from_project: str,
        from_dashboard_name: str,
        to_project: Optional[str] = None,
        to_dashboard_name: Optional[str] = None,
        to_client: Optional[Any] = None,
        to_region_endpoint: Optional[str] = None,
    ) -> None:
        """Copy a dashboard to another project (its chart queries then name that project) or
        under another name. A dashboard already there under the target name is left as it is.

        :type from_project: string
        :type from_dashboard_name: string
        :type to_project: string
        :param to_project: the target project (default: the same).
        :type to_dashboard_name: string
        :param to_dashboard_name: the target name (default: the same).
        :type to_client: LogClient
        :param to_client: a client for the target (default: this one).
        :type to_region_endpoint: string
        :param to_region_endpoint: accepted for compatibility; pass ``to_client`` instead, as
            for :meth:`copy_logstore`.
        """
        if to_region_endpoint and to_client is None:
            raise BadParameters("BadParameters", "pass to_client=LogClient(to_region_endpoint, ...) instead")
        source: Any = self
        target: Any = to_client if to_client is not None else self
        to_project = to_project or from_project
        dashboard = source.get_dashboard(from_project, from_dashboard_name).get_entity()
        if to_project != from_project:
            dashboard = _rebind_project(dashboard, to_project)
        else:
            dashboard = copy.deepcopy(dashboard)
        dashboard["dashboardName"] = to_dashboard_name or from_dashboard_name
        try:
            target.create_dashboard(to_project, dashboard)
        except LogException as error:
            # SLS answers a taken name with either code; the copy then has nothing to do
            taken = error.get_error_code() in ("DashboardAlreadyExist", "ParameterInvalid")
            if not (taken and "already exist" in error.get_error_message().lower()):
                raise
