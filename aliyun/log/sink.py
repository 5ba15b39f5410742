"""Destinations of export jobs (``DataSink``) and their type names (``DataSinkType``)."""

from __future__ import annotations

__all__ = ["DataSink", "DataSinkType"]


class DataSinkType:
    """The ``type`` values of a sink, as the service spells them."""

    ALIYUN_LOG = "AliyunLOG"
    ALIYUN_ADB = "AliyunADB"
    ALIYUN_OSS = "AliyunOSS"
    ALIYUN_MaxCompute = "AliyunODPS"
    GENERAL = "GENERAL"


class DataSink:
    """A sink of a given ``type`` (one of :class:`DataSinkType`)."""

    def __init__(self, type: str) -> None:
        self._type = type

    def getType(self) -> str:
        """The sink type."""
        return self._type

    def setType(self, type: str) -> None:
        """Set the sink type."""
        self._type = type
