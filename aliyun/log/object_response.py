"""Answers of the object calls (a per-logstore byte store)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ._responses import AckResponse
from .logresponse import LogResponse, header_value

__all__ = ["GetObjectResponse", "PutObjectResponse"]


class PutObjectResponse(AckResponse):
    """Answer of ``put_object``: the stored object's ``ETag``."""

    def get_etag(self) -> Optional[str]:
        """The ``ETag`` header (``None`` if absent)."""
        value = header_value(self.headers, "ETag")
        return None if value is None else str(value)

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [("etag", self.get_etag())]


class GetObjectResponse(LogResponse):
    """An object: its bytes (``get_body()``) and headers (``ETag``, ``Content-Type``, metadata)."""

    def __init__(self, header: Mapping[str, Any], resp: Any) -> None:
        super().__init__(header, resp)

    def get_etag(self) -> Optional[str]:
        """The ``ETag`` header (``None`` if absent)."""
        value = header_value(self.headers, "ETag")
        return None if value is None else str(value)

    def get_content_type(self) -> str:
        """The ``Content-Type`` header (``''`` if absent)."""
        return str(header_value(self.headers, "Content-Type", "") or "")

    def get_headers(self) -> dict[str, Any]:
        """All headers of the answer."""
        return self.headers

    def _print_fields(self) -> list[tuple[str, Any]]:
        size = len(self.body) if isinstance(self.body, (bytes, str)) else 0
        return [("etag", self.get_etag()), ("content_type", self.get_content_type()), ("size", size)]
