"""VlaClient: one call, ``act(image, instruction)``, with the key, timeouts, retries and errors handled."""
from __future__ import annotations

import base64
import json
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

try:
    import requests
except ImportError as missing:
    raise ImportError("vla_client needs the requests package: on Debian or Ubuntu "
                      "`sudo apt-get install python3-requests`, in a virtualenv `pip install requests`") from missing

from .action import Action
from .errors import VlaConnectionError, VlaError, VlaTimeoutError, error_from_answer
from .images import image_bytes
from .rate_limits import RateLimits
from .retry import RetryPolicy, parse_retry_after

VERSION = "0.1.0"
DEFAULT_BASE_URL = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class RetryEvent:
    """Passed to ``on_retry`` before each retry: the ``retry``-th (1 for the first) follows ``error`` after ``delay`` s."""
    retry: int
    delay: float
    error: VlaError


@dataclass(frozen=True)
class Answer:
    """A successful answer of ``send``: its status, JSON body and headers, and how many sends it took."""
    status: int
    body: dict
    headers: Mapping[str, str]
    rate_limits: RateLimits
    attempts: int
    idempotency_key: str


class VlaClient:
    """A client of the VLA API.

    api_key: the key (``vla_live_...``); when None, the environment's ``VLA_API_KEY``.
    base_url: where the API is; when None, ``VLA_API_URL``, else the local fleet's gateway.
    timeout: seconds to wait for the connection and then for each read of the answer
        (a float, or a (connect, read) pair as requests takes it).
    max_retries: how many times a failed request is sent again (see ``retry.py`` for which failures).
    on_retry: called with a ``RetryEvent`` before each retry (to log it, say).
    """

    def __init__(self, api_key: str | None = None, *, base_url: str | None = None,
                 timeout: float | tuple[float, float] = 10.0, max_retries: int = 2,
                 on_retry: Callable[[RetryEvent], None] | None = None):
        api_key = api_key or os.environ.get("VLA_API_KEY")
        if not api_key:
            raise ValueError("no API key: pass api_key or set VLA_API_KEY")
        base_url = (base_url or os.environ.get("VLA_API_URL") or DEFAULT_BASE_URL).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, not {base_url!r}")
        self._api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.retry_policy = RetryPolicy(max_retries=max_retries)
        self.on_retry = on_retry
        self._session = requests.Session()

    def __repr__(self) -> str:
        # Never the key: a repr ends up in logs.
        return f"VlaClient(base_url={self.base_url!r}, timeout={self.timeout!r}, max_retries={self.retry_policy.max_retries})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> VlaClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def act(self, image: object, instruction: str, *, unnorm_key: str | None = None, model: str | None = None,
            robot: str | None = None, position: list[float] | None = None, on_unsafe: str | None = None,
            idempotency_key: str | None = None) -> Action:
        """The robot's next action for this camera image and instruction.

        image: a file path, the bytes of a PNG or JPEG, a PIL image or a numpy uint8 array (RGB).
        unnorm_key, model: the API's optional fields (None: the model's defaults).
        robot, position, on_unsafe: the robot profile to hold the action to, the end effector's
            [x, y, z] for its workspace check, and "clip" or "reject" (None: the API's defaults).
        idempotency_key: sent with every try of this call, so that it is served and billed once
            (None: a new UUID per call; pass your own to make a retry of your own safe too).
        """
        body = {"image": base64.b64encode(image_bytes(image)).decode("ascii"), "instruction": instruction}
        if unnorm_key is not None:
            body["unnorm_key"] = unnorm_key
        if model is not None:
            body["model"] = model
        if robot is not None:
            body["robot"] = robot
        if position is not None:
            body["position"] = [float(p) for p in position]
        if on_unsafe is not None:
            body["on_unsafe"] = on_unsafe
        started = time.monotonic()
        answer = self.send("/v1/inference", json.dumps(body).encode("utf-8"), idempotency_key=idempotency_key)
        action = answer.body["action"]
        safety = answer.body.get("safety") or {}
        return Action(values=[float(v) for v in action["values"]], names=list(action.get("names") or []),
                      raw=None if action.get("raw") is None else [float(v) for v in action["raw"]],
                      safety_score=safety.get("score"), safety_flags=list(safety.get("flags") or []),
                      robot=safety.get("robot"),
                      unnorm_key=action.get("unnorm_key"), request_id=answer.body["request_id"],
                      model=answer.body.get("model"), model_version=answer.body.get("model_version"),
                      latency_ms=answer.body.get("latency_ms"),
                      client_latency_ms=(time.monotonic() - started) * 1000, rate_limits=answer.rate_limits,
                      attempts=answer.attempts, idempotency_key=answer.idempotency_key,
                      replayed=answer.headers.get("Idempotent-Replayed") == "true")

    def send(self, path: str, body: bytes, *, content_type: str = "application/json",
             idempotency_key: str | None = None) -> Answer:
        """POSTs ``body`` to ``path`` as ``act`` does (key, Idempotency-Key, timeouts, retries); for a
        request ``act`` does not build. Returns the 2xx answer, or raises the last try's ``VlaError``."""
        idempotency_key = idempotency_key or str(uuid.uuid4())
        headers = {"Authorization": f"Bearer {self._api_key}", "Content-Type": content_type,
                   "Accept": "application/json", "Idempotency-Key": idempotency_key,
                   "User-Agent": f"vla-client-python/{VERSION}"}
        retry = 0
        while True:
            try:
                return self._post(self.base_url + path, body, headers, retry + 1)
            except VlaError as error:
                error.attempts = retry + 1
                retry += 1
                delay = self.retry_policy.delay(retry, error)
                if delay is None:
                    raise
                if self.on_retry is not None:
                    self.on_retry(RetryEvent(retry, delay, error))
                time.sleep(delay)

    def _post(self, url: str, body: bytes, headers: dict[str, str], attempt: int) -> Answer:
        try:
            response = self._session.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.exceptions.Timeout as e:
            raise VlaTimeoutError(f"no answer from {url} within the client's timeout ({self.timeout} s)") from e
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as e:
            raise VlaConnectionError(f"no answer from {url}: {e}") from e
        rate_limits = RateLimits.from_headers(response.headers)
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        if 200 <= response.status_code < 300 and isinstance(parsed, dict):
            return Answer(response.status_code, parsed, response.headers, rate_limits, attempt,
                          headers["Idempotency-Key"])
        raise error_from_answer(response.status_code, parsed, parse_retry_after(response.headers.get("Retry-After")),
                                rate_limits, response.headers.get("X-Request-Id"))
