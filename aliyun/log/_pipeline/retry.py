"""The one retry policy: which failures to retry, and how long to wait in between.

Exponential backoff with full jitter, an attempt cap and an overall deadline. Clock, sleep and
random are injected so tests can drive it without waiting.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..logexception import LogException, LogRequestError

__all__ = ["RetryPolicy"]


@dataclass
class RetryPolicy:
    """How the client retries failed calls.

    :param max_attempts: attempts in total, the first included (1 disables retrying).
    :param base_delay: first backoff in seconds; doubles on every further attempt.
    :param max_delay: cap of one backoff.
    :param deadline: give up once this many seconds have passed since the first attempt
        (``None``: only ``max_attempts`` limits).
    :param retry_non_idempotent: also retry calls such as PutLogs after failures that do not
        prove the call was not applied (a 500, a read timeout). Off by default: a retried PutLogs
        whose first attempt did land would write the logs twice.

    What is retried is read from the error's class, never from its code text
    (docs/protocol.md "Retries"): nothing that is not ``retriable`` (4xx answers, authentication
    errors); a connection failure before the request left (``LogRequestError`` with ``sent``
    false) for every call; errors proving the request was refused unapplied (quota and rate
    limits, ``ServerBusy``) for every call; other retriable failures (5xx answers, a connection
    failure after sending) only for idempotent calls, unless ``retry_non_idempotent`` is set.
    """

    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 5.0
    deadline: Optional[float] = 60.0
    retry_non_idempotent: bool = False
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rand: Callable[[], float] = field(default=random.random, repr=False)

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def should_retry(self, error: LogException, *, idempotent: bool) -> bool:
        """Whether ``error`` is worth another attempt of a call (``idempotent``: see the operation table)."""
        if not error.retriable:
            return False
        if error.unapplied or (isinstance(error, LogRequestError) and not error.sent):
            return True
        return idempotent or self.retry_non_idempotent

    def backoff(self, attempt: int) -> float:
        """Delay before attempt number ``attempt + 1`` (``attempt`` starts at 1): full jitter."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return float(ceiling * self.rand())

    def allows(self, attempt: int, started: float, delay: float) -> bool:
        """Whether another attempt after ``attempt`` attempts and ``delay`` more seconds is allowed."""
        if attempt >= self.max_attempts:
            return False
        if self.deadline is not None and self.clock() + delay - started > self.deadline:
            return False
        return True
