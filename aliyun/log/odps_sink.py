"""A MaxCompute (ODPS) table as the destination of an export job."""

from __future__ import annotations

from typing import Any

from ._bean import accessors
from .sink import DataSink, DataSinkType

__all__ = ["AliyunMaxComputeSink"]


@accessors(
    "odpsAccessKeyId",
    "odpsAccessSecret",
    "odpsRolearn",
    "odpsEndpoint",
    "odpsTunnelEndpoint",
    "odpsProject",
    "odpsTable",
    "timeZone",
    "partitionTimeFormat",
    "fields",
    "partitionColumn",
)
class AliyunMaxComputeSink(DataSink):
    """Writes exported logs into ``odpsProject.odpsTable``.

    :param partitionColumn: the log fields that become the table's partition columns.
    :param fields: the log fields written as the table's columns, in order.
    """

    _field_names: tuple[str, ...] = ()

    def __init__(self, partitionColumn: list[str], fields: list[str]) -> None:
        super().__init__(DataSinkType.ALIYUN_MaxCompute)
        self._fields: dict[str, Any] = {"fields": fields, "partitionColumn": partitionColumn}

    def getParams(self) -> dict[str, Any]:
        """The sink's JSON form: every field set so far plus ``type``."""
        return {**self._fields, "type": self.getType()}
