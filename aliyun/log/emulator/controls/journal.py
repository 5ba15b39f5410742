"""What the emulator remembers about the requests it served (inspection), and their log line."""

from __future__ import annotations

import collections
import logging
import threading
from dataclasses import asdict, dataclass
from typing import Any, Optional

__all__ = ["RequestInfo", "RequestLog", "RequestRecord", "log_request"]

logger = logging.getLogger("aliyun.log.emulator.requests")

#: records kept per emulator (the oldest are forgotten first); counts are kept for all
MAX_RECORDS = 10_000


@dataclass
class RequestInfo:
    """What the application learns about a request while serving it (filled in as it goes)."""

    method: str = ""
    path: str = ""
    api: Optional[str] = None
    project: Optional[str] = None
    logstore: Optional[str] = None
    error_code: Optional[str] = None
    fault: Optional[str] = None
    drop: Optional[str] = None


@dataclass
class RequestRecord:
    """One served request, as inspection shows it (never a header, body or signature)."""

    api: str
    project: Optional[str]
    logstore: Optional[str]
    status: int
    error_code: Optional[str]
    latency_ms: float
    request_id: str
    fault: Optional[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """Requests served, per API and outcome."""

    def __init__(self, max_records: int = MAX_RECORDS) -> None:
        self._records: collections.deque[RequestRecord] = collections.deque(maxlen=max_records)
        self._counts: dict[str, collections.Counter[str]] = {}
        self._lock = threading.Lock()

    def record(self, info: RequestInfo, status: int, latency_ms: float, request_id: str) -> RequestRecord:
        """Remember one finished request."""
        api = info.api or f"{info.method} {info.path[:64]}"
        entry = RequestRecord(
            api, info.project, info.logstore, status, info.error_code, round(latency_ms, 3), request_id, info.fault
        )
        with self._lock:
            self._records.append(entry)
            self._counts.setdefault(api, collections.Counter())[_outcome(entry)] += 1
        return entry

    def records(self, api: Optional[str] = None) -> list[RequestRecord]:
        """The remembered requests, oldest first (only ``api``'s when given)."""
        with self._lock:
            return [r for r in self._records if api is None or r.api == api]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{api: {outcome: n}}``; the outcome is ``ok`` or the error code (``HTTP <status>`` without one)."""
        with self._lock:
            return {api: dict(counter) for api, counter in sorted(self._counts.items())}

    def clear(self) -> None:
        """Forget every request."""
        with self._lock:
            self._records.clear()
            self._counts.clear()


def _outcome(entry: RequestRecord) -> str:
    if entry.fault is not None and entry.fault.startswith("drop"):
        return "dropped"
    if entry.status < 400:
        return "ok"
    return entry.error_code or f"HTTP {entry.status}"


def log_request(info: RequestInfo, status: int, latency_ms: float, request_id: str) -> None:
    """The one INFO line per request: API, project, logstore, status, latency, request id.

    Built only from routing results, never from headers, parameters or the body, so no secret,
    token or signature can reach the log.
    """
    logger.info(
        "%s project=%s logstore=%s status=%d%s latency=%.1fms request_id=%s%s",
        info.api or "-",
        info.project or "-",
        info.logstore or "-",
        status,
        f" error={info.error_code}" if info.error_code else "",
        latency_ms,
        request_id,
        f" fault={info.fault}" if info.fault else "",
    )
