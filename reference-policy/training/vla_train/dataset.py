"""Turns scene seeds into training arrays, through the same preprocessing the runner uses."""
from dataclasses import replace
from multiprocessing import Pool

import numpy as np

from . import camera, preprocess, scenes

# Rendered at several camera resolutions so the model sees what the serving resize produces.
RENDER_SIZES = (96, 128, 160, 256)
# Share of training scenes whose gripper lies on a noisy expert trajectory from an episode start
# (the states a closed loop visits, phase boundaries included); the rest are sample_scene's states.
TRAJECTORY_SHARE = 0.5
TRAJECTORY_NOISE_M = 0.01


def trajectory_scene(seed: int) -> scenes.Scene:
    """sample_scene(seed)'s layout with the gripper at a random point of a noisy expert run from a
    start pose: the drift a policy's own small errors cause, and how the expert recovers from it."""
    scene = scenes.sample_scene(seed)
    rng = np.random.default_rng([seed, 3])
    gripper = scenes.start_gripper(scene, rng)
    visited = []
    for _ in range(40):
        visited.append(gripper)
        action = scenes.expert_action(replace(scene, gripper=gripper))
        if action[6] >= 0.5:
            break
        noisy = np.asarray(action[:3]) + rng.normal(0.0, TRAJECTORY_NOISE_M, 3) * np.array([1.0, 1.0, 0.5])
        gripper = scenes.apply_action(gripper, noisy)
    gripper = visited[int(rng.integers(0, len(visited)))]
    return replace(scene, gripper=gripper, expert_action=scenes.expert_action(replace(scene, gripper=gripper)))


def training_scene(seed: int) -> scenes.Scene:
    if np.random.default_rng([seed, 4]).random() < TRAJECTORY_SHARE:
        return trajectory_scene(seed)
    return scenes.sample_scene(seed)


def _one(args):
    seed, input_size, mean, std, vocab, max_length, training = args
    scene = training_scene(seed) if training else scenes.sample_scene(seed)
    size = RENDER_SIZES[seed % len(RENDER_SIZES)]
    image = scenes.render(scene, size)
    if training:
        image = camera.random_camera(image, np.random.default_rng([seed, 5]))
    tensor = preprocess.to_input_tensor(image, input_size, input_size, mean, std)
    target = scene.objects[scene.target]
    return (
        tensor.astype(np.float16),
        preprocess.tokenize(scene.instruction, vocab, max_length),
        np.asarray(scenes.expert_chunk(scene), dtype=np.float32),
        np.asarray([target.x, target.y, scene.gripper[0], scene.gripper[1]], dtype=np.float32),
        np.asarray(scene.gripper, dtype=np.float32),
    )


def build(seeds, input_size, mean, std, vocab, max_length, workers=2, progress=None, training=True):
    """training: trajectory states and camera augmentation; otherwise sample_scene's clean scenes
    (what the held-out set holds). Returns dict of numpy arrays: images (N,3,S,S) f16, tokens (N,L), actions (N,H,7) (the expert's
    chunk), positions (N,4) (target xy, gripper xy), states (N,3) (gripper xyz)."""
    jobs = [(int(s), input_size, mean, std, vocab, max_length, training) for s in seeds]
    rows = []
    with Pool(workers) as pool:
        for i, row in enumerate(pool.imap(_one, jobs, chunksize=64)):
            rows.append(row)
            if progress and (i + 1) % 5000 == 0:
                progress(f"  rendered {i + 1}/{len(jobs)} scenes")
    return {
        "images": np.stack([r[0] for r in rows]),
        "tokens": np.stack([r[1] for r in rows]),
        "actions": np.stack([r[2] for r in rows]),
        "positions": np.stack([r[3] for r in rows]),
        "states": np.stack([r[4] for r in rows]),
    }


def quantile_stats(actions: np.ndarray):
    """Per-dimension q01/q99 over every step of every chunk."""
    flat = actions.reshape(-1, actions.shape[-1])
    return np.quantile(flat, 0.01, axis=0), np.quantile(flat, 0.99, axis=0)


def normalise(actions: np.ndarray, q01: np.ndarray, q99: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Inverse of OpenVLA's 0.5*(x+1)*(q99-q01)+q01 on masked dims; constant dims map to 0."""
    span = q99 - q01
    safe = np.where(span > 1e-8, span, 1.0)
    norm = np.clip(2.0 * (actions - q01) / safe - 1.0, -1.0, 1.0)
    norm = np.where(span > 1e-8, norm, 0.0)
    return np.where(mask, norm, actions).astype(np.float32)
