"""Python client of the VLA API: ``VlaClient(api_key).act(image, instruction)`` returns the robot's next action.

See clients/python/README.md.
"""
from .action import Action
from .client import VERSION as __version__
from .client import Answer, RetryEvent, VlaClient
from .errors import (ApiError, AuthenticationError, ConflictError, InvalidRequestError, NotFoundError,
                     OverloadedError, PermissionDeniedError, QuotaExceededError, RateLimitError, VlaConnectionError,
                     VlaError, VlaTimeoutError)
from .rate_limits import RateLimit, RateLimits
from .retry import RetryPolicy

__all__ = ["Action", "Answer", "ApiError", "AuthenticationError", "ConflictError", "InvalidRequestError",
           "NotFoundError", "OverloadedError", "PermissionDeniedError", "QuotaExceededError", "RateLimit",
           "RateLimitError", "RateLimits", "RetryEvent", "RetryPolicy", "VlaClient", "VlaConnectionError", "VlaError",
           "VlaTimeoutError", "__version__"]
