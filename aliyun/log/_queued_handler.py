"""``QueuedLogHandler`` and ``UwsgiQueuedLogHandler``: records go through a ``LogProducer``.

Public through :mod:`aliyun.log.logger_hanlder`. Compared with the official handlers of the same
name and signature: ``flush()`` sends what is buffered and leaves the handler working; closing
(and interpreter exit) returns as soon as everything is sent, after ``close_wait`` seconds at
most; a full buffer makes ``emit`` wait ``put_wait`` seconds at most, then report the record through
``handleError``; the buffer is bounded in logs (``queue_size``) and bytes (``max_buffer_bytes``);
a forked child sends its own records through its own threads and connections.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from typing import Any, Optional, Union

from ._codec import CodecError
from ._codec.select import encode_record
from ._simple_handler import LogFields, SimpleLogHandler
from .logexception import LogException
from .producer import LogProducer, ProducerClosedError, SenderThread, SendResult
from .putlogsrequest import PutLogsRequest

__all__ = ["QueuedLogHandler", "UwsgiQueuedLogHandler"]

# LogProducer options a handler accepts as keyword arguments (not passed on to logging.Handler).
_PRODUCER_OPTIONS = ("max_buffer_bytes", "sender_threads", "retry_timeout", "compress_type")
# At most one line on stderr per this many seconds about logs that could not be stored.
_REPORT_EVERY = 10.0


class QueuedLogHandler(SimpleLogHandler):
    """Buffer records and send them in batches from background threads.

    Parameters as :class:`~aliyun.log.logger_hanlder.SimpleLogHandler`, plus:

    :param queue_size: most records buffered (default 40960).
    :param put_wait: seconds a record may wait to be batched (default 2), and the longest
        ``emit`` waits when the buffer is full before the record goes to ``handleError``.
    :param close_wait: the longest :meth:`close` / interpreter exit waits for buffered records to
        be sent (default 5).
    :param batch_size: most records in one PutLogs call (default ``min(1024, queue_size)``).
    :param kwargs: ``level`` for :class:`logging.Handler`; and, as additions, the
        :class:`~aliyun.log.producer.LogProducer` options ``max_buffer_bytes`` (default 64 MiB),
        ``sender_threads``, ``retry_timeout`` and ``compress_type``.
    """

    def __init__(
        self,
        end_point: str,
        access_key_id: str,
        access_key: str,
        project: str,
        log_store: str,
        topic: Optional[str] = None,
        fields: Optional[Iterable[Union[LogFields, str]]] = None,
        queue_size: Optional[int] = None,
        put_wait: Optional[float] = None,
        close_wait: Optional[float] = None,
        batch_size: Optional[int] = None,
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
        self._producer_options = {name: kwargs.pop(name) for name in _PRODUCER_OPTIONS if name in kwargs}
        super().__init__(
            end_point,
            access_key_id,
            access_key,
            project,
            log_store,
            topic=topic,
            fields=fields,
            buildin_fields_prefix=buildin_fields_prefix,
            buildin_fields_suffix=buildin_fields_suffix,
            extract_json=extract_json,
            extract_json_drop_message=extract_json_drop_message,
            extract_json_prefix=extract_json_prefix,
            extract_json_suffix=extract_json_suffix,
            extract_kv=extract_kv,
            extract_kv_drop_message=extract_kv_drop_message,
            extract_kv_prefix=extract_kv_prefix,
            extract_kv_suffix=extract_kv_suffix,
            extract_kv_sep=extract_kv_sep,
            extra=extra,
            auth_version=auth_version,
            region=region,
            **kwargs,
        )
        self.stop_flag = False
        self.stop_time: Optional[float] = None
        self.put_wait = float(put_wait or 2)
        self.close_wait = float(close_wait or 5)
        self.queue_size = int(queue_size or 40960)
        self.batch_size = min(int(batch_size or 1024), self.queue_size)
        self.producer: Optional[LogProducer] = None
        self._producer_lock = threading.Lock()
        self._reporter = _FailureReporter(type(self).__name__)
        self.init_worker()

    def init_worker(self) -> None:
        """Prepare sending; the producer and its threads start with the first record (in each process)."""
        self.producer = None

    def _get_producer(self) -> LogProducer:
        producer = self.producer
        if producer is None:
            with self._producer_lock:
                if self.stop_flag:
                    raise ProducerClosedError("the handler is closed")
                producer = self.producer
                if producer is None:
                    producer = self.producer = LogProducer(
                        self._get_client(),
                        max_batch_count=self.batch_size,
                        linger=self.put_wait,
                        max_buffer_logs=self.queue_size,
                        block_timeout=self.put_wait,
                        close_timeout=self.close_wait,
                        **self._producer_options,
                    )
        return producer

    def send(self, req: PutLogsRequest) -> Future[SendResult]:
        """Hand the logs of ``req`` to the producer; the future resolves once they are stored."""
        items = req.get_log_items()
        return self._get_producer().send(
            req.get_project() or self.project,
            req.get_logstore() or self.log_store,
            items[0] if len(items) == 1 else items,  # one record: one LogItem, the encoder's fast path
            topic=req.get_topic(),
            source=req.get_source(),
            tags=req.get_log_tags() or None,
            hash_key=req.get_hash_key(),
            callback=self._reporter,
        )

    def handle(self, record: logging.LogRecord) -> bool:
        """Filter ``record``, then :meth:`emit` it; without the handler's I/O lock unless a
        subclass overrides ``emit`` (this one only hands the record to the producer, which has
        a lock of its own), so threads logging at once do not queue on it."""
        plan = self._plan
        if plan is None or plan.field_count != len(self.fields):
            plan = self._make_plan()
        group = plan.group
        if plan.direct and group is not None and not self.filters and not record.name.startswith("aliyun.log"):
            # The common case in one step: no filter to run (without filters of its own only
            # the SDK's records can be refused), the record encoded by the codec in one call
            # and handed to the producer; emit() takes the records this does not.
            try:
                entry = encode_record(record, plan.native)
                if entry is not None:
                    (self.producer or self._get_producer())._accept(group, entry, 1, self._reporter)
                    return True
            except CodecError:
                pass  # emit()'s general path reports it
            except Exception:
                self.handleError(record)
                return True
            self.emit(record)
            return True
        cls = type(self)
        if cls.emit is not QueuedLogHandler.emit:
            return bool(super().handle(record))
        # without filters of its own, only the SDK's records can be refused (feeds_back)
        if (self.filters or cls.filter is not SimpleLogHandler.filter or record.name.startswith("aliyun.log")) and (
            not self.filter(record)
        ):
            return False
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        """Buffer ``record``; when it cannot be (buffer full for ``put_wait``, closed) call ``handleError``."""
        if record.name.startswith("aliyun.log") and isinstance(threading.current_thread(), SenderThread):
            return  # the SDK's own records from inside the producer would feed back into it
        try:
            plan = self._plan
            if plan is None or plan.field_count != len(self.fields):
                plan = self._make_plan()
            # The fast path hands the encoded log straight to the producer; it builds the same
            # log as make_request + send, which run whenever a hook is overridden or the record
            # needs them.
            entry = self._log_entry(record, plan) if plan.fast else None
            if entry is None:
                self.send(self.make_request(record))
                return
            group = plan.group
            if group is None:  # tags are set: read them now, as send() does
                tags = tuple((str(k), str(v)) for k, v in self._log_tags or ())
                group = (self.project, self.log_store, self.topic, self._source, None, tags)
            (self.producer or self._get_producer())._accept(group, entry, 1, self._reporter)
        except Exception:
            self.handleError(record)

    def _make_plan(self) -> Any:
        plan = super()._make_plan()
        cls = type(self)
        if cls.send is not QueuedLogHandler.send:
            plan = self.__dict__["_plan"] = plan._replace(fast=False, native=None)
        elif plan.native is not None and plan.group is not None:
            direct = cls.emit is QueuedLogHandler.emit and cls.filter is SimpleLogHandler.filter
            plan = self.__dict__["_plan"] = plan._replace(direct=direct)
        return plan

    def flush(self) -> None:
        """Send buffered records now and wait up to ``close_wait`` seconds; the handler keeps working.

        Called by ``logging.config`` while it holds the logging lock, it does not wait: the
        sender threads may need that lock (any library logging on their way) to finish.
        """
        producer = self.producer
        if producer is not None and not producer.closed:
            producer.flush(0 if _logging_is_being_configured() else self.close_wait)

    def stop(self) -> None:
        """Send buffered records within ``close_wait`` seconds and stop (later records are refused).

        Called by ``logging.config`` (reconfiguring closes the old handlers while holding the
        logging lock), the waiting happens in a thread of its own once the lock is released;
        that thread is not a daemon, so the process still lets it finish before exiting.
        """
        with self._producer_lock:
            self.stop_time = time.time()
            self.stop_flag = True
            producer = self.producer
        if producer is None:
            return
        if _logging_is_being_configured():
            threading.Thread(
                target=producer.close, args=(self.close_wait,), name="sls-handler-close", daemon=False
            ).start()
        else:
            producer.close(self.close_wait)

    def close(self) -> None:
        """:meth:`stop`, then close the handler."""
        self.stop()
        super().close()


def _logging_is_being_configured() -> bool:
    """Whether this thread holds the ``logging`` module lock (``dictConfig``/``fileConfig`` do)."""
    owned = getattr(getattr(logging, "_lock", None), "_is_owned", None)
    return bool(owned()) if callable(owned) else False


class UwsgiQueuedLogHandler(QueuedLogHandler):
    """:class:`QueuedLogHandler` for uWSGI workers (needs the ``uwsgidecorators`` module of uWSGI).

    Same parameters; ``close_wait`` defaults to 2 seconds. Each worker starts its own sending
    after uWSGI forks it, also when uWSGI runs without ``py-call-osafterfork``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        positional = list(args)
        if len(positional) > 9:
            if positional[9] is None:
                positional[9] = 2
        elif kwargs.get("close_wait") is None:
            kwargs["close_wait"] = 2
        super().__init__(*positional, **kwargs)

    def init_worker(self) -> None:
        """Register the post-fork hook with uWSGI (imports ``uwsgidecorators`` here, only now)."""
        super().init_worker()
        from uwsgidecorators import postfork  # type: ignore[import-not-found,import-untyped,unused-ignore]

        postfork(self._after_uwsgi_fork)

    def _after_uwsgi_fork(self) -> None:
        producer = self.producer
        if producer is not None:
            producer._after_fork_in_child()


class _FailureReporter:
    """Future callback: write records that could not be stored to stderr, throttled."""

    def __init__(self, handler_name: str) -> None:
        self._name = handler_name
        self._lock = threading.Lock()
        self._lost = 0
        self._last = 0.0

    def __call__(self, future: Future[SendResult]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            return
        with self._lock:
            self._lost += getattr(future, "log_count", 0) or 1
            now = time.monotonic()
            if now - self._last < _REPORT_EVERY:
                return
            lost, self._lost, self._last = self._lost, 0, now
        if logging.raiseExceptions:
            reason = error.get_error_code() if isinstance(error, LogException) else type(error).__name__
            sys.stderr.write(f"aliyun.log {self._name}: {lost} record(s) could not be stored: {reason}\n")
