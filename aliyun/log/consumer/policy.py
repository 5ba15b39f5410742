"""What the consumer does when ``process()`` raises: :class:`ProcessRetryPolicy`.

Pure: no clock, no I/O. The shard state machine asks :meth:`ProcessRetryPolicy.decide` after each
failure of the same batch and waits :meth:`ProcessRetryPolicy.delay` before fetching it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["ProcessRetryPolicy"]

RETRY = "retry"
STOP = "stop"
SKIP = "skip"
_ACTIONS = (RETRY, STOP, SKIP)


@dataclass(frozen=True)
class ProcessRetryPolicy:
    """How a batch whose ``process()`` raised is handled.

    The batch is always retried first (fetched again from its start cursor, after an exponential
    backoff of ``base_delay`` doubling up to ``max_delay`` seconds). What happens once
    ``max_attempts`` attempts have failed depends on ``on_exhausted``:

    * ``"retry"`` (default, with ``max_attempts=None``): never give up; the shard does not move past
      the batch until ``process()`` succeeds. Nothing is ever skipped silently.
    * ``"stop"``: stop the whole worker (checkpoints flushed up to the last good batch; the error is
      in :attr:`ConsumerWorker.error <aliyun.log.consumer.ConsumerWorker.error>`).
    * ``"skip"``: log the batch's cursor range at ERROR level and move on past it.

    :param on_exhausted: ``"retry"``, ``"stop"`` or ``"skip"``.
    :param max_attempts: attempts (the first included) before ``on_exhausted`` applies;
        ``None`` means unlimited (only meaningful with ``"retry"``).
    :param base_delay: first backoff in seconds.
    :param max_delay: longest backoff in seconds.
    """

    on_exhausted: str = RETRY
    max_attempts: Optional[int] = None
    base_delay: float = 1.0
    max_delay: float = 60.0

    def __post_init__(self) -> None:
        if self.on_exhausted not in _ACTIONS:
            raise ValueError(f"on_exhausted must be one of {_ACTIONS}, got {self.on_exhausted!r}")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.on_exhausted != RETRY and self.max_attempts is None:
            raise ValueError(f"on_exhausted={self.on_exhausted!r} needs max_attempts")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays must not be negative")

    def decide(self, failed_attempts: int) -> str:
        """``"retry"``, ``"stop"`` or ``"skip"`` after ``failed_attempts`` failures of one batch."""
        if self.max_attempts is None or failed_attempts < self.max_attempts:
            return RETRY
        return self.on_exhausted

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait before attempt number ``failed_attempts + 1``."""
        exponent = min(max(failed_attempts - 1, 0), 30)
        return float(min(self.max_delay, self.base_delay * (2**exponent)))
