"""The client's timeout against the running fleet: no server answers in a tenth of a millisecond."""
import unittest

from fleet import API_URL, SCENE_IMAGE, SCENE_INSTRUCTION, key, needs_fleet
from vla_client import VlaClient, VlaConnectionError, VlaTimeoutError

TOO_SHORT_S = 0.0001


@needs_fleet("API")
class TimeoutTest(unittest.TestCase):

    def test_a_call_that_gets_no_answer_in_time_raises_the_timeout_error(self):
        client = VlaClient(key("API"), base_url=API_URL, timeout=TOO_SHORT_S, max_retries=0)
        self.addCleanup(client.close)
        with self.assertRaises(VlaTimeoutError) as raised:
            client.act(SCENE_IMAGE, SCENE_INSTRUCTION)
        error = raised.exception
        self.assertIsInstance(error, VlaConnectionError)
        self.assertIsNone(error.status)
        self.assertEqual(1, error.attempts)
        self.assertIn("timeout", str(error))


if __name__ == "__main__":
    unittest.main()
