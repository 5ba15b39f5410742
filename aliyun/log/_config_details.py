"""Typed logtail configs (the ``ConfigDetailBase`` family) and ``LogtailConfigGenerator``.

A logtail config is one JSON document (docs/resources.md "Logtail configs")::

    {"configName": ..., "inputType": "file" | "syslog" | "plugin", "inputDetail": {...},
     "outputType": "LogService", "outputDetail": {"logstoreName": ...}, "logSample"?: ...}

Each class here builds that document from keyword arguments named like its ``inputDetail`` keys,
fills the defaults the service expects for its kind, and keeps any extra keys it is given, so a
config read from the service can be written back without losing anything. The public names are
re-exported by :mod:`aliyun.log.logtail_config_detail`; :mod:`._config_generator` picks the class for
a config read back from the service.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar, Optional, TypeVar

__all__ = [
    "ApsaraFileConfigDetail",
    "ConfigDetailBase",
    "FullRegFileConfigDetail",
    "JsonFileConfigDetail",
    "PluginConfigDetail",
    "SeperatorFileConfigDetail",
    "SimpleFileConfigDetail",
    "SyslogConfigDetail",
]

C = TypeVar("C", bound="ConfigDetailBase")


class ConfigDetailBase:
    """A logtail config as the REST JSON document; base of the typed config classes.

    :param logstoreName: the logstore the collected logs go to.
    :param configName: the config's name (unique in the project).
    :param inputType: ``file``, ``syslog`` or ``plugin``.
    :param createTime: creation time (seconds), normally filled by the service.
    :param modifyTime: last modification time (seconds), normally filled by the service.
    :param logSample: a sample line shown in the console.
    :param input_detail: the ``inputDetail`` keys; ``None`` values are left out.
    """

    #: root keys a config read back from the service must have
    MANDATORY_FIELDS_ROOT: ClassVar[list[str]] = ["configName", "inputType", "inputDetail"]
    #: ``inputDetail`` keys a config of this class must have
    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = []
    #: ``inputDetail`` keys filled in when absent, with their values
    DEFAULT_DETAIL_FIELDS: ClassVar[list[tuple[str, Any]]] = [("localStorage", True)]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        inputType: str,
        createTime: Optional[int] = None,
        modifyTime: Optional[int] = None,
        logSample: Optional[str] = None,
        **input_detail: Any,
    ) -> None:
        value: dict[str, Any] = {"configName": configName}
        if logSample is not None:
            value["logSample"] = logSample
        if createTime is not None:
            value["createTime"] = createTime
        if modifyTime is not None:
            value["modifyTime"] = modifyTime
        detail = {key: item for key, item in input_detail.items() if item is not None}
        for key, default in self.DEFAULT_DETAIL_FIELDS:
            detail.setdefault(key, copy.deepcopy(default))
        value["inputDetail"] = detail
        value["inputType"] = inputType
        value["outputDetail"] = {"logstoreName": logstoreName}
        value["outputType"] = "LogService"
        self.value = value

    @property
    def config_name(self) -> str:
        """The config's name."""
        return str(self.value.get("configName", ""))

    @property
    def logstore_name(self) -> str:
        """The logstore the config writes to."""
        return str((self.value.get("outputDetail") or {}).get("logstoreName", ""))

    def to_json(self) -> dict[str, Any]:
        """The REST JSON document (a copy: changing it does not change this object)."""
        return copy.deepcopy(self.value)

    @classmethod
    def from_json(cls: type[C], json_value: Mapping[str, Any]) -> C:
        """Build a config of this class from its REST JSON, keeping every key it carries.

        :raises ValueError: a mandatory key of this kind of config is missing.
        :raises KeyError: ``outputDetail.logstoreName`` is missing.
        """
        for key in cls.MANDATORY_FIELDS_ROOT:
            if key not in json_value:
                raise ValueError(f'item "{key}" not in json value')
        detail = json_value["inputDetail"]
        if not isinstance(detail, Mapping):
            raise ValueError('item "inputDetail" is not a JSON object')
        for key in cls.MANDATORY_FIELDS_DETAIL:
            if key not in detail:
                raise ValueError(f'item "{key}" not in json value "inputDetail"')
        output = json_value.get("outputDetail")
        if not isinstance(output, Mapping) or "logstoreName" not in output:
            raise KeyError("outputDetail.logstoreName")
        instance = cls.__new__(cls)
        value = copy.deepcopy(dict(json_value))
        for key, default in cls.DEFAULT_DETAIL_FIELDS:
            value["inputDetail"].setdefault(key, copy.deepcopy(default))
        value.setdefault("outputType", "LogService")
        instance.value = value
        return instance

    def __repr__(self) -> str:
        return f"{type(self).__name__}(configName={self.config_name!r}, logstoreName={self.logstore_name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConfigDetailBase) and self.value == other.value


class SimpleFileConfigDetail(ConfigDetailBase):
    """Collect whole lines of text files (one log per line, in a key ``content``)."""

    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["logPath", "filePattern"]
    DEFAULT_DETAIL_FIELDS: ClassVar[list[tuple[str, Any]]] = [
        ("localStorage", True),
        ("logType", "common_reg_log"),
        ("regex", "(.*)"),
        ("key", ["content"]),
        ("timeFormat", ""),
        ("topicFormat", "none"),
    ]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        logPath: str,
        filePattern: str,
        localStorage: Optional[bool] = None,
        enableRawLog: Optional[bool] = None,
        topicFormat: Optional[str] = None,
        fileEncoding: Optional[str] = None,
        maxDepth: Optional[int] = None,
        preserve: Optional[bool] = None,
        preserveDepth: Optional[int] = None,
        filterKey: Optional[list[str]] = None,
        filterRegex: Optional[list[str]] = None,
        **extended_items: Any,
    ) -> None:
        super().__init__(
            logstoreName,
            configName,
            "file",
            logPath=logPath,
            filePattern=filePattern,
            localStorage=localStorage,
            enableRawLog=enableRawLog,
            topicFormat=topicFormat,
            fileEncoding=fileEncoding,
            maxDepth=maxDepth,
            preserve=preserve,
            preserveDepth=preserveDepth,
            filterKey=filterKey,
            filterRegex=filterRegex,
            **extended_items,
        )


class FullRegFileConfigDetail(ConfigDetailBase):
    """Collect text files, splitting each log into keys with a regular expression.

    :param logBeginRegex: regex matching the first line of a (multi-line) log.
    :param regex: regex with one group per key.
    :param key: key names, one per group of ``regex``.
    :param timeFormat: strftime format of the time key.
    """

    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["logPath", "filePattern"]
    DEFAULT_DETAIL_FIELDS: ClassVar[list[tuple[str, Any]]] = [
        ("localStorage", True),
        ("logType", "common_reg_log"),
        ("regex", "(.*)"),
        ("key", ["content"]),
        ("timeFormat", ""),
    ]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        logPath: str,
        filePattern: str,
        logSample: str,
        logBeginRegex: Optional[str] = None,
        regex: Optional[str] = None,
        key: Optional[list[str]] = None,
        timeFormat: Optional[str] = None,
        localStorage: Optional[bool] = None,
        enableRawLog: Optional[bool] = None,
        topicFormat: Optional[str] = None,
        fileEncoding: Optional[str] = None,
        maxDepth: Optional[int] = None,
        preserve: Optional[bool] = None,
        preserveDepth: Optional[int] = None,
        filterKey: Optional[list[str]] = None,
        filterRegex: Optional[list[str]] = None,
        **extended_items: Any,
    ) -> None:
        super().__init__(
            logstoreName,
            configName,
            "file",
            logSample=logSample,
            logPath=logPath,
            filePattern=filePattern,
            logBeginRegex=logBeginRegex,
            regex=regex,
            key=key,
            timeFormat=timeFormat,
            localStorage=localStorage,
            enableRawLog=enableRawLog,
            topicFormat=topicFormat,
            fileEncoding=fileEncoding,
            maxDepth=maxDepth,
            preserve=preserve,
            preserveDepth=preserveDepth,
            filterKey=filterKey,
            filterRegex=filterRegex,
            **extended_items,
        )


class JsonFileConfigDetail(ConfigDetailBase):
    """Collect files with one JSON object per line.

    :param timeKey: the key holding the log time (``''``: use the collection time).
    """

    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["logPath", "filePattern"]
    DEFAULT_DETAIL_FIELDS: ClassVar[list[tuple[str, Any]]] = [
        ("localStorage", True),
        ("logType", "json_log"),
        ("timeFormat", ""),
        ("topicFormat", "none"),
    ]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        logPath: str,
        filePattern: str,
        timeKey: str = "",
        timeFormat: Optional[str] = None,
        localStorage: Optional[bool] = None,
        enableRawLog: Optional[bool] = None,
        topicFormat: Optional[str] = None,
        fileEncoding: Optional[str] = None,
        maxDepth: Optional[int] = None,
        preserve: Optional[bool] = None,
        preserveDepth: Optional[int] = None,
        filterKey: Optional[list[str]] = None,
        filterRegex: Optional[list[str]] = None,
        createTime: Optional[int] = None,
        modifyTime: Optional[int] = None,
        **extended_items: Any,
    ) -> None:
        super().__init__(
            logstoreName,
            configName,
            "file",
            createTime=createTime,
            modifyTime=modifyTime,
            logPath=logPath,
            filePattern=filePattern,
            timeKey=timeKey,
            timeFormat=timeFormat,
            localStorage=localStorage,
            enableRawLog=enableRawLog,
            topicFormat=topicFormat,
            fileEncoding=fileEncoding,
            maxDepth=maxDepth,
            preserve=preserve,
            preserveDepth=preserveDepth,
            filterKey=filterKey,
            filterRegex=filterRegex,
            **extended_items,
        )


class SeperatorFileConfigDetail(ConfigDetailBase):
    """Collect delimiter-separated files (CSV, TSV ...); the official spelling is kept.

    :param separator: the field separator.
    :param key: key names, one per column.
    :param timeKey: the key holding the log time.
    """

    MANDATORY_FIELDS_ROOT: ClassVar[list[str]] = ["configName", "inputType", "inputDetail", "logSample"]
    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["logPath", "filePattern", "separator", "key"]
    DEFAULT_DETAIL_FIELDS: ClassVar[list[tuple[str, Any]]] = [
        ("logType", "delimiter_log"),
        ("localStorage", True),
        ("timeFormat", ""),
        ("topicFormat", "none"),
        ("autoExtend", True),
    ]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        logPath: str,
        filePattern: str,
        logSample: str,
        separator: str,
        key: list[str],
        timeKey: str = "",
        timeFormat: Optional[str] = None,
        localStorage: Optional[bool] = None,
        enableRawLog: Optional[bool] = None,
        topicFormat: Optional[str] = None,
        fileEncoding: Optional[str] = None,
        maxDepth: Optional[int] = None,
        preserve: Optional[bool] = None,
        preserveDepth: Optional[int] = None,
        filterKey: Optional[list[str]] = None,
        filterRegex: Optional[list[str]] = None,
        createTime: Optional[int] = None,
        modifyTime: Optional[int] = None,
        **extended_items: Any,
    ) -> None:
        super().__init__(
            logstoreName,
            configName,
            "file",
            createTime=createTime,
            modifyTime=modifyTime,
            logSample=logSample,
            logPath=logPath,
            filePattern=filePattern,
            separator=separator,
            key=key,
            timeKey=timeKey,
            timeFormat=timeFormat,
            localStorage=localStorage,
            enableRawLog=enableRawLog,
            topicFormat=topicFormat,
            fileEncoding=fileEncoding,
            maxDepth=maxDepth,
            preserve=preserve,
            preserveDepth=preserveDepth,
            filterKey=filterKey,
            filterRegex=filterRegex,
            **extended_items,
        )


class ApsaraFileConfigDetail(ConfigDetailBase):
    """Collect files in the Apsara log format.

    :param logBeginRegex: regex matching the first line of a log.
    """

    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["logPath", "filePattern", "logBeginRegex"]
    DEFAULT_DETAIL_FIELDS: ClassVar[list[tuple[str, Any]]] = [
        ("localStorage", True),
        ("logType", "apsara_log"),
        ("topicFormat", "none"),
    ]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        logPath: str,
        filePattern: str,
        logBeginRegex: str,
        localStorage: Optional[bool] = None,
        enableRawLog: Optional[bool] = None,
        topicFormat: Optional[str] = None,
        fileEncoding: Optional[str] = None,
        maxDepth: Optional[int] = None,
        preserve: Optional[bool] = None,
        preserveDepth: Optional[int] = None,
        filterKey: Optional[list[str]] = None,
        filterRegex: Optional[list[str]] = None,
        createTime: Optional[int] = None,
        modifyTime: Optional[int] = None,
        **extended_items: Any,
    ) -> None:
        super().__init__(
            logstoreName,
            configName,
            "file",
            createTime=createTime,
            modifyTime=modifyTime,
            logPath=logPath,
            filePattern=filePattern,
            logBeginRegex=logBeginRegex,
            localStorage=localStorage,
            enableRawLog=enableRawLog,
            topicFormat=topicFormat,
            fileEncoding=fileEncoding,
            maxDepth=maxDepth,
            preserve=preserve,
            preserveDepth=preserveDepth,
            filterKey=filterKey,
            filterRegex=filterRegex,
            **extended_items,
        )


class SyslogConfigDetail(ConfigDetailBase):
    """Receive syslog messages.

    :param tag: the syslog tag that selects the messages.
    """

    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["tag"]

    def __init__(
        self,
        logstoreName: str,
        configName: str,
        tag: str,
        localStorage: Optional[bool] = None,
        createTime: Optional[int] = None,
        modifyTime: Optional[int] = None,
        **extended_items: Any,
    ) -> None:
        super().__init__(
            logstoreName,
            configName,
            "syslog",
            createTime=createTime,
            modifyTime=modifyTime,
            tag=tag,
            localStorage=localStorage,
            **extended_items,
        )


class PluginConfigDetail(ConfigDetailBase):
    """Collect with logtail plugins.

    :param plugin: the plugin pipeline (``{"inputs": [...], "processors": [...]}``).
    """

    MANDATORY_FIELDS_DETAIL: ClassVar[list[str]] = ["plugin"]

    def __init__(self, logstoreName: str, configName: str, plugin: Any, **extended_items: Any) -> None:
        super().__init__(logstoreName, configName, "plugin", plugin=plugin, **extended_items)
