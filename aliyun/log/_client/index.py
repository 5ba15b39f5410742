"""Index calls of ``LogClient``: create, update, read and delete a logstore's index."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Union

from .. import _ops as ops
from ..errors import BadParameters
from ..index_config import IndexConfig
from ..index_config_response import (
    CreateIndexResponse,
    DeleteIndexResponse,
    GetIndexResponse,
    UpdateIndexResponse,
)
from .core import ClientCore

__all__ = ["IndexMixin"]

IndexDetail = Union[IndexConfig, Mapping[str, Any], str, bytes]


def _index_json(index_detail: IndexDetail) -> Any:
    """The index JSON of an :class:`IndexConfig`, a dict, or JSON text."""
    to_json = getattr(index_detail, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(index_detail, Mapping):
        return dict(index_detail)
    if isinstance(index_detail, (str, bytes)):
        try:
            return json.loads(index_detail)
        except ValueError as exc:
            raise BadParameters("BadParameters", f"index_detail is not valid JSON: {exc}") from exc
    raise BadParameters("BadParameters", f"index_detail must be an IndexConfig or a dict, not {type(index_detail)}")


class IndexMixin(ClientCore):
    """A logstore's index decides what ``get_logs`` can search and which keys SQL can use.

    Only logs written after the index exists are searchable.
    """

    def create_index(self, project_name: str, logstore_name: str, index_detail: IndexDetail) -> CreateIndexResponse:
        """Create the logstore's index.

        :type index_detail: IndexConfig
        :param index_detail: an :class:`~aliyun.log.IndexConfig` (or the index JSON as a dict).
        :type project_name: string
        :type logstore_name: string
        :raises IndexAlreadyExist: the logstore already has one (use :meth:`update_index`).
        """
        _, headers = self._call_json(
            ops.CREATE_INDEX, project_name, body=_index_json(index_detail), logstore=logstore_name
        )
        return CreateIndexResponse(headers)

    def update_index(self, project_name: str, logstore_name: str, index_detail: IndexDetail) -> UpdateIndexResponse:
        """Replace the logstore's index (logs already written keep the old one).

        :type project_name: string
        :type logstore_name: string
        :type index_detail: IndexConfig
        :raises IndexConfigNotExist: the logstore has no index yet.
        """
        _, headers = self._call_json(
            ops.UPDATE_INDEX, project_name, body=_index_json(index_detail), logstore=logstore_name
        )
        return UpdateIndexResponse(headers)

    def get_index_config(self, project_name: str, logstore_name: str) -> GetIndexResponse:
        """Read the logstore's index (``get_index_config()`` of the answer is an ``IndexConfig``).

        :type project_name: string
        :type logstore_name: string
        :raises IndexConfigNotExist: the logstore has no index.
        """
        data, headers = self._call_json(ops.GET_INDEX, project_name, logstore=logstore_name)
        return GetIndexResponse(data, headers)

    def delete_index(self, project_name: str, logstore_name: str) -> DeleteIndexResponse:
        """Delete the logstore's index; its logs are no longer searchable.

        :type project_name: string
        :type logstore_name: string
        :raises IndexConfigNotExist: the logstore has no index.
        """
        _, headers = self._call_json(ops.DELETE_INDEX, project_name, logstore=logstore_name)
        return DeleteIndexResponse(headers)
