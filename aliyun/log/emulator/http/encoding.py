"""Body compression on the wire, both ways, decided here once (docs/protocol.md "Bodies").

* A write body (PutLogs, a web-tracking batch) declares its compression with
  ``x-log-compresstype`` and its uncompressed length with ``x-log-bodyrawsize``;
  :func:`request_body` turns it into raw bytes within :data:`MAX_RAW_BODY`, answering the SLS
  error for each way that can go wrong.
* An answer (PullLogs, GetLogs) is compressed with the first encoding of ``Accept-Encoding``
  that SLS defines and this process can produce (:func:`answer_encoding`), and says so with the
  same two headers (:func:`encoded`).

The domain (``service/``) sees only raw bytes.
"""

from __future__ import annotations

from typing import Optional, Union

from ..._codec.compression import CompressType, available, compress, decompress
from ..._codec.errors import CodecError
from ..errors import bad_request

__all__ = ["MAX_RAW_BODY", "answer_encoding", "encoded", "request_body"]

#: largest uncompressed write body (the service's documented limit)
MAX_RAW_BODY = 10 * 1024 * 1024
#: the names a client may write in ``x-log-compresstype`` or ``Accept-Encoding``
_NAMES = {
    "": CompressType.NONE,
    "lz4": CompressType.LZ4,
    "zstd": CompressType.ZSTD,
    "deflate": CompressType.DEFLATE,
    "gzip": CompressType.DEFLATE,
}


def request_body(body: bytes, compress_type: Optional[str], raw_size: Optional[str]) -> bytes:
    """A write body as sent → its raw bytes.

    :raises SLSError: ``InvalidCompressType``, ``MissingBodyRawSize``, ``InvalidBodyRawSize``,
        ``PostBodyTooLarge`` or ``PostBodyUncompressError``.
    """
    kind = (compress_type or "").strip().lower()
    if kind not in _NAMES:
        raise bad_request("InvalidCompressType", f"unsupported x-log-compresstype: {compress_type!r}")
    if not kind:
        if len(body) > MAX_RAW_BODY:
            raise bad_request("PostBodyTooLarge", f"body is {len(body)} bytes, the limit is {MAX_RAW_BODY}")
        return body
    if raw_size is None or raw_size.strip() == "":
        raise bad_request("MissingBodyRawSize", "x-log-bodyrawsize is required with x-log-compresstype")
    try:
        size = int(raw_size)
    except ValueError:
        raise bad_request("InvalidBodyRawSize", f"invalid x-log-bodyrawsize: {raw_size!r}") from None
    if size < 0:
        raise bad_request("InvalidBodyRawSize", f"invalid x-log-bodyrawsize: {size}")
    if size > MAX_RAW_BODY:
        raise bad_request("PostBodyTooLarge", f"raw body is {size} bytes, the limit is {MAX_RAW_BODY}")
    try:
        return decompress(_NAMES[kind], body, size, max_size=MAX_RAW_BODY)
    except CodecError as exc:
        if exc.code == "UnsupportedCompressType":
            raise bad_request("InvalidCompressType", exc.message) from None
        raise bad_request("PostBodyUncompressError", exc.message) from None


def answer_encoding(accept_encoding: str) -> str:
    """The compression to answer with: the first one asked for that can be produced (``""``: none)."""
    usable = available()
    for item in accept_encoding.split(","):
        kind = _NAMES.get(item.split(";")[0].strip().lower())
        if kind and kind in usable:
            return kind
    return CompressType.NONE


def encoded(raw: Union[bytes, memoryview], accept_encoding: str) -> tuple[bytes, dict[str, str]]:
    """``raw`` compressed as the client accepts, with the headers that say how (none when not)."""
    kind = answer_encoding(accept_encoding)
    if not kind or not raw:
        return bytes(raw), {}  # a view (a pooled buffer) is copied; bytes are returned as they are
    return compress(kind, raw), {"x-log-compresstype": kind, "x-log-bodyrawsize": str(len(raw))}
