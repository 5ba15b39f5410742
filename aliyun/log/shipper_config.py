"""Shipper targets (OSS, MaxCompute/ODPS) and shipper tasks (docs/resources.md "Shippers").

A shipper copies a logstore's data to OSS or MaxCompute every ``bufferInterval`` seconds; each
such run is a :class:`ShipperTask`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Union

__all__ = ["OdpsShipperConfig", "OssShipperConfig", "ShipperTask", "shipper_target_from_json"]


class OssShipperConfig:
    """Ship to an OSS bucket.

    :param oss_bucket: the bucket.
    :param oss_prefix: object name prefix inside the bucket.
    :param oss_role_arn: the RAM role SLS assumes to write.
    :param buffer_interval: seconds between two shipments (one task each).
    :param buffer_mb: a shipment starts early when this many MB are waiting.
    :param compress_type: ``snappy`` or ``none``.
    """

    def __init__(
        self,
        oss_bucket: str,
        oss_prefix: str,
        oss_role_arn: str,
        buffer_interval: int = 300,
        buffer_mb: int = 128,
        compress_type: str = "snappy",
    ) -> None:
        self.oss_bucket = oss_bucket
        self.oss_prefix = oss_prefix
        self.oss_role_arn = oss_role_arn
        self.buffer_interval = buffer_interval
        self.buffer_mb = buffer_mb
        self.compress_type = compress_type

    def to_json(self) -> dict[str, Any]:
        """The ``targetConfiguration`` object."""
        return {
            "ossBucket": self.oss_bucket,
            "ossPrefix": self.oss_prefix,
            "roleArn": self.oss_role_arn,
            "bufferInterval": self.buffer_interval,
            "bufferSize": self.buffer_mb,
            "compressType": self.compress_type,
        }

    @classmethod
    def from_json(cls, json_value: Mapping[str, Any]) -> OssShipperConfig:
        """Build from a ``targetConfiguration`` object (absent keys take the defaults)."""
        return cls(
            json_value.get("ossBucket", ""),
            json_value.get("ossPrefix", ""),
            json_value.get("roleArn", ""),
            json_value.get("bufferInterval", 300),
            json_value.get("bufferSize", 128),
            json_value.get("compressType", "snappy"),
        )

    def __repr__(self) -> str:
        return f"OssShipperConfig({self.to_json()!r})"


class OdpsShipperConfig:
    """Ship to a MaxCompute (ODPS) table.

    :param odps_endpoint: the MaxCompute endpoint.
    :param odps_project: the MaxCompute project.
    :param odps_table: the table.
    :param log_fields_list: log keys written as the table's columns, in order.
    :param partition_column: log keys used as partition columns.
    :param partition_time_format: strftime format of the time partition.
    :param bufferInterval: seconds between two shipments.
    """

    def __init__(
        self,
        odps_endpoint: str,
        odps_project: str,
        odps_table: str,
        log_fields_list: list[str],
        partition_column: list[str],
        partition_time_format: str,
        bufferInterval: int = 1800,
    ) -> None:
        self.odps_endpoint = odps_endpoint
        self.odps_project = odps_project
        self.odps_table = odps_table
        self.log_fields_list = log_fields_list
        self.partition_column = partition_column
        self.partition_time_format = partition_time_format
        self.buffer_interval = bufferInterval

    def to_json(self) -> dict[str, Any]:
        """The ``targetConfiguration`` object."""
        return {
            "odpsEndpoint": self.odps_endpoint,
            "odpsProject": self.odps_project,
            "odpsTable": self.odps_table,
            "fields": self.log_fields_list,
            "partitionColumn": self.partition_column,
            "partitionTimeFormat": self.partition_time_format,
            "bufferInterval": self.buffer_interval,
        }

    @classmethod
    def from_json(cls, json_value: Mapping[str, Any]) -> OdpsShipperConfig:
        """Build from a ``targetConfiguration`` object (absent keys are empty)."""
        return cls(
            json_value.get("odpsEndpoint", ""),
            json_value.get("odpsProject", ""),
            json_value.get("odpsTable", ""),
            list(json_value.get("fields") or []),
            list(json_value.get("partitionColumn") or []),
            json_value.get("partitionTimeFormat", ""),
            json_value.get("bufferInterval", 1800),
        )

    def __repr__(self) -> str:
        return f"OdpsShipperConfig({self.to_json()!r})"


ShipperTarget = Union[OssShipperConfig, OdpsShipperConfig]


def shipper_target_from_json(target_type: str, json_value: Mapping[str, Any]) -> Union[ShipperTarget, dict[str, Any]]:
    """The typed target for ``oss`` / ``odps``; other types stay a plain dict."""
    if target_type == "oss":
        return OssShipperConfig.from_json(json_value)
    if target_type == "odps":
        return OdpsShipperConfig.from_json(json_value)
    return dict(json_value)


class ShipperTask:
    """One run of a shipper.

    :param task_id: the task's id (pass it to ``retry_shipper_tasks``).
    :param task_status: ``running``, ``success`` or ``fail``.
    :param task_message: why it failed (``''`` otherwise).
    :param task_create_time: when the run started (seconds).
    :param task_last_data_receive_time: time of the newest data it shipped (seconds).
    :param task_finish_time: when it ended (seconds; ``0`` while running).
    """

    def __init__(
        self,
        task_id: str,
        task_status: str,
        task_message: str,
        task_create_time: int,
        task_last_data_receive_time: int,
        task_finish_time: int,
    ) -> None:
        self.task_id = task_id
        self.task_status = task_status
        self.task_message = task_message
        self.task_create_time = task_create_time
        self.task_last_data_receive_time = task_last_data_receive_time
        self.task_finish_time = task_finish_time

    def to_json(self) -> dict[str, Any]:
        """The REST task object."""
        return {
            "id": self.task_id,
            "taskStatus": self.task_status,
            "taskMessage": self.task_message,
            "taskCreateTime": self.task_create_time,
            "taskLastDataReceiveTime": self.task_last_data_receive_time,
            "taskFinishTime": self.task_finish_time,
        }

    @classmethod
    def from_json(cls, json_value: Mapping[str, Any]) -> ShipperTask:
        """Build from a REST task object."""
        return cls(
            json_value.get("id", ""),
            json_value.get("taskStatus", ""),
            json_value.get("taskMessage", ""),
            json_value.get("taskCreateTime", 0),
            json_value.get("taskLastDataReceiveTime", 0),
            json_value.get("taskFinishTime", 0),
        )

    def __repr__(self) -> str:
        return f"ShipperTask({self.to_json()!r})"
