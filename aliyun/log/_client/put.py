"""Writing logs: ``put_logs`` and ``put_log_raw``."""

from __future__ import annotations

from typing import Any, Optional

from .. import _ops as ops
from .._codec import encode_log_group
from .._codec.compression import CompressType, compress
from .._codec.errors import CodecError
from ..errors import BadParameters, make_exception
from ..putlogsrequest import PutLogsRequest
from ..putlogsresponse import PutLogsResponse
from .core import ClientCore

__all__ = ["MAX_PUT_ITEMS", "MAX_PUT_RAW_BYTES", "PutMixin"]

#: most logs one PutLogs may carry
MAX_PUT_ITEMS = 512_000
#: largest uncompressed body the service accepts (10 MiB)
MAX_PUT_RAW_BYTES = 10 * 1024 * 1024

_PUT_TYPES = (CompressType.LZ4, CompressType.ZSTD, CompressType.DEFLATE)


class PutMixin(ClientCore):
    """Write log groups to a logstore."""

    def put_logs(self, request: PutLogsRequest) -> PutLogsResponse:
        """Write ``request``'s logs as one log group.

        The group goes to a shard chosen by the service, or to the shard whose key range holds
        ``request.hashkey``. The body is compressed with lz4 unless the request says otherwise.

        :type request: PutLogsRequest
        :raises InvalidLogSize: too many logs (over 512,000) or over 10 MiB before compression
            (checked before anything is sent).
        :raises LogStoreNotExist: no such logstore.
        """
        project, logstore = request.get_project(), request.get_logstore()
        if not project or not logstore:
            raise BadParameters("BadParameters", "PutLogsRequest needs a project and a logstore")
        items = request.get_log_items()
        if len(items) > MAX_PUT_ITEMS:
            raise make_exception("InvalidLogSize", f"{len(items)} logs in one request, the limit is {MAX_PUT_ITEMS}")
        source = request.get_source()
        body = encode_log_group(
            items,  # LogItems as they are: the encoder reads their attributes (natively when built)
            request.get_topic() or "",
            source if source is not None else self._default_source(),
            request.get_log_tags(),
        )
        kind = (request.get_compress_type() or CompressType.LZ4) if request.get_compress() else CompressType.NONE
        return self._put_body(project, logstore, body, kind, request.get_hash_key())

    def put_log_raw(
        self,
        project: str,
        logstore: str,
        log_group: Any,
        compress: Optional[bool] = None,
        *,
        hash_key: Optional[str] = None,
        compress_type: Optional[str] = None,
    ) -> PutLogsResponse:
        """Write one ready log group (a protobuf ``LogGroup``, or its serialized bytes).

        :type compress: boolean
        :param compress: ``False`` sends it uncompressed; otherwise ``compress_type`` (lz4 by default).
        :param hash_key: route to the shard holding this key instead of load balancing.

        :type project: string
        :type logstore: string
        :type log_group: LogGroup
        """
        body = log_group if isinstance(log_group, (bytes, bytearray)) else log_group.SerializeToString()
        kind = CompressType.NONE if compress is False else (compress_type or CompressType.LZ4)
        return self._put_body(project, logstore, bytes(body), kind, hash_key)

    def _put_body(self, project: str, logstore: str, raw: bytes, kind: str, hash_key: Optional[str]) -> PutLogsResponse:
        if len(raw) > MAX_PUT_RAW_BYTES:
            raise make_exception("InvalidLogSize", f"log group is {len(raw)} bytes, the limit is {MAX_PUT_RAW_BYTES}")
        headers = {"x-log-bodyrawsize": str(len(raw))}
        body = raw
        if kind:
            if kind not in _PUT_TYPES:
                raise make_exception("UnsupportedCompressType", f"cannot send {kind!r}; use lz4, zstd or deflate")
            try:
                body = compress(kind, raw)
            except CodecError as exc:
                raise make_exception(exc.code, exc.message, cause=exc) from exc
            headers["x-log-compresstype"] = kind
        if hash_key:
            response = self._call(
                ops.PUT_LOGS_ROUTE,
                project,
                params={"key": hash_key},
                body=body,
                headers=headers,
                content_type="application/x-protobuf",
                logstore=logstore,
            )
        else:
            response = self._call(
                ops.PUT_LOGS,
                project,
                body=body,
                headers=headers,
                content_type="application/x-protobuf",
                logstore=logstore,
            )
        return PutLogsResponse(dict(response.headers))
