"""An OSS bucket as the destination of an export job."""

from __future__ import annotations

from typing import Any

from ._bean import accessors
from .sink import DataSink, DataSinkType

__all__ = ["AliyunOSSSink"]

_FIELDS = (
    "roleArn",
    "bucket",
    "prefix",
    "suffix",
    "pathFormat",
    "pathFormatType",
    "bufferSize",
    "bufferInterval",
    "timeZone",
    "contentType",
    "compressionType",
    "contentDetail",
)


@accessors(*_FIELDS)
class AliyunOSSSink(DataSink):
    """Writes exported logs as objects under ``oss://bucket/prefix<pathFormat>...suffix``.

    ``bufferSize`` is in MB and ``bufferInterval`` in seconds; ``contentType`` is ``json``,
    ``csv``, ``parquet`` or ``orc`` with its options in ``contentDetail``; ``compressionType``
    ``none``, ``snappy``, ``gzip`` or ``zstd``. :func:`aliyun.log.util.oss_sink_deserialize` gives
    the JSON form.
    """

    _field_names: tuple[str, ...] = ()

    def __init__(
        self,
        roleArn: str,
        bucket: str,
        prefix: str,
        suffix: str,
        pathFormat: str,
        pathFormatType: str,
        bufferSize: int,
        bufferInterval: int,
        timeZone: str,
        contentType: str,
        compressionType: str,
        contentDetail: Any,
    ) -> None:
        super().__init__(DataSinkType.ALIYUN_OSS)
        values = (
            roleArn, bucket, prefix, suffix, pathFormat, pathFormatType, bufferSize, bufferInterval,
            timeZone, contentType, compressionType, contentDetail,
        )  # fmt: skip
        self._fields: dict[str, Any] = dict(zip(_FIELDS, values))
