"""Protobuf messages of an asynchronous SQL result (``AsyncSqlResponsePB`` with its meta and rows).

Built at import time from a descriptor written here (as :mod:`aliyun.log._codec.schema` does for
the log messages), in a pool of its own so it never clashes with another registration.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["AsyncSqlMetaPB", "AsyncSqlResponsePB", "AsyncSqlRowPB"]

_PACKAGE = "aliyun_log_sdk.async_sql"
_F = descriptor_pb2.FieldDescriptorProto

# message -> [(field, number, type, label, message type or "")]
_MESSAGES: dict[str, list[tuple[str, int, int, int, str]]] = {
    "AsyncSqlMetaPB": [
        ("result_rows", 1, _F.TYPE_INT32, _F.LABEL_OPTIONAL, ""),
        ("processed_rows", 2, _F.TYPE_INT64, _F.LABEL_OPTIONAL, ""),
        ("processed_bytes", 3, _F.TYPE_INT64, _F.LABEL_OPTIONAL, ""),
        ("elapsed_milli", 4, _F.TYPE_INT64, _F.LABEL_OPTIONAL, ""),
        ("cpu_sec", 5, _F.TYPE_DOUBLE, _F.LABEL_OPTIONAL, ""),
        ("cpu_cores", 6, _F.TYPE_INT64, _F.LABEL_OPTIONAL, ""),
        ("progress", 7, _F.TYPE_STRING, _F.LABEL_OPTIONAL, ""),
        ("keys", 8, _F.TYPE_STRING, _F.LABEL_REPEATED, ""),
    ],
    "AsyncSqlRowPB": [("columns", 1, _F.TYPE_STRING, _F.LABEL_REPEATED, "")],
    "AsyncSqlResponsePB": [
        ("id", 1, _F.TYPE_STRING, _F.LABEL_REQUIRED, ""),
        ("state", 2, _F.TYPE_STRING, _F.LABEL_REQUIRED, ""),
        ("meta", 3, _F.TYPE_MESSAGE, _F.LABEL_OPTIONAL, "AsyncSqlMetaPB"),
        ("rows", 4, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, "AsyncSqlRowPB"),
        ("error_code", 5, _F.TYPE_STRING, _F.LABEL_OPTIONAL, ""),
        ("error_message", 6, _F.TYPE_STRING, _F.LABEL_OPTIONAL, ""),
    ],
}


def _file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(name="aliyun_log_sdk/async_sql.proto", package=_PACKAGE, syntax="proto2")
    for name, fields in _MESSAGES.items():
        message = proto.message_type.add(name=name)
        for field_name, number, field_type, label, type_name in fields:
            field = message.field.add(name=field_name, number=number, type=field_type, label=label)
            if type_name:
                field.type_name = f".{_PACKAGE}.{type_name}"
    return proto


_POOL: Any = descriptor_pool.DescriptorPool()
DESCRIPTOR = _POOL.Add(_file())


def _load(name: str) -> Any:
    descriptor = _POOL.FindMessageTypeByName(f"{_PACKAGE}.{name}")
    getter = getattr(message_factory, "GetMessageClass", None)
    cls = getter(descriptor) if getter is not None else message_factory.MessageFactory(_POOL).GetPrototype(descriptor)
    cls.__module__ = __name__
    cls.__qualname__ = name
    return cls


AsyncSqlMetaPB: Any = _load("AsyncSqlMetaPB")
AsyncSqlRowPB: Any = _load("AsyncSqlRowPB")
AsyncSqlResponsePB: Any = _load("AsyncSqlResponsePB")
