"""``encode_record``: a logging record straight to its encoded log, the queued handler's fastest path.

Both codecs (the native one when built, the pure-Python twin always) must give, for every record,
either ``None`` (the handler's general path takes it) or exactly the bytes ``make_request`` builds.
"""

from __future__ import annotations

import copy
import logging
import sys
from typing import Any, Callable, Optional
from unittest import mock

import pytest

from aliyun.log import _simple_handler
from aliyun.log._codec import CodecError
from aliyun.log._codec.encode import RECORD_MESSAGE, RecordSpec
from aliyun.log._codec.encode import encode_record as pure_record
from aliyun.log._codec.select import native_module
from aliyun.log.logger_hanlder import QueuedLogHandler, SimpleLogHandler

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_logging_handler_fast_path import ARGS, HANDLERS, RECORDS, _Client, _stored, general, record  # noqa: E402

Encoder = Callable[[Any, RecordSpec], Optional[bytes]]
_native = native_module()
ENCODERS: list[Encoder] = [pure_record] + ([_native.encode_record] if _native is not None else [])
IDS = ["pure"] + (["native"] if _native is not None else [])


def spec_of(handler: SimpleLogHandler) -> Optional[RecordSpec]:
    """The handler's ``encode_record`` spec, also when the pure codec is the one in use."""
    with mock.patch.object(_simple_handler, "native_module", lambda: object()):
        handler.__dict__["_plan"] = None
        return handler._current_plan().native


@pytest.mark.parametrize("encode", ENCODERS, ids=IDS)
@pytest.mark.parametrize("options,attrs,least", HANDLERS)
def test_encode_record_equals_make_request(
    encode: Encoder, options: dict[str, Any], attrs: dict[str, Any], least: int
) -> None:
    handler = SimpleLogHandler(*ARGS, **options)
    for name, value in attrs.items():
        setattr(handler, name, value)
    spec = spec_of(handler)
    assert spec is not None
    taken = 0
    for rec in RECORDS:
        entry = encode(rec, spec)
        if entry is not None:
            taken += 1
            assert entry == general(handler, rec), rec.msg
    assert taken >= least - 1  # unlike _log_entry, records with extras (the dunder one) go the general way


class _Record(logging.LogRecord):
    def getMessage(self) -> str:
        return "overridden"


class _Adds:
    """A message object whose str() gives the record an extra attribute."""

    def __init__(self, rec: logging.LogRecord) -> None:
        self.rec = rec

    def __str__(self) -> str:
        self.rec.late = "added"
        return "adds"


def _odd_records() -> list[tuple[str, logging.LogRecord]]:
    sub = _Record("app", logging.INFO, "/a.py", 1, "m", None, None)
    adds = record("x")
    adds.msg = _Adds(adds)
    missing = record("m")
    del missing.__dict__["lineno"]
    no_args = record("m")
    del no_args.__dict__["args"]
    int_created = record("m")
    int_created.created = 1700000000
    keyed = record("m")
    keyed.__dict__[1] = "one"
    task = record("m", taskName="worker")
    odd_value = record("m", threadName=b"bytes")
    text_sub = record("m")
    text_sub.threadName = type("Name", (str,), {})("t")
    stacked = record("m", stack_info="Stack (most recent call last): ...")
    return [
        ("subclass", sub),
        ("str adds an attribute", adds),
        ("attribute missing", missing),
        ("no args", no_args),
        ("created not a float", int_created),
        ("non-str key", keyed),
        ("taskName set", task),
        ("bytes value", odd_value),
        ("str subclass value", text_sub),
        ("stack info", stacked),
    ]


@pytest.mark.parametrize("encode", ENCODERS, ids=IDS)
def test_records_for_the_general_path_give_none(encode: Encoder) -> None:
    handler = SimpleLogHandler(*ARGS)
    spec = spec_of(handler)
    assert spec is not None
    for why, rec in _odd_records():
        assert encode(rec, spec) is None, why
        if why not in ("attribute missing", "no args", "non-str key"):
            general(handler, rec)  # the general path does take it


@pytest.mark.parametrize("encode", ENCODERS, ids=IDS)
def test_extras_are_found_whatever_records_came_before(encode: Encoder) -> None:
    """The native codec remembers the keys of the last record without extras (same str objects,
    same order); a record that differs anywhere, or a check against another set, must still be
    seen for what it is."""
    standard = frozenset(record("m").__dict__) | {"message", "taskName"}
    with_user = standard | {"user"}
    names, attributes = ("message", "levelname"), ("levelname",)
    strict: RecordSpec = (logging.LogRecord, names, attributes, RECORD_MESSAGE, standard)
    lenient: RecordSpec = (logging.LogRecord, names, attributes, RECORD_MESSAGE, with_user)

    def swapped() -> logging.LogRecord:  # one standard attribute gone, an extra in its place
        rec = record("m")
        del rec.__dict__["module"]
        rec.__dict__["user"] = "u"
        return rec

    def reordered() -> logging.LogRecord:  # the same keys in another order: no extras
        rec = record("m")
        items = list(rec.__dict__.items())
        rec.__dict__.clear()
        rec.__dict__.update(reversed(items))
        return rec

    def equal_key() -> logging.LogRecord:  # an equal but distinct key object: still known
        rec = record("m")
        rec.__dict__["".join(["level", "name"])] = rec.__dict__.pop("levelname")
        return rec

    sequence = [
        (strict, record("m"), True),
        (strict, record("m", user="u"), False),
        (strict, record("m"), True),
        (strict, swapped(), False),
        (strict, reordered(), True),
        (strict, record("m", taskName="t"), False),
        (strict, record("m", taskName=None), True),
        (lenient, record("m", user="u"), True),
        (strict, record("m", user="u"), False),
        (lenient, swapped(), True),
        (strict, equal_key(), True),
        (strict, record("m", user="u"), False),
    ]
    for _ in range(2):  # the second time round, each case follows what was learned from the first
        for spec, rec, taken in sequence:
            assert (encode(copy.copy(rec), spec) is not None) is taken, (spec is lenient, sorted(rec.__dict__))


@pytest.mark.parametrize("encode", ENCODERS, ids=IDS)
def test_encode_record_sets_the_message_and_raises_what_get_message_raises(encode: Encoder) -> None:
    names, attributes = ("message", "levelname"), ("levelname",)
    spec: RecordSpec = (logging.LogRecord, names, attributes, RECORD_MESSAGE, None)
    rec = record("%d items", 3)
    assert encode(rec, spec) is not None and rec.message == "3 items"
    with pytest.raises(TypeError):
        encode(record("%d items", "three"), spec)
    with pytest.raises(TypeError):
        encode(rec, (logging.LogRecord, names, (), RECORD_MESSAGE, None))  # names and attributes disagree
    many = ("levelname",) * 65  # more fields than the native codec holds: the general path
    assert encode(rec, (logging.LogRecord, many, many, 0, None)) is None
    late = record("m")
    late.created = -5.0
    with pytest.raises(CodecError):
        encode(late, spec)


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
value = st.one_of(text, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.binary(max_size=8))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    msg=st.one_of(
        text.map(lambda t: t.replace("%", "%%") + " %s"), st.integers(), text.map(lambda t: t.replace("%", ""))
    ),
    arg=value,
    extras=st.dictionaries(st.sampled_from(["user", "n", "taskName", "thread", "lineno"]), value, max_size=3),
    options=st.sampled_from([options for options, attrs, _ in HANDLERS if not attrs]),
)
def test_any_record_agrees_with_make_request(msg: Any, arg: Any, extras: dict[str, Any], options: Any) -> None:
    handler = SimpleLogHandler(*ARGS, **options)
    spec = spec_of(handler)
    assert spec is not None
    args = (arg,) if isinstance(msg, str) and msg.endswith("%s") else ()
    original_record = record(msg, *args, **extras)
    outcomes = [encode(copy.copy(original_record), spec) for encode in ENCODERS]
    assert len(set(outcomes)) == 1
    if outcomes[0] is not None:
        assert outcomes[0] == general(handler, copy.copy(original_record))


@pytest.mark.skipif(_native is None, reason="native codec not built")
def test_encode_record_keeps_reference_counts() -> None:
    assert _native is not None
    rec = record("%s and %d", "välue" + str(id(object())), 2**70)
    spec: RecordSpec = (logging.LogRecord, ("message", "levelname", "lineno"), ("levelname", "lineno"), 1, None)
    held = (rec.msg, rec.args, rec.levelname, spec, rec.__dict__)
    _native.encode_record(rec, spec)  # sets rec.message once
    before = [sys.getrefcount(x) for x in held]
    for _ in range(2000):
        assert _native.encode_record(rec, spec) is not None
        assert _native.encode_record(rec, (*spec[:4], frozenset({"x"}))) is None
    assert [sys.getrefcount(x) for x in held] == before


def _queued(client: _Client) -> QueuedLogHandler:
    handler = QueuedLogHandler(*ARGS, "t", put_wait=60)
    handler.client = client  # type: ignore[assignment]
    return handler


def test_handle_takes_filters_added_later_and_reports_bad_records() -> None:
    client = _Client()
    handler = _queued(client)
    handler.handle(record("first %s", "a"))
    handler.addFilter(lambda rec: "skip" not in rec.getMessage())
    handler.handle(record("skip me"))
    handler.handle(record("second"))
    handler.filters.clear()
    errors: list[logging.LogRecord] = []
    handler.handleError = errors.append  # type: ignore[method-assign]
    handler.handle(record("%d items", "three"))
    handler.handle(record("third", user="u"))  # an extra: the general path
    handler.flush()
    messages = [
        dict((c.Key, c.Value) for c in log.Contents)["message"] for group in _stored(client) for log in group.Logs
    ]
    assert messages == ["first a", "second", "third"]
    assert [rec.msg for rec in errors] == ["%d items"]
    handler.close()


def test_sdk_records_are_sent_unless_logged_in_a_sender_thread() -> None:
    from aliyun.log.producer import SenderThread

    client = _Client()
    handler = _queued(client)

    def sdk_record(text: str) -> logging.LogRecord:
        return logging.LogRecord("aliyun.log.producer", logging.WARNING, "/p.py", 1, text, None, None)

    handler.handle(sdk_record("from the application"))
    inside = SenderThread(target=handler.handle, args=(sdk_record("from a sender"),))
    inside.start()
    inside.join()
    handler.flush()
    messages = [
        dict((c.Key, c.Value) for c in log.Contents)["message"] for group in _stored(client) for log in group.Logs
    ]
    assert messages == ["from the application"]
    handler.close()
