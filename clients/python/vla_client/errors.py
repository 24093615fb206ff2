"""The errors a call can raise: one class per error ``type`` of the API, plus the network's own.

Every answer other than 200 carries ``{"error": {"type", "code", "message", "request_id"}}``
(docs/VLA-API-README.md, "Errors"); the ``type`` picks the class, the ``code`` says what exactly
went wrong. Catch ``VlaError`` for all of them.
"""
from __future__ import annotations

from .rate_limits import RateLimits


class VlaError(Exception):
    """A call that did not get an action.

    status: the HTTP status, or None when no answer arrived (connection failure, timeout).
    type, code, message, request_id: the error body's fields (None where the body had none).
    retry_after: the answer's Retry-After in seconds, if any.
    rate_limits: the answer's rate-limit headers.
    attempts: how many times the request was sent before giving up.
    """

    def __init__(self, message: str, *, status: int | None = None, type: str | None = None,
                 code: str | None = None, request_id: str | None = None, retry_after: float | None = None,
                 rate_limits: RateLimits | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.type = type
        self.code = code
        self.request_id = request_id
        self.retry_after = retry_after
        self.rate_limits = rate_limits or RateLimits()
        self.attempts = 1

    def __str__(self) -> str:
        where = f"HTTP {self.status} " if self.status is not None else ""
        what = f"{self.code}: " if self.code else ""
        request = f" (request {self.request_id})" if self.request_id else ""
        return f"{where}{what}{self.message}{request}"


class InvalidRequestError(VlaError):
    """400, 413, 415, 422 (and some 408s): the request is wrong; fix it rather than retry."""


class AuthenticationError(VlaError):
    """401: the API key is missing, malformed, unknown, revoked or expired."""


class PermissionDeniedError(VlaError):
    """403: the customer is suspended."""


class NotFoundError(VlaError):
    """404: no such endpoint."""


class ConflictError(VlaError):
    """409: a request with the same Idempotency-Key is still running; retried after Retry-After."""


class RateLimitError(VlaError):
    """429 rate_limit_exceeded: over the per-minute burst limit; retried after Retry-After."""


class QuotaExceededError(VlaError):
    """429 quota_exceeded: the month's requests are used up. Never retried: the message says when the quota resets."""


class ApiError(VlaError):
    """500, 502, 504: the fleet failed; retried with backoff."""


class OverloadedError(VlaError):
    """503: no inference server could take the request just now; retried after Retry-After."""


class VlaConnectionError(VlaError):
    """No answer: the connection could not be made or broke; retried with backoff."""


class VlaTimeoutError(VlaConnectionError):
    """No answer within the client's timeout; retried with backoff (the Idempotency-Key keeps it billed once)."""


ERROR_CLASSES = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "conflict_error": ConflictError,
    "rate_limit_exceeded": RateLimitError,
    "quota_exceeded": QuotaExceededError,
    "api_error": ApiError,
    "overloaded_error": OverloadedError,
}

# When the body is not the API's (a proxy's HTML page, an empty 408), the status decides.
_BY_STATUS = {400: InvalidRequestError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError,
              408: InvalidRequestError, 409: ConflictError, 413: InvalidRequestError, 415: InvalidRequestError,
              422: InvalidRequestError, 429: RateLimitError, 503: OverloadedError}


def error_from_answer(status: int, body: object, retry_after: float | None, rate_limits: RateLimits,
                      request_id: str | None) -> VlaError:
    """The error for an answer with this status and parsed JSON body (None when it was not JSON)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        cls = _BY_STATUS.get(status, ApiError if status >= 500 else VlaError)
        return cls("the answer is not the API's JSON (a proxy's page?)", status=status, retry_after=retry_after,
                   rate_limits=rate_limits, request_id=request_id)
    type_ = error.get("type")
    cls = ERROR_CLASSES.get(type_) or _BY_STATUS.get(status, ApiError if status >= 500 else VlaError)
    return cls(str(error.get("message") or ""), status=status, type=type_, code=error.get("code"),
               request_id=error.get("request_id") or request_id, retry_after=retry_after, rate_limits=rate_limits)
