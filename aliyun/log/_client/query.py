"""Query calls of ``LogClient``: ``get_logs`` and its helpers, ``get_histograms``, ``list_topics``.

Two behaviours users of the official SDK rely on live here, each in one named place:

* :func:`_until_complete` — the service may answer a query before it has looked at every log
  (``progress: Incomplete``); the same query is then asked again, a bounded number of times
  within a deadline.
* :meth:`QueryMixin.get_logs` paging — the service returns at most 100 rows per call, so a
  search (not SQL) asking for more is read page by page with ``offset``.
* :func:`_next_offset` — where the next page starts: ``offset + count`` for a plain search,
  but for a phrase search (``#"..."``, ``mode`` 1) and a scan (``mode`` 2) the service says it
  itself (``phraseQueryInfo``): it checks a window of candidates per call, so a page can hold
  fewer rows than asked while more follow, and ``offset`` counts candidates, not rows.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, Callable, Optional, Protocol, TypeVar

from .. import _ops as ops
from .._timeparse import TimeValue
from ..errors import BadParameters, InvalidParameter
from ..getcontextlogsresponse import GetContextLogsResponse
from ..gethistogramsrequest import GetHistogramsRequest
from ..gethistogramsresponse import GetHistogramsResponse
from ..getlogsrequest import GetLogsRequest, GetProjectLogsRequest
from ..getlogsresponse import GetLogsResponse, QueryMode
from ..listtopicsrequest import ListTopicsRequest
from ..listtopicsresponse import ListTopicsResponse
from .core import ClientCore, parse_json
from .query_wire import LogsQuery, flag, is_stats_query, read_json_array, read_logs_v2, seconds

__all__ = ["DEFAULT_INCOMPLETE_ATTEMPTS", "DEFAULT_INCOMPLETE_DEADLINE", "QueryMixin"]

#: the service's largest page of GetLogs rows
MAX_LINE = 100
#: how often an incomplete query is asked in total (the official client's count)
DEFAULT_INCOMPLETE_ATTEMPTS = 5
#: seconds after which an incomplete answer is returned as it is
DEFAULT_INCOMPLETE_DEADLINE = 10.0
_INCOMPLETE_PAUSE = 0.5


class _Completable(Protocol):
    def is_completed(self) -> bool: ...


R = TypeVar("R", bound=_Completable)


def _until_complete(
    fetch: Callable[[], R],
    *,
    attempts: int = DEFAULT_INCOMPLETE_ATTEMPTS,
    deadline: float = DEFAULT_INCOMPLETE_DEADLINE,
    pause: Optional[float] = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> R:
    """Call ``fetch`` until its answer ``is_completed()``; return the last answer either way.

    An incomplete answer is not an error: the service returns what it had found so far. Asking
    again usually gets the full result, so the query is repeated up to ``attempts`` times in
    total, ``pause`` seconds apart, and never started after ``deadline`` seconds from the first
    call. Errors raised by ``fetch`` propagate at once (transport retries happen below this).

    :param attempts: calls in total (at least 1).
    :param deadline: seconds after the first call during which another call may start.
    :param pause: seconds between calls (default 0.5, as the official client waits).
    """
    pause = _INCOMPLETE_PAUSE if pause is None else pause
    started = clock()
    answer = fetch()
    for _ in range(max(1, attempts) - 1):
        if answer.is_completed() or clock() - started + pause > deadline:
            break
        sleep(pause)
        answer = fetch()
    return answer


def _next_offset(answer: GetLogsResponse, offset: int, forward: bool = True) -> Optional[int]:
    """The offset of the page after ``answer`` (read at ``offset``), or None after the last page.

    Phrase and scan answers name the next offset in ``phraseQueryInfo`` (``endOffset``, or
    ``beginOffset`` when paging backwards in scan mode) and say ``scanAll`` once every candidate
    was checked. Unlike the official client, an empty page does not end such a search while
    candidates remain: the window it checked simply held no hit.
    """
    meta = answer.get_meta()
    if meta.get_mode() in (QueryMode.PHRASE, QueryMode.SCAN) and meta.to_json().get("phraseQueryInfo"):
        info = meta.get_phrase_query_info()
        if info.get_scan_all():
            return None
        following = info.get_end_offset() if forward else info.get_begin_offset()
        # a window that does not move would be read again and again
        return following if following != offset else None
    count = answer.get_count()
    return offset + count if count > 0 else None


def _int_arg(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadParameters("BadParameters", f"{name} must be an integer, got {value!r}") from None


class QueryMixin(ClientCore):
    """Search and analyse indexed logs (the logstore needs an index, see :meth:`create_index`)."""

    # -- GetLogs ------------------------------------------------------------------------------

    def get_logs(
        self,
        request: GetLogsRequest,
        *,
        v1: bool = False,
        incomplete_attempts: int = DEFAULT_INCOMPLETE_ATTEMPTS,
        incomplete_deadline: float = DEFAULT_INCOMPLETE_DEADLINE,
    ) -> GetLogsResponse:
        """Run a search (``status:500 and GET``) or a search with SQL (``* | select count(*)``).

        Rows come oldest first (``reverse=True``: newest first). A search asking for more than
        100 rows (``line``; ``-1``: all) is read 100 at a time and returned as one response; a
        SQL statement is one call whatever ``line`` says (use ``LIMIT`` in the SQL).

        :type request: GetLogsRequest
        :param request: a :class:`~aliyun.log.GetLogsRequest`.
        :param v1: keyword-only; use the legacy ``GET /logstores/{logstore}?type=log`` form
            instead of ``POST /logstores/{logstore}/logs``.
        :param incomplete_attempts: keyword-only; calls in total while the answer is incomplete.
        :param incomplete_deadline: keyword-only; seconds within which such calls may start.
        :raises IndexConfigNotExist: the logstore has no index.
        """
        project, logstore = request.get_project() or "", request.get_logstore() or ""
        line = _int_arg(request.get_line(), "line", MAX_LINE)
        page = LogsQuery(
            from_time=seconds(request.get_from(), "fromTime"),
            to_time=seconds(request.get_to(), "toTime"),
            topic=request.get_topic(),
            query=request.get_query(),
            line=line,
            offset=_int_arg(request.get_offset(), "offset", 0),
            reverse=flag(request.get_reverse()),
            power_sql=flag(request.get_power_sql()),
            scan=flag(request.get_scan()),
            forward=flag(request.get_forward()),
            accurate=flag(request.get_accurate_query()),
            from_ns=_int_arg(request.get_from_time_nano_part(), "from_time_nano_part", 0),
            to_ns=_int_arg(request.get_to_time_nano_part(), "to_time_nano_part", 0),
        )

        def fetch(current: LogsQuery) -> GetLogsResponse:
            return _until_complete(
                lambda: self._get_logs_page(project, logstore, current, v1),
                attempts=incomplete_attempts,
                deadline=incomplete_deadline,
            )

        if is_stats_query(page.query):
            page.line = min(max(line, 0), MAX_LINE)  # SQL ignores line; keep it valid on the wire
            return fetch(page)
        if 0 <= line <= MAX_LINE:
            return fetch(page)
        return self._get_logs_paged(page, None if line < 0 else line, fetch)

    def _get_logs_paged(
        self, page: LogsQuery, wanted: Optional[int], fetch: Callable[[LogsQuery], GetLogsResponse]
    ) -> GetLogsResponse:
        """Read ``wanted`` rows (``None``: all) 100 at a time, merged into the first page's response."""
        merged: Optional[GetLogsResponse] = None
        while True:
            page.line = MAX_LINE if wanted is None else min(MAX_LINE, wanted)
            answer = fetch(page)
            count = answer.get_count()
            merged = answer if merged is None else merged.merge(answer)
            following = _next_offset(answer, page.offset, page.forward)
            if wanted is not None:
                wanted -= count
            if following is None or not answer.is_completed() or (wanted is not None and wanted <= 0):
                return merged
            page.offset = following

    def _get_logs_page(self, project: str, logstore: str, page: LogsQuery, v1: bool) -> GetLogsResponse:
        if v1:
            response = self._call(ops.GET_LOGS_V1, project, params=page.get_params(), logstore=logstore)
            rows = read_json_array(response, "GetLogs", ("x-log-progress",))
            return GetLogsResponse.from_v1(rows, dict(response.headers))
        body = json.dumps(page.post_body()).encode("utf-8")
        response = self._call(
            ops.GET_LOGS,
            project,
            body=body,
            headers={"Accept-Encoding": "lz4"},
            content_type="application/json",
            logstore=logstore,
        )
        return GetLogsResponse(read_logs_v2(response), dict(response.headers))

    def get_log(
        self,
        project: str,
        logstore: str,
        from_time: TimeValue,
        to_time: TimeValue,
        topic: Optional[str] = None,
        query: Optional[str] = None,
        reverse: bool = False,
        offset: int = 0,
        size: int = 100,
        power_sql: bool = False,
        scan: bool = False,
        forward: bool = True,
        accurate_query: bool = True,
        from_time_nano_part: int = 0,
        to_time_nano_part: int = 0,
        **options: Any,
    ) -> GetLogsResponse:
        """:meth:`get_logs` with the request given as arguments.

        :type from_time: int/string
        :param from_time: start, inclusive (Unix seconds or a readable time such as ``"1 hour ago"``).
        :type to_time: int/string
        :param to_time: end, exclusive.
        :type size: int
        :param size: rows wanted; more than 100 (or ``-1``: all) is read page by page.
        :param options: the keyword-only options of :meth:`get_logs`.

        :type project: string
        :type logstore: string
        :type topic: string
        :type query: string
        :type reverse: bool
        :type offset: int
        :type power_sql: bool
        :type scan: bool
        :type forward: bool
        :type accurate_query: bool
        :type from_time_nano_part: int
        :type to_time_nano_part: int
        """
        request = GetLogsRequest(
            project, logstore, from_time, to_time, topic, query, size, offset, reverse, power_sql, scan, forward,
            accurate_query, from_time_nano_part, to_time_nano_part,
        )  # fmt: skip
        return self.get_logs(request, **options)

    def get_log_all(
        self,
        project: str,
        logstore: str,
        from_time: TimeValue,
        to_time: TimeValue,
        topic: Optional[str] = None,
        query: Optional[str] = None,
        reverse: bool = False,
        offset: int = 0,
        power_sql: bool = False,
        accurate_query: bool = True,
        **options: Any,
    ) -> Iterator[GetLogsResponse]:
        """Yield every matching log, one response of up to 100 rows at a time.

        Stops after the last row, or after a page that stayed incomplete (check
        ``is_completed()`` of the last response). A SQL query yields its single answer.

        :param options: the keyword-only options of :meth:`get_logs`.

        :type project: string
        :type logstore: string
        :type from_time: int/string
        :type to_time: int/string
        :type topic: string
        :type query: string
        :type reverse: bool
        :type offset: int
        :type power_sql: bool
        :type accurate_query: bool
        """
        yield from self._log_pages(
            GetLogsRequest(project, logstore, from_time, to_time, topic, query, MAX_LINE, offset, reverse, power_sql,
                           accurate_query=accurate_query),
            options,
        )  # fmt: skip

    def get_log_all_v2(
        self,
        project: str,
        logstore: str,
        from_time: TimeValue,
        to_time: TimeValue,
        topic: Optional[str] = None,
        query: Optional[str] = None,
        reverse: bool = False,
        offset: int = 0,
        power_sql: bool = False,
        scan: bool = False,
        forward: bool = True,
        **options: Any,
    ) -> Iterator[GetLogsResponse]:
        """:meth:`get_log_all` for phrase searches (``#"..."``) and scan mode (``scan``/``forward``).

        A plain search pages by ``offset += count`` as :meth:`get_log_all` does; a phrase search
        or a scan continues where the service says (``phraseQueryInfo``: ``endOffset``, or
        ``beginOffset`` when ``forward`` is false) until it reports ``scanAll``. Pages without
        rows are not yielded.

        :type scan: bool
        :param scan: run the query in scan mode (``session=mode=scan``).
        :type forward: bool
        :param forward: scan mode: read the following (True) or the preceding pages.
        :param options: the keyword-only options of :meth:`get_logs`.

        :type project: string
        :type logstore: string
        :type from_time: int/string
        :type to_time: int/string
        :type topic: string
        :type query: string
        :type reverse: bool
        :type offset: int
        :type power_sql: bool
        """
        yield from self._log_pages(
            GetLogsRequest(project, logstore, from_time, to_time, topic, query, MAX_LINE, offset, reverse, power_sql,
                           scan, forward),
            options,
            forward=flag(forward),
        )  # fmt: skip

    def _log_pages(
        self, request: GetLogsRequest, options: dict[str, Any], *, forward: bool = True
    ) -> Iterator[GetLogsResponse]:
        if is_stats_query(request.get_query()):
            yield self.get_logs(request, **options)
            return
        offset: Optional[int] = _int_arg(request.get_offset(), "offset", 0)
        while offset is not None:
            request.set_offset(offset)
            answer = self.get_logs(request, **options)
            if answer.get_count():
                yield answer
            if not answer.is_completed():
                return
            offset = _next_offset(answer, offset, forward)

    def get_project_logs(
        self,
        request: GetProjectLogsRequest,
        *,
        incomplete_attempts: int = DEFAULT_INCOMPLETE_ATTEMPTS,
        incomplete_deadline: float = DEFAULT_INCOMPLETE_DEADLINE,
    ) -> GetLogsResponse:
        """Run one SQL statement at project level (it names its logstore and time range itself).

        :type request: GetProjectLogsRequest
        """
        params = {"query": request.get_query() or "", "powerSql": flag(request.get_power_sql())}
        project = request.get_project() or ""

        def fetch() -> GetLogsResponse:
            response = self._call(ops.GET_PROJECT_LOGS, project, params=params)
            rows = read_json_array(response, "GetProjectLogs", ("x-log-progress",))
            return GetLogsResponse.from_v1(rows, dict(response.headers))

        return _until_complete(fetch, attempts=incomplete_attempts, deadline=incomplete_deadline)

    def execute_logstore_sql(
        self, project: str, logstore: str, from_time: TimeValue, to_time: TimeValue, sql: str, power_sql: bool
    ) -> GetLogsResponse:
        """Run ``sql`` (``<search> | <SQL>``) on one logstore over ``[from_time, to_time)``.

        :type power_sql: bool
        :param power_sql: run on the dedicated SQL resources (``powerSql`` on the wire).
        :type project: string
        :type logstore: string
        :type from_time: int/string
        :type to_time: int/string
        :type sql: string
        :raises InvalidParameter: ``sql`` has no analytic part; nothing is sent.
        """
        if not is_stats_query(sql):
            raise InvalidParameter(
                "InvalidParameter", "the statement must be '<search> | <SQL>', e.g. '* | select count(*)'"
            )
        return self.get_log(project, logstore, from_time, to_time, query=sql, size=100, power_sql=power_sql)

    def execute_project_sql(self, project: str, sql: str, power_sql: bool) -> GetLogsResponse:
        """Run a project-level SQL statement (it names its logstore and time range itself).

        :type power_sql: bool
        :param power_sql: run on the dedicated SQL resources (``powerSql`` on the wire).

        :type project: string
        :type sql: string
        """
        return self.get_project_logs(GetProjectLogsRequest(project, sql, power_sql))

    # -- context ------------------------------------------------------------------------------

    def get_context_logs(
        self,
        project: str,
        logstore: str,
        pack_id: str,
        pack_meta: str,
        back_lines: int,
        forward_lines: int,
        *,
        incomplete_attempts: int = DEFAULT_INCOMPLETE_ATTEMPTS,
        incomplete_deadline: float = DEFAULT_INCOMPLETE_DEADLINE,
    ) -> GetContextLogsResponse:
        """The logs written just before and after one log by the same source (its context).

        ``pack_id`` and ``pack_meta`` come from the start log: its ``__tag__:__pack_id__`` (set by
        the producer that wrote it) and ``__pack_meta__`` (added by the service when the query
        ends with ``| with_pack_meta``, or found in any log of an earlier context answer).

        :type pack_id: string
        :param pack_id: the start log's ``__tag__:__pack_id__``.
        :type pack_meta: string
        :param pack_meta: the start log's ``__pack_meta__``.
        :type back_lines: int
        :param back_lines: logs wanted before the start log (0..100).
        :type forward_lines: int
        :param forward_lines: logs wanted after it (0..100; not both 0).
        :param incomplete_attempts: keyword-only; as for :meth:`get_logs`.
        :param incomplete_deadline: keyword-only; as for :meth:`get_logs`.
        :type project: string
        :type logstore: string
        :raises InvalidParameter: the pack id/meta do not name a log, or the line counts are out of range.
        """
        params: dict[str, Any] = {
            "pack_id": pack_id,
            "pack_meta": pack_meta,
            "back_lines": _int_arg(back_lines, "back_lines", 0),
            "forward_lines": _int_arg(forward_lines, "forward_lines", 0),
        }

        def fetch() -> GetContextLogsResponse:
            response = self._call(ops.GET_CONTEXT_LOGS, project, params=params, logstore=logstore)
            return GetContextLogsResponse(parse_json(response), dict(response.headers))

        return _until_complete(fetch, attempts=incomplete_attempts, deadline=incomplete_deadline)

    # -- histograms and topics ----------------------------------------------------------------

    def get_histograms(
        self,
        request: GetHistogramsRequest,
        *,
        incomplete_attempts: int = DEFAULT_INCOMPLETE_ATTEMPTS,
        incomplete_deadline: float = DEFAULT_INCOMPLETE_DEADLINE,
    ) -> GetHistogramsResponse:
        """Count matching logs per time slice of ``[fromTime, toTime)`` (the service picks the slices).

        :type request: GetHistogramsRequest
        :param request: a :class:`~aliyun.log.GetHistogramsRequest` (a search statement, no SQL).
        :param incomplete_attempts: keyword-only; as for :meth:`get_logs`.
        :param incomplete_deadline: keyword-only; as for :meth:`get_logs`.
        """
        params: dict[str, Any] = {
            "topic": request.get_topic() or "",
            "from": seconds(request.get_from(), "fromTime"),
            "to": seconds(request.get_to(), "toTime"),
        }
        if request.get_query() is not None:
            params["query"] = request.get_query()
        params["accurate"] = flag(request.get_accurate_query())
        params["fromNs"] = _int_arg(request.get_from_time_nano_part(), "from_time_nano_part", 0)
        params["toNs"] = _int_arg(request.get_to_time_nano_part(), "to_time_nano_part", 0)
        shard = _int_arg(request.get_shard_id(), "shard_id", -1)
        if shard >= 0:
            params["shard"] = shard
        project, logstore = request.get_project() or "", request.get_logstore() or ""

        def fetch() -> GetHistogramsResponse:
            response = self._call(ops.GET_HISTOGRAMS, project, params=params, logstore=logstore)
            buckets = read_json_array(response, "GetHistograms", ("x-log-progress",))
            return GetHistogramsResponse(buckets, dict(response.headers))

        return _until_complete(fetch, attempts=incomplete_attempts, deadline=incomplete_deadline)

    def list_topics(self, request: ListTopicsRequest) -> ListTopicsResponse:
        """One page of the logstore's topics; continue with ``token=response.get_next_token()``
        until it is ``''``.

        :type request: ListTopicsRequest
        """
        params: dict[str, Any] = {}
        if request.get_token() is not None:
            params["token"] = request.get_token()
        if request.get_line() is not None:
            params["line"] = _int_arg(request.get_line(), "line", MAX_LINE)
        response = self._call(
            ops.LIST_TOPICS, request.get_project() or "", params=params, logstore=request.get_logstore() or ""
        )
        return ListTopicsResponse(read_json_array(response, "ListTopics", ()), dict(response.headers))

    def list_topic(self, request: ListTopicsRequest) -> ListTopicsResponse:
        """Same as :meth:`list_topics` (the name the 0.6 README uses)."""
        return self.list_topics(request)
