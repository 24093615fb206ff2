"""A call made while the inference instance is dead (kill -9) is retried until it is back, and billed once.

The harness (bench's PythonClientIT) watches VLA_TEST_FLEET_CONTROL: this test asks it to kill the
fleet's inference instance (file ``kill-inference``; the harness answers ``inference-killed``) and
to start it again (``restart-inference``) only once the client has met the dead instance and is
retrying, so a retry is sure to have happened. The request ids of the calls go to ``request-ids``:
the harness checks that the request log and billing hold each once.
"""
import os
import pathlib
import unittest

from fleet import API_URL, SCENE_IMAGE, SCENE_INSTRUCTION, key, needs_fleet, wait_for
from vla_client import VlaClient

# Retry-After is 1 s while no instance is reachable: enough retries to outlast a slow restart.
RETRIES_ACROSS_A_RESTART = 300


@needs_fleet("KILLED_INSTANCE")
@unittest.skipUnless(os.environ.get("VLA_TEST_FLEET_CONTROL"), "no harness to kill the instance (VLA_TEST_FLEET_CONTROL)")
class KilledInstanceTest(unittest.TestCase):

    def test_a_call_is_retried_across_a_killed_inference_instance_and_billed_once(self):
        control = pathlib.Path(os.environ["VLA_TEST_FLEET_CONTROL"])
        retries = []

        def restart_once_the_client_retries(event):
            retries.append(event)
            (control / "restart-inference").touch()

        client = VlaClient(key("KILLED_INSTANCE"), base_url=API_URL, max_retries=RETRIES_ACROSS_A_RESTART,
                           on_retry=restart_once_the_client_retries)
        self.addCleanup(client.close)
        before = client.act(SCENE_IMAGE, SCENE_INSTRUCTION)
        self.assertEqual(1, before.attempts)

        (control / "kill-inference").touch()
        wait_for((control / "inference-killed").exists, 60, "the harness killing the inference instance")
        across = client.act(SCENE_IMAGE, SCENE_INSTRUCTION)

        self.assertGreater(across.attempts, 1)
        self.assertEqual(across.attempts - 1, len(retries))
        # No instance to take the request: 503 upstream_unavailable, or 502 on a connection the dead instance held.
        self.assertIn(retries[0].error.status, (502, 503))
        self.assertGreaterEqual(retries[0].delay, retries[0].error.retry_after)
        self.assertEqual(7, len(across.values))
        (control / "request-ids").write_text(f"{before.request_id}\n{across.request_id}\n")


if __name__ == "__main__":
    unittest.main()
