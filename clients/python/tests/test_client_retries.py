"""What the client sends on each try, seen by a scripted stand-in server on loopback (no fleet):
one Idempotency-Key per act() call, the same on every retry; which answers are retried."""
import base64
import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from vla_client import (ApiError, OverloadedError, QuotaExceededError, RateLimitError, VlaClient,
                        VlaConnectionError)

KEY = "vla_live_standin0000000000000000000000000000000"
ACTION = {"request_id": "11111111-2222-3333-4444-555555555555", "model": "tabletop-v1", "model_version": "1.0.0",
          "action": {"values": [0.1, 0.2, 0.0, 0.0, 0.0, 0.0, 1.0],
                     "names": ["dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper"], "unnorm_key": "tabletop_sim"},
          "latency_ms": 3.5}
DROP = "drop the connection without answering"


def error(status, type_, code, retry_after=None):
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return status, headers, {"error": {"type": type_, "code": code, "message": code, "request_id": "r"}}


OK = (200, {"RateLimit-Policy": '"burst";q=600;w=60', "RateLimit": '"burst";r=599;t=1'}, ACTION)


class StandIn(ThreadingHTTPServer):
    """Answers each POST with the next scripted answer and keeps what it received."""

    def __init__(self, script):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = list(script)
        self.received = []


class Handler(BaseHTTPRequestHandler):

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), json.loads(body)))
        answer = self.server.script.pop(0)
        if answer == DROP:
            self.close_connection = True
            return
        status, headers, payload = answer
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {**headers, "Content-Type": "application/json", "Content-Length": str(len(data))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class ClientRetriesTest(unittest.TestCase):

    def serve(self, *script):
        server = StandIn(script)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def client(self, server, **settings):
        client = VlaClient(KEY, base_url=f"http://127.0.0.1:{server.server_port}", **settings)
        self.addCleanup(client.close)
        return client

    def test_every_retry_of_a_call_carries_its_one_idempotency_key(self):
        server = self.serve(error(429, "rate_limit_exceeded", "rate_limit_exceeded", "0"),
                            error(503, "overloaded_error", "upstream_unavailable", "0"), OK)
        retries = []
        action = self.client(server, max_retries=3, on_retry=retries.append).act(b"png", "pick up the cube")
        self.assertEqual(3, action.attempts)
        self.assertEqual([RateLimitError, OverloadedError], [type(r.error) for r in retries])
        keys = {headers["Idempotency-Key"] for headers, _ in server.received}
        self.assertEqual({action.idempotency_key}, keys)
        self.assertEqual(3, len(server.received))

    def test_each_call_has_a_new_idempotency_key_unless_one_is_given(self):
        server = self.serve(OK, OK, OK)
        client = self.client(server)
        client.act(b"png", "pick up the cube")
        client.act(b"png", "pick up the cube")
        client.act(b"png", "pick up the cube", idempotency_key="mine")
        keys = [headers["Idempotency-Key"] for headers, _ in server.received]
        self.assertNotEqual(keys[0], keys[1])
        self.assertEqual("mine", keys[2])

    def test_sends_the_key_and_the_fields_given(self):
        server = self.serve(OK, OK)
        client = self.client(server)
        action = client.act(b"\x89PNG", "pick up the cube")
        client.act(b"\x89PNG", "pick up the cube", unnorm_key="tabletop_sim_cm", model="tabletop-v1")
        (headers, plain), (_, full) = server.received
        self.assertEqual(f"Bearer {KEY}", headers["Authorization"])
        self.assertEqual("application/json", headers["Content-Type"])
        self.assertEqual({"image": base64.b64encode(b"\x89PNG").decode(), "instruction": "pick up the cube"}, plain)
        self.assertEqual({**plain, "unnorm_key": "tabletop_sim_cm", "model": "tabletop-v1"}, full)
        self.assertEqual([0.1, 0.2, 0.0, 0.0, 0.0, 0.0, 1.0], action.values)
        self.assertEqual(599, action.rate_limits.burst.remaining)

    def test_sends_the_safety_fields_given_and_reads_the_safety_review(self):
        clipped = {**ACTION, "action": {**ACTION["action"], "raw": [0.3, 0.4, 0.0, 0.0, 0.0, 0.0, 1.0]},
                   "safety": {"score": 0.5, "flags": ["clipped"], "robot": "arm-3"}}
        server = self.serve((200, {}, clipped), OK)
        client = self.client(server)
        action = client.act(b"\x89PNG", "pick up the cube", robot="arm-3", position=[0.1, 0, 0.2], on_unsafe="clip")
        plain = client.act(b"\x89PNG", "pick up the cube")
        (_, sent), _ = server.received
        self.assertEqual(("arm-3", [0.1, 0.0, 0.2], "clip"), (sent["robot"], sent["position"], sent["on_unsafe"]))
        self.assertEqual([0.3, 0.4, 0.0, 0.0, 0.0, 0.0, 1.0], action.raw)
        self.assertEqual((0.5, ["clipped"], "arm-3"), (action.safety_score, action.safety_flags, action.robot))
        self.assertEqual((None, None, [], None), (plain.raw, plain.safety_score, plain.safety_flags, plain.robot))

    def test_a_dropped_connection_is_retried(self):
        server = self.serve(DROP, OK)
        retries = []
        action = self.client(server, max_retries=1, on_retry=retries.append).act(b"png", "pick up the cube")
        self.assertEqual(2, action.attempts)
        self.assertIsInstance(retries[0].error, VlaConnectionError)

    def test_the_last_error_is_raised_when_the_retries_are_used_up(self):
        server = self.serve(*[error(502, "api_error", "upstream_connection_lost", "0")] * 3)
        with self.assertRaises(ApiError) as raised:
            self.client(server, max_retries=2).act(b"png", "pick up the cube")
        self.assertEqual(3, raised.exception.attempts)
        self.assertEqual(3, len(server.received))

    def test_a_used_up_quota_is_asked_once(self):
        server = self.serve(error(429, "quota_exceeded", "quota_exceeded", "0"), OK)
        with self.assertRaises(QuotaExceededError):
            self.client(server, max_retries=5).act(b"png", "pick up the cube")
        self.assertEqual(1, len(server.received))

    def test_the_key_shows_neither_in_the_clients_repr_nor_in_its_errors(self):
        server = self.serve(error(401, "authentication_error", "invalid_api_key"))
        client = self.client(server)
        with self.assertRaises(Exception) as raised:
            client.act(b"png", "pick up the cube")
        self.assertNotIn(KEY, repr(client))
        self.assertNotIn(KEY, str(raised.exception))


if __name__ == "__main__":
    unittest.main()
