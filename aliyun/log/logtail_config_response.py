"""Responses of the logtail config calls."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Optional

from ._config_details import ConfigDetailBase
from ._config_generator import LogtailConfigGenerator
from .logexception import LogException
from .logresponse import LogResponse, PagedListResponse

__all__ = [
    "CreateLogtailConfigResponse",
    "DeleteLogtailConfigResponse",
    "GetLogtailConfigResponse",
    "ListLogtailConfigResponse",
    "UpdateLogtailConfigResponse",
]

logger = logging.getLogger(__name__)


def print_json_line(value: Mapping[str, Any]) -> None:
    """Print one JSON line, keys in the given order (the form the original README shows)."""
    print(json.dumps(value, ensure_ascii=False))


class CreateLogtailConfigResponse(LogResponse):
    """Answer of ``create_logtail_config``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class UpdateLogtailConfigResponse(LogResponse):
    """Answer of ``update_logtail_config``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class DeleteLogtailConfigResponse(LogResponse):
    """Answer of ``delete_logtail_config``."""

    def __init__(self, header: Mapping[str, Any], resp: Any = "") -> None:
        super().__init__(header, resp)


class GetLogtailConfigResponse(LogResponse):
    """Answer of ``get_logtail_config``.

    ``logtail_config`` is the typed object (:class:`~aliyun.log.SimpleFileConfigDetail`,
    :class:`~aliyun.log.JsonFileConfigDetail` ... as built by ``LogtailConfigGenerator``), or
    ``None`` when the service returned a kind of config this SDK does not know; the JSON as
    received is always in :meth:`get_body`.
    """

    def __init__(self, resp: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        super().__init__(header, resp)
        self.logtail_config: Optional[ConfigDetailBase] = None
        try:
            self.logtail_config = LogtailConfigGenerator.generate_config(resp)
        except (LogException, ValueError, KeyError, TypeError, AttributeError) as exc:
            # Newer services have config kinds we cannot type; the raw JSON stays usable.
            logger.debug("logtail config %r kept as raw JSON: %s", resp.get("configName"), exc)

    def get_logtail_config(self) -> Optional[ConfigDetailBase]:
        """The typed config object (``None`` for an unknown kind of config)."""
        return self.logtail_config

    def get_config_name(self) -> str:
        """The config's name."""
        return str(self.body.get("configName", ""))

    def get_create_time(self) -> Optional[int]:
        """Creation time (seconds) as the service reports it."""
        value = self.body.get("createTime")
        return None if value is None else int(value)

    def get_last_modify_time(self) -> Optional[int]:
        """Last modification time (seconds); the service calls it ``lastModifyTime`` or ``modifyTime``."""
        value = self.body.get("lastModifyTime", self.body.get("modifyTime"))
        return None if value is None else int(value)

    def _print_fields(self) -> list[tuple[str, Any]]:
        shown = self.logtail_config.to_json() if self.logtail_config is not None else self.body
        return [("logtail_config", shown)]


class ListLogtailConfigResponse(PagedListResponse):
    """Answer of ``list_logtail_config``: one page of config names."""

    items_key = "configs"

    @property
    def configs(self) -> list[str]:
        """The config names of this page."""
        return self._items

    def get_configs(self) -> list[str]:
        """The config names of this page."""
        return self._items

    def get_configs_count(self) -> int:
        """Number of names in this page."""
        return self.count

    def get_configs_total(self) -> int:
        """Number of configs matching the request in all pages."""
        return self._total

    def log_print(self) -> None:
        """Print ``{"count": ..., "configs": [...], "total": ...}`` on one line (the README's form)."""
        print_json_line({"count": self.count, "configs": self._items, "total": self._total})
