"""Logtail config objects: the 0.6-era classes, ``LogtailConfigHelper``, and the typed family.

Two generations of classes describe the same REST document (docs/resources.md):

* the 0.6-era :class:`CommonRegLogConfigDetail` / :class:`ApsaraLogConfigDetail` (snake_case
  constructor arguments, built by :class:`LogtailConfigHelper`), which the original README uses;
* the typed :class:`ConfigDetailBase` family (``SimpleFileConfigDetail``, ``JsonFileConfigDetail``
  ...), built by :class:`LogtailConfigGenerator`; ``get_logtail_config`` returns these.

Both have ``to_json()``, and ``create_logtail_config`` / ``update_logtail_config`` accept either
(or a plain dict).

:class:`LogtailConfigHelper` accepts two input shapes and tells them apart by the presence of
``inputDetail``: the REST JSON (``configName``, ``inputDetail``, ``outputDetail``), or the flat
dict of the original README whose keys are the :class:`CommonRegLogConfigDetail` parameter names
(``config_name``, ``logstore_name``, ``log_path`` ...).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Optional, Union

from ._config_details import (
    ApsaraFileConfigDetail,
    ConfigDetailBase,
    FullRegFileConfigDetail,
    JsonFileConfigDetail,
    PluginConfigDetail,
    SeperatorFileConfigDetail,
    SimpleFileConfigDetail,
    SyslogConfigDetail,
)
from ._config_generator import LogtailConfigGenerator

__all__ = [
    "ApsaraFileConfigDetail",
    "ApsaraLogConfigDetail",
    "CommonRegLogConfigDetail",
    "ConfigDetailBase",
    "FullRegFileConfigDetail",
    "JsonFileConfigDetail",
    "LogtailConfigDetail",
    "LogtailConfigGenerator",
    "LogtailConfigHelper",
    "PluginConfigDetail",
    "SeperatorFileConfigDetail",
    "SimpleFileConfigDetail",
    "SyslogConfigDetail",
]

DEFAULT_APSARA_BEGIN_REGEX = "\\[\\d+-\\d+-\\d+ \\d+:\\d+:\\d+\\.\\d+.*"
# inputDetail keys each legacy class maps to its own attributes; every other key is kept as an
# extended item so reading a config and writing it back loses nothing.
_COMMON_KEYS = frozenset(
    {"logType", "logPath", "filePattern", "timeFormat", "logBeginRegex", "regex", "key", "topicFormat"}
    | {"filterKey", "filterRegex"}
)
_APSARA_KEYS = frozenset(
    ("logType", "logPath", "filePattern", "logBeginRegex", "topicFormat", "filterKey", "filterRegex")
)
_ROOT_KEYS = frozenset(
    {"configName", "inputType", "inputDetail", "outputType", "outputDetail", "logSample"}
    | {"createTime", "modifyTime", "lastModifyTime"}
)


class LogtailConfigDetail:
    """Settings shared by the 0.6-era file configs (base of the two classes below).

    :param config_name: the config's name.
    :param logstore_name: the logstore the logs go to.
    :param endpoint: written to ``outputDetail.endpoint`` (may be ``''``).
    :param log_path: the folder to watch.
    :param file_pattern: file name pattern inside it (``*.log``).
    :param log_begin_regex: regex matching the first line of a log.
    :param topic_format: ``none``, ``group_topic`` or a regex on the file path.
    :param filter_keys: keys to filter on.
    :param filter_keys_reg: one regex per filter key; logs that do not match are dropped.
    :param logSample: a sample log.
    :param log_type: ``inputDetail.logType``.
    :param extended_items: more ``inputDetail`` keys, written as given.
    """

    def __init__(
        self,
        config_name: str,
        logstore_name: str,
        endpoint: str,
        log_path: str,
        file_pattern: str,
        log_begin_regex: str,
        topic_format: str,
        filter_keys: Optional[list[str]],
        filter_keys_reg: Optional[list[str]],
        logSample: str = "",
        log_type: str = "common_reg_log",
        **extended_items: Any,
    ) -> None:
        now = int(time.time())
        self.config_name = config_name
        self.logstore_name = logstore_name
        self.endpoint = endpoint
        self.log_path = log_path
        self.file_pattern = file_pattern
        self.log_begin_regex = log_begin_regex
        self.topic_format = topic_format
        self.filter_keys = filter_keys
        self.filter_keys_reg = filter_keys_reg
        self.create_time = now
        self.last_modify_time = now
        self.logSample = logSample
        self.log_type = log_type
        self.extended_items = extended_items
        # keys of a config read from the service that these classes have no attribute for
        self._extra_root: dict[str, Any] = {}
        self._extra_output: dict[str, Any] = {}

    def set_create_time(self, create_time: int) -> None:
        """Set the creation time (seconds)."""
        self.create_time = create_time

    def set_last_modify_time(self, last_modify_time: int) -> None:
        """Set the last modification time (seconds)."""
        self.last_modify_time = last_modify_time

    @staticmethod
    def from_json(json_value: Mapping[str, Any]) -> LogtailConfigDetail:
        """Build the 0.6-era object from a REST config JSON.

        ``apsara_log`` configs become :class:`ApsaraLogConfigDetail`, everything else
        :class:`CommonRegLogConfigDetail`.
        """
        detail = json_value.get("inputDetail") or {}
        if detail.get("logType") == "apsara_log":
            return ApsaraLogConfigDetail._from_rest(json_value)
        return CommonRegLogConfigDetail._from_rest(json_value)

    def _output_detail(self) -> dict[str, Any]:
        output = {"endpoint": self.endpoint, "logstoreName": self.logstore_name}
        output.update(self._extra_output)
        return output

    def _root(self, input_detail: dict[str, Any], output_type: str) -> dict[str, Any]:
        value: dict[str, Any] = {"configName": self.config_name, "inputType": "file"}
        if self.logSample:
            value["logSample"] = self.logSample
        value["inputDetail"] = input_detail
        value["outputType"] = output_type
        value["outputDetail"] = self._output_detail()
        for key, item in self._extra_root.items():
            value.setdefault(key, item)
        return value

    def _keep_rest_extras(self, json_value: Mapping[str, Any]) -> None:
        created = json_value.get("createTime")
        modified = json_value.get("lastModifyTime", json_value.get("modifyTime"))
        if created is not None:
            self.set_create_time(created)
        if modified is not None:
            self.set_last_modify_time(modified)
        self._extra_root = {k: v for k, v in json_value.items() if k not in _ROOT_KEYS}
        output = json_value.get("outputDetail") or {}
        self._extra_output = {k: v for k, v in output.items() if k not in ("endpoint", "logstoreName")}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(config_name={self.config_name!r}, logstore_name={self.logstore_name!r})"


def _extras(detail: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """``inputDetail`` keys outside ``known``; ``localStorage: true`` is implied and dropped."""
    extras = {k: v for k, v in detail.items() if k not in known}
    if extras.get("localStorage") is True:
        del extras["localStorage"]
    return extras


class CommonRegLogConfigDetail(LogtailConfigDetail):
    """A file config parsed with a regular expression (``logType: common_reg_log``).

    :param time_format: strftime format of the time key (``''``: collection time).
    :param log_parse_regex: regex with one group per key (written as ``regex``).
    :param reg_keys: the key names (written as ``key``).

    The other parameters are those of :class:`LogtailConfigDetail`.
    """

    def __init__(
        self,
        config_name: str,
        logstore_name: str,
        endpoint: str,
        log_path: str,
        file_pattern: str,
        time_format: str,
        log_begin_regex: str,
        log_parse_regex: str,
        reg_keys: list[str],
        topic_format: str = "none",
        filter_keys: Optional[list[str]] = None,
        filter_keys_reg: Optional[list[str]] = None,
        logSample: str = "",
        log_type: str = "common_reg_log",
        **extended_items: Any,
    ) -> None:
        super().__init__(
            config_name,
            logstore_name,
            endpoint,
            log_path,
            file_pattern,
            log_begin_regex,
            topic_format,
            filter_keys,
            filter_keys_reg,
            logSample,
            log_type,
            **extended_items,
        )
        self.time_format = time_format
        self.log_parse_regex = log_parse_regex
        self.keys = reg_keys

    def to_json(self) -> dict[str, Any]:
        """The REST JSON document."""
        detail: dict[str, Any] = {
            "logType": self.log_type,
            "logPath": self.log_path,
            "filePattern": self.file_pattern,
            "localStorage": True,
            "timeFormat": self.time_format,
            "logBeginRegex": self.log_begin_regex,
            "regex": self.log_parse_regex,
            "key": self.keys,
            "filterKey": self.filter_keys or [],
            "filterRegex": self.filter_keys_reg or [],
            "topicFormat": self.topic_format,
        }
        detail.update(self.extended_items)
        return self._root(detail, "LogService")

    @classmethod
    def _from_rest(cls, json_value: Mapping[str, Any]) -> CommonRegLogConfigDetail:
        detail = json_value["inputDetail"]
        output = json_value["outputDetail"]
        made = cls(
            json_value["configName"],
            output["logstoreName"],
            output.get("endpoint", ""),
            detail["logPath"],
            detail["filePattern"],
            detail.get("timeFormat", ""),
            detail.get("logBeginRegex", ""),
            detail.get("regex", ""),
            detail.get("key", []),
            detail.get("topicFormat", "none"),
            detail.get("filterKey", []),
            detail.get("filterRegex", []),
            json_value.get("logSample", ""),
            detail.get("logType", "common_reg_log"),
            **_extras(detail, _COMMON_KEYS),
        )
        made._keep_rest_extras(json_value)
        return made


class ApsaraLogConfigDetail(LogtailConfigDetail):
    """A file config in the Apsara log format (``logType: apsara_log``).

    Written with ``outputType: "log"``, as both official versions do. Parameters are those of
    :class:`LogtailConfigDetail`.
    """

    def __init__(
        self,
        config_name: str,
        logstore_name: str,
        endpoint: str,
        log_path: str,
        file_pattern: str,
        log_begin_regex: str = DEFAULT_APSARA_BEGIN_REGEX,
        topic_format: str = "none",
        filter_keys: Optional[list[str]] = None,
        filter_keys_reg: Optional[list[str]] = None,
        logSample: str = "",
        **extended_items: Any,
    ) -> None:
        super().__init__(
            config_name,
            logstore_name,
            endpoint,
            log_path,
            file_pattern,
            log_begin_regex,
            topic_format,
            filter_keys,
            filter_keys_reg,
            logSample,
            "apsara_log",
            **extended_items,
        )

    def to_json(self) -> dict[str, Any]:
        """The REST JSON document."""
        detail: dict[str, Any] = {
            "logType": "apsara_log",
            "logPath": self.log_path,
            "filePattern": self.file_pattern,
            "localStorage": True,
            "logBeginRegex": self.log_begin_regex,
            "timeFormat": "",
            "filterKey": self.filter_keys or [],
            "filterRegex": self.filter_keys_reg or [],
            "topicFormat": self.topic_format,
        }
        detail.update(self.extended_items)
        return self._root(detail, "log")

    @classmethod
    def _from_rest(cls, json_value: Mapping[str, Any]) -> ApsaraLogConfigDetail:
        detail = json_value["inputDetail"]
        output = json_value["outputDetail"]
        extras = _extras(detail, _APSARA_KEYS)
        if not extras.get("timeFormat"):
            extras.pop("timeFormat", None)
        made = cls(
            json_value["configName"],
            output["logstoreName"],
            output.get("endpoint", ""),
            detail["logPath"],
            detail["filePattern"],
            detail.get("logBeginRegex", DEFAULT_APSARA_BEGIN_REGEX),
            detail.get("topicFormat", "none"),
            detail.get("filterKey", []),
            detail.get("filterRegex", []),
            json_value.get("logSample", ""),
            **extras,
        )
        made._keep_rest_extras(json_value)
        return made


LegacyConfig = Union[CommonRegLogConfigDetail, ApsaraLogConfigDetail]


def _is_rest(json_value: Mapping[str, Any]) -> bool:
    return "inputDetail" in json_value


def _flat_is_apsara(json_value: Mapping[str, Any]) -> bool:
    if json_value.get("log_type") == "apsara_log":
        return True
    return not any(key in json_value for key in ("log_parse_regex", "reg_keys", "time_format"))


class LogtailConfigHelper:
    """Build 0.6-era config objects from a dict.

    Each method accepts the REST JSON (it has ``inputDetail``) or the README's flat dict whose
    keys are the :class:`CommonRegLogConfigDetail` parameter names::

        helper.generate_common_reg_log_config({
            "config_name": "config_name1", "logstore_name": "logstore1", "endpoint": "",
            "log_path": "/var/log", "file_pattern": "*.log", "time_format": "%Y-%m-%d %H:%M:%S",
            "log_begin_regex": ".*", "log_parse_regex": "(.*)", "reg_keys": ["content"],
        })
    """

    @staticmethod
    def generate_common_reg_log_config(json_value: Mapping[str, Any]) -> CommonRegLogConfigDetail:
        """A :class:`CommonRegLogConfigDetail` from REST JSON or the flat README dict."""
        if _is_rest(json_value):
            return CommonRegLogConfigDetail._from_rest(json_value)
        return CommonRegLogConfigDetail(**dict(json_value))

    @staticmethod
    def generate_apsara_log_config(json_value: Mapping[str, Any]) -> ApsaraLogConfigDetail:
        """An :class:`ApsaraLogConfigDetail` from REST JSON or a flat dict of its parameters."""
        if _is_rest(json_value):
            return ApsaraLogConfigDetail._from_rest(json_value)
        flat = dict(json_value)
        flat.pop("log_type", None)
        return ApsaraLogConfigDetail(**flat)

    @staticmethod
    def generate_logtail_config(json_value: Mapping[str, Any]) -> LegacyConfig:
        """Either class, chosen by ``logType`` (REST JSON) or by the keys present (flat dict).

        A flat dict with any of ``log_parse_regex``, ``reg_keys`` or ``time_format`` (and no
        ``log_type: apsara_log``) is a common-regex config.
        """
        if _is_rest(json_value):
            detail = json_value.get("inputDetail") or {}
            if detail.get("logType") == "apsara_log":
                return LogtailConfigHelper.generate_apsara_log_config(json_value)
            return LogtailConfigHelper.generate_common_reg_log_config(json_value)
        if _flat_is_apsara(json_value):
            return LogtailConfigHelper.generate_apsara_log_config(json_value)
        return LogtailConfigHelper.generate_common_reg_log_config(json_value)
