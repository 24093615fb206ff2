"""When the client retries and how long it waits: pure logic, no fleet."""
import unittest

from vla_client import (ApiError, AuthenticationError, ConflictError, InvalidRequestError, OverloadedError,
                        QuotaExceededError, RateLimitError, RetryPolicy, VlaConnectionError, VlaTimeoutError)
from vla_client.retry import parse_retry_after


class RetryPolicyTest(unittest.TestCase):

    policy = RetryPolicy(max_retries=5, base_delay=0.5, max_delay=8.0, max_retry_after=60.0)

    def test_waits_double_from_the_base_delay_up_to_the_cap_half_of_it_random(self):
        error = ApiError("boom", status=500)
        lowest = [self.policy.delay(retry, error, rand=lambda: 0.0) for retry in range(1, 6)]
        highest = [self.policy.delay(retry, error, rand=lambda: 1.0) for retry in range(1, 6)]
        self.assertEqual([0.25, 0.5, 1.0, 2.0, 4.0], lowest)
        self.assertEqual([0.5, 1.0, 2.0, 4.0, 8.0], highest)

    def test_the_cap_holds_however_many_retries(self):
        policy = RetryPolicy(max_retries=100)
        self.assertEqual(policy.max_delay, policy.delay(60, ApiError("boom", status=502), rand=lambda: 1.0))

    def test_retry_after_is_waited_at_least_and_at_most_ten_percent_longer(self):
        error = RateLimitError("slow down", status=429, retry_after=7.0)
        self.assertEqual(7.0, self.policy.delay(1, error, rand=lambda: 0.0))
        self.assertAlmostEqual(7.7, self.policy.delay(1, error, rand=lambda: 1.0))
        # Retry-After wins over the exponential schedule, even on a late retry.
        self.assertEqual(7.0, self.policy.delay(5, error, rand=lambda: 0.0))

    def test_a_retry_after_longer_than_the_policy_accepts_is_not_waited_for(self):
        self.assertIsNone(self.policy.delay(1, OverloadedError("busy", status=503, retry_after=3600.0)))

    def test_gives_up_after_max_retries(self):
        error = VlaConnectionError("refused")
        self.assertIsNotNone(self.policy.delay(5, error))
        self.assertIsNone(self.policy.delay(6, error))
        self.assertIsNone(RetryPolicy(max_retries=0).delay(1, error))

    def test_retries_what_the_api_says_to_retry(self):
        for error in (VlaConnectionError("reset"), VlaTimeoutError("slow"), ConflictError("in use", status=409),
                      RateLimitError("burst", status=429), ApiError("internal", status=500),
                      ApiError("connection lost", status=502), OverloadedError("no instance", status=503),
                      ApiError("upstream timeout", status=504), InvalidRequestError("slow body", status=408)):
            with self.subTest(error=type(error).__name__, status=error.status):
                self.assertIsNotNone(self.policy.delay(1, error))

    def test_never_retries_a_used_up_quota_or_a_wrong_request(self):
        for error in (QuotaExceededError("used up", status=429, retry_after=86400.0),
                      QuotaExceededError("used up", status=429),
                      InvalidRequestError("not an image", status=400), AuthenticationError("bad key", status=401),
                      InvalidRequestError("too large", status=413), InvalidRequestError("not json", status=415),
                      InvalidRequestError("key reused", status=422)):
            with self.subTest(error=type(error).__name__, status=error.status):
                self.assertIsNone(self.policy.delay(1, error))


class ParseRetryAfterTest(unittest.TestCase):

    def test_seconds(self):
        self.assertEqual(3.0, parse_retry_after("3"))
        self.assertEqual(0.0, parse_retry_after("0"))

    def test_an_http_date_is_seconds_from_now(self):
        now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
        self.assertEqual(120.0, parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now=now))
        self.assertEqual(0.0, parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now=now))

    def test_absent_or_unreadable_is_none(self):
        for value in (None, "", "soon", "-5", "1.5.2"):
            with self.subTest(value=value):
                self.assertIsNone(parse_retry_after(value))


if __name__ == "__main__":
    unittest.main()
