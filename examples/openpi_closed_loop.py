"""The tabletop task in closed loop through /v1/openpi, as a robot running openpi's client would drive it.

    VLA_API_KEY=vla_live_... python3 examples/openpi_closed_loop.py [--episodes 50] [--no-state]

Each episode is one of the reference policy's held-out episodes (reference-policy/training/vla_train/
episodes.py, the simulator the in-process evaluation uses): every few steps the simulated camera frame,
the gripper's position and the instruction go to the server in openpi's wire format (openpi_client.py
in this folder), and the arm runs the first actions of the chunk that comes back, up to 200 steps. The
last line printed is a JSON summary: success rate, policy calls (each one request, logged and
billed), and why episodes failed. VLA_API_URL: where the API is (default http://127.0.0.1:8080).
"""
import argparse
import asyncio
import json
import os
import pathlib
import sys
from collections import Counter

import numpy

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "reference-policy/training"))
from openpi_client import connect, pack, unpack   # noqa: E402  (this folder's openpi wire format)
from vla_train import episodes                    # noqa: E402  (the task's simulator: numpy and PIL only)


class RemotePolicy:
    """episodes.run_episode's policy(image, instruction, state) -> chunk, answered by the server."""

    def __init__(self, loop: asyncio.AbstractEventLoop, connection, metadata: dict):
        self.loop = loop
        self.connection = connection
        self.metadata = metadata
        self.calls = 0
        self.server_ms = []

    def __call__(self, image, instruction, state):
        observation = {"observation/image": image, "prompt": instruction}
        if state is not None:
            observation["observation/state"] = numpy.asarray(state, dtype=numpy.float32)
        answer = self.loop.run_until_complete(self._infer(observation))
        self.calls += 1
        self.server_ms.append(float(answer["server_timing"]["infer_ms"]))
        return numpy.asarray(answer["actions"], dtype=numpy.float64)

    async def _infer(self, observation):
        await self.connection.send(pack(observation))
        answer = await self.connection.recv()
        if isinstance(answer, str):
            # openpi's protocol: an error is a text frame, then the server closes the connection.
            raise RuntimeError(f"Error in inference server:\n{answer}")
        return unpack(answer)


def main() -> int:
    parser = argparse.ArgumentParser(description="Held-out tabletop episodes in closed loop through /v1/openpi.")
    parser.add_argument("--episodes", type=int, default=episodes.EPISODE_COUNT)
    parser.add_argument("--no-state", action="store_true", help="send the camera frame and the prompt only")
    args = parser.parse_args()
    api_key = os.environ.get("VLA_API_KEY") or sys.exit("Set VLA_API_KEY to your API key (vla_live_...).")
    base = os.environ.get("VLA_API_URL", "http://127.0.0.1:8080")
    url = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + "/v1/openpi"

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)   # websockets 10 (Debian 12) looks the loop up itself
    connection = loop.run_until_complete(connect(url, api_key))
    try:
        metadata = unpack(loop.run_until_complete(connection.recv()))
        policy = RemotePolicy(loop, connection, metadata)
        results = []
        for number, seed in enumerate(episodes.EPISODE_SEEDS[:args.episodes], start=1):
            result = episodes.run_episode(seed, policy, with_state=not args.no_state)
            results.append(result)
            print(f"episode {number}/{args.episodes} (seed {seed}): {result.reason} after {result.steps} steps, "
                  f"{result.policy_calls} calls", flush=True)
    finally:
        loop.run_until_complete(connection.close())
        loop.close()
    summary = {
        "model": metadata.get("model"), "model_version": metadata.get("model_version"),
        "episodes": len(results), "success_rate": episodes.success_rate(results),
        "policy_calls": policy.calls, "steps": sum(r.steps for r in results),
        "failures": dict(Counter(r.reason for r in results if not r.success)),
        "server_infer_ms_p50": float(numpy.percentile(policy.server_ms, 50)) if policy.server_ms else None,
        "with_state": not args.no_state,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
