"""act() against the running fleet: every form of image gets the action, with its metadata."""
import unittest
import uuid

import numpy
from PIL import Image

from fleet import ACTION_NAMES, API_URL, SCENE_IMAGE, SCENE_INSTRUCTION, key, needs_fleet
from vla_client import VlaClient


@needs_fleet("API")
class ActTest(unittest.TestCase):

    def setUp(self):
        self.client = VlaClient(key("API"), base_url=API_URL, max_retries=3)
        self.addCleanup(self.client.close)

    def test_a_path_bytes_a_pil_image_and_a_numpy_frame_of_one_picture_get_the_same_action(self):
        with Image.open(SCENE_IMAGE) as picture:
            forms = {"path": str(SCENE_IMAGE), "bytes": SCENE_IMAGE.read_bytes(), "PIL": picture.copy(),
                     "numpy": numpy.asarray(picture.convert("RGB"))}
        actions = {form: self.client.act(image, SCENE_INSTRUCTION) for form, image in forms.items()}
        for form, action in actions.items():
            with self.subTest(form=form):
                self.assertEqual(ACTION_NAMES, action.names)
                self.assertEqual(7, len(action.values))
                numpy.testing.assert_allclose(actions["path"].values, action.values, atol=1e-5)
        # The scene's expert moves along x: a picture that did not arrive intact would not say so.
        self.assertGreater(abs(actions["path"].values[0]), 0.005)

    def test_the_answer_comes_with_its_request_id_model_latency_and_limits(self):
        action = self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION)
        self.assertRegex(action.request_id, r"^[0-9a-f-]{36}$")
        self.assertEqual("tabletop-v1", action.model)
        self.assertEqual("tabletop_sim", action.unnorm_key)
        self.assertGreater(action.latency_ms, 0)
        self.assertGreaterEqual(action.client_latency_ms, action.latency_ms)
        self.assertEqual(1, action.attempts)
        self.assertFalse(action.replayed)
        burst, monthly = action.rate_limits.burst, action.rate_limits.monthly
        self.assertEqual(60, burst.window_seconds)
        self.assertLess(burst.remaining, burst.limit)
        self.assertGreater(monthly.limit, 0)
        self.assertLess(monthly.remaining, monthly.limit)
        self.assertEqual(dict(zip(ACTION_NAMES, action.values)), action.as_dict())

    def test_unnorm_key_and_model_are_sent(self):
        metres = self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION, model="tabletop-v1", unnorm_key="tabletop_sim")
        centimetres = self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION, unnorm_key="tabletop_sim_cm")
        self.assertEqual("tabletop_sim_cm", centimetres.unnorm_key)
        self.assertAlmostEqual(100 * metres.values[0], centimetres.values[0], delta=1e-3)

    def test_each_call_has_its_own_idempotency_key(self):
        first, second = (self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION) for _ in range(2))
        self.assertNotEqual(first.idempotency_key, second.idempotency_key)
        self.assertNotEqual(first.request_id, second.request_id)
        self.assertFalse(second.replayed)

    def test_a_call_repeated_with_its_idempotency_key_gets_the_first_answer_again(self):
        replay_key = f"replay-{uuid.uuid4()}"
        first = self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION, idempotency_key=replay_key)
        again = self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION, idempotency_key=replay_key)
        self.assertTrue(again.replayed)
        self.assertEqual(first.request_id, again.request_id)
        self.assertEqual(first.values, again.values)


if __name__ == "__main__":
    unittest.main()
