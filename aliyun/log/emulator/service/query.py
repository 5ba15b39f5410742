"""Query rules: GetLogs, GetHistograms, ListTopics and GetProjectLogs over a logstore's index.

The engine (:mod:`aliyun.log.emulator.query`) evaluates search and SQL; this module checks the
request the way the service does (parameter types, time range, page size) and finds the index.
GetLogs and GetHistograms on the name of a store view query the union of its members
(:mod:`.view_query`).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Optional

from ..errors import bad_request
from ..query import LogstoreIndex, QueryResult, no_index_error
from ..query.external_tables import ExternalTable, TableResolver, table_of_document
from ..query.request import check_page, check_range
from .families_stores import EXTERNAL_STORE, STORE_VIEW
from .index import IndexService
from .view_query import ViewRange, view_index

__all__ = ["LogsRequest", "QueryService"]

MAX_LINE = 100
DEFAULT_TOPIC_LINE = 100
MAX_TOPIC_LINE = 1000
#: the time range of a project-level SQL statement (it filters on ``__time__`` itself)
_ALL_TIME = (0, 2**32)
#: prefix of a ListTopics token that carries a topic which cannot travel in a header as it is
_ENCODED_TOKEN = "b64:"
_FROM_LOGSTORE = re.compile(r'\bfrom\s+(?:"([^"]+)"|([A-Za-z0-9][A-Za-z0-9_-]*))', re.I)


def _int(value: Any, name: str, default: Optional[int] = None, code: str = "ParameterInvalid") -> int:
    if value is None or value == "":
        if default is None:
            raise bad_request(code, f"{name} is required")
        return default
    if isinstance(value, bool):
        raise bad_request(code, f"{name} must be an integer, got {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request(code, f"{name} must be an integer, got {str(value)[:64]!r}") from None


def _bool(value: Any, name: str, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request("ParameterInvalid", f"{name} must be true or false, got {value!r}")


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _query(value: Any) -> str:
    """The query statement of a request (its size is checked by the engine, see ``QueryLimits``)."""
    return _text(value) or ""


def _encode_token(topic: str) -> str:
    if topic.isascii() and topic.isprintable() and not topic.startswith(_ENCODED_TOKEN):
        return topic
    return _ENCODED_TOKEN + base64.urlsafe_b64encode(topic.encode("utf-8")).decode("ascii")


def _decode_token(token: str) -> str:
    if not token.startswith(_ENCODED_TOKEN):
        return token
    try:
        return base64.urlsafe_b64decode(token[len(_ENCODED_TOKEN) :]).decode("utf-8")
    except (binascii.Error, ValueError):
        raise bad_request("ParameterInvalid", f"invalid token {token!r}") from None


@dataclass
class LogsRequest:
    """A GetLogs request in either form, checked."""

    from_time: int
    to_time: int
    line: int
    offset: int
    reverse: bool
    topic: Optional[str]
    query: str
    from_ns: int
    to_ns: int

    @classmethod
    def parse(cls, values: Mapping[str, Any]) -> LogsRequest:
        """From the POST body or the GET parameters (same names; booleans as JSON or text)."""
        # Types here; the range and paging rules are the engine's (query/request.py), checked
        # before the index is even looked up so a bad request never depends on the logstore.
        from_time = _int(values.get("from"), "from", code="InvalidTimeRange")
        to_time = _int(values.get("to"), "to", code="InvalidTimeRange")
        line = _int(values.get("line"), "line", MAX_LINE, "InvalidLine")
        offset = _int(values.get("offset"), "offset", 0, "InvalidOffset")
        from_ns = _int(values.get("fromNs"), "fromNs", 0)
        to_ns = _int(values.get("toNs"), "toNs", 0)
        check_range(from_time, to_time, from_ns, to_ns)
        check_page(line, offset)
        return cls(
            from_time=from_time,
            to_time=to_time,
            # A page never holds more than 100 rows; larger requests are clamped, not refused.
            line=min(line, MAX_LINE),
            offset=offset,
            reverse=_bool(values.get("reverse"), "reverse"),
            topic=_text(values.get("topic")) or None,
            query=_query(values.get("query")),
            from_ns=from_ns,
            to_ns=to_ns,
        )


class QueryService:
    """Queries of one emulator."""

    def __init__(self, indexes: IndexService) -> None:
        self.indexes = indexes

    def _searchable(self, project: Optional[str], logstore: str) -> tuple[LogstoreIndex, bool]:
        """The index once it holds every log stored before the query (read-your-writes), and
        whether it does (``False`` only if indexing failed: the answer is marked incomplete)."""
        engine, complete = self.indexes.searchable(project, logstore)
        if engine is None:
            raise no_index_error()
        return engine, complete

    def _engine(self, project: Optional[str], logstore: str) -> LogstoreIndex:
        return self._searchable(project, logstore)[0]

    def _external_tables(self, project: Optional[str]) -> TableResolver:
        """Resolves a SQL table name to the rows of the project's external store of that name."""
        state = self.indexes.state

        def resolve(name: str) -> Optional[ExternalTable]:
            doc = state.meta.get(EXTERNAL_STORE.kind, project or "", name)
            if doc is None and name != name.lower():
                doc = state.meta.get(EXTERNAL_STORE.kind, project or "", name.lower())
            return None if not isinstance(doc, dict) else table_of_document(doc)

        return resolve

    def _view(self, project: Optional[str], name: str) -> Optional[dict[str, Any]]:
        """The store view ``name`` of the project when no logstore has that name."""
        state = self.indexes.state
        owner = state.project(project or "")
        if name in owner.logstores:
            return None
        doc = state.meta.get(STORE_VIEW.kind, owner.name, name)
        return dict(doc) if isinstance(doc, dict) else None

    @contextmanager
    def _index_of(
        self, project: Optional[str], name: str, span: ViewRange
    ) -> Iterator[tuple[LogstoreIndex, bool, bool]]:
        """The index a query on ``name`` runs on: the logstore's own, or for a store view a
        temporary union of its members' logs in ``span``; whether it holds every stored log; and
        whether it is a view."""
        view = self._view(project, name)
        if view is None:
            engine, complete = self._searchable(project, name)
            yield engine, complete, False
            return
        with view_index(view, self.indexes.searchable, span, self.indexes.limits) as (union, complete):
            yield union, complete, True

    def get_logs(self, project: Optional[str], logstore: str, values: Mapping[str, Any]) -> QueryResult:
        """GetLogs (either form): logs of a search, or rows of a SQL statement."""
        request = LogsRequest.parse(values)
        span = ViewRange(request.from_time, request.to_time, request.from_ns, request.to_ns)
        with self._index_of(project, logstore, span) as (engine, complete, is_view):
            # a logstore that allows modification shows each log's id (docs/changing-data.md)
            row_ids = not is_view and bool(
                self.indexes.state.logstore(project or "", logstore).config.get("enableModify")
            )
            result = engine.get_logs(
                request.query,
                request.from_time,
                request.to_time,
                line=request.line,
                offset=request.offset,
                reverse=request.reverse,
                topic=request.topic,
                from_ns=request.from_ns,
                to_ns=request.to_ns,
                row_ids=row_ids,
                tables=self._external_tables(project),
            )
        return _incomplete(result) if not complete else result

    def get_context_logs(self, project: Optional[str], logstore: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """GetContextLogs: up to ``back_lines`` logs before and ``forward_lines`` after one log."""
        back_lines = _int(values.get("back_lines"), "back_lines", code="InvalidParameter")
        forward_lines = _int(values.get("forward_lines"), "forward_lines", code="InvalidParameter")
        engine, complete = self._searchable(project, logstore)
        answer = engine.get_context_logs(
            _text(values.get("pack_id")) or "", _text(values.get("pack_meta")) or "", back_lines, forward_lines
        )
        if not complete:
            answer["progress"] = "Incomplete"
        return answer

    def get_histograms(self, project: Optional[str], logstore: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """GetHistograms: hit counts of a search statement per time slice."""
        from_time = _int(values.get("from"), "from", code="InvalidTimeRange")
        to_time = _int(values.get("to"), "to", code="InvalidTimeRange")
        check_range(from_time, to_time)
        from_ns, to_ns = _int(values.get("fromNs"), "fromNs", 0), _int(values.get("toNs"), "toNs", 0)
        with self._index_of(project, logstore, ViewRange(from_time, to_time, from_ns, to_ns)) as (engine, complete, _):
            buckets = engine.get_histograms(
                _query(values.get("query")),
                from_time,
                to_time,
                topic=_text(values.get("topic")) or None,
                from_ns=from_ns,
                to_ns=to_ns,
            )
        if not complete:
            for bucket in buckets:
                bucket["progress"] = "Incomplete"
        return buckets

    def list_topics(
        self, project: Optional[str], logstore: str, token: Optional[str], line: Optional[str]
    ) -> tuple[list[str], str]:
        """ListTopics: one page of topic names (sorted) from ``token`` on, and the next token.

        The token is the first topic of the next page (``""`` after the last page); a topic that
        is not printable ASCII travels Base64-encoded behind ``b64:``.
        """
        size = _int(line, "line", DEFAULT_TOPIC_LINE)
        if not 1 <= size <= MAX_TOPIC_LINE:
            raise bad_request("ParameterInvalid", f"line must be 1..{MAX_TOPIC_LINE}, got {size}")
        topics = self._engine(project, logstore).list_topics()
        start = bisect.bisect_left(topics, _decode_token(token)) if token else 0
        page = topics[start : start + size]
        after = start + size
        return page, _encode_token(topics[after]) if after < len(topics) else ""

    def get_project_logs(self, project: Optional[str], query: Optional[str]) -> QueryResult:
        """GetProjectLogs: a SQL statement that names its logstore (``... FROM <logstore> ...``).

        The statement runs over all the logstore's indexed logs; its own ``WHERE __time__ ...``
        picks the range.
        """
        sql = _query(query).strip()
        found = _FROM_LOGSTORE.search(sql)
        if not sql or found is None:
            raise bad_request("ParameterInvalid", "project SQL must name its logstore: ... FROM <logstore> ...")
        logstore = found.group(1) or found.group(2)
        with self._index_of(project, logstore, ViewRange(*_ALL_TIME)) as (engine, complete, _):
            result = engine.get_logs("* | " + sql, *_ALL_TIME, tables=self._external_tables(project))
        return _incomplete(result) if not complete else result


def _incomplete(result: QueryResult) -> QueryResult:
    """Mark an answer computed without the newest logs (indexing them failed)."""
    result.complete = False
    return result
