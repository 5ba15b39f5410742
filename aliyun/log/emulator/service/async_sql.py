"""Asynchronous SQL: SubmitAsyncSql runs a query in the background, GetAsyncSql pages its result.

A submitted query runs on a small pool of threads (:data:`WORKERS`) through the same path as
GetLogs (:meth:`QueryService.get_logs`), so it has the same sandbox and limits (time, memory,
size: ``QueryLimits``) and returns the same rows as the synchronous query. Its states are SLS's:
``RUNNING`` (queued or running), then ``FINISHED`` or ``FAILED`` (with the SLS error code and
message); DeleteAsyncSql forgets a query, answering ``CANCELLED`` if it had not finished (a
running statement finishes in the background and its result is dropped).

Results live in memory only: they are gone after a restart, as a query's result is transient on
SLS too. At most :data:`MAX_QUERIES` queries are kept per emulator; beyond that the oldest
finished one is forgotten, and if every one is still running the submission is refused
(``ReadQuotaExceed``). Wire shapes: docs/changing-data.md "Asynchronous SQL".
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import SLSError, bad_request, not_found
from ..query import no_index_error
from ..query.request import check_range, split_query
from .query import QueryService

__all__ = ["MAX_LINE", "MAX_QUERIES", "AsyncQuery", "AsyncSqlService"]

logger = logging.getLogger(__name__)

#: threads running asynchronous queries (each query also obeys the query limits)
WORKERS = 2
#: queries kept (running or with their result) per emulator
MAX_QUERIES = 200
#: the largest page of GetAsyncSql
MAX_LINE = 1000

RUNNING, FINISHED, FAILED, CANCELLED = "RUNNING", "FINISHED", "FAILED", "CANCELLED"


@dataclass
class AsyncQuery:
    """One asynchronous query: its state and, once finished, its result."""

    id: str
    project: str
    state: str = RUNNING
    keys: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    processed_rows: int = 0
    elapsed_milli: int = 0
    cpu_sec: float = 0.0
    progress: str = "Complete"
    error_code: Optional[str] = None
    error_message: Optional[str] = None

    def page(self, offset: int, line: int) -> dict[str, Any]:
        """The answer: id, state, meta and rows ``offset`` .. ``offset + line`` (FINISHED only)."""
        answer: dict[str, Any] = {"id": self.id, "state": self.state}
        if self.state == FINISHED:
            answer["meta"] = {
                "result_rows": len(self.rows),
                "processed_rows": self.processed_rows,
                "processed_bytes": 0,
                "elapsed_milli": self.elapsed_milli,
                "cpu_sec": self.cpu_sec,
                "cpu_cores": 1,
                "progress": self.progress,
                "keys": list(self.keys),
            }
            answer["rows"] = self.rows[offset : offset + line]
        elif self.state == FAILED:
            answer["error_code"] = self.error_code
            answer["error_message"] = self.error_message
        return answer


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request("ParameterInvalid", f"{name} must be an integer, got {str(value)[:64]!r}") from None


class AsyncSqlService:
    """The asynchronous queries of one emulator."""

    def __init__(self, queries: QueryService) -> None:
        self.queries = queries
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, AsyncQuery] = OrderedDict()
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="sls-async-sql")
        self._closed = False

    def submit(self, project: Optional[str], body: Any) -> dict[str, Any]:
        """SubmitAsyncSql: check the request, queue the query, answer its id (state RUNNING)."""
        if not isinstance(body, dict):
            raise bad_request("ParameterInvalid", "the SubmitAsyncSql body must be a JSON object")
        logstore = body.get("logstore")
        if not isinstance(logstore, str) or not logstore:
            raise bad_request("ParameterInvalid", "logstore is required")
        query = body.get("query")
        if not isinstance(query, str) or split_query(query)[1] is None:
            raise bad_request("ParameterInvalid", "query must be an analytic statement: <search> | <SQL>")
        from_time, to_time = _int(body.get("from"), "from", -1), _int(body.get("to"), "to", -1)
        check_range(from_time, to_time)
        if self.queries.indexes.engine(project, logstore) is None:  # LogStoreNotExist for none
            raise no_index_error()
        values = {"from": from_time, "to": to_time, "query": query}
        job = AsyncQuery(uuid.uuid4().hex, project or "")
        with self._lock:
            if self._closed:
                raise SLSError("InternalServerError", "the emulator is shutting down", 500)
            self._make_room()
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, logstore, values)
        return job.page(0, 0)

    def _make_room(self) -> None:
        """Forget the oldest finished queries beyond the bound (called under the lock)."""
        while len(self._jobs) >= MAX_QUERIES:
            oldest = next((key for key, job in self._jobs.items() if job.state != RUNNING), None)
            if oldest is None:
                raise SLSError("ReadQuotaExceed", f"{MAX_QUERIES} asynchronous queries are running; retry later", 403)
            del self._jobs[oldest]

    def _run(self, job: AsyncQuery, logstore: str, values: Mapping[str, Any]) -> None:
        started = time.perf_counter()
        try:
            result = self.queries.get_logs(job.project, logstore, values)
        except SLSError as exc:
            outcome: dict[str, Any] = {"state": FAILED, "error_code": exc.code, "error_message": exc.message}
        except Exception as exc:  # a bug must fail the query, not the worker thread
            logger.exception("asynchronous query %s failed", job.id)
            outcome = {"state": FAILED, "error_code": "InternalServerError", "error_message": str(exc)}
        else:
            keys = [str(k) for k in result.keys]
            outcome = {
                "state": FINISHED,
                "keys": keys,
                "rows": [[row.get(k, "null") for k in keys] for row in result.rows],
                "processed_rows": result.processed_rows,
                "progress": "Complete" if result.complete else "Incomplete",
            }
        elapsed = time.perf_counter() - started
        with self._lock:
            if self._jobs.get(job.id) is not job:
                return  # deleted meanwhile: the result is dropped
            for name, value in outcome.items():
                setattr(job, name, value)
            job.elapsed_milli, job.cpu_sec = int(elapsed * 1000), round(elapsed, 6)

    def _job(self, project: Optional[str], query_id: str) -> AsyncQuery:
        job = self._jobs.get(query_id)
        if job is None or job.project != (project or ""):
            raise not_found("QueryNotExist", f"asynchronous query {query_id} does not exist")
        return job

    def get(self, project: Optional[str], query_id: str, first: int = 0, size: int = 100) -> dict[str, Any]:
        """GetAsyncSql: the state and the rows ``first`` .. ``first + size`` of the result."""
        if first < 0 or not 0 <= size <= MAX_LINE:
            raise bad_request("ParameterInvalid", f"offset must be >= 0 and line 0..{MAX_LINE}")
        with self._lock:
            return self._job(project, query_id).page(first, size)

    def delete(self, project: Optional[str], query_id: str) -> dict[str, Any]:
        """DeleteAsyncSql: forget the query (CANCELLED if it was still running)."""
        with self._lock:
            job = self._job(project, query_id)
            del self._jobs[query_id]
            if job.state == RUNNING:
                job.state = CANCELLED
            return {"id": job.id, "state": job.state}

    def close(self) -> None:
        """Refuse new queries and drop the queued ones (emulator shutdown)."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
