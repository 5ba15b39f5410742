"""A Logtail pipeline configuration (the v2 collection config: inputs, processors, aggregators,
flushers)."""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["LogtailPipelineConfigDetail"]


class LogtailPipelineConfigDetail:
    """Pipeline ``config_name``: plugin lists ``inputs`` and ``flushers`` (required), optional
    ``processors`` and ``aggregators``, ``global_config`` (sent as ``global``) and a ``log_sample``."""

    def __init__(
        self,
        config_name: str,
        inputs: list[dict[str, Any]],
        flushers: list[dict[str, Any]],
        log_sample: Optional[str] = None,
        global_config: Optional[dict[str, Any]] = None,
        processors: Optional[list[dict[str, Any]]] = None,
        aggregators: Optional[list[dict[str, Any]]] = None,
    ) -> None:
        self.config_name = config_name
        self.inputs = inputs
        self.flushers = flushers
        self.log_sample = log_sample
        self.global_config = global_config
        self.processors = processors
        self.aggregators = aggregators

    def to_json(self) -> dict[str, Any]:
        """The request body (optional parts only when set)."""
        value: dict[str, Any] = {"configName": self.config_name}
        if self.log_sample:
            value["logSample"] = self.log_sample
        if self.global_config:
            value["global"] = self.global_config
        value["inputs"] = self.inputs
        value["flushers"] = self.flushers
        if self.processors:
            value["processors"] = self.processors
        if self.aggregators:
            value["aggregators"] = self.aggregators
        return value

    @staticmethod
    def from_json(json_value: dict[str, Any]) -> LogtailPipelineConfigDetail:
        """From a Get answer."""
        return LogtailPipelineConfigDetail(
            config_name=json_value.get("configName", ""),
            inputs=json_value.get("inputs") or [],
            flushers=json_value.get("flushers") or [],
            log_sample=json_value.get("logSample"),
            global_config=json_value.get("global"),
            processors=json_value.get("processors"),
            aggregators=json_value.get("aggregators"),
        )
