"""Body compression under the official SDK's names (``CompressType``, ``Compressor``).

A facade over :mod:`aliyun.log._codec.compression`, the codec the client itself uses; errors
surface as :class:`~aliyun.log.LogException` with the SLS code (``UnsupportedCompressType``,
``DecompressError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, Callable, TypeVar

from ._codec import compression as _codec
from ._codec.errors import CodecError
from .logexception import LogException

__all__ = ["CompressType", "Compressor", "lz_compresss", "lz_decompress", "zstd_compress", "zstd_decompress"]

T = TypeVar("T")


def _as_log_exception(call: Callable[[], T]) -> T:
    try:
        return call()
    except CodecError as exc:
        raise LogException(exc.code, exc.message) from exc


def lz_decompress(raw_size: int, data: bytes) -> bytes:
    """Undo :func:`lz_compresss`; ``raw_size`` is the ``x-log-bodyrawsize``."""
    return _as_log_exception(lambda: _codec.decompress(_codec.CompressType.LZ4, data, int(raw_size)))


def lz_compresss(data: bytes) -> bytes:
    """LZ4 block compression without the size prefix, as SLS takes it (official spelling)."""
    return _as_log_exception(lambda: _codec.compress(_codec.CompressType.LZ4, data))


def zstd_compress(data: bytes) -> bytes:
    """Zstandard compression (needs the ``zstd`` extra)."""
    return _as_log_exception(lambda: _codec.compress(_codec.CompressType.ZSTD, data))


def zstd_decompress(raw_size: int, data: bytes) -> bytes:
    """Undo :func:`zstd_compress`, checking the output is ``raw_size`` bytes."""
    return _as_log_exception(lambda: _codec.decompress(_codec.CompressType.ZSTD, data, int(raw_size)))


class CompressType(Enum):
    """The compressions a body can travel with; ``str()`` gives the ``x-log-compresstype`` value."""

    UNCOMPRESSED = 1
    LZ4 = 2
    ZSTD = 3

    @staticmethod
    def default_compress_type() -> CompressType:
        """LZ4, what the client sends by default."""
        return CompressType.LZ4

    @staticmethod
    def from_nullable_str(compress_type: Any) -> CompressType:
        """``"lz4"`` / ``"zstd"`` to their member; anything else (``None``, ``""``) to the default."""
        text = str(compress_type or "").strip().lower()
        if text == "zstd":
            return CompressType.ZSTD
        return CompressType.LZ4

    def __str__(self) -> str:
        return {CompressType.LZ4: "lz4", CompressType.ZSTD: "zstd"}.get(self, "")

    @property
    def wire_name(self) -> str:
        """The ``x-log-compresstype`` value (``""`` for uncompressed)."""
        return str(self)


def _member(compress_type: Any) -> CompressType:
    if isinstance(compress_type, CompressType):
        return compress_type
    raise LogException("UnsupportedCompressType", f"Unsupported compress type: {compress_type!r}")


class Compressor:
    """Compress and decompress bodies by :class:`CompressType`."""

    @staticmethod
    def compress(data: bytes, compress_type: CompressType) -> bytes:
        """``data`` compressed with ``compress_type`` (unchanged for ``UNCOMPRESSED``)."""
        return _as_log_exception(lambda: _codec.compress(_member(compress_type).wire_name, data))

    @staticmethod
    def decompress(data: bytes, raw_size: int, compress_type: CompressType) -> bytes:
        """Undo :meth:`compress`, checking the output is ``raw_size`` bytes."""
        kind = _member(compress_type).wire_name
        return _as_log_exception(lambda: _codec.decompress(kind, data, int(raw_size)))

    @staticmethod
    def decompress_response(header: Mapping[str, Any], response: bytes) -> bytes:
        """An answer's body decompressed per its ``x-log-compresstype`` / ``x-log-bodyrawsize`` headers."""
        lower = {str(k).lower(): v for k, v in header.items()}
        kind = str(lower.get("x-log-compresstype") or "").lower()
        if not kind:
            return response
        raw_size = int(lower.get("x-log-bodyrawsize") or 0)
        return _as_log_exception(lambda: _codec.decompress(kind, response, raw_size))
