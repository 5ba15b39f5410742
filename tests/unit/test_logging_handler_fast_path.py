"""The queued handler's fast path (record -> encoded log, straight to the producer) builds the same
log as ``make_request`` + ``send``, notices option changes, and steps aside for overridden hooks."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any, Optional

import pytest

from aliyun.log._codec import decode_log_group
from aliyun.log.logger_hanlder import LogFields, QueuedLogHandler, SimpleLogHandler
from aliyun.log.producer._batch import encode_logs
from aliyun.log.putlogsrequest import PutLogsRequest

ARGS = ("127.0.0.1:1", "id", "secret", "proj", "store")


def record(msg: Any, *args: Any, exc_info: Any = None, **extra: Any) -> logging.LogRecord:
    rec = logging.LogRecord("app.module", logging.WARNING, "/src/app.py", 42, msg, args, exc_info, func="handle")
    rec.__dict__.update(extra)
    return rec


def general(handler: SimpleLogHandler, rec: logging.LogRecord) -> bytes:
    (item,) = handler.make_request(rec).get_log_items()
    return encode_logs(item)[0]


def fast(handler: SimpleLogHandler, rec: logging.LogRecord) -> Optional[bytes]:
    return handler._log_entry(rec, handler._current_plan())


def boom() -> Any:
    try:
        raise ValueError("bad")
    except ValueError:
        return sys.exc_info()


# (handler options, attributes set afterwards, records of RECORDS that take the fast path at least)
HANDLERS: list[tuple[dict[str, Any], dict[str, Any], int]] = [
    ({}, {}, 5),
    ({"fields": [LogFields.level, LogFields.line_no, LogFields.level_no, LogFields.created_timestamp]}, {}, 5),
    ({"fields": ["level", "func_name", "user"], "extra": False}, {}, 1),  # only records with a user
    ({"fields": [LogFields.module]}, {}, 5),
    ({"fields": []}, {}, 5),
    ({"buildin_fields_prefix": "__", "buildin_fields_suffix": "__"}, {}, 5),
    ({}, {"skip_message": True}, 5),
    ({"extract_json": True}, {}, 5),
]
RECORDS = [
    record("hello %s", "bob"),
    record("plain"),
    record("with extras", user="u1", data={"a": 1}, n=5, raw=b"\xe5\x90\x8d"),
    record("名字 %d", 7),
    record("no thread", thread=None, threadName=None),
    record("a callable", processName=lambda: "x"),
    record({"a": 1, "b": [1, 2]}),
    record("failed", exc_info=boom()),
    record("a dunder", __hidden="x"),
]


@pytest.mark.parametrize("options,attrs,least", HANDLERS)
def test_fast_entry_equals_make_request(options: dict[str, Any], attrs: dict[str, Any], least: int) -> None:
    handler = SimpleLogHandler(*ARGS, **options)
    for name, value in attrs.items():
        setattr(handler, name, value)
    taken = 0
    for rec in RECORDS:
        entry = fast(handler, rec)
        if entry is not None:
            taken += 1
            assert entry == general(handler, rec), rec.msg
    assert taken >= least  # the plain records take the fast path


def test_plain_records_take_the_fast_path_with_the_default_formatter_only() -> None:
    handler = SimpleLogHandler(*ARGS)
    rec = record("m %s", "x", user="u")
    assert handler._current_plan().plain_format and fast(handler, rec) == general(handler, rec)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    assert not handler._current_plan().plain_format
    assert fast(handler, rec) == general(handler, rec)  # formatted by the formatter, same text
    assert b"WARNING: m x" in general(handler, rec)


def test_assigning_an_option_drops_the_plan() -> None:
    handler = SimpleLogHandler(*ARGS)
    rec = record("m")
    before = fast(handler, rec)
    handler.set_fields({LogFields.level})
    assert fast(handler, rec) != before and fast(handler, rec) == general(handler, rec)
    handler.fields.add(LogFields.line_no)  # edited in place: noticed by its length
    assert b"lineno" in (fast(handler, rec) or b"")
    handler.buildin_fields_prefix = "p_"
    assert b"p_message" in (fast(handler, rec) or b"")
    handler.skip_message = True
    assert b"message" not in (fast(handler, rec) or b"message")
    handler.built_in_root_field = "meta"
    assert not handler._current_plan().fast


class _Response:
    def get_request_id(self) -> str:
        return "req"


class _Client:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()

    def put_log_raw(self, project: str, logstore: str, body: bytes, **kwargs: Any) -> _Response:
        with self.lock:
            self.bodies.append(body)
        return _Response()

    def _default_source(self) -> str:
        return "10.0.0.1"


def _stored(client: _Client) -> list[Any]:
    return [decode_log_group(body) for body in client.bodies]


def test_queued_handler_stores_what_make_request_builds() -> None:
    client = _Client()
    handler = QueuedLogHandler(*ARGS, "t1", put_wait=60)
    handler.client = client  # type: ignore[assignment]
    handler.log_tags = [("env", "prod")]
    handler.source = "host-a"
    records = [record("one"), record("two", user="u"), record("three", exc_info=boom())]
    expected = [sorted(c for c in handler.make_request(r).get_log_items()[0].contents) for r in records]
    for rec in records:
        handler.handle(rec)
    handler.set_topic("t2")
    handler.handle(record("four"))
    handler.flush()
    groups = _stored(client)
    by_topic = {group.Topic: group for group in groups}
    assert set(by_topic) == {"t1", "t2"}
    first = by_topic["t1"]
    assert first.Source == "host-a" and [(t.Key, t.Value) for t in first.LogTags] == [("env", "prod")]
    got = [sorted((c.Key, c.Value) for c in log.Contents) for log in first.Logs]
    assert got == expected
    handler.close()


def test_overridden_hooks_are_used() -> None:
    client = _Client()
    calls: list[str] = []

    class Custom(QueuedLogHandler):
        def make_request(self, rec: logging.LogRecord) -> PutLogsRequest:
            calls.append("make_request")
            return super().make_request(rec)

    class CustomSend(QueuedLogHandler):
        def send(self, req: PutLogsRequest) -> Any:
            calls.append("send")
            return super().send(req)

    for cls in (Custom, CustomSend):
        handler = cls(*ARGS, put_wait=60)
        handler.client = client  # type: ignore[assignment]
        handler.handle(record("m"))
        handler.close()
    assert calls == ["make_request", "send"]
    assert sum(len(group.Logs) for group in _stored(client)) == 2
