"""How the handlers turn a record into a log (``make_request``), and their official constructors."""

from __future__ import annotations

import inspect
import json
import logging
import sys
import types
from typing import Any

import pytest

import aliyun.log
from aliyun.log import logger_hanlder, logging_handler
from aliyun.log.logger_hanlder import LogFields, QueuedLogHandler, SimpleLogHandler, UwsgiQueuedLogHandler
from aliyun.log.version import LOGGING_HANDLER_USER_AGENT, USER_AGENT

ARGS = ("127.0.0.1:1", "id", "secret", "proj", "store")


def record(msg: Any, *args: Any, **extra: Any) -> logging.LogRecord:
    rec = logging.LogRecord("app.module", logging.WARNING, "/src/app.py", 42, msg, args, None, func="handle")
    rec.__dict__.update(extra)
    return rec


def contents(handler: SimpleLogHandler, rec: logging.LogRecord) -> dict[str, str]:
    request = handler.make_request(rec)
    (item,) = request.get_log_items()
    assert item.get_time() == int(rec.created)
    return dict(item.get_contents())


def test_names_are_exported_everywhere() -> None:
    for module in (aliyun.log, logger_hanlder, logging_handler):
        assert module.QueuedLogHandler is QueuedLogHandler
        assert module.SimpleLogHandler is SimpleLogHandler
        assert module.UwsgiQueuedLogHandler is UwsgiQueuedLogHandler
        assert module.LogFields is LogFields
    assert LOGGING_HANDLER_USER_AGENT.startswith("logging-handler, ") and LOGGING_HANDLER_USER_AGENT.endswith(
        USER_AGENT
    )


def test_official_positional_order() -> None:
    simple = list(inspect.signature(SimpleLogHandler.__init__).parameters)[1:]
    assert simple[:7] == ["end_point", "access_key_id", "access_key", "project", "log_store", "topic", "fields"]
    assert simple[7:] == [
        "buildin_fields_prefix", "buildin_fields_suffix", "extract_json", "extract_json_drop_message",
        "extract_json_prefix", "extract_json_suffix", "extract_kv", "extract_kv_drop_message",
        "extract_kv_prefix", "extract_kv_suffix", "extract_kv_sep", "extra", "auth_version", "region", "kwargs",
    ]  # fmt: skip
    queued = list(inspect.signature(QueuedLogHandler.__init__).parameters)[1:]
    assert queued[7:11] == ["queue_size", "put_wait", "close_wait", "batch_size"]
    assert queued[11:] == simple[7:]


def test_positional_arguments_land_on_the_official_attributes() -> None:
    handler = QueuedLogHandler(
        *ARGS, "topic", [LogFields.level], 100, 0.5, 3, 10,
        "__", "__", True, True, "j_", "_j", True, True, "k_", "_k", ":", False, "v4", "cn-hangzhou",
    )  # fmt: skip
    assert (handler.end_point, handler.access_key_id, handler.access_key) == ARGS[:3]
    assert (handler.project, handler.log_store, handler.topic) == ("proj", "store", "topic")
    assert (handler.queue_size, handler.put_wait, handler.close_wait, handler.batch_size) == (100, 0.5, 3, 10)
    assert (handler.buildin_fields_prefix, handler.buildin_fields_suffix) == ("__", "__")
    assert (handler.extract_json, handler.extract_json_drop_message) == (True, True)
    assert (handler.extract_json_prefix, handler.extract_json_suffix) == ("j_", "_j")
    assert (handler.extract_kv, handler.extract_kv_drop_message) == (True, True)
    assert (handler.extract_kv_prefix, handler.extract_kv_suffix, handler.extract_kv_sep) == ("k_", "_k", ":")
    assert (handler.extra, handler.auth_version, handler.region) == (False, "v4", "cn-hangzhou")
    handler.close()


def test_queued_defaults() -> None:
    handler = QueuedLogHandler(*ARGS, level=logging.INFO)
    assert (handler.queue_size, handler.put_wait, handler.close_wait, handler.batch_size) == (40960, 2, 5, 1024)
    assert handler.level == logging.INFO
    assert QueuedLogHandler(*ARGS, queue_size=100).batch_size == 100
    handler.close()


def test_default_fields_message_and_extra() -> None:
    handler = SimpleLogHandler(*ARGS)
    got = contents(handler, record("hello %s", "bob", user="u1", data={"a": 1}))
    assert got["message"] == "hello bob"
    assert got["levelname"] == "WARNING" and got["name"] == "app.module" and got["funcName"] == "handle"
    assert got["lineno"] == "42" and got["pathname"] == "/src/app.py" and got["module"] == "app"
    assert {"process", "processName", "thread", "threadName"} <= set(got)
    assert got["user"] == "u1" and json.loads(got["data"]) == {"a": 1}
    assert "levelno" not in got and "msg" not in got and "args" not in got and "exc_info" not in got


def test_fields_by_member_name_or_attribute_and_no_extra() -> None:
    handler = SimpleLogHandler(*ARGS, fields=["level", "lineno", "user"], extra=False)
    got = contents(handler, record("m", user="u1", other="o"))
    assert got == {"message": "m", "levelname": "WARNING", "lineno": "42", "user": "u1"}
    handler.set_fields([LogFields.level_no])
    assert contents(handler, record("m")) == {"message": "m", "levelno": "30"}


def test_prefix_suffix_skip_message_and_root_field() -> None:
    handler = SimpleLogHandler(*ARGS, fields=[LogFields.level], buildin_fields_prefix="__", buildin_fields_suffix="__")
    handler.extra = False
    assert contents(handler, record("m", user="u")) == {"__message__": "m", "__levelname__": "WARNING"}
    handler.skip_message = True
    assert contents(handler, record("m")) == {"__levelname__": "WARNING"}
    handler.skip_message = False
    handler.built_in_root_field = "meta"
    got = contents(handler, record("m"))
    assert list(got) == ["meta"] and json.loads(got["meta"]) == {"__message__": "m", "__levelname__": "WARNING"}


def test_extract_json() -> None:
    handler = SimpleLogHandler(*ARGS, fields=[], extract_json=True, extract_json_prefix="j.", extra=False)
    got = contents(handler, record({"a": 1, "b": [1, 2]}))
    assert got["j.a"] == "1" and got["j.b"] == "[1, 2]" and "message" in got
    handler.extract_json_drop_message = True
    assert contents(handler, record({"a": 1})) == {"j.a": "1"}
    assert contents(handler, record("not a dict")) == {"message": "not a dict"}


def test_extract_kv() -> None:
    handler = SimpleLogHandler(*ARGS, fields=[], extract_kv=True, extract_kv_drop_message=True, extra=False)
    got = contents(handler, record('user=bob  code = 200 path="/a b" 名字=张三'))
    assert got == {"user": "bob", "code": "200", "path": "/a b", "名字": "张三"}
    assert contents(handler, record("no pairs here")) == {"message": "no pairs here"}
    colon = SimpleLogHandler(
        *ARGS, fields=[], extract_kv=True, extract_kv_sep=":", extract_kv_prefix="kv_", extra=False
    )
    assert contents(colon, record("a:1"))["kv_a"] == "1"


def test_request_carries_topic_source_and_tags() -> None:
    handler = SimpleLogHandler(*ARGS, topic="t1")
    handler.source = "host-a"
    handler.log_tags = [("env", "prod")]
    handler.set_topic("t2")
    request = handler.make_request(record("m"))
    assert (request.get_project(), request.get_logstore(), request.get_topic()) == ("proj", "store", "t2")
    assert request.get_source() == "host-a" and request.get_log_tags() == [("env", "prod")]


def test_create_client_sets_the_logging_user_agent() -> None:
    handler = SimpleLogHandler(*ARGS)
    handler.create_client()
    assert handler.client is not None and handler.client.user_agent == LOGGING_HANDLER_USER_AGENT


def test_uwsgi_handler_imports_uwsgidecorators_only_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "uwsgidecorators" not in sys.modules
    with pytest.raises(ImportError):
        UwsgiQueuedLogHandler(*ARGS)
    registered: list[Any] = []
    fake = types.ModuleType("uwsgidecorators")
    fake.postfork = lambda f: registered.append(f) or f  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "uwsgidecorators", fake)
    handler = UwsgiQueuedLogHandler(*ARGS)
    assert handler.close_wait == 2 and len(registered) == 1
    positional = UwsgiQueuedLogHandler(*ARGS, None, None, None, None, None)
    assert positional.close_wait == 2
    assert UwsgiQueuedLogHandler(*ARGS, close_wait=7).close_wait == 7
    for h in (handler, positional):
        h.close()
