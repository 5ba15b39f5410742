"""Body compression as SLS uses it (``x-log-compresstype`` + ``x-log-bodyrawsize``).

* ``lz4``: LZ4 *block* format without the size prefix; the reader learns the size from
  ``x-log-bodyrawsize``.
* ``zstd``: a standard Zstandard frame at level 1, via the optional ``zstandard`` package.
* ``deflate`` and ``gzip``: both names mean a zlib (RFC 1950) stream; a real gzip (RFC 1952)
  stream is also accepted when decompressing.

Decompression never trusts the sender: the declared raw size is checked against the caller's limit
before any buffer is allocated, every decoder is bounded by it, and the result must have exactly
that size. All failures are :class:`~aliyun.log._codec.errors.CodecError`.
"""

from __future__ import annotations

import zlib
from typing import Any, Optional, Union

from aliyun.log._codec.errors import CodecError

__all__ = ["CompressType", "available", "compress", "decompress"]


class CompressType:
    """The ``x-log-compresstype`` values (``NONE`` = header absent)."""

    NONE = ""
    LZ4 = "lz4"
    ZSTD = "zstd"
    DEFLATE = "deflate"
    GZIP = "gzip"


_ZLIB_KINDS = frozenset((CompressType.DEFLATE, CompressType.GZIP))
_KNOWN = frozenset((CompressType.NONE, CompressType.LZ4, CompressType.ZSTD)) | _ZLIB_KINDS
# 32 + MAX_WBITS: let zlib detect a zlib or a gzip header by itself.
_ZLIB_AUTO_WBITS = 32 + zlib.MAX_WBITS


def _lz4_block() -> Any:
    # Imported on first use: modules that only parse protobuf should not pay for it.
    try:
        import lz4.block
    except ImportError as exc:
        raise CodecError("UnsupportedCompressType", "lz4 needs the 'lz4' package (pip install lz4)") from exc
    return lz4.block


def _native_lz4() -> Any:
    from aliyun.log._codec.select import native_module  # not at import: select is loaded after this module

    native = native_module()
    return native.lz4_decompress if native is not None else None


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError as exc:
        raise CodecError(
            "UnsupportedCompressType", "zstd needs the 'zstandard' package (pip install zstandard)"
        ) from exc
    return zstandard


def _normalise(kind: Optional[str]) -> str:
    name = (kind or "").strip().lower()
    if name not in _KNOWN:
        raise CodecError("UnsupportedCompressType", f"unsupported compress type {kind!r}")
    return name


def available() -> set[str]:
    """The compression kinds usable in this process (``""`` = no compression is always there)."""
    kinds = {CompressType.NONE, *_ZLIB_KINDS}
    for kind, loader in ((CompressType.LZ4, _lz4_block), (CompressType.ZSTD, _zstandard)):
        try:
            loader()
        except CodecError:
            continue
        kinds.add(kind)
    return kinds


def compress(kind: str, data: Union[bytes, bytearray, memoryview]) -> bytes:
    """Compress ``data`` for sending with ``x-log-compresstype: kind``.

    :param kind: one of :class:`CompressType` (case-insensitive); ``""`` returns ``data`` unchanged.
    :raises CodecError: ``UnsupportedCompressType`` for an unknown kind or a missing package.
    """
    name = _normalise(kind)
    if name == CompressType.LZ4:
        result: bytes = _lz4_block().compress(data, store_size=False)
        return result
    if name == CompressType.ZSTD:
        result = _zstandard().ZstdCompressor(level=1).compress(data)
        return result
    if name in _ZLIB_KINDS:
        return zlib.compress(data)
    return bytes(data)


def decompress(kind: str, data: bytes, raw_size: int, *, max_size: Optional[int] = None) -> bytes:
    """Undo :func:`compress`, expecting exactly ``raw_size`` bytes of output.

    :param kind: the received ``x-log-compresstype`` (case-insensitive); ``""`` returns ``data``
        unchanged (no size check: there is nothing to inflate).
    :param raw_size: the received ``x-log-bodyrawsize``; ``0`` yields ``b""`` without decoding.
    :param max_size: the largest raw size the caller accepts (compression-bomb guard).
    :raises CodecError: ``UnsupportedCompressType``; ``InvalidBodyRawSize`` for a negative size;
        ``PostBodyTooLarge`` above ``max_size``; ``DecompressError`` for corrupt data or an
        output whose length is not ``raw_size``.
    """
    name = _normalise(kind)
    if name == CompressType.NONE:
        return data
    if raw_size < 0:
        raise CodecError("InvalidBodyRawSize", f"raw size {raw_size} is negative")
    if max_size is not None and raw_size > max_size:
        raise CodecError("PostBodyTooLarge", f"raw size {raw_size} exceeds the limit of {max_size} bytes")
    if raw_size == 0:
        # Several decoders read a 0 bound as "unlimited"; an empty body needs no decoding anyway.
        return b""
    if name == CompressType.LZ4:
        output = _lz4_decompress(data, raw_size)
    elif name == CompressType.ZSTD:
        output = _zstd_decompress(data, raw_size)
    else:
        output = _zlib_decompress(data, raw_size)
    if len(output) != raw_size:
        raise CodecError("DecompressError", f"{name} data decompressed to {len(output)} bytes, expected {raw_size}")
    return output


def _lz4_decompress(data: bytes, raw_size: int) -> bytes:
    native = _native_lz4()
    if native is not None:
        # One bytes object of the raw size, filled in place (the lz4 package's decompress fills a
        # buffer of its own and copies it: twice the memory, and for answers of megabytes twice
        # the page faults; see docs/performance.md "Pull pipeline").
        output: bytes = native(data, raw_size)
        return output
    block = _lz4_block()
    try:
        # The output buffer is raw_size bytes; a stream that would exceed it fails instead.
        output = block.decompress(data, uncompressed_size=raw_size)
    except (block.LZ4BlockError, ValueError) as exc:
        raise CodecError("DecompressError", f"corrupt lz4 data: {exc}") from exc
    return output


def _zstd_decompress(data: bytes, raw_size: int) -> bytes:
    zstandard = _zstandard()
    try:
        declared = zstandard.get_frame_parameters(data).content_size
        # When the frame header states its size, zstandard allocates that much and ignores
        # max_output_size: refuse a disagreeing header before it can allocate anything.
        if declared != zstandard.CONTENTSIZE_UNKNOWN and declared != raw_size:
            raise CodecError("DecompressError", f"zstd frame declares {declared} bytes, expected {raw_size}")
        output: bytes = zstandard.ZstdDecompressor().decompress(data, max_output_size=raw_size)
    except zstandard.ZstdError as exc:
        raise CodecError("DecompressError", f"corrupt zstd data: {exc}") from exc
    return output


def _zlib_decompress(data: bytes, raw_size: int) -> bytes:
    inflater = zlib.decompressobj(_ZLIB_AUTO_WBITS)
    try:
        # max_length bounds the output; anything left over means the stream is longer than declared.
        output = inflater.decompress(data, raw_size)
    except zlib.error as exc:
        raise CodecError("DecompressError", f"corrupt zlib data: {exc}") from exc
    if inflater.unconsumed_tail:
        raise CodecError("DecompressError", f"zlib data is longer than the declared {raw_size} bytes")
    if not inflater.eof:
        # Input ran out before the end marker (or output is still pending beyond raw_size).
        raise CodecError("DecompressError", f"zlib data is truncated or longer than the declared {raw_size} bytes")
    return output
