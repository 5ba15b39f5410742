"""``LogFields`` and ``SimpleLogHandler``: turning a ``logging`` record into a log, and sending it.

Public through :mod:`aliyun.log.logger_hanlder` (see there).

How a record becomes a log: ``message`` is the formatted record; the ``fields`` (by default name,
level, function, module, path, line, process and thread) are copied from the record; ``extra``
attributes given to the logging call are added when ``extra`` is true; dict messages
(``extract_json``) and ``k=v`` text (``extract_kv``) can be split into fields. See
``docs/application-logging.md``.
"""

from __future__ import annotations

import enum
import json
import logging
import operator
import os
import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Callable, NamedTuple, Optional, Union

from ._codec import CodecError
from ._codec.encode import RECORD_MESSAGE, RECORD_NO_DICT, RecordSpec
from ._codec.select import encode_fields, native_module
from .logclient import LogClient
from .logitem import LogItem
from .producer._lifecycle import forget_inherited_connections
from .putlogsrequest import PutLogsRequest
from .version import LOGGING_HANDLER_USER_AGENT

#: per thread: a handler of this module is sending a record now
_sending = threading.local()
_EMULATOR_LOGGER = "aliyun.log.emulator"


def feeds_back(record: logging.LogRecord) -> bool:
    """Whether shipping ``record`` would make more records of its kind without end.

    The emulator's own records (its request log, when it runs in the same process, as under the
    pytest plugin) describe the requests a handler's sending causes: shipping them to it loops.
    """
    name = record.name
    return name == _EMULATOR_LOGGER or name.startswith(_EMULATOR_LOGGER + ".")


__all__ = ["DEFAULT_RECORD_LOG_FIELDS", "LogFields", "SimpleLogHandler"]


class LogFields(enum.Enum):
    """Record attributes a handler can send; the value is the ``logging.LogRecord`` attribute."""

    record_name = "name"
    level = "levelname"
    file_name = "filename"
    func_name = "funcName"
    module = "module"
    file_path = "pathname"
    line_no = "lineno"
    process_id = "process"
    process_name = "processName"
    thread_id = "thread"
    thread_name = "threadName"
    level_no = "levelno"
    asc_time = "asctime"
    created_timestamp = "created"
    micro_second = "msecs"
    relative_created = "relativeCreated"


#: what a handler sends when ``fields`` is not given
DEFAULT_RECORD_LOG_FIELDS = frozenset(
    {
        LogFields.record_name,
        LogFields.level,
        LogFields.func_name,
        LogFields.module,
        LogFields.file_path,
        LogFields.line_no,
        LogFields.process_id,
        LogFields.process_name,
        LogFields.thread_id,
        LogFields.thread_name,
    }
)
# Record attributes that are never sent as fields (the message is sent as ``message``).
_NEVER_SENT = frozenset({"exc_info", "exc_text", "stack_info", "msg", "args", "message"})
# Names that are not "extra": the member names and attribute names of LogFields, and the above.
_NOT_EXTRA = frozenset(LogFields.__members__) | {f.value for f in LogFields} | _NEVER_SENT
_MISSING = object()
# A record without extras has only these attributes (``taskName``, Python 3.12+, counts when set).
_NO_EXTRAS = _NOT_EXTRA | {"taskName"}
# Handler attributes the record -> log plan is made of; assigning one drops the plan.
_PLAN_INPUTS = frozenset(
    {
        "fields",
        "extra",
        "buildin_fields_prefix",
        "buildin_fields_suffix",
        "extract_json",
        "extract_kv",
        "_skip_message",
        "_built_in_root_field",
        "formatter",
        "project",
        "log_store",
        "topic",
        "_source",
        "_log_tags",
    }
)


class _Plan(NamedTuple):
    """How this handler turns a plain record into a log, worked out once (see ``_log_entry``)."""

    #: ``len(handler.fields)`` when made (a set edited in place is noticed)
    field_count: int
    #: the fast path stands in for the handler's hooks (none is overridden) and options
    fast: bool
    #: field names in log order: ``message`` (when sent) first, then the record fields
    names: tuple[str, ...]
    #: record ``__dict__`` -> the record fields' values, in ``names`` order
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    message: bool
    #: the formatter in force is a plain ``%(message)s`` one, whose text is ``getMessage()``
    plain_format: bool
    extra: bool
    extract_json: bool
    #: (project, logstore, topic, source, hash key, tags) of the logs, ``None`` when tags are set
    #: (they are read on every record: a tag list may be edited in place)
    group: Optional[tuple[Any, ...]]
    #: the codec's ``encode_record`` spec for this plan (``None``: the fast path is ``_log_entry``)
    native: Optional[RecordSpec] = None
    #: records may skip ``handle``'s filter and ``emit`` calls (neither is overridden), the
    #: queued handler's decision
    direct: bool = False


def _getter(attributes: Sequence[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(attributes) > 1:
        return operator.itemgetter(*attributes)
    if attributes:
        name = attributes[0]
        return lambda values: (values[name],)
    return lambda values: ()


def _plain_formatter(formatter: Optional[logging.Formatter]) -> bool:
    """Whether ``formatter`` (``None``: logging's default) formats a record as its ``getMessage()``
    (plus exception and stack text, which the fast path leaves to ``format``)."""
    if formatter is None:
        formatter = getattr(logging, "_defaultFormatter", None)
    if type(formatter) is not logging.Formatter:
        return False
    style = getattr(formatter, "_style", None)
    return (
        type(style) is logging.PercentStyle
        and getattr(style, "_fmt", None) == "%(message)s"
        and not getattr(style, "_defaults", None)
    )


def _text(value: Any) -> str:
    """A field value as text: ``None`` is empty, containers are JSON, bytes are decoded."""
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "ignore")
    return str(value)


class SimpleLogHandler(logging.Handler):
    """Send every record at once, in the calling thread (one PutLogs call per record).

    :param end_point: the SLS endpoint (``cn-hangzhou.log.aliyuncs.com``, or an emulator's).
    :param access_key_id: the AccessKeyId.
    :param access_key: the AccessKeySecret.
    :param project: the project to write to.
    :param log_store: the logstore to write to.
    :param topic: ``__topic__`` of the logs.
    :param fields: :class:`LogFields` (or their names) to copy from each record.
    :param buildin_fields_prefix: prefix of the names of fields taken from the record (and ``message``).
    :param buildin_fields_suffix: suffix of those names.
    :param extract_json: when the message is a dict, send its items as fields.
    :param extract_json_drop_message: then leave out ``message``.
    :param extract_json_prefix: prefix of field names taken from the dict.
    :param extract_json_suffix: suffix of those names.
    :param extract_kv: when the message is text, send its ``k=v`` and ``k="v w"`` pairs as fields.
    :param extract_kv_drop_message: then leave out ``message`` (when pairs were found).
    :param extract_kv_prefix: prefix of field names taken from the pairs.
    :param extract_kv_suffix: suffix of those names.
    :param extract_kv_sep: the separator of the pairs (default ``=``).
    :param extra: send the ``extra={...}`` attributes of the logging call (default true).
    :param auth_version: ``v1`` (default) or ``v4``.
    :param region: the region, for ``v4``.
    :param kwargs: passed to :class:`logging.Handler` (``level``).
    """

    #: the record -> log plan, made on first use and dropped when one of its inputs is assigned
    _plan: Optional[_Plan] = None

    def __init__(
        self,
        end_point: str,
        access_key_id: str,
        access_key: str,
        project: str,
        log_store: str,
        topic: Optional[str] = None,
        fields: Optional[Iterable[Union[LogFields, str]]] = None,
        buildin_fields_prefix: Optional[str] = None,
        buildin_fields_suffix: Optional[str] = None,
        extract_json: Optional[bool] = None,
        extract_json_drop_message: Optional[bool] = None,
        extract_json_prefix: Optional[str] = None,
        extract_json_suffix: Optional[str] = None,
        extract_kv: Optional[bool] = None,
        extract_kv_drop_message: Optional[bool] = None,
        extract_kv_prefix: Optional[str] = None,
        extract_kv_suffix: Optional[str] = None,
        extract_kv_sep: Optional[str] = None,
        extra: Optional[bool] = None,
        auth_version: str = "v1",
        region: str = "",
        **kwargs: Any,
    ) -> None:
        logging.Handler.__init__(self, **kwargs)
        self.end_point = end_point
        self.access_key_id = access_key_id
        self.access_key = access_key
        self.project = project
        self.log_store = log_store
        self.client: Optional[LogClient] = None
        self.topic = topic
        self.fields: Any = set(DEFAULT_RECORD_LOG_FIELDS) if fields is None else set(fields)
        self.auth_version = auth_version
        self.region = region
        self.extract_json = bool(extract_json)
        self.extract_json_prefix = extract_json_prefix or ""
        self.extract_json_suffix = extract_json_suffix or ""
        self.extract_json_drop_message = bool(extract_json_drop_message)
        self.buildin_fields_prefix = buildin_fields_prefix or ""
        self.buildin_fields_suffix = buildin_fields_suffix or ""
        self.extract_kv = bool(extract_kv)
        self.extract_kv_prefix = extract_kv_prefix or ""
        self.extract_kv_suffix = extract_kv_suffix or ""
        self.extract_kv_drop_message = bool(extract_kv_drop_message)
        self.extract_kv_sep = "=" if extract_kv_sep is None else extract_kv_sep
        self.extract_kv_ptn = self._get_extract_kv_ptn()
        self.extra = True if extra is None else bool(extra)
        self._skip_message = False
        self._built_in_root_field = ""
        self._log_tags: Optional[Sequence[tuple[str, str]]] = None
        self._source: Optional[str] = None
        self._client_lock = threading.Lock()
        self._client_pid = os.getpid()
        self._field_cache: Optional[tuple[Any, tuple[Any, ...], list[tuple[str, str]]]] = None

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in _PLAN_INPUTS:
            self.__dict__["_plan"] = None

    # -- attributes users set -------------------------------------------------------------------------

    @property
    def skip_message(self) -> bool:
        """Leave the ``message`` field out of every log."""
        return self._skip_message

    @skip_message.setter
    def skip_message(self, value: bool) -> None:
        self._skip_message = value

    @property
    def built_in_root_field(self) -> str:
        """When set, ``message`` and the record fields go into one JSON field of this name."""
        return self._built_in_root_field

    @built_in_root_field.setter
    def built_in_root_field(self, value: str) -> None:
        self._built_in_root_field = value

    @property
    def log_tags(self) -> Optional[Sequence[tuple[str, str]]]:
        """``(key, value)`` tags of every log group sent."""
        return self._log_tags

    @log_tags.setter
    def log_tags(self, value: Optional[Sequence[tuple[str, str]]]) -> None:
        self._log_tags = value

    @property
    def source(self) -> Optional[str]:
        """``__source__`` of the logs (``None``: the client's IP address)."""
        return self._source

    @source.setter
    def source(self, value: Optional[str]) -> None:
        self._source = value

    def set_topic(self, topic: Optional[str]) -> None:
        """Set ``__topic__`` for the following records."""
        self.topic = topic

    def set_fields(self, fields: Iterable[Union[LogFields, str]]) -> None:
        """Replace the record fields sent with each log."""
        self.fields = fields

    # -- overridable hooks -------------------------------------------------------------------------------

    def create_client(self) -> None:
        """Create ``self.client`` (override to use e.g. a credentials provider)."""
        self.client = LogClient(
            self.end_point, self.access_key_id, self.access_key, auth_version=self.auth_version, region=self.region
        )
        self.client.set_user_agent(LOGGING_HANDLER_USER_AGENT)

    def _get_client(self) -> LogClient:
        if self._client_pid != os.getpid():
            # a forked child: never write through the parent's pooled connections
            self._client_pid = os.getpid()
            if self.client is not None:
                forget_inherited_connections(self.client)
        if self.client is None:
            with self._client_lock:
                if self.client is None:
                    self.create_client()
        assert self.client is not None
        return self.client

    def send(self, req: PutLogsRequest) -> Any:
        """Write one request with the client (created on first use)."""
        return self._get_client().put_logs(req)

    def make_request(self, record: logging.LogRecord) -> PutLogsRequest:
        """The :class:`~aliyun.log.PutLogsRequest` carrying ``record`` as one log."""
        contents: list[tuple[str, str]] = []
        root: dict[str, str] = {}
        builtin = root if self._built_in_root_field else None
        message_name = f"{self.buildin_fields_prefix}message{self.buildin_fields_suffix}"
        extracted: Optional[list[tuple[str, str]]] = None
        drop = False
        if self.extract_json and isinstance(record.msg, dict):
            extracted, drop = self.extract_dict(record.msg), self.extract_json_drop_message
        elif self.extract_kv and isinstance(record.msg, (str, bytes)):
            extracted, drop = self.extract_kv_str(record.msg), self.extract_kv_drop_message
        if extracted:
            contents.extend(extracted)
        if not self._skip_message and not (drop and extracted):
            _put(contents, builtin, message_name, self.format(record))
        values = record.__dict__
        for attribute, name in self._field_names():
            value = values.get(attribute, _MISSING)
            if value is _MISSING:
                value = getattr(record, attribute, None)
            if value is None:
                continue
            kind = type(value)
            if kind is not str:
                if kind is int or kind is float:
                    value = str(value)
                elif callable(value):
                    continue
                else:
                    value = _text(value)
            if builtin is None:
                contents.append((name, value))
            else:
                builtin[name] = value
        if builtin:
            contents.append((_text(self._built_in_root_field), json.dumps(builtin)))
        if self.extra:
            contents.extend(self._extra_fields(record))
        item = LogItem(timestamp=int(record.created), contents=contents)
        return PutLogsRequest(
            self.project, self.log_store, self.topic, source=self._source, logitems=[item], logtags=self._log_tags
        )

    def filter(self, record: logging.LogRecord) -> bool:
        """Refuse records that shipping would multiply (:func:`feeds_back`), then apply the
        handler's own filters.

        This runs before :meth:`handle` takes the handler's lock: the emulator's request log is
        written from its own threads while this handler may hold that lock to send.
        """
        name = record.name
        if name.startswith(_EMULATOR_LOGGER) and feeds_back(record):
            return False
        return bool(super().filter(record)) if self.filters else True

    def emit(self, record: logging.LogRecord) -> None:
        """Send ``record``; a failure goes to :meth:`logging.Handler.handleError` (stderr)."""
        if getattr(_sending, "active", False):
            return  # a record made while this thread sends (the SDK's own logging) would loop
        _sending.active = True
        try:
            self.send(self.make_request(record))
        except Exception:
            self.handleError(record)
        finally:
            _sending.active = False

    # -- record conversion helpers --------------------------------------------------------------------------

    def _extra_fields(self, record: logging.LogRecord) -> list[tuple[str, str]]:
        """The ``extra={...}`` attributes of the record as fields, sorted by name."""
        extras = record.__dict__.keys() - _NOT_EXTRA  # usually empty or a few: sort only those
        found = []
        for attribute in sorted(extras) if extras else ():
            if not attribute.startswith("__"):
                field = self._get_record_fields(record, attribute)
                if field is not None:
                    found.append(field)
        return found

    def _make_plan(self) -> _Plan:
        """Work out the fast record -> log path for the current options (see :meth:`_log_entry`)."""
        cls = type(self)
        fast = (
            not self.extract_kv
            and not self._built_in_root_field
            and cls.make_request is SimpleLogHandler.make_request
            and cls._get_record_fields is SimpleLogHandler._get_record_fields
            and cls.extract_dict is SimpleLogHandler.extract_dict
        )
        fields = self._field_names()
        message = not self._skip_message
        names = tuple(name for _, name in fields)
        if message:
            names = (f"{self.buildin_fields_prefix}message{self.buildin_fields_suffix}", *names)
        tags = self._log_tags
        plain_format = cls.format is logging.Handler.format and _plain_formatter(self.formatter)
        attributes = tuple(attribute for attribute, _ in fields)
        native: Optional[RecordSpec] = None
        # with the pure codec the Python of _log_entry is the faster of the two
        if fast and (plain_format or not message) and native_module() is not None:
            flags = (RECORD_MESSAGE if message else 0) | (RECORD_NO_DICT if self.extract_json else 0)
            native = (logging.LogRecord, names, attributes, flags, _NO_EXTRAS if self.extra else None)
        plan = _Plan(
            field_count=len(self.fields),
            fast=fast,
            names=names,
            values=_getter(attributes),
            message=message,
            plain_format=plain_format,
            extra=self.extra,
            extract_json=self.extract_json,
            group=None if tags else (self.project, self.log_store, self.topic, self._source, None, ()),
            native=native,
        )
        self.__dict__["_plan"] = plan
        return plan

    def _current_plan(self) -> _Plan:
        plan = self._plan
        if plan is None or plan.field_count != len(self.fields):
            plan = self._make_plan()
        return plan

    def _log_entry(self, record: logging.LogRecord, plan: _Plan) -> Optional[bytes]:
        """``record`` as the encoded log :meth:`make_request` would build for it, or ``None`` when
        the record needs that path (a dict message to extract, a value that is not plain text or a
        number, an attribute that is not in the record's ``__dict__``).

        The fast path of the queued handler: no ``LogItem`` or request objects, one call of the
        codec's ``encode_fields`` over the field names and the record's values (it writes
        ``str(value)`` in C for the plain types), the message without ``Formatter.format`` when
        the formatter is a plain ``%(message)s`` one. Tests hold it to ``make_request``.
        """
        values = record.__dict__
        if plan.extract_json and isinstance(record.msg, dict):
            return None
        try:
            found = plan.values(values)
        except KeyError:
            return None
        if plan.message:
            if plan.plain_format and not (record.exc_info or record.exc_text or record.stack_info):
                message = record.message = record.getMessage()  # what Formatter.format sets too
            else:
                message = self.format(record)
            found = (message, *found)
        extras = None
        if plan.extra and not (_NO_EXTRAS.issuperset(values) and values.get("taskName") is None):
            extras = self._extra_fields(record)
        try:
            # str, int, float and bool values as str(value), None left out; any other type: None
            return encode_fields(int(record.created), plan.names, found, extras)
        except CodecError:
            return None  # make_request's path reports it

    def _field_names(self) -> list[tuple[str, str]]:
        """``(record attribute, field name)`` for ``self.fields``, kept until ``fields``, ``extra``
        or the built-in prefix/suffix are replaced (``set_fields`` replaces; do not edit in place)."""
        fields = self.fields
        key = (len(fields), self.extra, self.buildin_fields_prefix, self.buildin_fields_suffix)
        cached = self._field_cache
        if cached is None or cached[0] is not fields or cached[1] != key:
            prefix, suffix = self.buildin_fields_prefix, self.buildin_fields_suffix
            names = [(attribute, f"{prefix}{attribute}{suffix}") for attribute in self._field_attributes()]
            cached = self._field_cache = (fields, key, names)
        return cached[2]

    def _field_attributes(self) -> list[str]:
        """Record attribute names for ``self.fields`` (members, member names or attribute names)."""
        names = []
        for field in self.fields:
            if isinstance(field, LogFields):
                names.append(field.value)
            elif isinstance(field, str) and field not in _NEVER_SENT:
                if field in LogFields.__members__:
                    names.append(LogFields[field].value)
                elif field in _NOT_EXTRA or not self.extra:
                    names.append(field)
                # other names are record extras, sent with the extras when ``extra`` is on
        return names

    def _get_record_fields(self, record: logging.LogRecord, name: str) -> Optional[tuple[str, str]]:
        value = getattr(record, name, None)
        if value is None or callable(value):
            return None
        return f"{self.buildin_fields_prefix}{name}{self.buildin_fields_suffix}", _text(value)

    def extract_dict(self, message: Any) -> list[tuple[str, str]]:
        """The items of a dict message as fields (with the ``extract_json`` prefix and suffix)."""
        if not isinstance(message, dict):
            return []
        return [
            (f"{self.extract_json_prefix}{_text(k)}{self.extract_json_suffix}", _text(v)) for k, v in message.items()
        ]

    def _get_extract_kv_ptn(self) -> re.Pattern[str]:
        sep = re.escape(self.extract_kv_sep)
        word = r"[\w.\-]+"  # \w covers letters of every script, CJK included
        return re.compile(rf"({word})\s*{sep}\s*(?:\"\s*([^\"]+?)\s*\"|({word}))")

    def extract_kv_str(self, message: Union[str, bytes]) -> list[tuple[str, str]]:
        """The ``k=v`` and ``k="v w"`` pairs of a text message as fields."""
        text = message.decode("utf-8", "ignore") if isinstance(message, bytes) else message
        return [
            (f"{self.extract_kv_prefix}{key}{self.extract_kv_suffix}", quoted or plain)
            for key, quoted, plain in self.extract_kv_ptn.findall(text)
        ]


def _put(contents: list[tuple[str, str]], root: Optional[dict[str, str]], key: str, value: str) -> None:
    if root is not None:
        root[key] = value
    else:
        contents.append((key, value))
