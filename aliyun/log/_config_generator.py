"""``LogtailConfigGenerator``: the typed config class for a REST config JSON, and the object built from it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
from .logexception import LogException

__all__ = ["LogtailConfigGenerator", "config_class_for"]

_FILE_CLASSES: dict[str, type[ConfigDetailBase]] = {
    "common_reg_log": SimpleFileConfigDetail,
    "json_log": JsonFileConfigDetail,
    "delimiter_log": SeperatorFileConfigDetail,
    "apsara_log": ApsaraFileConfigDetail,
}
_INPUT_CLASSES: dict[str, type[ConfigDetailBase]] = {
    "syslog": SyslogConfigDetail,
    "plugin": PluginConfigDetail,
}


def config_class_for(json_value: Mapping[str, Any]) -> type[ConfigDetailBase]:
    """The typed class a REST config JSON belongs to.

    :raises LogException: ``InvalidInput`` when ``inputType`` (or a file config's ``logType``)
        is missing or unknown.
    """
    input_type = json_value.get("inputType")
    if input_type == "file":
        detail = json_value.get("inputDetail")
        log_type = detail.get("logType") if isinstance(detail, Mapping) else None
        found = _FILE_CLASSES.get(str(log_type))
    else:
        found = _INPUT_CLASSES.get(str(input_type))
    if found is None:
        raise LogException(
            "InvalidInput",
            f"cannot tell the kind of logtail config: inputType={input_type!r} (and inputDetail.logType for files)",
        )
    return found


class LogtailConfigGenerator:
    """Build the typed config object (``ConfigDetailBase`` family) from a REST config JSON."""

    @staticmethod
    def generate_simple_log_config(json_value: Mapping[str, Any]) -> SimpleFileConfigDetail:
        """A whole-line file config."""
        return SimpleFileConfigDetail.from_json(json_value)

    @staticmethod
    def generate_full_regex_config(json_value: Mapping[str, Any]) -> FullRegFileConfigDetail:
        """A regex file config."""
        return FullRegFileConfigDetail.from_json(json_value)

    @staticmethod
    def generate_json_config(json_value: Mapping[str, Any]) -> JsonFileConfigDetail:
        """A JSON-lines file config."""
        return JsonFileConfigDetail.from_json(json_value)

    @staticmethod
    def generate_separator_config(json_value: Mapping[str, Any]) -> SeperatorFileConfigDetail:
        """A delimiter-separated file config."""
        return SeperatorFileConfigDetail.from_json(json_value)

    @staticmethod
    def generate_apsara_config(json_value: Mapping[str, Any]) -> ApsaraFileConfigDetail:
        """An Apsara-format file config."""
        return ApsaraFileConfigDetail.from_json(json_value)

    @staticmethod
    def generate_syslog_config(json_value: Mapping[str, Any]) -> SyslogConfigDetail:
        """A syslog config."""
        return SyslogConfigDetail.from_json(json_value)

    @staticmethod
    def generate_plugin_config(json_value: Mapping[str, Any]) -> PluginConfigDetail:
        """A plugin config."""
        return PluginConfigDetail.from_json(json_value)

    @staticmethod
    def generate_config(json_value: Mapping[str, Any]) -> ConfigDetailBase:
        """The object of the right class for any REST config JSON.

        ``common_reg_log`` files become :class:`SimpleFileConfigDetail` (its regex and keys are
        kept), as in the official SDK.

        :raises LogException: ``InvalidInput`` for an unknown ``inputType`` / ``logType``.
        """
        return config_class_for(json_value).from_json(json_value)

    @staticmethod
    def from_json(json_value: Mapping[str, Any]) -> ConfigDetailBase:
        """Same as :meth:`generate_config`."""
        return LogtailConfigGenerator.generate_config(json_value)
