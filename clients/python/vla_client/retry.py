"""When to send a failed request again, and how long to wait first.

Retried: no answer (connection failure, timeout), and the answers the API says to retry: 408, 409
(the same Idempotency-Key still running), 429 rate_limit_exceeded, 500, 502, 503, 504. Never
retried: 429 quota_exceeded (it resets at the start of next month) and the other 4xx (the request
itself is wrong). An answer's Retry-After is honoured; without one, the wait doubles from
``base_delay`` up to ``max_delay``, half of it random so that clients refused together do not
come back together.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .errors import QuotaExceededError, VlaConnectionError, VlaError

RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is not waited for: the error goes to the caller at once.
    max_retry_after: float = 60.0

    def delay(self, retry: int, error: VlaError, rand=random.random) -> float | None:
        """Seconds to wait before retry number ``retry`` (1 for the first) after ``error``; None: give up."""
        if retry > self.max_retries or not retryable(error):
            return None
        if error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            # Up to 10% later than asked: clients refused at the same moment spread out.
            return error.retry_after * (1 + 0.1 * rand())
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return ceiling / 2 + rand() * ceiling / 2


def retryable(error: VlaError) -> bool:
    if isinstance(error, VlaConnectionError):
        return True
    if isinstance(error, QuotaExceededError):
        return False
    return error.status in RETRYABLE_STATUSES


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After in seconds: delay-seconds, or an HTTP date (seconds from ``now``); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))
