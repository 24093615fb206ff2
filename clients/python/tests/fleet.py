"""The running fleet the test_fleet_* tests call, as bench's PythonClientIT describes it in the environment.

VLA_TEST_API_URL            the gateway's base URL
VLA_TEST_API_KEY            a customer whose limits stay out of the way
VLA_TEST_RATE_LIMITED_KEY   a customer with a burst limit of a few requests a minute
VLA_TEST_QUOTA_KEY          a customer whose monthly quota is one request
VLA_TEST_KILLED_INSTANCE_KEY, VLA_TEST_FLEET_CONTROL
                            a customer of its own, and the folder through which a test asks the
                            harness to kill and restart the inference instance (see test_fleet_killed_instance)

Without them the fleet tests are skipped (PythonClientIT fails a run that skipped any).
"""
import os
import pathlib
import time
import unittest

REPO = pathlib.Path(__file__).resolve().parents[3]
IMAGES = REPO / "reference-policy/evalsets/tabletop-v1/images"
# A scene whose expert moves along x and y: its action has non-zero dx and dy.
SCENE_IMAGE, SCENE_INSTRUCTION = IMAGES / "0001.png", "go to the purple tube"
ACTION_NAMES = ["dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper"]

API_URL = os.environ.get("VLA_TEST_API_URL")


def key(name: str) -> str | None:
    return os.environ.get(f"VLA_TEST_{name}_KEY")


def needs_fleet(*keys: str):
    """Skips the test case unless the fleet and these customers' keys are in the environment."""
    missing = [f"VLA_TEST_{k}_KEY" for k in keys if not key(k)] + ([] if API_URL else ["VLA_TEST_API_URL"])
    return unittest.skipIf(missing, f"no local fleet: {', '.join(missing)} not set (bench's PythonClientIT sets them)")


def wait_for(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout_s} s")
        time.sleep(0.1)
