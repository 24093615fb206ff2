"""Closed-loop episodes of the tabletop task: a policy drives the simulated arm until it closes the
gripper, which ends the episode.

    result = run_episode(seed, policy)          # policy(image, instruction, state) -> chunk
    results = run_episodes(policy)              # the 50 held-out episodes (EPISODE_SEEDS)

`policy(image, instruction, state)` gets the camera frame (uint8 HxWx3 RGB, RENDER_SIZE square, the
renderer of the held-out set), the instruction and the gripper position [x, y, z] in metres (None
when the episode runs without state) and returns a chunk of actions (H x 7, in tabletop_sim units:
metres per step and the gripper's close probability). It is called every `replan` steps: the arm
executes the first `replan` actions of each chunk (all of them if the chunk is shorter), then asks
again. Each action moves the gripper by its xyz step (each axis clipped to MAX_STEP_M, never below
the table); an action with gripper >= 0.5 closes the gripper and ends the episode: success when the
gripper is at grasp height within NEAR_M of the target in xy, failure otherwise ("distractor" when it
closes on another object, "empty" on nothing, "too_high" above grasp height); "timeout" after
max_steps actions.

numpy and PIL only (no torch), so API clients can run the same episodes against a served model.
Deterministic per seed: the scene, the start pose and every frame depend on the seed alone.
"""
import math
from dataclasses import dataclass, replace

import numpy as np

from . import scenes

EPISODE_SEED_BASE = 5_000_000     # never used by training (1e6..), validation (2e6..), held-out (3e6..), OOD (4e6..)
EPISODE_COUNT = 50
EPISODE_SEEDS = tuple(range(EPISODE_SEED_BASE, EPISODE_SEED_BASE + EPISODE_COUNT))
RENDER_SIZE = 256
MAX_STEPS = 200
REPLAN = 4


@dataclass(frozen=True)
class EpisodeResult:
    seed: int
    success: bool
    reason: str          # "success", "distractor", "empty", "too_high" or "timeout"
    steps: int           # actions executed, the closing one included
    policy_calls: int


def initial_scene(seed: int) -> scenes.Scene:
    """The episode's scene: the layout and instruction of sample_scene(seed), the gripper at a start pose."""
    scene = scenes.sample_scene(seed)
    return replace(scene, gripper=scenes.start_gripper(scene, np.random.default_rng([seed, 1])), expert_action=[])


def observe(scene: scenes.Scene, camera=None, rng=None) -> np.ndarray:
    """The frame the policy sees: the scene rendered at RENDER_SIZE, through `camera` when given."""
    image = scenes.render(scene, RENDER_SIZE)
    return camera(image, rng) if camera is not None else image


def grasp_outcome(scene: scenes.Scene) -> str:
    gx, gy, gz = scene.gripper
    if gz > scenes.GRASP_Z_M + scenes.GRASP_BAND_M:
        return "too_high"
    near = [i for i, o in enumerate(scene.objects) if math.hypot(o.x - gx, o.y - gy) < scenes.NEAR_M]
    if scene.target in near:
        return "success"
    return "distractor" if near else "empty"


def run_episode(seed: int, policy, replan: int = REPLAN, max_steps: int = MAX_STEPS, with_state: bool = True,
                camera=None) -> EpisodeResult:
    """One episode. `camera(image, rng) -> image` perturbs every frame (see camera.py); its rng is
    seeded by the episode seed, so perturbed episodes are deterministic too."""
    scene = initial_scene(seed)
    rng = np.random.default_rng([seed, 2])
    steps = calls = 0
    while steps < max_steps:
        state = list(scene.gripper) if with_state else None
        chunk = np.asarray(policy(observe(scene, camera, rng), scene.instruction, state), dtype=np.float64)
        calls += 1
        if chunk.ndim == 1:
            chunk = chunk[None]
        for action in chunk[:max(1, replan)]:
            steps += 1
            if action[6] >= 0.5:
                outcome = grasp_outcome(scene)
                return EpisodeResult(seed, outcome == "success", outcome, steps, calls)
            scene = replace(scene, gripper=scenes.apply_action(scene.gripper, action))
            if steps >= max_steps:
                break
    return EpisodeResult(seed, False, "timeout", steps, calls)


def run_episodes(policy, seeds=EPISODE_SEEDS, **kwargs) -> list:
    return [run_episode(seed, policy, **kwargs) for seed in seeds]


def success_rate(results) -> float:
    return sum(r.success for r in results) / len(results)


def expert_policy(seed: int):
    """The scripted expert as a policy (it reads the state, so run it with with_state=True): a
    reference for what a perfect policy scores on these episodes."""
    layout = initial_scene(seed)

    def policy(image, instruction, state):
        return scenes.expert_chunk(replace(layout, gripper=tuple(state)))
    return policy
