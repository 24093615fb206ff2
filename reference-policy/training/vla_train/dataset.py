"""Turns scene seeds into training arrays, through the same preprocessing the runner uses."""
from multiprocessing import Pool

import numpy as np

from . import preprocess, scenes

# Rendered at several camera resolutions so the model sees what the serving resize produces.
RENDER_SIZES = (96, 128, 160, 256)


def _one(args):
    seed, input_size, mean, std, vocab, max_length = args
    scene = scenes.sample_scene(seed)
    size = RENDER_SIZES[seed % len(RENDER_SIZES)]
    image = preprocess.to_input_tensor(scenes.render(scene, size), input_size, input_size, mean, std)
    target = scene.objects[scene.target]
    return (
        image.astype(np.float16),
        preprocess.tokenize(scene.instruction, vocab, max_length),
        np.asarray(scene.expert_action, dtype=np.float32),
        np.asarray([target.x, target.y, scene.gripper[0], scene.gripper[1]], dtype=np.float32),
    )


def build(seeds, input_size, mean, std, vocab, max_length, workers=2, progress=None):
    """Returns dict of numpy arrays: images (N,3,S,S) f16, tokens (N,L), actions (N,7), positions (N,4)."""
    jobs = [(int(s), input_size, mean, std, vocab, max_length) for s in seeds]
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
    }


def quantile_stats(actions: np.ndarray):
    return np.quantile(actions, 0.01, axis=0), np.quantile(actions, 0.99, axis=0)


def normalise(actions: np.ndarray, q01: np.ndarray, q99: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Inverse of OpenVLA's 0.5*(x+1)*(q99-q01)+q01 on masked dims; constant dims map to 0."""
    span = q99 - q01
    safe = np.where(span > 1e-8, span, 1.0)
    norm = np.clip(2.0 * (actions - q01) / safe - 1.0, -1.0, 1.0)
    norm = np.where(span > 1e-8, norm, 0.0)
    return np.where(mask, norm, actions).astype(np.float32)
