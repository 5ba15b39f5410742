"""Read-only views of a pulled ``LogGroupList``: the messages' fields without the protobuf runtime's cost.

Walking ``log_groups.LogGroups`` → ``.Logs`` → ``.Contents`` → ``.Key``/``.Value`` on protobuf
messages creates a wrapper object per step and a new ``str`` per field read, every time it is
read; that walk cost more than the whole rest of a consumer. :func:`decode_log_group_list_view`
checks the bytes once (in C) and makes objects whose fields are plain attributes:

* :class:`LogGroupListView` ``.LogGroups``; ``LogGroupView`` ``.Logs``, ``.LogTags``, ``.Topic``,
  ``.Source``, ``.Reserved``, ``.MachineUUID``; ``LogView`` ``.Time``, ``.Time_ns``,
  ``.Contents``; ``ContentView`` / ``LogTagView`` ``.Key``, ``.Value``. The repeated fields are
  tuples, built on first read. Values are what the protobuf runtime (upb) gives for the same
  bytes: ``str``, or ``bytes`` when not UTF-8; a missing field reads as its default.
* Everything else a message has (``SerializeToString``, ``HasField``, ``ListFields``,
  ``DESCRIPTOR``, ``ByteSize``, ``str()``, pickling, ``==`` with a message ...) is answered by the
  real message, parsed from the same bytes (:meth:`to_message`), so
  ``google.protobuf.json_format.MessageToDict(view)`` works too. ``isinstance(view, Message)``
  is false: code that needs a message calls ``to_message()``.

Without the native extension :func:`decode_log_group_list_view` returns the protobuf message
itself, which has the same fields.
"""

from __future__ import annotations

from typing import Any, Union

from aliyun.log._codec.decode import decode_log_group_list
from aliyun.log._codec.schema import Log, LogGroup, LogGroupRaw, LogRaw, LogTag
from aliyun.log._codec.select import native_module

__all__ = ["VIEWS_AVAILABLE", "LogGroupListView", "decode_log_group_list_view"]

Buffer = Union[bytes, bytearray, memoryview]
_native = native_module()
#: True when views are made by the extension (otherwise protobuf messages are returned)
VIEWS_AVAILABLE = _native is not None and hasattr(_native, "decode_views")


def _parse(text: Any, raw: Any, span: tuple[bytes, int, int]) -> Any:
    body, start, length = span
    data = body[start : start + length]
    try:
        return text.FromString(data)
    except Exception:  # not parsable as text: the raw variant (bytes values), as the decoder does
        return raw.FromString(data)


def _as_bytes(value: Union[str, bytes]) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _as_text(value: Union[str, bytes]) -> str:
    # a string field of a message built by hand must be text (only a parse hands back bytes)
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _message_of(view: Any) -> Any:
    """The protobuf message a native view stands for (what its message methods are asked of)."""
    kind = type(view).__name__
    if kind == "LogView":
        return _parse(Log, LogRaw, view._span)
    if kind == "LogGroupView":
        return _parse(LogGroup, LogGroupRaw, view._span)
    if kind == "LogTagView":
        return LogTag(Key=_as_text(view.Key), Value=_as_text(view.Value))
    if isinstance(view.Key, str) and isinstance(view.Value, str):
        return Log.Content(Key=view.Key, Value=view.Value)
    return LogRaw.Content(Key=_as_text(view.Key), Value=_as_bytes(view.Value))


if VIEWS_AVAILABLE:
    assert _native is not None
    _native.set_view_hook(_message_of)


class LogGroupListView:
    """A pulled batch: ``LogGroups`` (a tuple of ``LogGroupView``); the rest through the message."""

    __slots__ = ("LogGroups", "_body", "_message")

    def __init__(self, body: bytes, groups: tuple[Any, ...]) -> None:
        self.LogGroups = groups
        self._body = body
        self._message: Any = None

    def to_message(self) -> Any:
        """The protobuf ``LogGroupList`` of the same bytes (parsed once)."""
        if self._message is None:
            self._message = decode_log_group_list(self._body)
        return self._message

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.to_message(), name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LogGroupListView):
            other = other.to_message()
        return bool(self.to_message() == other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # like messages

    def __str__(self) -> str:
        return str(self.to_message())

    def __repr__(self) -> str:
        return f"<LogGroupListView of {len(self.LogGroups)} groups>"

    def __reduce__(self) -> Any:
        return decode_log_group_list, (self._body,)


def decode_log_group_list_view(data: Buffer) -> Any:
    """A :class:`LogGroupListView` of a serialized ``LogGroupList`` (the message itself without the extension).

    :raises CodecError: ``PostBodyInvalid`` when the bytes are not a log group list.
    """
    if not VIEWS_AVAILABLE:
        return decode_log_group_list(data)
    body = bytes(data)
    return LogGroupListView(body, _native.decode_views(body))
