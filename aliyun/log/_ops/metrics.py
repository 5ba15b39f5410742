"""The substore schema of a metric store, shared by the client (which creates it) and the
emulator (which creates it for clients that use the ``/metricstores`` calls).

A metric store keeps Prometheus samples as logs with four keys: the metric name and its labels
(the two keys the data is sorted by), the time in nanoseconds (the time index) and the value.
"""

from __future__ import annotations

__all__ = ["METRIC_KEYS", "METRIC_SORTED_KEYS", "METRIC_SUBSTORE", "METRIC_TIME_INDEX", "METRICS"]

#: the telemetry type of a logstore that is a metric store
METRICS = "Metrics"
#: the substore every metric store has
METRIC_SUBSTORE = "prom"
METRIC_KEYS: tuple[dict[str, str], ...] = (
    {"name": "__name__", "type": "text"},
    {"name": "__labels__", "type": "labels"},
    {"name": "__time_nano__", "type": "long"},
    {"name": "__value__", "type": "double"},
)
METRIC_SORTED_KEYS = 2
METRIC_TIME_INDEX = 2
