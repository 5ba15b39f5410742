"""Objects: named byte strings kept under a logstore, with some of the headers they were sent with.

An object is one meta-store document (kind ``object``, scope ``<project>/<logstore>``, so it
goes with its logstore) holding its bytes (base64) and kept headers. Its name is only ever a key
of the meta store, never a path. The rules are in docs/tags.md "Objects".
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any, Optional

from ..errors import SLSError, bad_request, not_found
from .resource_store import MetaDocs
from .state import EmulatorState

__all__ = ["MAX_OBJECT_BYTES", "OBJECT_KIND", "ObjectService", "StoredObject"]

OBJECT_KIND = "object"
#: the largest object the emulator keeps
MAX_OBJECT_BYTES = 16 * 1024 * 1024
#: object names: the characters the official client documents, bounded
_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")
#: headers kept with an object and sent back with it (besides ``x-log-meta-*``)
_KEPT = ("content-type", "content-md5")
_META_PREFIX = "x-log-meta-"
#: headers and bytes of metadata one object may carry
_MAX_META_HEADERS = 64
_MAX_META_BYTES = 8 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class StoredObject:
    """An object read back: its bytes and the headers to answer with."""

    def __init__(self, data: bytes, headers: dict[str, str]) -> None:
        self.data = data
        self.headers = headers


class ObjectService:
    """PutObject and GetObject."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.docs = MetaDocs(state, OBJECT_KIND)

    def _scope(self, project: Optional[str], logstore: str) -> str:
        return self.state.logstore_scope(self.state.logstore(project or "", logstore))

    @staticmethod
    def _check_name(name: str) -> None:
        if not _NAME.fullmatch(name):
            raise bad_request("ParameterInvalid", f"an object name is 1-256 of A-Z a-z 0-9 _ -, got {name[:300]!r}")

    def put(self, project: Optional[str], logstore: str, name: str, data: bytes, headers: Mapping[str, str]) -> str:
        """Store (or replace) an object; returns its ETag (the upper-case hex MD5 of the bytes)."""
        self._check_name(name)
        if len(data) > MAX_OBJECT_BYTES:
            raise SLSError("PostBodyTooLarge", f"an object is at most {MAX_OBJECT_BYTES} bytes, got {len(data)}", 400)
        etag = hashlib.md5(data).hexdigest().upper()
        md5 = headers.get("content-md5")
        if md5 and md5.strip().upper() != etag:
            raise bad_request("InvalidDigest", "Content-MD5 does not match the object's bytes")
        kept = {key: value for key, value in headers.items() if key in _KEPT}
        meta = {key: value for key, value in headers.items() if key.startswith(_META_PREFIX)}
        if len(meta) > _MAX_META_HEADERS or sum(len(k) + len(v) for k, v in meta.items()) > _MAX_META_BYTES:
            raise bad_request(
                "ParameterInvalid", f"at most {_MAX_META_HEADERS} x-log-meta-* headers of {_MAX_META_BYTES} bytes"
            )
        doc = {
            "data": base64.b64encode(data).decode("ascii"),
            "headers": {**kept, **meta},
            "etag": etag,
            "lastModified": self.state.now(),
        }
        with self.state.lock:
            self.docs.put(self._scope(project, logstore), name, doc)
        return etag

    def get(self, project: Optional[str], logstore: str, name: str) -> StoredObject:
        """An object, or ``404 ObjectNotExist``."""
        self._check_name(name)
        found: Any = self.docs.get(self._scope(project, logstore), name)
        if found is None:
            raise not_found("ObjectNotExist", f"object {name} does not exist")
        headers = {"Content-Type": DEFAULT_CONTENT_TYPE, "ETag": str(found["etag"])}
        for key, value in dict(found.get("headers") or {}).items():
            headers["Content-Type" if key == "content-type" else key] = str(value)
        return StoredObject(base64.b64decode(found["data"]), headers)
