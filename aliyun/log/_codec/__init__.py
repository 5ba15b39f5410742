"""Log data codec: the LogGroup protobuf (hand encoder + runtime decoder) and body compression.

Kept behind this small interface so a faster implementation can replace any piece:

* :func:`encode_log_group` -- PutLogs body (the hot path; native when built, see ``select``);
* :func:`decode_flat_logs` -- PullLogs body straight to flat dicts (native when built);
* :func:`decode_log_group_list` / :func:`flatten_log_group_list` -- PullLogs bodies as messages;
* :func:`check_log_group` -- PutLogs validation in the emulator (native when built);
* :func:`decode_log_group`, :func:`encode_log_group_list`, :func:`split_log_group_list` -- the
  emulator's ingest and serve paths;
* :func:`compress` / :func:`decompress` -- ``x-log-compresstype`` bodies;
* :class:`CodecError` -- the one error type, carrying an SLS-style code;
* :func:`implementation` -- ``"native"`` or ``"python"``.
"""

from aliyun.log._codec.compression import CompressType, available, compress, decompress
from aliyun.log._codec.decode import (
    decode_log_group,
    decode_log_group_list,
    flatten_log_group_list,
    iter_log_groups,
    split_log_group_list,
)
from aliyun.log._codec.encode import LogEntry, LogTuple, encode_log_group_list
from aliyun.log._codec.errors import CodecError
from aliyun.log._codec.schema import (
    Log,
    LogGroup,
    LogGroupList,
    LogGroupListRaw,
    LogGroupRaw,
    LogRaw,
    LogTag,
    LogTagRaw,
)
from aliyun.log._codec.select import check_log_group, decode_flat_logs, encode_log_group, implementation

__all__ = [
    "CodecError",
    "CompressType",
    "Log",
    "LogGroup",
    "LogGroupList",
    "LogGroupListRaw",
    "LogGroupRaw",
    "LogRaw",
    "LogTag",
    "LogEntry",
    "LogTagRaw",
    "LogTuple",
    "available",
    "check_log_group",
    "compress",
    "decode_flat_logs",
    "decode_log_group",
    "decode_log_group_list",
    "decompress",
    "encode_log_group",
    "encode_log_group_list",
    "flatten_log_group_list",
    "implementation",
    "iter_log_groups",
    "split_log_group_list",
]
