"""The DuckDB database of one logstore, locked down, and the bounded sessions queries run in.

Two layers keep a query inside the emulator's data (docs/query.md, "What a query can reach"):
the SQL translation accepts only what SLS SQL allows (:mod:`.sql_guard`), and the database a
query runs in cannot reach the host even if a translation slip let something through. This
module is the second layer:

* external access is off: no file outside the logstore's own index directory can be read or
  written (table functions such as ``read_text`` or ``glob`` fail with a permission error), no
  URL is fetched, and extensions are neither installed nor loaded automatically;
* the configuration is locked once the store has set it up, so a statement cannot turn any of
  that back on (nor change the memory limit, time zone or thread count);
* every query runs on a session (a DuckDB cursor: its own connection to the same database) with
  a deadline: a watchdog interrupts it when the deadline passes, and :meth:`Sessions.close`
  interrupts whatever still runs, so stopping the emulator never waits on a query.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Callable, Optional

import duckdb

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query.limits import QueryLimits
from aliyun.log.emulator.query.textmatch import sql_str

__all__ = ["Sessions", "memory_error", "open_database", "timeout_error"]

log = logging.getLogger(__name__)


def open_database(
    path: str,
    directory: Path,
    *,
    timezone: str,
    limits: QueryLimits,
    setup: Callable[[duckdb.DuckDBPyConnection], None],
) -> duckdb.DuckDBPyConnection:
    """Open the database of one logstore, run ``setup`` on it, then lock it down.

    :param path: database file, or ``":memory:"``.
    :param directory: the logstore's index directory: the only place the database may read
        (its staged journal files) or spill to.
    :param setup: statements that need the configuration still open (``ATTACH``, ``USE``).
    """
    con = duckdb.connect(
        path,
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
        },
    )
    try:
        con.execute(f"SET allowed_directories = [{sql_str(str(directory) + '/')}]")
        con.execute(f"SET temp_directory = {sql_str(str(directory / 'spill'))}")
        setup(con)
        # GLOBAL, so every session cursor inherits them: a cursor cannot set anything once locked.
        con.execute(f"SET GLOBAL TimeZone = {sql_str(timezone)}")
        con.execute("SET GLOBAL integer_division = true")  # Presto divides integers as integers
        con.execute(f"SET GLOBAL memory_limit = {sql_str(limits.memory_limit)}")
        con.execute(f"SET GLOBAL threads = {int(limits.threads)}")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def timeout_error(limit: float) -> SLSError:
    """The answer to a statement that ran past the emulator's query time limit."""
    return SLSError(
        "ParameterInvalid",
        f"the query ran longer than the emulator's limit of {limit:g} s and was stopped; "
        "narrow the time range or simplify the statement (server option --query-timeout)",
    )


def memory_error(limit: str) -> SLSError:
    """The answer to a statement that needed more memory than the logstore's database may use."""
    return SLSError(
        "ParameterInvalid",
        f"the query needs more memory than the emulator's limit of {limit} per logstore; "
        "narrow the time range or simplify the statement (server option --query-memory)",
    )


class _Watchdog:
    """One thread that calls each armed callback when its deadline passes, unless disarmed first.

    A thread per query (``threading.Timer``) would cost more than a small query itself. Callbacks
    run under the watchdog's lock and must be quick (``cursor.interrupt()`` only sets a flag).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._armed: set[int] = set()
        self._ids = itertools.count()
        self._thread: Optional[threading.Thread] = None

    def arm(self, delay: float, callback: Callable[[], None]) -> int:
        deadline = time.monotonic() + delay
        with self._cond:
            ticket = next(self._ids)
            self._armed.add(ticket)
            heapq.heappush(self._heap, (deadline, ticket, callback))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sls-query-watchdog", daemon=True)
                self._thread.start()
            elif self._heap[0][1] == ticket:
                self._cond.notify()
        return ticket

    def disarm(self, ticket: int) -> None:
        with self._cond:
            self._armed.discard(ticket)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, ticket, callback = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._armed.discard(ticket)
                # Under the lock, so a disarm either comes first (no call) or sees the call done:
                # a session never gets its cursor back interrupted for somebody else's query.
                try:
                    callback()
                except Exception:  # an interrupt of a cursor closed meanwhile: nothing left to stop
                    log.debug("query watchdog callback failed", exc_info=True)


_WATCHDOG = _Watchdog()


class Sessions:
    """A pool of query cursors on one database, each use bounded by a deadline.

    :param prepare: run once on every new cursor (temporary macros are per connection).
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        limits: QueryLimits,
        prepare: Callable[[duckdb.DuckDBPyConnection], None],
    ) -> None:
        self._con = con
        self._limits = limits
        self._prepare = prepare
        self._lock = threading.Lock()
        self._idle: list[duckdb.DuckDBPyConnection] = []
        self._busy: set[duckdb.DuckDBPyConnection] = set()
        self._closed = False

    def _take(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._closed:
                raise SLSError("InternalServerError", "the logstore's index is closing", 500)
            cursor = self._idle.pop() if self._idle else None
        if cursor is None:
            cursor = self._con.cursor()
            try:
                self._prepare(cursor)
            except BaseException:
                cursor.close()
                raise
        with self._lock:
            self._busy.add(cursor)
        return cursor

    def _give_back(self, cursor: duckdb.DuckDBPyConnection, reusable: bool) -> None:
        with self._lock:
            self._busy.discard(cursor)
            if reusable and not self._closed:
                self._idle.append(cursor)
                return
        cursor.close()

    @contextlib.contextmanager
    def session(self, timeout: Optional[float] = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor to run one query on; DuckDB errors of a bound are raised as SLS errors.

        :param timeout: seconds before the statement is interrupted (the limits' default).
        :raises SLSError: ``ParameterInvalid`` when the query ran out of time or memory.
        """
        limit = self._limits.timeout if timeout is None else timeout
        cursor = self._take()
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            cursor.interrupt()

        ticket = _WATCHDOG.arm(limit, expire)
        reusable = False
        try:
            yield cursor
            reusable = True
        except duckdb.InterruptException as exc:
            if expired.is_set():
                raise timeout_error(limit) from exc
            raise SLSError("InternalServerError", "the query was stopped: the emulator is shutting down", 500) from exc
        except duckdb.OutOfMemoryException as exc:
            raise memory_error(self._limits.memory_limit) from exc
        finally:
            _WATCHDOG.disarm(ticket)
            self._give_back(cursor, reusable and not expired.is_set())

    def close(self) -> None:
        """Interrupt running queries and close every cursor (before the database closes)."""
        with self._lock:
            self._closed = True
            busy, idle = list(self._busy), self._idle
            self._idle = []
        for cursor in busy:
            with contextlib.suppress(duckdb.Error):
                cursor.interrupt()
        for cursor in idle:
            cursor.close()
