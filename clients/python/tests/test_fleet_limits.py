"""The burst limit and the monthly quota of the running fleet, as the client meets them."""
import unittest

from fleet import API_URL, SCENE_IMAGE, SCENE_INSTRUCTION, key, needs_fleet
from vla_client import QuotaExceededError, RateLimitError, VlaClient

# The rate-limited customer's bucket holds a few requests: this many calls are sure to empty it.
CALLS_TO_EMPTY_THE_BUCKET = 200


@needs_fleet("RATE_LIMITED")
class BurstLimitTest(unittest.TestCase):

    def test_a_429_raises_rate_limit_error_with_retry_after_and_the_limits_when_retries_are_off(self):
        client = VlaClient(key("RATE_LIMITED"), base_url=API_URL, max_retries=0)
        self.addCleanup(client.close)
        error = None
        for _ in range(CALLS_TO_EMPTY_THE_BUCKET):
            try:
                client.act(SCENE_IMAGE, SCENE_INSTRUCTION)
            except RateLimitError as refused:
                error = refused
                break
        self.assertIsNotNone(error, f"no 429 in {CALLS_TO_EMPTY_THE_BUCKET} calls")
        self.assertEqual((429, "rate_limit_exceeded", "rate_limit_exceeded"), (error.status, error.type, error.code))
        self.assertGreaterEqual(error.retry_after, 1)
        self.assertEqual(0, error.rate_limits.burst.remaining)
        self.assertEqual(1, error.attempts)

    def test_a_429_is_retried_after_its_retry_after_and_the_call_gets_its_action(self):
        retries = []
        client = VlaClient(key("RATE_LIMITED"), base_url=API_URL, max_retries=3, on_retry=retries.append)
        self.addCleanup(client.close)
        for _ in range(CALLS_TO_EMPTY_THE_BUCKET):
            action = client.act(SCENE_IMAGE, SCENE_INSTRUCTION)
            if action.attempts > 1:
                break
        self.assertGreater(action.attempts, 1, f"no call needed a retry in {CALLS_TO_EMPTY_THE_BUCKET} calls")
        self.assertEqual(7, len(action.values))
        first = retries[0]
        self.assertIsInstance(first.error, RateLimitError)
        self.assertGreaterEqual(first.error.retry_after, 1)
        self.assertGreaterEqual(first.delay, first.error.retry_after)
        self.assertEqual(action.attempts - 1, len(retries))


@needs_fleet("QUOTA")
class QuotaTest(unittest.TestCase):

    def test_a_used_up_quota_is_raised_at_once_and_never_retried(self):
        retries = []
        client = VlaClient(key("QUOTA"), base_url=API_URL, max_retries=5, on_retry=retries.append)
        self.addCleanup(client.close)
        with self.assertRaises(QuotaExceededError) as raised:
            # The customer's quota is one request: the second call at the latest is refused.
            for _ in range(2):
                client.act(SCENE_IMAGE, SCENE_INSTRUCTION)
        error = raised.exception
        self.assertEqual((429, "quota_exceeded", "quota_exceeded"), (error.status, error.type, error.code))
        self.assertEqual(0, error.rate_limits.monthly.remaining)
        self.assertGreater(error.retry_after, 0)
        self.assertEqual(1, error.attempts)
        self.assertEqual([], retries)
        self.assertNotIsInstance(error, RateLimitError)


if __name__ == "__main__":
    unittest.main()
