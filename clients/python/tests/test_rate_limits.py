"""The limit headers read into numbers: pure logic, no fleet."""
import unittest

from requests.structures import CaseInsensitiveDict

from vla_client import RateLimit, RateLimits


class RateLimitsTest(unittest.TestCase):

    def test_reads_both_policies_of_the_ietf_fields(self):
        limits = RateLimits.from_headers(CaseInsensitiveDict({
            "ratelimit-policy": '"burst";q=600;w=60, "monthly";q=100000;w=2592000',
            "RateLimit": '"burst";r=599;t=1, "monthly";r=99999;t=1814400'}))
        self.assertEqual(RateLimit(limit=600, window_seconds=60, remaining=599, reset_seconds=1.0), limits.burst)
        self.assertEqual(RateLimit(limit=100000, window_seconds=2592000, remaining=99999, reset_seconds=1814400.0),
                         limits.monthly)

    def test_a_gateway_that_decided_without_redis_sends_the_burst_policy_alone(self):
        limits = RateLimits.from_headers({"RateLimit-Policy": '"burst";q=60;w=60', "RateLimit": '"burst";r=12;t=48'})
        self.assertEqual(RateLimit(60, 60, 12, 48.0), limits.burst)
        self.assertIsNone(limits.monthly)

    def test_falls_back_to_the_openai_style_fields(self):
        limits = RateLimits.from_headers({"x-ratelimit-limit-requests": "600", "x-ratelimit-remaining-requests": "0",
                                          "x-ratelimit-reset-requests": "3s"})
        self.assertEqual(RateLimit(600, 60, 0, 3.0), limits.burst)

    def test_no_headers_no_limits(self):
        self.assertEqual(RateLimits(None, None), RateLimits.from_headers({}))


if __name__ == "__main__":
    unittest.main()
