"""Which exception an error answer becomes: pure logic, no fleet."""
import unittest

from vla_client import (ApiError, AuthenticationError, ConflictError, InvalidRequestError, NotFoundError,
                        OverloadedError, PermissionDeniedError, QuotaExceededError, RateLimitError, RateLimits,
                        VlaError)
from vla_client.errors import error_from_answer


def body(type_, code="some_code", message="what happened", request_id="req-1"):
    return {"error": {"type": type_, "code": code, "message": message, "request_id": request_id}}


class ErrorFromAnswerTest(unittest.TestCase):

    def test_each_error_type_of_the_api_has_its_class(self):
        cases = [(400, "invalid_request_error", InvalidRequestError), (401, "authentication_error", AuthenticationError),
                 (403, "permission_error", PermissionDeniedError), (404, "not_found_error", NotFoundError),
                 (409, "conflict_error", ConflictError), (429, "rate_limit_exceeded", RateLimitError),
                 (429, "quota_exceeded", QuotaExceededError), (500, "api_error", ApiError),
                 (503, "overloaded_error", OverloadedError)]
        for status, type_, cls in cases:
            with self.subTest(type=type_):
                error = error_from_answer(status, body(type_), None, RateLimits(), "header-id")
                self.assertIs(cls, type(error))
                self.assertIsInstance(error, VlaError)
                self.assertEqual((status, type_, "some_code", "what happened", "req-1"),
                                 (error.status, error.type, error.code, error.message, error.request_id))

    def test_a_quota_error_is_not_a_rate_limit_error(self):
        # Code that catches RateLimitError to wait and retry must not wait for next month.
        self.assertFalse(issubclass(QuotaExceededError, RateLimitError))

    def test_retry_after_and_limits_travel_with_the_error(self):
        limits = RateLimits.from_headers({"RateLimit": '"burst";r=0;t=4'})
        error = error_from_answer(429, body("rate_limit_exceeded"), 4.0, limits, None)
        self.assertEqual(4.0, error.retry_after)
        self.assertEqual(0, error.rate_limits.burst.remaining)

    def test_an_answer_without_the_error_body_is_typed_by_its_status(self):
        for status, cls in ((413, InvalidRequestError), (408, InvalidRequestError), (502, ApiError),
                            (503, OverloadedError), (418, VlaError)):
            with self.subTest(status=status):
                error = error_from_answer(status, None, None, RateLimits(), "header-id")
                self.assertIs(cls, type(error))
                self.assertEqual("header-id", error.request_id)
                self.assertIsNone(error.code)

    def test_an_unknown_type_is_typed_by_its_status(self):
        error = error_from_answer(503, body("brand_new_error"), 1.0, RateLimits(), None)
        self.assertIs(OverloadedError, type(error))
        self.assertEqual("brand_new_error", error.type)

    def test_the_message_names_status_code_and_request(self):
        error = error_from_answer(400, body("invalid_request_error", "not_an_image", "The bytes are not an image."),
                                  None, RateLimits(), None)
        self.assertEqual("HTTP 400 not_an_image: The bytes are not an image. (request req-1)", str(error))


if __name__ == "__main__":
    unittest.main()
