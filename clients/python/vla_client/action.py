"""What ``VlaClient.act`` returns."""
from __future__ import annotations

from dataclasses import dataclass

from .rate_limits import RateLimits


@dataclass(frozen=True)
class Action:
    """The robot's next action and what came with it.

    values: the action to send, in the order of ``names`` (for tabletop-v1: dx, dy, dz, droll, dpitch, dyaw,
        gripper), held to the robot profile's limits; ``raw`` is the model's own action when that changed it.
    safety_score, safety_flags: the safety review (flags such as "clipped", "out_of_distribution").
    latency_ms: the server's time for the inference; ``client_latency_ms`` adds the network and any retries.
    attempts: how many times the request was sent (1 when no retry was needed).
    replayed: the answer is the first one for this Idempotency-Key again (served and billed once).
    """
    values: list[float]
    names: list[str]
    raw: list[float] | None
    safety_score: float | None
    safety_flags: list[str]
    robot: str | None
    unnorm_key: str | None
    request_id: str
    model: str
    model_version: str | None
    latency_ms: float | None
    client_latency_ms: float
    rate_limits: RateLimits
    attempts: int
    idempotency_key: str
    replayed: bool

    def as_dict(self) -> dict[str, float]:
        """The values by name: ``{"dx": 0.0375, ...}``."""
        return dict(zip(self.names, self.values))
