"""``LogProducer``: buffer logs, send them in batches from background threads, report every outcome.

Life of a log: ``send`` encodes it and adds it to the open batch of its key (project, logstore,
topic, source, hash key, tags). A batch is sealed when it holds ``max_batch_count`` logs or
``max_batch_bytes`` bytes, when it is ``linger`` seconds old, or on ``flush``/``close``. Sender
threads send sealed batches with ``put_log_raw``. A failure whose error class is ``retriable``
(throttling, 5xx, no answer) puts the batch back after a backoff, until ``retry_timeout`` after its
first attempt; any other failure fails it at once. Either way the future of the batch is resolved
and the buffer space is returned.

One lock guards all state. ``send`` holds it only to account and append; network calls happen
outside it.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from time import time_ns as _time_ns
from typing import Any, Callable, Optional

from .._client.put import MAX_PUT_ITEMS, MAX_PUT_RAW_BYTES
from .._codec import CodecError
from ..logexception import LogException
from . import _lifecycle
from ._batch import Batch, BatchKey, LogInput, SendResult, encode_logs, encode_one

__all__ = ["BufferFullError", "LogProducer", "ProducerClosedError", "ProducerStats", "SenderThread"]

logger = logging.getLogger(__name__)

# room kept for the group's topic, source and tags within the 10 MiB PutLogs limit
_TAIL_ROOM = 64 * 1024


class BufferFullError(LogException):
    """``send`` found no room in the buffer within ``block_timeout`` (the logs were not accepted)."""

    def __init__(self, message: str) -> None:
        super().__init__("ProducerBufferFull", message)


class ProducerClosedError(LogException):
    """The producer was closed: it accepts no logs, or it gave up on logs still unsent at close."""

    def __init__(self, message: str) -> None:
        super().__init__("ProducerClosed", message)


@dataclass(frozen=True)
class ProducerStats:
    """Counters of a producer since it was created (or since the fork that made this process).

    :param sent: logs the service acknowledged.
    :param failed: logs whose batch failed (non-retriable error, or retries ran out of time).
    :param retried: PutLogs attempts repeated after a retriable error.
    :param dropped: logs refused by a full buffer or abandoned unsent when ``close`` timed out.
    :param pending_logs: logs accepted and not yet resolved.
    :param pending_bytes: their encoded size, what ``max_buffer_bytes`` bounds.
    """

    sent: int
    failed: int
    retried: int
    dropped: int
    pending_logs: int
    pending_bytes: int


class SenderThread(threading.Thread):
    """A producer's sender thread (a type of its own so log handlers can recognise it)."""


class LogProducer:
    """Send logs asynchronously, in batches, with bounded memory.

    :param client: the :class:`~aliyun.log.LogClient` to send with (its credentials, endpoint,
        transport and own retry policy are used as they are).
    :param max_batch_count: most logs in one PutLogs call (default 4096).
    :param max_batch_bytes: most encoded bytes in one call (default 2 MiB; at most about 10 MiB).
    :param linger: seconds a batch waits for more logs before it is sent (default 1).
    :param max_buffer_bytes: most encoded bytes accepted and not yet resolved (default 64 MiB).
    :param max_buffer_logs: most logs accepted and not yet resolved (default: no count limit).
    :param block_timeout: seconds ``send`` waits for room when the buffer is full, then raises
        :class:`BufferFullError`; ``0`` raises at once (default 10).
    :param sender_threads: threads sending batches in parallel (default 2), started at the first send.
    :param retry_timeout: seconds after a batch's first attempt during which retriable failures
        are retried (default 60).
    :param close_timeout: seconds :meth:`close` waits when called at interpreter exit (default 5).
    :param compress_type: ``lz4`` (default), ``zstd``, ``deflate`` or ``""`` for none.
    """

    def __init__(
        self,
        client: Any,
        *,
        max_batch_count: int = 4096,
        max_batch_bytes: int = 2 * 1024 * 1024,
        linger: float = 1.0,
        max_buffer_bytes: int = 64 * 1024 * 1024,
        max_buffer_logs: Optional[int] = None,
        block_timeout: float = 10.0,
        sender_threads: int = 2,
        retry_timeout: float = 60.0,
        close_timeout: float = 5.0,
        compress_type: str = "lz4",
    ) -> None:
        if not 1 <= max_batch_count <= MAX_PUT_ITEMS:
            raise ValueError(f"max_batch_count must be 1..{MAX_PUT_ITEMS}")
        if not 1 <= max_batch_bytes <= MAX_PUT_RAW_BYTES - _TAIL_ROOM:
            raise ValueError(f"max_batch_bytes must be 1..{MAX_PUT_RAW_BYTES - _TAIL_ROOM}")
        if max_buffer_bytes < 1 or sender_threads < 1 or linger < 0 or block_timeout < 0:
            raise ValueError("max_buffer_bytes and sender_threads must be positive, linger and block_timeout >= 0")
        self.client = client
        self.max_batch_count = max_batch_count
        self.max_batch_bytes = max_batch_bytes
        self.linger = float(linger)
        self.max_buffer_bytes = max_buffer_bytes
        self.max_buffer_logs = max_buffer_logs
        self._max_logs = sys.maxsize if max_buffer_logs is None else max_buffer_logs
        self.block_timeout = float(block_timeout)
        self.sender_threads = sender_threads
        self.retry_timeout = float(retry_timeout)
        self.close_timeout = float(close_timeout)
        self.compress_type = compress_type
        self._default_source: Optional[str] = None
        self._reset_state()
        self._closed = False
        self._closing_at_exit = False
        _lifecycle.register(self)

    def _reset_state(self) -> None:
        self._pid = os.getpid()
        # os.getpid() is a system call (half a microsecond here); the fork hooks of _lifecycle
        # reset the state, so send() checks the process id only where forks may bypass them
        self._watch_pid = _lifecycle.forks_unseen()
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)
        self._space = threading.Condition(self._lock)
        self._open: dict[tuple[Any, ...], Batch] = {}  # by BatchKey (equal to the plain tuple)
        self._ready: deque[Batch] = deque()
        self._retry: list[tuple[float, int, Batch]] = []
        self._inflight_batches: dict[int, Batch] = {}
        self._seq = itertools.count()
        self._threads: list[SenderThread] = []
        self._stopping = False
        self._close_deadline: Optional[float] = None
        self._pending_bytes = 0
        self._pending_logs = 0
        self._sent = self._failed = self._retried = self._dropped = 0

    # -- public API -------------------------------------------------------------------------------

    def send(
        self,
        project: str,
        logstore: str,
        contents: LogInput,
        topic: Optional[str] = None,
        source: Optional[str] = None,
        tags: Optional[Sequence[tuple[str, str]]] = None,
        hash_key: Optional[str] = None,
        *,
        callback: Optional[Callable[[Future[SendResult]], None]] = None,
    ) -> Future[SendResult]:
        """Accept one log or a list of logs; the returned future resolves once they are stored or have failed.

        :param contents: a :class:`~aliyun.log.LogItem`, a mapping ``{key: value}``, a list of
            ``(key, value)`` pairs, or a list of any of these (several logs). Values that are not
            text are sent as ``str(value)``; logs without a time get the current time.
        :param topic: ``__topic__`` of the logs.
        :param source: ``__source__``; ``None`` uses the client's (its IP address by default).
        :param tags: ``(key, value)`` tags of the log group.
        :param hash_key: send to the shard whose range holds this key instead of any shard.
        :param callback: called with the future when it is resolved, in a sender thread (a callback
            given to several sends of one batch is called once).
        :return: the :class:`concurrent.futures.Future` of the batch the logs joined (shared by
            every send in that batch, so it cannot be cancelled), resolving to a :class:`SendResult`;
            its exception is the :class:`~aliyun.log.LogException` that failed the batch, or
            :class:`ProducerClosedError`.
        :raises BufferFullError: no room within ``block_timeout`` (nothing was accepted).
        :raises ProducerClosedError: :meth:`close` was called.
        :raises LogException: ``InvalidParameter``/``InvalidLogSize`` for logs that can never be sent.
        """
        if self._watch_pid and self._pid != os.getpid():
            self._after_fork_in_child()
        if type(contents) is dict:  # the common case, one log as a dict, without a call more
            now = _time_ns()
            try:
                encoded, count = encode_one(now // 1_000_000_000, now % 1_000_000_000, contents), 1
            except CodecError:
                encoded, count = encode_logs(contents)  # not all text: converts, or raises
        else:
            encoded, count = encode_logs(contents)
        tag_pairs = tuple((str(k), str(v)) for k, v in tags) if tags else ()
        # the plain tuple is equal to (and hashes like) its BatchKey
        return self._accept((project, logstore, topic, source, hash_key, tag_pairs), encoded, count, callback)

    def _accept(
        self,
        key: tuple[Any, ...],
        encoded: bytes,
        count: int,
        callback: Optional[Callable[[Future[SendResult]], None]] = None,
    ) -> Future[SendResult]:
        """Account ``count`` logs encoded as ``encoded`` and add them to the open batch of ``key``.

        The one path every log takes into the buffer (``send``, and the logging handlers, which
        encode a record themselves). Kept lean: it runs once per log in the caller's thread.
        """
        size = len(encoded)
        max_bytes = self.max_batch_bytes
        if size > max_bytes and size > MAX_PUT_RAW_BYTES - _TAIL_ROOM:
            raise LogException("InvalidLogSize", f"{size} bytes of logs in one send, the limit is about 10 MiB")
        max_count = self.max_batch_count
        with self._lock:
            pending_bytes = self._pending_bytes + size
            pending_logs = self._pending_logs + count
            if self._closed or pending_bytes > self.max_buffer_bytes or pending_logs > self._max_logs:
                self._reserve(size, count)  # closed, or wait for room (or refuse)
            else:
                self._pending_bytes = pending_bytes
                self._pending_logs = pending_logs
            batch = self._open.get(key)
            if batch is None or batch.count + count > max_count or batch.size + size > max_bytes:
                if batch is not None:
                    self._seal(batch)
                batch_key = BatchKey(*key)
                batch = self._open[batch_key] = Batch(batch_key, time.monotonic())
                self._work.notify()  # a waiting sender recomputes when the next batch is due
                if not self._threads:
                    self._start_threads()
            batch.parts.append(encoded)
            batch_size = batch.size = batch.size + size
            batch_count = batch.count = batch.count + count
            if callback is not None and callback is not batch.last_callback:
                batch.add_callback(callback)
            if batch_count >= max_count or batch_size >= max_bytes:
                self._seal(batch)
            return batch.future

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Send everything accepted so far now (no linger) and wait up to ``timeout`` seconds.

        The producer keeps working. :return: ``True`` when every log accepted before the call was
        resolved (stored or failed) in time.
        """
        with self._lock:
            self._seal_all()
            futures = self._waiting_futures()
            self._work.notify_all()
            idle = not self._threads
        if idle and futures:
            self._drain_inline(None if timeout is None else time.monotonic() + timeout)
        _, not_done = wait_futures(futures, timeout=timeout)
        return not not_done

    def close(self, timeout: Optional[float] = None) -> bool:
        """Stop accepting logs, send what is buffered within ``timeout`` seconds, stop the threads.

        Logs still unsent at the deadline are abandoned: their futures fail with
        :class:`ProducerClosedError` and they count as ``dropped``. Calling ``close`` again is harmless.

        :return: ``True`` when everything buffered was resolved in time.
        """
        deadline = self._begin_close(None if timeout is None else time.monotonic() + timeout)
        with self._lock:
            futures = self._waiting_futures()
            threads = [t for t in self._threads if t.is_alive()]
        if not threads and futures:
            self._drain_inline(deadline)
        wait_futures(futures, timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
        for thread in threads:
            if thread is not threading.current_thread():  # close() from a callback in a sender thread
                thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        abandoned = self._abandon()
        with self._lock:
            in_flight = sum(batch.count for batch in self._inflight_batches.values())
        if abandoned or in_flight:
            logger.warning(
                "producer closed after %.1fs with %d logs unsent and %d still in flight (outcome unknown)",
                timeout or 0.0,
                abandoned,
                in_flight,
            )
        return abandoned == 0 and in_flight == 0

    def _begin_close(self, deadline: Optional[float]) -> Optional[float]:
        """Refuse new logs, seal every batch, wake the senders; returns the close deadline in force."""
        with self._lock:
            if self._closed and self._close_deadline is not None:
                # closed before (e.g. at exit, then again by logging.shutdown): keep the first deadline
                deadline = self._close_deadline if deadline is None else min(deadline, self._close_deadline)
            self._closed = True
            self._stopping = True
            self._close_deadline = deadline
            self._seal_all()
            self._work.notify_all()
            self._space.notify_all()
        return deadline

    @property
    def stats(self) -> ProducerStats:
        """The counters (a consistent snapshot)."""
        with self._lock:
            return ProducerStats(
                self._sent, self._failed, self._retried, self._dropped, self._pending_logs, self._pending_bytes
            )

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> LogProducer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(self.close_timeout)

    def __repr__(self) -> str:
        return f"LogProducer(client={self.client!r}, closed={self._closed})"

    # -- buffer accounting (lock held) -----------------------------------------------------------------

    def _reserve(self, size: int, count: int) -> None:
        if self._closed:
            raise ProducerClosedError("the producer is closed")
        if size > self.max_buffer_bytes or (self.max_buffer_logs is not None and count > self.max_buffer_logs):
            self._dropped += count
            raise BufferFullError(f"{count} logs ({size} bytes) can never fit in the buffer")
        deadline = time.monotonic() + self.block_timeout
        while self._pending_bytes + size > self.max_buffer_bytes or self._pending_logs + count > self._max_logs:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._dropped += count
                raise BufferFullError(
                    f"buffer full ({self._pending_logs} logs, {self._pending_bytes} bytes pending); "
                    f"waited {self.block_timeout:.1f}s for room"
                )
            self._space.wait(remaining)
            if self._closed:
                raise ProducerClosedError("the producer was closed while send() waited for room")
        self._pending_bytes += size
        self._pending_logs += count

    def _seal(self, batch: Batch) -> None:
        del self._open[batch.key]
        self._ready.append(batch)
        self._work.notify()

    def _seal_all(self) -> None:
        for batch in list(self._open.values()):
            self._seal(batch)

    def _waiting_futures(self) -> list[Future[SendResult]]:
        batches = list(self._ready) + [entry[2] for entry in self._retry] + list(self._inflight_batches.values())
        return [batch.future for batch in batches]

    def _abandon(self) -> int:
        """Fail every batch not on the wire (after a close timed out); returns their log count."""
        with self._lock:
            batches = list(self._open.values()) + list(self._ready) + [entry[2] for entry in self._retry]
            self._open.clear()
            self._ready.clear()
            self._retry.clear()
            count = sum(batch.count for batch in batches)
            self._dropped += count
            self._pending_logs -= count
            self._pending_bytes -= sum(batch.size for batch in batches)
            self._space.notify_all()
        error = ProducerClosedError("the producer was closed before these logs could be sent")
        for batch in batches:
            batch.future.log_count = batch.count
            _resolve(batch.future, None, error)
        return count

    # -- sending --------------------------------------------------------------------------------------

    def _start_threads(self) -> None:
        while len(self._threads) < self.sender_threads:
            thread = SenderThread(target=self._run, name=f"aliyun-log-producer-{len(self._threads)}", daemon=True)
            try:
                thread.start()
            except RuntimeError:  # at interpreter shutdown: flush()/close() send from their caller
                logger.debug("cannot start a sender thread now; logs wait for flush() or close()")
                return
            self._threads.append(thread)

    def _next_batch(self, deadline: Optional[float]) -> Optional[Batch]:
        """The next batch due, waiting for one (lock held); ``None`` when stopping with nothing left."""
        while True:
            now = time.monotonic()
            wake: Optional[float] = None
            for batch in list(self._open.values()):
                due = batch.created + self.linger
                if due <= now:
                    self._seal(batch)
                elif wake is None or due < wake:
                    wake = due
            if self._ready:
                batch = self._ready.popleft()
            elif self._retry and self._retry[0][0] <= now:
                batch = heapq.heappop(self._retry)[2]
            else:
                if self._retry and (wake is None or self._retry[0][0] < wake):
                    wake = self._retry[0][0]
                if deadline is not None and (wake is None or deadline < wake):
                    wake = deadline
                if self._stopping and not self._open and not self._retry:
                    return None
                if deadline is not None and now >= deadline:
                    return None
                work = self._work
                work.wait(None if wake is None else max(0.0, wake - now))
                if self._work is not work:
                    return None  # the state was replaced (fork) while waiting: it is not ours
                continue
            self._inflight_batches[id(batch)] = batch
            return batch

    def _run(self) -> None:
        lock = self._lock
        while True:
            with lock:
                if self._lock is not lock:
                    return  # the state was replaced (fork): this thread belongs to the old one
                batch = self._next_batch(self._close_deadline)
            if batch is None:
                return
            self._deliver(batch)

    def _drain_inline(self, deadline: Optional[float]) -> None:
        """Send from the calling thread (no sender thread is running: after a fork, or at exit)."""
        while deadline is None or time.monotonic() < deadline:
            with self._lock:
                if not self._ready and not self._retry and not self._open:
                    return
                batch = self._next_batch(deadline)
            if batch is None:
                return
            self._deliver(batch)

    def _deliver(self, batch: Batch) -> None:
        now = time.monotonic()
        if batch.first_attempt is None:
            batch.first_attempt = now
        batch.attempts += 1
        try:
            response = self._put(batch)
        except Exception as exc:
            if self._should_retry(batch, exc):
                return
            self._finish(batch, None, exc)
            return
        self._finish(batch, str(response.get_request_id() or ""), None)

    def _put(self, batch: Batch) -> Any:
        if self._default_source is None:
            find = getattr(self.client, "_default_source", None)
            self._default_source = str(find()) if callable(find) else ""
        key = batch.key
        return self.client.put_log_raw(
            key.project,
            key.logstore,
            batch.body(self._default_source),
            compress=bool(self.compress_type),
            hash_key=key.hash_key,
            compress_type=self.compress_type or None,
        )

    def _should_retry(self, batch: Batch, error: Exception) -> bool:
        """Queue the batch again after a backoff when the error allows it and time remains."""
        if not (isinstance(error, LogException) and type(error).retriable):
            return False
        delay = min(5.0, 0.1 * (2 ** min(batch.attempts - 1, 10))) * random.uniform(0.5, 1.0)
        retry_at = time.monotonic() + delay
        assert batch.first_attempt is not None
        limit = batch.first_attempt + self.retry_timeout
        with self._lock:
            if self._close_deadline is not None:
                limit = min(limit, self._close_deadline)
            if retry_at >= limit or id(batch) not in self._inflight_batches:
                return False
            del self._inflight_batches[id(batch)]
            batch.next_try = retry_at
            heapq.heappush(self._retry, (retry_at, next(self._seq), batch))
            self._retried += 1
            self._work.notify()
        logger.info(
            "batch of %d logs to %s/%s failed with %s (attempt %d); retrying in %.2fs",
            batch.count,
            batch.key.project,
            batch.key.logstore,
            error.get_error_code(),
            batch.attempts,
            delay,
        )
        return True

    def _finish(self, batch: Batch, request_id: Optional[str], error: Optional[BaseException]) -> None:
        with self._lock:
            # a batch of the state before a fork is not counted in this one
            if self._inflight_batches.pop(id(batch), None) is not None:
                self._pending_logs -= batch.count
                self._pending_bytes -= batch.size
                if error is None:
                    self._sent += batch.count
                else:
                    self._failed += batch.count
                self._space.notify_all()
        if error is not None:
            code = error.get_error_code() if isinstance(error, LogException) else type(error).__name__
            logger.warning(
                "batch of %d logs to %s/%s failed after %d attempts: %s",
                batch.count,
                batch.key.project,
                batch.key.logstore,
                batch.attempts,
                code,
            )
        batch.future.log_count = batch.count
        _resolve(
            batch.future, SendResult(request_id or "", batch.attempts, batch.count) if error is None else None, error
        )

    # -- process events (see _lifecycle) ------------------------------------------------------------------

    def _after_fork_in_child(self) -> None:
        if self._pid == os.getpid():
            return
        # The parent still holds (and sends) its buffered logs; this process starts empty, with
        # its own lock and threads, and without the parent's pooled connections.
        self._reset_state()
        try:
            _lifecycle.forget_inherited_connections(self.client)
        except Exception as exc:  # a broken inherited pool must not break the child
            logger.debug("dropping inherited connections failed: %s", type(exc).__name__)

    def _begin_close_at_exit(self) -> None:
        self._closing_at_exit = self._pid == os.getpid() and not self._closed
        if self._closing_at_exit:
            self._begin_close(time.monotonic() + self.close_timeout)

    def _close_at_exit(self) -> None:
        if self._closing_at_exit:
            self.close(self.close_timeout)  # the deadline set by _begin_close_at_exit stays


def _resolve(future: Future[SendResult], result: Optional[SendResult], error: Optional[BaseException]) -> None:
    if error is None:
        assert result is not None
        future.set_result(result)
    else:
        future.set_exception(error)
