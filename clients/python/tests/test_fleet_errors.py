"""Each kind of refusal from the running fleet raises its typed error at once: none is retried."""
import unittest
import uuid

from fleet import API_URL, IMAGES, SCENE_IMAGE, SCENE_INSTRUCTION, key, needs_fleet
from vla_client import AuthenticationError, InvalidRequestError, NotFoundError, VlaClient

# Over the gateway's 12 MiB body cap once base64 adds its third.
TOO_LARGE_IMAGE = b"\x89PNG" + b"\x00" * (10 * 1024 * 1024)


@needs_fleet("API")
class TypedErrorsTest(unittest.TestCase):

    def setUp(self):
        self.retries = []
        self.client = VlaClient(key("API"), base_url=API_URL, max_retries=3, on_retry=self.retries.append)
        self.addCleanup(self.client.close)

    def assert_refused(self, raised, cls, status, code):
        error = raised.exception
        self.assertIs(cls, type(error))
        self.assertEqual((status, code), (error.status, error.code))
        self.assertRegex(error.request_id, r"^[0-9a-f-]{36}$")
        self.assertTrue(error.message)
        self.assertEqual(1, error.attempts)
        self.assertEqual([], self.retries)

    def test_400_bytes_that_are_not_an_image(self):
        with self.assertRaises(InvalidRequestError) as raised:
            self.client.act(b"hello world", SCENE_INSTRUCTION)
        self.assert_refused(raised, InvalidRequestError, 400, "not_an_image")
        self.assertEqual("invalid_request_error", raised.exception.type)

    def test_400_an_unknown_unnorm_key(self):
        with self.assertRaises(InvalidRequestError) as raised:
            self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION, unnorm_key="bridge")
        self.assert_refused(raised, InvalidRequestError, 400, "unknown_unnorm_key")

    def test_401_an_unknown_key(self):
        stranger = VlaClient("vla_live_" + "x" * 43, base_url=API_URL, max_retries=3, on_retry=self.retries.append)
        self.addCleanup(stranger.close)
        with self.assertRaises(AuthenticationError) as raised:
            stranger.act(SCENE_IMAGE, SCENE_INSTRUCTION)
        self.assert_refused(raised, AuthenticationError, 401, "invalid_api_key")
        self.assertEqual("authentication_error", raised.exception.type)

    # requests sends the whole body before it reads: the gateway must read it too before closing,
    # or the reset that follows destroys the 413 (edge/UnreadBody).
    def test_413_a_body_over_the_cap(self):
        with self.assertRaises(InvalidRequestError) as raised:
            self.client.act(TOO_LARGE_IMAGE, SCENE_INSTRUCTION)
        self.assert_refused(raised, InvalidRequestError, 413, "request_too_large")

    def test_415_a_body_that_is_not_json(self):
        with self.assertRaises(InvalidRequestError) as raised:
            self.client.send("/v1/inference", b"instruction=go+left", content_type="application/x-www-form-urlencoded")
        self.assert_refused(raised, InvalidRequestError, 415, "unsupported_media_type")

    def test_404_a_path_the_api_does_not_have(self):
        with self.assertRaises(NotFoundError) as raised:
            self.client.send("/v1/inferences", b"{}")
        self.assert_refused(raised, NotFoundError, 404, "route_not_found")

    def test_422_an_idempotency_key_sent_again_with_another_request(self):
        reused = f"reused-{uuid.uuid4()}"
        self.client.act(SCENE_IMAGE, SCENE_INSTRUCTION, idempotency_key=reused)
        with self.assertRaises(InvalidRequestError) as raised:
            self.client.act(IMAGES / "0002.png", SCENE_INSTRUCTION, idempotency_key=reused)
        self.assert_refused(raised, InvalidRequestError, 422, "idempotency_key_reused")


if __name__ == "__main__":
    unittest.main()
