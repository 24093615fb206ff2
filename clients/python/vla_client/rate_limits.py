"""The limit headers every answer carries, read into numbers.

The gateway sends two policies, "burst" (requests per minute) and "monthly" (the plan's quota), in
the IETF draft's fields (draft-ietf-httpapi-ratelimit-headers)::

    RateLimit-Policy: "burst";q=600;w=60, "monthly";q=100000;w=2592000
    RateLimit: "burst";r=599;t=1, "monthly";r=99999;t=1814400

and the burst policy again in OpenAI's ``x-ratelimit-*-requests`` fields, read when the IETF ones
are absent (a proxy that drops them, for example).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """One policy: ``limit`` requests per ``window_seconds``; ``remaining`` left, back to full in ``reset_seconds``."""
    limit: int | None = None
    window_seconds: int | None = None
    remaining: int | None = None
    reset_seconds: float | None = None


@dataclass(frozen=True)
class RateLimits:
    """The burst and monthly policies of an answer; a policy the answer did not describe is None."""
    burst: RateLimit | None = None
    monthly: RateLimit | None = None

    @staticmethod
    def from_headers(headers: Mapping[str, str]) -> RateLimits:
        """Reads a case-insensitive header mapping (as requests gives it)."""
        policies = _parse_list(headers.get("RateLimit-Policy", ""))
        states = _parse_list(headers.get("RateLimit", ""))
        found = {}
        for name in ("burst", "monthly"):
            policy, state = policies.get(name, {}), states.get(name, {})
            if policy or state:
                found[name] = RateLimit(limit=_int(policy.get("q")), window_seconds=_int(policy.get("w")),
                                        remaining=_int(state.get("r")), reset_seconds=_float(state.get("t")))
        if "burst" not in found and "x-ratelimit-limit-requests" in headers:
            found["burst"] = RateLimit(limit=_int(headers.get("x-ratelimit-limit-requests")), window_seconds=60,
                                       remaining=_int(headers.get("x-ratelimit-remaining-requests")),
                                       reset_seconds=_float(headers.get("x-ratelimit-reset-requests", "").rstrip("s")))
        return RateLimits(**found)


def _parse_list(field: str) -> dict[str, dict[str, str]]:
    """A structured-field list of ``"name";key=value;...`` items, by name (only what the gateway sends)."""
    items = {}
    for item in field.split(","):
        parts = [p.strip() for p in item.split(";")]
        name = parts[0].strip('"')
        if name:
            items[name] = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    return items


def _int(value: str | None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
