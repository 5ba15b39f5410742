"""The SLS log protobuf messages, built at import time from a descriptor written in Python.

Why not a generated ``_pb2`` module: generated code is tied to the protoc/runtime version that
produced it (the official SDK pins ``protobuf<6`` for that reason), while a
``FileDescriptorProto`` assembled here loads on every runtime from 4.21 to 7.x, with the upb, C++
or pure-Python backend, and needs no protoc.

Why a package name and a private pool: the official SDK registers bare names (``Log``,
``LogGroup``, ...) in the default descriptor pool. Ours live under ``aliyun_log_sdk.v1`` in a pool
of their own, so both SDKs can be imported into one process. Package names never reach the wire;
field numbers and types are what matter and they match the service's schema exactly.

Field names (``Logs``, ``Contents``, ``Key``, ``Value``, ``Time``, ``Time_ns``, ``Topic``,
``Source``, ``LogTags``, ``LogGroups``, ``MachineUUID``) are the official ones because consumer
code reads them directly.
"""

from __future__ import annotations

from typing import Any, Callable

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = [
    "PACKAGE",
    "Log",
    "LogTag",
    "LogGroup",
    "LogGroupList",
    "LogRaw",
    "LogTagRaw",
    "LogGroupRaw",
    "LogGroupListRaw",
]

PACKAGE = "aliyun_log_sdk.v1"

_F = descriptor_pb2.FieldDescriptorProto
_REQUIRED = _F.LABEL_REQUIRED
_OPTIONAL = _F.LABEL_OPTIONAL
_REPEATED = _F.LABEL_REPEATED

# (name, number, type, label, message type name or "")
_FieldSpec = tuple[str, int, int, int, str]


def _message(name: str, fields: list[_FieldSpec]) -> descriptor_pb2.DescriptorProto:
    msg = descriptor_pb2.DescriptorProto(name=name)
    for field_name, number, field_type, label, type_name in fields:
        field = msg.field.add(name=field_name, number=number, type=field_type, label=label)
        if type_name:
            field.type_name = f".{PACKAGE}.{type_name}"
    return msg


def _variant(suffix: str, value_type: int, key_type: int = _F.TYPE_STRING) -> list[descriptor_pb2.DescriptorProto]:
    """One family of messages; the raw family differs only in ``Log.Content.Value`` being bytes,
    the bytes family in every key and value of contents and tags being bytes."""
    log = _message(
        "Log" + suffix,
        [
            ("Time", 1, _F.TYPE_UINT32, _REQUIRED, ""),
            ("Contents", 2, _F.TYPE_MESSAGE, _REPEATED, f"Log{suffix}.Content"),
            # Field 3 is unused by the service; Time_ns is fixed32 (4 bytes), not a varint.
            ("Time_ns", 4, _F.TYPE_FIXED32, _OPTIONAL, ""),
        ],
    )
    log.nested_type.append(
        _message(
            "Content",
            [("Key", 1, key_type, _REQUIRED, ""), ("Value", 2, value_type, _REQUIRED, "")],
        )
    )
    tag = _message(
        "LogTag" + suffix,
        [("Key", 1, key_type, _REQUIRED, ""), ("Value", 2, key_type, _REQUIRED, "")],
    )
    group = _message(
        "LogGroup" + suffix,
        [
            ("Logs", 1, _F.TYPE_MESSAGE, _REPEATED, "Log" + suffix),
            ("Reserved", 2, _F.TYPE_STRING, _OPTIONAL, ""),
            ("Topic", 3, _F.TYPE_STRING, _OPTIONAL, ""),
            ("Source", 4, _F.TYPE_STRING, _OPTIONAL, ""),
            ("MachineUUID", 5, _F.TYPE_STRING, _OPTIONAL, ""),
            ("LogTags", 6, _F.TYPE_MESSAGE, _REPEATED, "LogTag" + suffix),
        ],
    )
    group_list = _message(
        "LogGroupList" + suffix,
        [("LogGroups", 1, _F.TYPE_MESSAGE, _REPEATED, "LogGroup" + suffix)],
    )
    return [log, tag, group, group_list]


def _file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="aliyun_log_sdk/v1/log_logs.proto", package=PACKAGE, syntax="proto2"
    )
    proto.message_type.extend(_variant("", _F.TYPE_STRING))
    proto.message_type.extend(_variant("Raw", _F.TYPE_BYTES))
    # only for runtimes that check UTF-8 in string fields (the pure-Python one, PyPy's), when a
    # key is not UTF-8: upb hands such keys back as bytes from the text family already
    proto.message_type.extend(_variant("Bytes", _F.TYPE_BYTES, _F.TYPE_BYTES))
    return proto


def _class_getter(pool: Any) -> Callable[[Any], Any]:
    # GetMessageClass appeared in protobuf 4.22 and MessageFactory.GetPrototype was removed
    # later: use whichever this runtime has.
    get_message_class = getattr(message_factory, "GetMessageClass", None)
    if get_message_class is not None:
        return get_message_class  # type: ignore[no-any-return]
    return message_factory.MessageFactory(pool).GetPrototype  # type: ignore[no-any-return]


_POOL: Any = descriptor_pool.DescriptorPool()
_POOL.Add(_file())
_get_class = _class_getter(_POOL)


def _reduce_by_class(self: Any) -> tuple[Any, tuple[()], Any]:
    return type(self), (), self.__getstate__()


def _load(name: str) -> Any:
    descriptor = _POOL.FindMessageTypeByName(f"{PACKAGE}.{name}")
    cls = _get_class(descriptor)
    nested = descriptor.nested_types_by_name.get("Content")
    content = _get_class(nested) if nested is not None else None
    # Make the classes importable by name so pickle (e.g. multiprocessing consumers) can find them.
    cls.__module__ = __name__
    cls.__qualname__ = name
    if content is not None:
        # The pure-Python backend does not attach nested classes; upb does. Normalise.
        if getattr(cls, "Content", None) is not content:
            cls.Content = content
        content.__module__ = __name__
        content.__qualname__ = f"{name}.Content"
        # protobuf pickles nested messages through the default pool, which does not hold ours.
        content.__reduce__ = _reduce_by_class
    return cls


Log: Any = _load("Log")
LogTag: Any = _load("LogTag")
LogGroup: Any = _load("LogGroup")
LogGroupList: Any = _load("LogGroupList")
LogRaw: Any = _load("LogRaw")
LogTagRaw: Any = _load("LogTagRaw")
LogGroupRaw: Any = _load("LogGroupRaw")
LogGroupListRaw: Any = _load("LogGroupListRaw")
LogGroupBytes: Any = _load("LogGroupBytes")
LogGroupListBytes: Any = _load("LogGroupListBytes")
