"""Fault injection: make the next requests of an API fail, slow down or lose their connection.

A test scripts what the network and the service do to its client: "the next 2 PutLogs answer
``503 ServerBusy``", "the next GetLogs of project ``p`` takes 2 s more", "the next PutLogs is
applied, then its connection drops" (the case where a client cannot know whether its write
happened). Faults are matched in the order they were added; each is used up after ``count``
requests.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Optional

from ..._ops import OPERATIONS

__all__ = ["DROP_AFTER", "DROP_BEFORE", "Fault", "FaultInjector"]

_API_NAMES = frozenset(op.name for op in OPERATIONS)

#: the connection closes before the server acts on the request (nothing happened)
DROP_BEFORE = "before"
#: the server acts on the request, then the connection closes before the answer is read
DROP_AFTER = "after"


@dataclass
class Fault:
    """One scripted fault and which requests it applies to.

    :param api: operation name as in docs/protocol.md (``PutLogs``, ``GetLogs``,
        ``ConsumerGroupHeartBeat`` ...); ``None`` matches every API.
    :param project: only requests to this project (``None``: any).
    :param logstore: only requests to this logstore (``None``: any).
    :param count: how many matching requests it applies to before it is used up.
    :param error_code: answer this SLS error code instead of acting (with ``status``).
    :param status: HTTP status of the error answer.
    :param message: error message of the error answer.
    :param latency: seconds added before the request is handled (real time: it is what the
        client's timeouts see).
    :param drop: :data:`DROP_BEFORE` or :data:`DROP_AFTER`: close the connection without a
        readable answer, before or after the server acted.
    """

    api: Optional[str] = None
    project: Optional[str] = None
    logstore: Optional[str] = None
    count: int = 1
    error_code: Optional[str] = None
    status: int = 500
    message: str = "fault injected by the emulator"
    latency: float = 0.0
    drop: Optional[str] = None

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ValueError(f"count must be a positive integer, got {self.count!r}")
        if self.drop not in (None, DROP_BEFORE, DROP_AFTER):
            raise ValueError(f"drop must be {DROP_BEFORE!r} or {DROP_AFTER!r}, got {self.drop!r}")
        if self.drop is not None and self.error_code is not None:
            raise ValueError("a fault either answers an error or drops the connection, not both")
        if not isinstance(self.status, int) or not 400 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP error status 400..599, got {self.status!r}")
        if not isinstance(self.latency, (int, float)) or not 0 <= self.latency <= 600:
            raise ValueError(f"latency must be 0..600 seconds, got {self.latency!r}")
        if self.error_code is None and self.drop is None and not self.latency:
            raise ValueError("a fault needs an error_code, a drop or a latency")
        if self.api is not None and self.api not in _API_NAMES:
            # A misspelt name would match nothing and the test would pass for the wrong reason.
            raise ValueError(f"unknown API {self.api!r} (the operation names of docs/protocol.md, e.g. 'PutLogs')")

    def matches(self, api: Optional[str], project: Optional[str], logstore: Optional[str]) -> bool:
        """Whether a request of ``api`` to ``project``/``logstore`` is one this fault applies to."""
        return (
            (self.api is None or self.api == api)
            and (self.project is None or self.project == project)
            and (self.logstore is None or self.logstore == logstore)
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the admin API's)."""
        return asdict(self)


class FaultInjector:
    """The pending faults of one emulator (thread-safe)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        """Queue ``fault``; returns it (its ``count`` shows what is left of it)."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def inject(self, api: Optional[str] = None, **spec: Any) -> Fault:
        """Queue a fault built from keyword arguments (see :class:`Fault`)."""
        return self.add(Fault(api=api, **spec))

    def take(self, api: Optional[str], project: Optional[str], logstore: Optional[str]) -> Optional[Fault]:
        """The first pending fault matching this request, used once (``None`` when none matches)."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(api, project, logstore):
                    fault.count -= 1
                    if fault.count == 0:
                        del self._faults[index]
                    return fault
        return None

    def pending(self) -> list[Fault]:
        """The faults not used up yet, in matching order."""
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._faults.clear()
