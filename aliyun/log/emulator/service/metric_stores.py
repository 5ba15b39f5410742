"""The ``/metricstores`` calls of the generated OpenAPI clients (Go, Java, Terraform ...).

They address the same thing the official SDK builds from logstore and substore calls: a
logstore of telemetry type ``Metrics`` with the ``prom`` substore. Built on
:class:`~.logstores.LogstoreService` and :class:`~.stores.StoreRules`, so a metric store made
either way is the same store (docs/projects-logstores.md "Metric stores and logstore settings").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ..._ops.metrics import METRIC_KEYS, METRIC_SORTED_KEYS, METRIC_SUBSTORE, METRIC_TIME_INDEX, METRICS
from ..errors import bad_request
from .logstores import LogstoreService
from .paging import Page, PageRequest, page
from .stores import StoreRules, is_metric_store

__all__ = ["MetricStoreCalls"]

#: ``/metricstores`` body field -> logstore setting, for the settings both share
_SHARED = {
    "ttl": "ttl",
    "shardCount": "shardCount",
    "autoSplit": "autoSplit",
    "maxSplitShard": "maxSplitShard",
    "appendMeta": "appendMeta",
    "hot_ttl": "hot_ttl",
    "infrequentAccessTTL": "infrequentAccessTTL",
    "mode": "mode",
}
#: the settings a metric store shows besides the shared ones
_SHOWN = ("createTime", "lastModifyTime")
_METRIC_TYPE = "metricType"


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("ParameterInvalid", "body must be a JSON object")
    return body


class MetricStoreCalls:
    """Create, read, update, delete and list metric stores by the ``/metricstores`` calls."""

    def __init__(self, logstores: LogstoreService, rules: StoreRules) -> None:
        self.logstores = logstores
        self.rules = rules
        self.state = rules.state

    def create(self, project: Optional[str], body: Any) -> None:
        """A metric store: the logstore, then its ``prom`` substore (the logstore is removed again
        if the substore cannot be made)."""
        doc = _object(body)
        name = doc.get("name")
        settings = {target: doc[source] for source, target in _SHARED.items() if doc.get(source) is not None}
        metric_type = doc.get(_METRIC_TYPE, "prometheus")
        if not isinstance(metric_type, str):
            raise bad_request("ParameterInvalid", f"{_METRIC_TYPE} must be a string")
        with self.state.lock:
            self.logstores.create(project, {**settings, "logstoreName": name, "telemetryType": METRICS})
            try:
                ttl = int(self.logstores.get(project, str(name))["ttl"])
                substore = {
                    "name": METRIC_SUBSTORE,
                    "ttl": ttl,
                    "sortedKeyCount": METRIC_SORTED_KEYS,
                    "timeIndex": METRIC_TIME_INDEX,
                    "keys": [dict(key) for key in METRIC_KEYS],
                }
                self.rules.create_substore(project, str(name), substore)
                owner = self.state.logstore(project or "", str(name))
                self.rules.settings.put(self.state.logstore_scope(owner), "metricstore", {_METRIC_TYPE: metric_type})
            except BaseException:
                self.logstores.delete(project, str(name))
                raise

    def get(self, project: Optional[str], name: str) -> dict[str, Any]:
        """A metric store's settings in the ``/metricstores`` shape."""
        owner = self.rules.metric_store(project, name)
        config = self.logstores.get(project, name)
        shown: dict[str, Any] = {"name": owner.name, "mode": "standard"}
        shown.update({source: config[target] for source, target in _SHARED.items() if target in config})
        shown.update({key: config[key] for key in _SHOWN if key in config})
        extra = self.rules.settings.get(self.state.logstore_scope(owner), "metricstore") or {}
        shown[_METRIC_TYPE] = extra.get(_METRIC_TYPE, "prometheus")
        return shown

    def update(self, project: Optional[str], name: str, body: Any) -> None:
        """Change settings; a new ``ttl`` applies to the substores too."""
        doc = _object(body)
        with self.state.lock:
            self.rules.metric_store(project, name)
            changes = {target: doc[source] for source, target in _SHARED.items() if doc.get(source) is not None}
            changes.pop("shardCount", None)  # shards change by split and merge only
            self.logstores.update(project, name, changes)
            if "ttl" in changes:
                self.rules.update_substore_ttl(project, name, str(changes["ttl"]))

    def delete(self, project: Optional[str], name: str) -> None:
        """Delete a metric store and its data."""
        with self.state.lock:
            self.rules.metric_store(project, name)
            self.logstores.delete(project, name)

    def list(self, project: Optional[str], params: Mapping[str, Optional[str]], paging: PageRequest) -> Page[str]:
        """One page of metric store names (``name``: containing it; ``mode``: with that mode)."""
        owner = self.state.project(project)
        wanted, mode = params.get("name") or "", params.get("mode") or ""
        with self.state.lock:
            names = sorted(
                ls.name
                for ls in owner.logstores.values()
                if is_metric_store(ls) and wanted in ls.name and (not mode or ls.config.get("mode", "standard") == mode)
            )
        return page(names, paging)
