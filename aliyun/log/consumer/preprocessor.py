"""What a fetched batch becomes before ``process()`` sees it.

A preprocessor takes the :class:`~aliyun.log.PullLogResponse` of one fetch and returns the value
handed to the processor. Built in (the official module's names, typo included, plus one):
:func:`to_log_group_list_view` for :class:`~aliyun.log.consumer.ConsumerProcessorBase` (the
``LogGroupList`` fields as a read-only view, see :mod:`aliyun.log._codec.view`),
:func:`to_log_group_list_pb` (the protobuf message itself) and :func:`to_flattern_json_list` for
:class:`~aliyun.log.consumer.ConsumerJsonProcessorBase`. A processor can bring its own by
setting a callable ``_preprocessor`` attribute (``_preprocessor = staticmethod(to_log_group_list_pb)``
for real messages, or to decode into domain objects on the fetch thread instead of in ``process()``).
"""

from __future__ import annotations

from typing import Any, Callable

from ..pulllog_response import PullLogResponse
from .tasks import FLAT_JSON, data_format_of

__all__ = [
    "Preprocessor",
    "preprocessor_of",
    "to_flattern_json_list",
    "to_log_group_list_pb",
    "to_log_group_list_view",
]

#: a PullLogResponse in, the value ``process()`` receives out
Preprocessor = Callable[[PullLogResponse], Any]


def to_log_group_list_pb(pull_log_response: PullLogResponse) -> Any:
    """The protobuf ``LogGroupList`` of the batch."""
    return pull_log_response.get_loggroup_list()


def to_log_group_list_view(pull_log_response: PullLogResponse) -> Any:
    """The batch as a read-only view with the fields of the protobuf ``LogGroupList`` (the default).

    ``.LogGroups`` → ``.Logs`` → ``.Contents`` → ``.Key``/``.Value`` (and ``.Topic``, ``.Source``,
    ``.LogTags``, ``.Time``, ``.Time_ns``) are plain attributes decoded once; any other message
    method (``SerializeToString``, ``HasField``, ``ListFields`` ...) is answered by the message
    parsed from the same bytes. The message itself without the native codec.
    """
    return pull_log_response.get_loggroup_list_view()


def to_flattern_json_list(pull_log_response: PullLogResponse) -> list[dict[str, Any]]:
    """The logs of the batch as flat dicts (``__time__``, ``__topic__``, ``__source__``, tags, contents)."""
    return pull_log_response.get_flatten_logs_json()


def preprocessor_of(processor: Any) -> Preprocessor:
    """The processor's own ``_preprocessor`` when it has a callable one, else the built-in one
    matching its ``data_format``."""
    custom = getattr(processor, "_preprocessor", None)
    if callable(custom):
        return custom  # type: ignore[no-any-return]
    return to_flattern_json_list if data_format_of(processor) == FLAT_JSON else to_log_group_list_view
