"""Which codec implementation runs: the native extension when it imports, the pure-Python one otherwise.

The extension (``aliyun.log._codec._speedups``, C on the CPython API) is built by ``pip install``
where a compiler and the Python headers exist; on PyPy, without a compiler, or when
``ALIYUN_LOG_PURE_CODEC=1`` is set (read once, at import), the pure-Python functions are used.
Both give the same bytes and the same dicts: the pure modules define the behaviour and the tests
hold the extension to them (see ``docs/performance.md#native-codec``).
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Optional, Union

from aliyun.log._codec.decode import check_log_group as check_log_group_python
from aliyun.log._codec.decode import decode_log_group_list, flatten_log_group_list
from aliyun.log._codec.encode import encode_fields as encode_fields_python
from aliyun.log._codec.encode import encode_log as encode_log_python
from aliyun.log._codec.encode import encode_log_group as encode_log_group_python
from aliyun.log._codec.encode import encode_record as encode_record_python

__all__ = [
    "PURE_ENV",
    "check_log_group",
    "decode_flat_logs",
    "decode_flat_logs_python",
    "encode_fields",
    "encode_log",
    "encode_log_group",
    "encode_record",
    "implementation",
    "native_module",
]

logger = logging.getLogger(__name__)

#: Environment variable that, set to ``1`` (or ``true``/``yes``), forces the pure-Python codec.
PURE_ENV = "ALIYUN_LOG_PURE_CODEC"

Buffer = Union[bytes, bytearray, memoryview]


def decode_flat_logs_python(data: Buffer) -> list[dict[str, Any]]:
    """Decode a serialized ``LogGroupList`` into flat dicts (see :func:`flatten_log_group_list`).

    :raises CodecError: ``PostBodyInvalid`` when the bytes are not a log group list.
    """
    return flatten_log_group_list(decode_log_group_list(data))


def _forced_pure() -> bool:
    return os.environ.get(PURE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


# What this module takes from the extension.
_NATIVE_NAMES = (
    "encode_log_group",
    "encode_log",
    "encode_fields",
    "encode_record",
    "decode_flat_logs",
    "check_log_group",
    "lz4_decompress",  # used by compression.decompress
)


def _load_native() -> Any:
    if _forced_pure():
        logger.debug("%s is set: using the pure-Python codec", PURE_ENV)
        return None
    try:
        from aliyun.log._codec import _speedups
    except ImportError as exc:  # not built (no compiler, PyPy, source checkout)
        logger.debug("native codec not available (%s): using the pure-Python codec", exc)
        return None
    missing = [name for name in _NATIVE_NAMES if not hasattr(_speedups, name)]
    if missing:  # an extension built from older sources (an in-place build not redone)
        logger.debug("native codec lacks %s: using the pure-Python codec", ", ".join(missing))
        return None
    return _speedups


_native = _load_native()

encode_log_group: Callable[..., bytes]
encode_log: Callable[[Any, Any, Any], bytes]
encode_fields: Callable[..., Optional[bytes]]
encode_record: Callable[..., Optional[bytes]]
decode_flat_logs: Callable[[Buffer], list[dict[str, Any]]]
check_log_group: Callable[[Buffer], int]
if _native is not None:
    encode_log_group = _native.encode_log_group
    encode_log = _native.encode_log
    encode_fields = _native.encode_fields
    encode_record = _native.encode_record
    decode_flat_logs = _native.decode_flat_logs
    _native_check = _native.check_log_group

    def check_log_group(data: Buffer) -> int:
        """Validate a PutLogs ``LogGroup`` and count its logs (see :func:`.decode.check_log_group`).

        The extension answers for a valid group; for anything else the pure function decides, so
        errors (and their messages) are the pure codec's.
        """
        count: Optional[int] = _native_check(data)
        return count if count is not None else check_log_group_python(data)

else:
    encode_log_group = encode_log_group_python
    encode_log = encode_log_python
    encode_fields = encode_fields_python
    encode_record = encode_record_python
    decode_flat_logs = decode_flat_logs_python
    check_log_group = check_log_group_python


def native_module() -> Any:
    """The extension module in use, or ``None`` (pure codec)."""
    return _native


def implementation() -> str:
    """``"native"`` when the C extension encodes and decodes, ``"python"`` otherwise."""
    return "native" if _native is not None else "python"
