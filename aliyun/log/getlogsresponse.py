"""``GetLogsResponse``: the answer of ``get_logs`` / ``get_log`` (rows plus the query's ``meta``).

The POST form of GetLogs answers ``{"meta": {...}, "data": [rows]}``; the legacy GET form answers
the bare row array and puts the meta facts in ``x-log-*`` headers. Both end up here in the same
shape (:meth:`GetLogsResponse.from_v1`), so callers never care which form was used.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from .logresponse import LogResponse, header_value
from .queriedlog import QueriedLog

__all__ = ["GetLogsResponse", "GetLogsResponseMeta", "PhraseQueryInfo", "QueryMode", "Term"]


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _float(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _bool(value: Any) -> bool:
    # The GET form carries booleans as header text; "false" must not read as true.
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


class PhraseQueryInfo:
    """Paging facts of a phrase query (``#"..."``): which part of the candidates was scanned."""

    def __init__(self, phrase_query_info: Optional[Mapping[str, Any]]) -> None:
        info = phrase_query_info or {}
        self.scan_all = _bool(info.get("scanAll", False))
        self.begin_offset = _int(info.get("beginOffset"))
        self.end_offset = _int(info.get("endOffset"))
        self.end_time = _int(info.get("endTime"))

    def get_scan_all(self) -> bool:
        """Whether every candidate log was scanned."""
        return self.scan_all

    def get_begin_offset(self) -> int:
        """First candidate offset scanned."""
        return self.begin_offset

    def get_end_offset(self) -> int:
        """Offset after the last candidate scanned."""
        return self.end_offset

    def get_end_time(self) -> int:
        """Time of the last candidate scanned."""
        return self.end_time

    def to_json(self) -> dict[str, Any]:
        """The facts as the service names them."""
        return {
            "scanAll": self.scan_all,
            "beginOffset": self.begin_offset,
            "endOffset": self.end_offset,
            "endTime": self.end_time,
        }

    def log_print(self) -> None:
        """Print the facts."""
        print("PhraseQueryInfo:", json.dumps(self.to_json()))


class Term:
    """A search term the service highlighted: ``key`` (``''`` for full text) and ``term``."""

    def __init__(self, key: str, term: str) -> None:
        self.key = key
        self.term = term

    def get_key(self) -> str:
        """The field searched (``''``: full text)."""
        return self.key

    def get_term(self) -> str:
        """The word searched."""
        return self.term

    def log_print(self) -> None:
        """Print the term."""
        print(f"Term key: {self.key} term: {self.term}")


class GetLogsResponseMeta:
    """The ``meta`` object of a query answer, with a getter per field (absent fields read as defaults).

    :param meta: the ``meta`` JSON object.
    """

    def __init__(self, meta: Optional[Mapping[str, Any]]) -> None:
        self.meta: dict[str, Any] = dict(meta or {})

    def get_count(self) -> int:
        """Rows in this answer (what paging advances by)."""
        return _int(self.meta.get("count"))

    def get_progress(self) -> str:
        """``Complete`` or ``Incomplete``."""
        return str(self.meta.get("progress", "") or "")

    def is_completed(self) -> bool:
        """Whether the result is final."""
        return self.get_progress() == "Complete"

    def get_processed_rows(self) -> int:
        """Logs the query looked at."""
        return _int(self.meta.get("processedRows"))

    def get_elapsed_millisecond(self) -> int:
        """Server time spent, in milliseconds."""
        return _int(self.meta.get("elapsedMillisecond"))

    def get_has_sql(self) -> bool:
        """Whether the query had a SQL part."""
        return _bool(self.meta.get("hasSQL", False))

    def get_where_query(self) -> str:
        """The search part of the query."""
        return str(self.meta.get("whereQuery", "") or "")

    def get_agg_query(self) -> str:
        """The SQL part of the query."""
        return str(self.meta.get("aggQuery", "") or "")

    def get_cpu_sec(self) -> float:
        """CPU seconds used."""
        return _float(self.meta.get("cpuSec"))

    def get_cpu_cores(self) -> int:
        """CPU cores used."""
        return _int(self.meta.get("cpuCores"))

    def get_mode(self) -> int:
        """0 normal, 1 phrase, 2 scan, 3 scan SQL."""
        return _int(self.meta.get("mode"))

    def get_scan_bytes(self) -> int:
        """Bytes scanned (scan mode)."""
        return _int(self.meta.get("scanBytes"))

    def get_phrase_query_info(self) -> PhraseQueryInfo:
        """Paging facts of a phrase query."""
        return PhraseQueryInfo(self.meta.get("phraseQueryInfo"))

    def get_limited(self) -> Optional[int]:
        """Rows cut by the service's limits, when it says."""
        value = self.meta.get("limited")
        return None if value is None else _int(value)

    def get_processed_bytes(self) -> Optional[int]:
        """Bytes the query looked at, when the service says."""
        value = self.meta.get("processedBytes")
        return None if value is None else _int(value)

    def get_telemetry_type(self) -> Optional[str]:
        """Telemetry type of the store (the service spells the key ``telementryType``)."""
        value = self.meta.get("telementryType", self.meta.get("telemetryType"))
        return None if value is None else str(value)

    def get_power_sql(self) -> bool:
        """Whether the dedicated SQL resources ran the query."""
        return _bool(self.meta.get("powerSql", False))

    def get_inserted_sql(self) -> Optional[str]:
        """SQL the service added to the query, if any."""
        return self.meta.get("insertedSQL")

    def get_keys(self) -> Optional[list[str]]:
        """Result columns of a SQL query, in order."""
        keys = self.meta.get("keys")
        return None if keys is None else list(keys)

    def get_marker(self) -> Optional[str]:
        """Paging marker of scan queries."""
        return self.meta.get("marker")

    def get_is_accurate(self) -> Optional[bool]:
        """Whether the result is exact."""
        value = self.meta.get("isAccurate")
        return None if value is None else _bool(value)

    def get_column_types(self) -> Optional[list[str]]:
        """SQL types of the result columns."""
        types = self.meta.get("columnTypes")
        return None if types is None else list(types)

    def get_highlights(self) -> Optional[list[Any]]:
        """Highlight positions, when asked for."""
        value = self.meta.get("highlights")
        return None if value is None else list(value)

    def get_terms(self) -> list[Term]:
        """Search terms of the query."""
        return [Term(str(t.get("key", "")), str(t.get("term", ""))) for t in self.meta.get("terms") or []]

    def merge(self, other: GetLogsResponseMeta) -> GetLogsResponseMeta:
        """Add another page's meta: counts, rows, bytes and time add up; progress is
        ``Complete`` only when both are."""
        for key in ("count", "processedRows", "elapsedMillisecond", "scanBytes"):
            if key in self.meta or key in other.meta:
                self.meta[key] = _int(self.meta.get(key)) + _int(other.meta.get(key))
        if "cpuSec" in self.meta or "cpuSec" in other.meta:
            self.meta["cpuSec"] = self.get_cpu_sec() + other.get_cpu_sec()
        self.meta["progress"] = "Complete" if self.is_completed() and other.is_completed() else "Incomplete"
        return self

    def to_json(self) -> dict[str, Any]:
        """The meta object."""
        return dict(self.meta)

    def log_print(self) -> None:
        """Print the meta object."""
        print("GetLogsResponseMeta:", json.dumps(self.meta, ensure_ascii=False, default=str))


class QueryMode(enum.IntEnum):
    """How the service ran a query (``meta.mode``)."""

    NORMAL = 0
    PHRASE = 1
    SCAN = 2
    SCAN_SQL = 3


# Aliases for annotations inside GetLogsResponse, whose class attributes shadow the names.
_Meta = GetLogsResponseMeta
_Mode = QueryMode


class GetLogsResponse(LogResponse):
    """Rows of a query and its ``meta`` facts.

    :param resp: ``{"meta": {...}, "data": [rows]}`` (a bare row array is read as the GET form).
    :param header: the answer's headers.
    """

    GetLogsResponseMeta = GetLogsResponseMeta
    PhraseQueryInfo = PhraseQueryInfo
    Term = Term
    QueryMode = QueryMode

    def __init__(self, resp: Any, header: Mapping[str, Any]) -> None:
        if isinstance(resp, (list, tuple)):
            resp = {"meta": _meta_from_headers(resp, header), "data": list(resp)}
        super().__init__(header, resp)
        self.meta = _Meta(resp.get("meta") or {})
        self.logs = [QueriedLog.from_row(row) for row in resp.get("data") or []]

    @classmethod
    def from_v1(cls, rows: Sequence[Mapping[str, Any]], header: Mapping[str, Any]) -> GetLogsResponse:
        """Build from a GET-form answer: the row array plus ``x-log-*`` headers."""
        return cls(list(rows), header)

    # the official SDK's name for the same constructor
    _from_v1_resp = from_v1

    def get_logs(self) -> list[QueriedLog]:
        """The rows (logs, or SQL result rows)."""
        return self.logs

    def get_log_list(self) -> list[QueriedLog]:
        """Same as :meth:`get_logs`."""
        return self.logs

    def get_meta(self) -> _Meta:
        """The ``meta`` object."""
        return self.meta

    def get_count(self) -> int:
        """Rows in the answer, as the service counts them (``meta.count``)."""
        return self.meta.get_count()

    def is_completed(self) -> bool:
        """Whether the result is final (``progress == "Complete"``)."""
        return self.meta.is_completed()

    def get_processed_rows(self) -> int:
        """Logs the query looked at."""
        return self.meta.get_processed_rows()

    def get_elapsed_mills(self) -> int:
        """Server time spent, in milliseconds."""
        return self.meta.get_elapsed_millisecond()

    def get_has_sql(self) -> bool:
        """Whether the query had a SQL part."""
        return self.meta.get_has_sql()

    def get_where_query(self) -> str:
        """The search part of the query."""
        return self.meta.get_where_query()

    def get_agg_query(self) -> str:
        """The SQL part of the query."""
        return self.meta.get_agg_query()

    def get_cpu_sec(self) -> float:
        """CPU seconds used."""
        return self.meta.get_cpu_sec()

    def get_cpu_cores(self) -> int:
        """CPU cores used."""
        return self.meta.get_cpu_cores()

    def get_query_mode(self) -> _Mode:
        """How the service ran the query."""
        try:
            return _Mode(self.meta.get_mode())
        except ValueError:
            return _Mode.NORMAL

    def get_scan_bytes(self) -> int:
        """Bytes scanned (scan mode)."""
        return self.meta.get_scan_bytes()

    def get_scan_all(self) -> bool:
        """Phrase query: whether every candidate was scanned."""
        return self.meta.get_phrase_query_info().get_scan_all()

    def get_begin_offset(self) -> int:
        """Phrase query: first candidate offset scanned."""
        return self.meta.get_phrase_query_info().get_begin_offset()

    def get_end_offset(self) -> int:
        """Phrase query: offset after the last candidate scanned."""
        return self.meta.get_phrase_query_info().get_end_offset()

    def merge(self, other: GetLogsResponse) -> GetLogsResponse:
        """Append another page: its rows, and its meta (see :meth:`GetLogsResponseMeta.merge`)."""
        self.logs.extend(other.logs)
        self.meta.merge(other.meta)
        if isinstance(self.body, dict):
            self.body = {"meta": self.meta.to_json(), "data": [log.to_dict() for log in self.logs]}
        return self

    def _print_fields(self) -> list[tuple[str, Any]]:
        return [
            ("count", self.get_count()),
            ("progress", self.meta.get_progress()),
            ("meta", self.meta.to_json()),
            ("logs", [log.to_dict() for log in self.logs]),
        ]


def _meta_from_headers(rows: Sequence[Any], header: Mapping[str, Any]) -> dict[str, Any]:
    """The ``meta`` object a GET-form answer describes with headers."""
    meta: dict[str, Any] = {
        "count": len(rows),
        "progress": str(header_value(header, "x-log-progress", "") or ""),
        "processedRows": _int(header_value(header, "x-log-processed-rows")),
        "elapsedMillisecond": _int(header_value(header, "x-log-elapsed-millisecond")),
        "hasSQL": _bool(header_value(header, "x-log-has-sql", False)),
        "whereQuery": str(header_value(header, "x-log-where-query", "") or ""),
        "aggQuery": str(header_value(header, "x-log-agg-query", "") or ""),
        "cpuSec": _float(header_value(header, "x-log-cpu-sec")),
        "cpuCores": _int(header_value(header, "x-log-cpu-cores")),
    }
    info_text = header_value(header, "x-log-query-info")
    if info_text:
        try:
            info = json.loads(info_text)
        except ValueError:
            info = None
        if isinstance(info, dict):
            meta["mode"] = _int(info.get("mode"))
            meta["scanBytes"] = _int(info.get("scanBytes"))
            if isinstance(info.get("phraseQueryInfo"), dict):
                meta["phraseQueryInfo"] = PhraseQueryInfo(info["phraseQueryInfo"]).to_json()
    return meta
